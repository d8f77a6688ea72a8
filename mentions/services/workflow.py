"""The mention's status machine: which moves are legal, and the one way to make them."""

from mentions.models import Mention
from scrm.errors import Conflict

S = Mention.Status

ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.PROCESSED, S.QUEUED}),
    S.PROCESSED: frozenset({S.QUEUED, S.CLOSED}),
    S.QUEUED: frozenset({S.CLAIMED, S.CLOSED, S.PROCESSED}),
    S.CLAIMED: frozenset({S.QUEUED, S.ANSWERED, S.CLOSED}),
    S.ANSWERED: frozenset({S.QUEUED}),  # the author wrote again in the thread: reopen
    S.CLOSED: frozenset({S.QUEUED}),  # reopened by a manager
}


class IllegalTransition(Conflict):
    code = "illegal_transition"


def check_transition(mention: Mention, target: str) -> None:
    """Raise a 409 that says why, unless `mention` may move to `target`."""
    if target not in ALLOWED_MOVES.get(mention.status, frozenset()):
        allowed = ", ".join(sorted(ALLOWED_MOVES.get(mention.status, ()))) or "none"
        raise IllegalTransition(
            f"A {mention.status} mention cannot become {target}; from {mention.status} it can "
            f"become: {allowed}."
        )
