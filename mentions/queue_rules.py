"""The queue's rules: which moves a user may make on a mention now, and why a refused one is.

One place for them: the services in `mentions.services.queue` and `mentions.services.corrections`
enforce them (`check_move`, under the row lock), the admin work page shows its buttons from
them (`moves_allowed`). The README's queue section has them as a table.

- Claim: a queued mention, by a member of its team or a manager; a claim whose lease ran out
  may be taken over the same way; the holder claims again to renew. Nobody claims over a live
  lease, not even a manager (release it first).
- Release: the holder, or a manager (an override: the claim ends, `claimed_by` is cleared and
  the former holder is told it was released, not that it expired).
- Answer: only the holder under a live lease.
- Close: the holder under a live lease; a manager at any time before the mention is answered
  (unclaimed, or overriding someone's claim). An operator claims first.
- Correct: the holder under a live lease; a manager at any time; anyone else may correct a
  mention nobody holds, if it is in a team of theirs (or in none).
- Reopen: an answered or closed mention, by an operator of its team (or of none) or a manager,
  with a reason; never a mention of a do-not-contact author.
An operator acts only on mentions of the teams they are members of; an operator in no team
works no queue (a manager in no team works every team's).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet

from mentions.models import Mention, QueueEvent, Team
from mentions.services.workflow import IllegalTransition, check_transition
from scrm.errors import ApplicationError, Conflict, Forbidden
from scrm.roles import Role, user_roles

S = Mention.Status


class Move(StrEnum):
    CLAIM = "claim"  # also renews the holder's lease
    RELEASE = "release"
    ANSWER = "answer"
    CLOSE = "close"
    CORRECT = "correct"
    REOPEN = "reopen"


class ClaimHeldByOther(Conflict):
    code = "claimed_by_other"


class LeaseExpired(Conflict):
    code = "lease_expired"


class ClaimReleased(Conflict):
    code = "claim_released"


class NotClaimed(Conflict):
    code = "not_claimed"


class AuthorDoNotContact(Conflict):
    code = "author_do_not_contact"


class NotYourTeam(Forbidden):
    code = "not_your_team"
    default_detail = "This mention is in a queue of a team you are not a member of."


def user_team_ids(user) -> list[int]:
    """The teams whose queue `user` works: their own; all teams for a manager in none."""
    ids = list(user.teams.filter(active=True).values_list("id", flat=True))
    if not ids and Role.MANAGER in user_roles(user):
        ids = list(Team.objects.filter(active=True).values_list("id", flat=True))
    return ids


def queue_for(user) -> QuerySet[Mention]:
    """Unclaimed mentions of the user's teams, most urgent first (priority, then SLA)."""
    return Mention.objects.filter(
        Mention.in_status(S.QUEUED), team_id__in=user_team_ids(user)
    ).order_by("priority_rank", "sla_due_at", "id")


@dataclass(frozen=True)
class Actor:
    """Who asks: the user, whether they are a manager, the teams they work."""

    user: object
    is_manager: bool
    team_ids: frozenset[int]

    @classmethod
    def of(cls, user) -> "Actor":
        return cls(
            user=user,
            is_manager=Role.MANAGER in user_roles(user),
            team_ids=frozenset(user_team_ids(user)),
        )


