"""Celery tasks: fetch by id, call one service, nothing else. Every task is safe to run twice."""

from celery import shared_task

from knowledge_base import services


@shared_task(name="knowledge_base.refresh_article_passages", acks_late=True)
def article_passages_refresh_task(article_id: int) -> int:
    return services.article_passages_refresh(article_id=article_id)


@shared_task(name="knowledge_base.refresh_stale_passages")
def article_passages_refresh_stale_task() -> int:
    """Vectors a lost task never stored (the sweeper's share of the outbox idea)."""
    return services.article_passages_refresh_stale()
