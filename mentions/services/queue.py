"""The operators' shared queue: claiming with leases, releasing, closing, answering.

Every move is a conditional UPDATE or a row lock, so two operators never hold one mention: a
claim either changes the row or reports who holds it. A claim is a lease: the holder renews it by
claiming again (the admin and API clients do so while the operator works); when it expires, the
sweeper returns the mention to the queue and the late holder's actions are refused.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mentions.models import Mention, Resolution, Team
from mentions.services.workflow import IllegalTransition, check_transition
from scrm.api.errors import ApplicationError, Conflict, NotFound
from scrm.roles import Role, user_roles

S = Mention.Status


class ClaimHeldByOther(Conflict):
    code = "claimed_by_other"


class LeaseExpired(Conflict):
    code = "lease_expired"


class NotYourTeam(ApplicationError):
    status_code = 403
    code = "not_your_team"
    default_detail = "This mention is in a queue of a team you are not a member of."


def lease_duration() -> timedelta:
    return timedelta(seconds=settings.SCRM_CLAIM_LEASE_SECONDS)


def _is_manager(user) -> bool:
    return Role.MANAGER in user_roles(user)


def user_team_ids(user) -> list[int]:
    """The teams whose queue `user` works: their own; all teams for a manager in none."""
    ids = list(user.teams.filter(active=True).values_list("id", flat=True))
    if not ids and _is_manager(user):
        ids = list(Team.objects.filter(active=True).values_list("id", flat=True))
    return ids


def queue_for(user) -> QuerySet[Mention]:
    """Unclaimed mentions of the user's teams, most urgent first (priority, then SLA)."""
    return Mention.objects.filter(status=S.QUEUED, team_id__in=user_team_ids(user)).order_by(
        "priority_rank", "sla_due_at", "id"
    )


def _get(mention_id: int, *, lock: bool = False) -> Mention:
    queryset = Mention.objects.select_for_update(of=("self",)) if lock else Mention.objects
    try:
        return queryset.get(pk=mention_id)
    except Mention.DoesNotExist as exc:
        raise NotFound("No such mention.") from exc


def _check_team(mention: Mention, user) -> None:
    if mention.team_id is None or _is_manager(user):
        return
    if mention.team_id not in user_team_ids(user):
        raise NotYourTeam()


def _check_holder(mention: Mention, user, *, now) -> None:
    """The user holds `mention` under a live lease, or a 409 says why not."""
    if mention.status != S.CLAIMED or mention.claimed_by_id != user.pk:
        if mention.status == S.CLAIMED:
            raise ClaimHeldByOther(f"{mention.claimed_by} holds this mention.")
        if mention.status == S.QUEUED:
            raise LeaseExpired(
                "Your claim on this mention has ended and it is back in the queue; claim it "
                "again before acting on it."
            )
        check_transition(mention, S.CLAIMED)
    if mention.lease_expires_at and mention.lease_expires_at <= now:
        raise LeaseExpired(
            f"Your claim on this mention expired at {mention.lease_expires_at:%Y-%m-%d %H:%M:%S} "
            "UTC; claim it again before acting on it."
        )


@transaction.atomic
def mention_claim(*, mention_id: int, user) -> Mention:
    """Claim a queued mention for `user`, or renew the user's own lease on it.

    409 `claimed_by_other` if someone else holds it; 409 `illegal_transition` if it is not in a
    queue; 403 `not_your_team` if it is another team's.
    """
    now = timezone.now()
    mention = _get(mention_id, lock=True)
    _check_team(mention, user)
    if mention.status == S.CLAIMED:
        lease_over = mention.lease_expires_at and mention.lease_expires_at <= now
        if mention.claimed_by_id != user.pk and not lease_over:
            raise ClaimHeldByOther(
                f"{mention.claimed_by} holds this mention until "
                f"{mention.lease_expires_at:%Y-%m-%d %H:%M:%S} UTC."
            )
    else:
        check_transition(mention, S.CLAIMED)
        mention.claimed_at = now
    mention.status = S.CLAIMED
    mention.claimed_by = user
    mention.lease_expires_at = now + lease_duration()
    mention.save(
        update_fields=["status", "claimed_by", "claimed_at", "lease_expires_at", "updated_at"]
    )
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
    mention.save(
        update_fields=["status", "claimed_by", "claimed_at", "lease_expires_at", "updated_at"]
    )
    return mention


def _unclaim(mention: Mention) -> None:
    mention.status = S.QUEUED
    mention.claimed_by = None
    mention.claimed_at = None
    mention.lease_expires_at = None


@transaction.atomic
def mention_release(*, mention_id: int, user) -> Mention:
    """Give a claimed mention back to its queue (its holder, or a manager)."""
    mention = _get(mention_id, lock=True)
    if mention.status != S.CLAIMED:
        raise IllegalTransition(f"A {mention.status} mention is not claimed; nothing to release.")
    if mention.claimed_by_id != user.pk and not _is_manager(user):
        raise ClaimHeldByOther(
            f"{mention.claimed_by} holds this mention; only they can release it."
        )
    _unclaim(mention)
    mention.save(
        update_fields=["status", "claimed_by", "claimed_at", "lease_expires_at", "updated_at"]
    )
    return mention


@transaction.atomic
def mention_close(*, mention_id: int, user, resolution: str) -> Mention:
    """Close a mention with a resolution (ignored, spam, duplicate, handled elsewhere).

    A claimed mention is closed by its holder under a live lease (or by a manager); an unclaimed
    one by any member of its team.
    """
    if resolution not in Resolution.values:
        raise ApplicationError(
            errors={"resolution": [f"Choose one of: {', '.join(Resolution.values)}."]}
        )
    now = timezone.now()
    mention = _get(mention_id, lock=True)
    check_transition(mention, S.CLOSED)
    if mention.status == S.CLAIMED and not _is_manager(user):
        _check_holder(mention, user, now=now)
    else:
        _check_team(mention, user)
    mention.status = S.CLOSED
    mention.resolution = resolution
    mention.closed_at = now
    mention.lease_expires_at = None
    mention.save(
        update_fields=["status", "resolution", "closed_at", "lease_expires_at", "updated_at"]
    )
    return mention


@transaction.atomic
def mention_mark_answered(*, mention_id: int, user) -> Mention:
    """Record that the holder answered the mention. Refused (409) when the user does not hold
    it under a live lease: a late reply after the lease ran out is never recorded as theirs."""
    now = timezone.now()
    mention = _get(mention_id, lock=True)
    _check_holder(mention, user, now=now)
    mention.status = S.ANSWERED
    mention.answered_at = now
    mention.lease_expires_at = None
    mention.save(update_fields=["status", "answered_at", "lease_expires_at", "updated_at"])
    return mention


def leases_release_expired() -> int:
    """Return every mention whose lease ran out to its queue; returns how many."""
    now = timezone.now()
    return Mention.objects.filter(status=S.CLAIMED, lease_expires_at__lte=now).update(
        status=S.QUEUED, claimed_by=None, claimed_at=None, lease_expires_at=None, updated_at=now
    )