def _time(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def _holder(mention: Mention) -> str:
    return str(mention.claimed_by) if mention.claimed_by_id else "Someone"


def _not_holding(mention: Mention, actor: Actor, what: str, *, explain: bool) -> ApplicationError:
    """Why `actor`, who does not hold `mention`, may not `what` it: their claim was released or
    ran out, or they never claimed it."""
    if explain:
        ended = (
            QueueEvent.objects.filter(mention=mention, holder=actor.user)
            .select_related("actor")
            .order_by("-created_at", "-id")
            .first()
        )
        if ended is not None and ended.kind == QueueEvent.Kind.EXPIRED:
            return LeaseExpired(
                "Your claim on this mention has ended and it is back in the queue; claim it "
                "again before acting on it."
            )
        if ended is not None and ended.kind == QueueEvent.Kind.RELEASED:
            by = "You" if ended.actor_id == actor.user.pk else str(ended.actor or "A manager")
            return ClaimReleased(
                f"{by} released your claim on this mention at {_time(ended.created_at)}; claim "
                "it again before acting on it."
            )
    return NotClaimed(f"Claim this mention before you {what} it.")


def move_refusal(
    mention: Mention, actor: Actor, move: Move, *, now, explain: bool = True
) -> ApplicationError | None:
    """The error that refuses `move` by `actor` on `mention` at `now`, or None if it is allowed.

    `explain=False` skips the one query that tells a former holder how their claim ended (the
    admin asks for every move at once only to decide its buttons).
    """
    claimed = mention.status == S.CLAIMED
    mine = claimed and mention.claimed_by_id == actor.user.pk
    expired = bool(claimed and mention.lease_expires_at and mention.lease_expires_at <= now)
    held_by_other = claimed and not mine and not expired
    in_team = actor.is_manager or mention.team_id is None or mention.team_id in actor.team_ids

    def expired_error() -> LeaseExpired:
        return LeaseExpired(
            f"Your claim on this mention expired at {_time(mention.lease_expires_at)}; claim it "
            "again before acting on it."
        )

    def held_error() -> ClaimHeldByOther:
        until = f" until {_time(mention.lease_expires_at)}" if mention.lease_expires_at else ""
        return ClaimHeldByOther(f"{_holder(mention)} holds this mention{until}.")

    if move == Move.CLAIM:
        if mine:
            return None
        if not claimed and (error := _transition_error(mention, S.CLAIMED)) is not None:
            return error
        if not in_team:
            return NotYourTeam()
        if held_by_other:
            return held_error()
        if _author_do_not_contact(mention):
            return _do_not_contact_error()
        return None  # queued, or another's lease ran out: taking it over is a claim

    if move == Move.RELEASE:
        if not claimed:
            return IllegalTransition(
                f"A {mention.status} mention is not claimed; nothing to release."
            )
        if mine or actor.is_manager:
            return None
        return ClaimHeldByOther(
            f"{_holder(mention)} holds this mention; only they or a manager can release it."
        )

    if move == Move.ANSWER:
        if mine:
            return expired_error() if expired else None
        if claimed:
            return held_error()
        if mention.status != S.QUEUED:
            return _transition_error(mention, S.ANSWERED)
        return _not_holding(mention, actor, "answer", explain=explain)

    if move == Move.CLOSE:
        if (error := _transition_error(mention, S.CLOSED)) is not None:
            return error
        if mine:
            return expired_error() if expired else None
        if actor.is_manager:
            return None
        if not in_team:
            return NotYourTeam()
        if claimed:
            return held_error()
        return _not_holding(mention, actor, "close", explain=explain)

    if move == Move.CORRECT:
        if mine:
            return expired_error() if expired else None
        if actor.is_manager:
            return None
        if held_by_other:
            return held_error()
        if not in_team:
            return NotYourTeam()
        return None

    if move == Move.REOPEN:
        if mention.status not in (S.ANSWERED, S.CLOSED):
            return IllegalTransition(
                f"A {mention.status} mention is not answered or closed; there is nothing to reopen."
            )
        if not in_team:
            return NotYourTeam()
        if _author_do_not_contact(mention):
            return _do_not_contact_error()
        return None

    raise ValueError(f"Unknown move {move!r}")


def check_move(mention: Mention, user, move: Move, *, now) -> None:
    """Raise the error that refuses `move`, unless `user` may make it on `mention` now."""
    error = move_refusal(mention, Actor.of(user), move, now=now)
    if error is not None:
        raise error


def moves_allowed(mention: Mention, user, *, now) -> frozenset[Move]:
    """The moves `user` may make on `mention` now: what the work page offers."""
    actor = Actor.of(user)
    return frozenset(
        move for move in Move if move_refusal(mention, actor, move, now=now, explain=False) is None
    )


def _transition_error(mention: Mention, target: str) -> IllegalTransition | None:
    try:
        check_transition(mention, target)
    except IllegalTransition as exc:
        return exc
    return None


def _author_do_not_contact(mention: Mention) -> bool:
    return bool(mention.author_id and mention.author.do_not_contact)


def _do_not_contact_error() -> AuthorDoNotContact:
    return AuthorDoNotContact(
        "The author asked not to be contacted; their mentions stay out of the queue."
    )
