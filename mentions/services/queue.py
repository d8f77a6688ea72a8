"""The operators' shared queue: claiming with leases, releasing, closing, answering, reopening.

Every move is a conditional UPDATE or a row lock, so two operators never hold one mention: a
claim either changes the row or reports who holds it. A claim is a lease: the holder renews it by
claiming again (the admin and API clients do so while the operator works); when it expires, the
sweeper returns the mention to the queue and the late holder's actions are refused. Who may make
which move is decided in `mentions.queue_rules` (the admin's buttons ask the same module).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mentions.models import CLOSE_RESOLUTIONS, Mention, QueueEvent
from mentions.queue_rules import (
    AuthorDoNotContact,
    ClaimHeldByOther,
    ClaimReleased,
    LeaseExpired,
    Move,
    NotClaimed,
    NotYourTeam,
    check_move,
    queue_for,
    user_team_ids,
)
from mentions.services.triage import Routing, apply_priority_and_routing
from scrm import outbox
from scrm.errors import InvalidInput, NotFound

S = Mention.Status
_CLAIM_FIELDS = ["status", "claimed_by", "claimed_at", "lease_expires_at", "updated_at"]
_ROUTED_FIELDS = [
    *_CLAIM_FIELDS,
    *("team", "needs_response", "priority", "priority_rank", "sla_due_at"),
    *("resolution", "closed_at"),
]
REASON_MAX_LENGTH = 2000

__all__ = [
    "AuthorDoNotContact",
    "ClaimHeldByOther",
    "ClaimReleased",
    "LeaseExpired",
    "NotClaimed",
    "NotYourTeam",
    "leases_release_expired",
    "mention_claim",
    "mention_claim_next",
    "mention_close",
    "mention_mark_answered",
    "mention_release",
    "mention_reopen",
    "queue_for",
    "user_team_ids",
]


def lease_duration() -> timedelta:
    return timedelta(seconds=settings.SCRM_CLAIM_LEASE_SECONDS)


def _get(mention_id: int, *, lock: bool = False) -> Mention:
    queryset = Mention.objects.select_related("author", "claimed_by")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=mention_id)
    except Mention.DoesNotExist as exc:
        raise NotFound("No such mention.") from exc


@transaction.atomic
def mention_claim(*, mention_id: int, user) -> Mention:
    """Claim a queued mention for `user`, or renew the user's own lease on it.

    409 `claimed_by_other` if someone else holds it under a live lease; 409
    `illegal_transition` if it is not in a queue; 403 `not_your_team` if it is another team's.
    """
    now = timezone.now()
    mention = _get(mention_id, lock=True)
    check_move(mention, user, Move.CLAIM, now=now)
    if mention.status == S.CLAIMED and mention.claimed_by_id != user.pk:
        _record(mention, QueueEvent.Kind.EXPIRED, actor=None, holder_id=mention.claimed_by_id)
    renewal = mention.status == S.CLAIMED and mention.claimed_by_id == user.pk
    if not renewal:
        mention.claimed_at = now
    mention.status = S.CLAIMED
    mention.claimed_by = user
    mention.lease_expires_at = now + lease_duration()
    mention.save(update_fields=_CLAIM_FIELDS)
    if not renewal:
        outbox.record("mention.claimed", {"mention_id": mention.pk, "claimed_by": user.pk})
    return mention


@transaction.atomic
def mention_claim_next(*, user) -> Mention | None:
    """Atomically give `user` the most urgent unclaimed mention of their teams, or None.

    `SELECT … FOR UPDATE SKIP LOCKED`: concurrent callers each get a different mention and none
    waits for another.
    """
    now = timezone.now()
    mention = queue_for(user).select_for_update(skip_locked=True, of=("self",)).first()
    if mention is None:
        return None
    mention.status = S.CLAIMED
    mention.claimed_by = user
    mention.claimed_at = now
    mention.lease_expires_at = now + lease_duration()
    mention.save(update_fields=_CLAIM_FIELDS)
    outbox.record("mention.claimed", {"mention_id": mention.pk, "claimed_by": user.pk})
    return mention


def _unclaim_and_route(mention: Mention, routing: Routing) -> None:
    """Back where its current category sends it: its team's queue, or out of the queue
    (`processed`) when the category needs no response (a mention corrected to noise)."""
    mention.status = S.QUEUED
    mention.claimed_by = None
    mention.claimed_at = None
    mention.lease_expires_at = None
    apply_priority_and_routing(mention, routing)


def _record(mention: Mention, kind: str, *, actor, holder_id=None, reason: str = "") -> None:
    QueueEvent.objects.create(
        mention=mention, kind=kind, actor=actor, holder_id=holder_id, reason=reason
    )


@transaction.atomic
def mention_release(*, mention_id: int, user) -> Mention:
    """End a claim (its holder, or a manager overriding it): the mention goes where its current
    category sends it, `claimed_by` is cleared, and the release is recorded so that the former
    holder is told their claim was released."""
    mention = _get(mention_id, lock=True)
    check_move(mention, user, Move.RELEASE, now=timezone.now())
    _record(mention, QueueEvent.Kind.RELEASED, actor=user, holder_id=mention.claimed_by_id)
    _unclaim_and_route(mention, Routing.load())
    mention.save(update_fields=_ROUTED_FIELDS)
    return mention


@transaction.atomic
def mention_close(*, mention_id: int, user, resolution: str) -> Mention:
    """Close a mention with a resolution (ignored, spam, duplicate, handled elsewhere).

    The holder closes under a live lease; a manager closes an unclaimed mention or overrides
    someone's claim (then `claimed_by` is cleared and the override recorded).
    """
    allowed = [value for value, _ in CLOSE_RESOLUTIONS]
    if resolution not in allowed:
        raise InvalidInput(errors={"resolution": [f"Choose one of: {', '.join(allowed)}."]})
    now = timezone.now()
    mention = _get(mention_id, lock=True)
    check_move(mention, user, Move.CLOSE, now=now)
    fields = ["status", "resolution", "closed_at", "lease_expires_at", "updated_at"]
    if mention.status == S.CLAIMED and mention.claimed_by_id != user.pk:
        _record(mention, QueueEvent.Kind.CLOSED, actor=user, holder_id=mention.claimed_by_id)
        mention.claimed_by = None
        mention.claimed_at = None
        fields += ["claimed_by", "claimed_at"]
    mention.status = S.CLOSED
    mention.resolution = resolution
    mention.closed_at = now
    mention.lease_expires_at = None
    mention.save(update_fields=fields)
    outbox.record(
        "mention.closed",
        {"mention_id": mention.pk, "resolution": resolution, "closed_by": user.pk},
    )
    return mention


@transaction.atomic
def mention_mark_answered(*, mention_id: int, user, checked_at=None) -> Mention:
    """Record that the holder answered the mention. Refused (409) when the user does not hold
    it under a live lease: a late reply after the lease ran out is never recorded as theirs.

    `checked_at`: when the answer was handed over, if earlier than now: a reply that a
    publisher posts in the background was sent under the lease the holder had when they
    pressed *Send*, and the lease is judged at that moment (it must still be their claim)."""
    now = timezone.now()
    mention = _get(mention_id, lock=True)
    check_move(mention, user, Move.ANSWER, now=checked_at or now)
    mention.status = S.ANSWERED
    mention.answered_at = now
    mention.lease_expires_at = None
    mention.save(update_fields=["status", "answered_at", "lease_expires_at", "updated_at"])
    outbox.record("mention.answered", {"mention_id": mention.pk, "answered_by": user.pk})
    return mention


@transaction.atomic
def mention_reopen(*, mention_id: int, user, reason: str) -> Mention:
    """Reopen an answered or closed mention (the author wrote again, it was closed by mistake).

    The mention goes where its current category sends it (its team's queue, or `processed` if
    the category needs no response); its resolution and closing time are cleared, the time of
    an earlier answer is kept. Who reopened it, when and why is recorded.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(errors={"reason": ["Say why the mention is reopened."]})
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(
            errors={"reason": [f"At most {REASON_MAX_LENGTH} characters; got {len(reason)}."]}
        )
    mention = _get(mention_id, lock=True)
    check_move(mention, user, Move.REOPEN, now=timezone.now())
    _record(mention, QueueEvent.Kind.REOPENED, actor=user, reason=reason)
    mention.resolution = ""
    mention.closed_at = None
    _unclaim_and_route(mention, Routing.load())
    mention.save(update_fields=_ROUTED_FIELDS)
    return mention


def leases_release_expired() -> int:
    """Return every mention whose lease ran out to where its category sends it, recording
    whose claim ended; returns how many."""
    now = timezone.now()
    with transaction.atomic():
        mentions = list(
            Mention.objects.select_for_update(skip_locked=True, of=("self",))
            # Off the queue index (claimed mentions are in it: no index reads the lease)
            .filter(Mention.in_status(S.CLAIMED), lease_expires_at__lte=now)
            .select_related("category", "author_identity", "author")
            .order_by("id")
        )
        if not mentions:
            return 0
        QueueEvent.objects.bulk_create(
            QueueEvent(mention=m, kind=QueueEvent.Kind.EXPIRED, holder_id=m.claimed_by_id)
            for m in mentions
        )
        routing = Routing.load()
        for mention in mentions:
            _unclaim_and_route(mention, routing)
            mention.updated_at = now
        Mention.objects.bulk_update(mentions, _ROUTED_FIELDS, batch_size=200)
    return len(mentions)
