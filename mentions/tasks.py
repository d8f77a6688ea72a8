"""Celery tasks: fetch by id, call one service. Every task is safe to run twice."""

from celery import shared_task

from mentions import services


@shared_task(name="mentions.process_mentions", acks_late=True)
def process_mentions_task(mention_ids: list[int]) -> int:
    return services.mentions_process(mention_ids=mention_ids)


@shared_task(name="mentions.sweep_unprocessed")
def sweep_unprocessed_task() -> int:
    return services.mentions_sweep_unprocessed()
