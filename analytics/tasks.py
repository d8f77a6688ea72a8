from celery import shared_task

from analytics import rollups
from analytics.services import weekly_digest_send


@shared_task(name="analytics.weekly_digest")
def weekly_digest() -> int:
    return weekly_digest_send()


@shared_task(name="analytics.refresh_rollups")
def refresh_rollups() -> int:
    return rollups.refresh()
