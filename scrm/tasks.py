"""Celery tasks of the outbox: ids only, each safe to run twice (see `scrm.outbox`)."""

from celery import shared_task

from scrm import outbox


@shared_task(name="scrm.outbox_dispatch", acks_late=True)
def outbox_dispatch_task(event_ids: list[str]) -> int:
    return outbox.outbox_dispatch(event_ids=event_ids)


@shared_task(name="scrm.outbox_sweep")
def outbox_sweep_task() -> int:
    """Hand over again the events whose dispatch was missed or is due for a retry."""
    return outbox.outbox_sweep()


@shared_task(name="scrm.outbox_purge")
def outbox_purge_task() -> int:
    """Delete done events past the retention period."""
    return outbox.outbox_purge()
