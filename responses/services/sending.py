"""Posting a reply through its publisher (run by `responses.publish_reply` in Celery).

Safe to run any number of times: only a `sending` reply is posted; before the call the attempt
is written down (`attempt_started_at`, committed), so a call whose outcome was never recorded
(the worker died, the answer was lost) is not repeated: the reply becomes `failed` and says to
check the platform (then mark-sent, or send again). A reply is never posted twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentions.services.queue import mention_mark_answered
from responses.models import Reply
from responses.publishers import OutcomeUnknown, PublishRefused, RetryLater, publisher_for
from responses.services.replies import _record_sent
from scrm.errors import ApplicationError

logger = logging.getLogger(__name__)
R = Reply.Status
UNKNOWN_OUTCOME = (
    "An earlier attempt to post this reply got no answer, so it may be on the platform: check "
    "there; if it is, record its link with mark-sent, otherwise send it again."
)


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "failed", "retry", "skipped"
    retry_after: int = 0


def _fail(reply: Reply, message: str) -> Outcome:
    reply.status = R.FAILED
    reply.last_error = message[:2000]
    reply.attempt_started_at = None
    reply.save(update_fields=["status", "last_error", "attempt_started_at", "updated_at"])
    return Outcome("failed")


def _locked(reply_id: int) -> Reply | None:
    return (
        Reply.objects.select_for_update(of=("self",))
        .select_related("mention", "publisher_account")
        .filter(pk=reply_id)
        .first()
    )


def reply_publish(*, reply_id: int) -> Outcome:
    """One attempt to post a `sending` reply. `retry` means: call again after `retry_after`
    seconds (the task does); a reply out of attempts fails with the platform's last word."""
    with transaction.atomic():
        reply = _locked(reply_id)
        if reply is None or reply.status != R.SENDING:
            return Outcome("skipped")
        if reply.attempt_started_at is not None:
            return _fail(reply, UNKNOWN_OUTCOME)
        if reply.publisher_account is None:
            return _fail(reply, "Its publisher account was removed; send it again.")
        reply.attempt_started_at = timezone.now()
        reply.send_attempts += 1
        reply.save(update_fields=["attempt_started_at", "send_attempts", "updated_at"])
    publisher = publisher_for(reply.publisher_account)
    try:
        published = publisher.publish(reply)
    except RetryLater as exc:
        with transaction.atomic():
            reply = _locked(reply_id)
            if reply.send_attempts >= settings.SCRM_PUBLISH_MAX_ATTEMPTS:
                return _fail(reply, f"{exc} (gave up after {reply.send_attempts} attempts)")
            reply.attempt_started_at = None
            reply.last_error = str(exc)[:2000]
            reply.save(update_fields=["attempt_started_at", "last_error", "updated_at"])
        return Outcome("retry", retry_after=exc.retry_after)
    except OutcomeUnknown as exc:
        with transaction.atomic():
            return _fail(_locked(reply_id), f"{exc}. {UNKNOWN_OUTCOME}")
    except PublishRefused as exc:
        with transaction.atomic():
            return _fail(_locked(reply_id), str(exc))
    with transaction.atomic():
        reply = _locked(reply_id)
        note = ""
        if reply.corrects_id is None:
            try:
                with transaction.atomic():
                    mention_mark_answered(
                        mention_id=reply.mention_id,
                        user=reply.sent_by,
                        checked_at=reply.send_requested_at,
                    )
            except ApplicationError as exc:
                # Posted all the same: the reply is recorded; the queue keeps its own state.
                note = f"Posted, but the mention could not be marked answered: {exc.as_text()}"
                logger.warning("reply %s: %s", reply.pk, note)
        reply.last_error = note
        _record_sent(
            reply,
            user=reply.sent_by,
            at=timezone.now(),
            external_url=published.external_url,
            external_id=published.external_id,
        )
    return Outcome("sent")


def replies_resend_stuck() -> int:
    """Hand again to Celery the `sending` replies whose task was lost (the broker was down):
    handed over more than `SCRM_PUBLISH_STUCK_SECONDS` ago and no attempt out since (one still
    out after that long died with its worker: the next run fails it as of unknown outcome)."""
    from responses.tasks import reply_publish_task

    cutoff = timezone.now() - timedelta(seconds=settings.SCRM_PUBLISH_STUCK_SECONDS)
    ids = list(
        Reply.objects.filter(status=R.SENDING, send_requested_at__lt=cutoff)
        .filter(Q(attempt_started_at__isnull=True) | Q(attempt_started_at__lt=cutoff))
        .values_list("id", flat=True)[:500]
    )
    for reply_id in ids:
        reply_publish_task.delay(reply_id)
    return len(ids)
