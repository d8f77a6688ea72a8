"""Celery tasks: fetch by id, call one service. Every task is safe to run twice."""

from celery import shared_task

from mentions.services.processing_outbox import mentions_sweep
from mentions.services.triage import mentions_process


@shared_task(name="mentions.process_mentions", acks_late=True)
def process_mentions_task(mention_ids: list[int]) -> int:
    return mentions_process(mention_ids=mention_ids)


@shared_task(name="mentions.sweep_unprocessed")
def sweep_unprocessed_task() -> dict:
    """Re-enqueue mentions never processed and end expired claims."""
    return mentions_sweep()


@shared_task(name="mentions.retrain_classifier")
def retrain_classifier_task() -> str | None:
    """Retrain on operators' corrections when enough new ones arrived; returns the new version."""
    from mentions.services.classifier import classifier_retrain_if_needed

    model = classifier_retrain_if_needed()
    return model.version if model else None
