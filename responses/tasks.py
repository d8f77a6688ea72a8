"""Celery tasks: fetch by id, call one service, nothing else. Every task is safe to run twice."""

from celery import shared_task

from responses.services import sending


@shared_task(name="responses.publish_reply", bind=True, acks_late=True, max_retries=None)
def reply_publish_task(self, reply_id: int) -> str:
    """Post a `sending` reply; retried when the platform says "later" (the service counts the
    attempts and fails the reply after `SCRM_PUBLISH_MAX_ATTEMPTS`)."""
    outcome = sending.reply_publish(reply_id=reply_id)
    if outcome.status == "retry":
        raise self.retry(countdown=outcome.retry_after)
    return outcome.status


@shared_task(name="responses.resend_stuck_replies")
def replies_resend_stuck_task() -> int:
    """Replies handed to a publisher whose task was lost (the sweeper's share of the outbox)."""
    return sending.replies_resend_stuck()
