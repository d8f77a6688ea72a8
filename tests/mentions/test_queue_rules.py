"""Every cell of the queue's rules table (README "The operator queue"), through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentions.models import Mention, Priority, QueueEvent, Team
from mentions.queue_rules import Move, moves_allowed
from mentions.services.corrections import mention_correct
from mentions.services.queue import (
    mention_claim,
    mention_close,
    mention_mark_answered,
    mention_release,
    mention_reopen,
)
from scrm.errors import ApplicationError
from scrm.roles import Role
from tests.factories import UserFactory
from tests.mentions.queue_helpers import queued_mentions

pytestmark = pytest.mark.django_db

S = Mention.Status
OK = "ok"
ILLEGAL = "illegal_transition"
HELD = "claimed_by_other"
EXPIRED = "lease_expired"
NOT_CLAIMED = "not_claimed"
NOT_TEAM = "not_your_team"


@pytest.fixture
def team():
    return Team.objects.get(key="support")


@pytest.fixture
def people(team):
    ann = UserFactory(username="ann", roles=[Role.OPERATOR])
    bob = UserFactory(username="bob", roles=[Role.OPERATOR])
    team.members.add(ann, bob)
    return {
        "operator": ann,
        "other": bob,
        "manager": UserFactory(username="maria", roles=[Role.MANAGER]),  # in no team
        "outsider": UserFactory(username="oscar", roles=[Role.OPERATOR]),  # in no team
    }


def _expire(mention):
    # Time travel: the lease ran out a second ago and the sweeper has not run yet.
    Mention.objects.filter(pk=mention.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def _arrange(state: str, *, me, other, team) -> Mention:
    (mention,) = queued_mentions(1, team=team)
    if state in ("mine_live", "mine_expired", "answered", "closed"):
        mention_claim(mention_id=mention.pk, user=me if state.startswith("mine") else other)
    if state in ("other_live", "other_expired"):
        mention_claim(mention_id=mention.pk, user=other)
    if state.endswith("_expired"):
        _expire(mention)
    if state == "answered":
        mention_mark_answered(mention_id=mention.pk, user=other)
    if state == "closed":
        mention_close(mention_id=mention.pk, user=other, resolution="ignored")
    if state == "processed":
        # Out of the queue, as processing leaves a mention that needs no response.
        Mention.objects.filter(pk=mention.pk).update(
            status=S.PROCESSED, team=None, needs_response=False
        )
    return Mention.objects.get(pk=mention.pk)


def _make(move: str, mention: Mention, user):
    if move == "claim":
        return mention_claim(mention_id=mention.pk, user=user)
    if move == "release":
        return mention_release(mention_id=mention.pk, user=user)
    if move == "answer":
        return mention_mark_answered(mention_id=mention.pk, user=user)
    if move == "close":
        return mention_close(mention_id=mention.pk, user=user, resolution="spam")
    if move == "correct":
        return mention_correct(mention=mention, user=user, priority=Priority.URGENT)
    return mention_reopen(mention_id=mention.pk, user=user, reason="The author wrote again.")


MOVES = ("claim", "release", "answer", "close", "correct", "reopen")

# (who acts, the mention's state) -> the answer to each of MOVES.
TABLE = {
    ("operator", "queued"): (OK, ILLEGAL, NOT_CLAIMED, NOT_CLAIMED, OK, ILLEGAL),
    ("operator", "mine_live"): (OK, OK, OK, OK, OK, ILLEGAL),
    ("operator", "mine_expired"): (OK, OK, EXPIRED, EXPIRED, EXPIRED, ILLEGAL),
    ("operator", "other_live"): (HELD, HELD, HELD, HELD, HELD, ILLEGAL),
    ("operator", "other_expired"): (OK, HELD, HELD, HELD, OK, ILLEGAL),
    ("operator", "processed"): (ILLEGAL, ILLEGAL, ILLEGAL, NOT_CLAIMED, OK, ILLEGAL),
    ("operator", "answered"): (ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL, OK, OK),
    ("operator", "closed"): (ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL, OK, OK),
    ("manager", "queued"): (OK, ILLEGAL, NOT_CLAIMED, OK, OK, ILLEGAL),
    ("manager", "mine_live"): (OK, OK, OK, OK, OK, ILLEGAL),
    ("manager", "mine_expired"): (OK, OK, EXPIRED, EXPIRED, EXPIRED, ILLEGAL),
    ("manager", "other_live"): (HELD, OK, HELD, OK, OK, ILLEGAL),
    ("manager", "other_expired"): (OK, OK, HELD, OK, OK, ILLEGAL),
    ("manager", "processed"): (ILLEGAL, ILLEGAL, ILLEGAL, OK, OK, ILLEGAL),
    ("manager", "answered"): (ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL, OK, OK),
    ("manager", "closed"): (ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL, OK, OK),
    # An operator in no team: no team's mention is theirs to work.
    ("outsider", "queued"): (NOT_TEAM, ILLEGAL, NOT_CLAIMED, NOT_TEAM, NOT_TEAM, ILLEGAL),
    ("outsider", "other_live"): (NOT_TEAM, HELD, HELD, NOT_TEAM, HELD, ILLEGAL),
    ("outsider", "other_expired"): (NOT_TEAM, HELD, HELD, NOT_TEAM, NOT_TEAM, ILLEGAL),
    ("outsider", "processed"): (ILLEGAL, ILLEGAL, ILLEGAL, NOT_CLAIMED, OK, ILLEGAL),
    ("outsider", "answered"): (ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL, NOT_TEAM, NOT_TEAM),
}

CELLS = [
    (who, state, move, answers[i])
    for (who, state), answers in TABLE.items()
    for i, move in enumerate(MOVES)
]


@pytest.mark.parametrize(("who", "state", "move", "expected"), CELLS)
def test_each_cell_of_the_claim_rules(people, team, who, state, move, expected):
    me = people[who]
    mention = _arrange(state, me=me, other=people["other"], team=team)

    try:
        _make(move, mention, me)
    except ApplicationError as exc:
        answer = exc.code
    else:
        answer = OK

    assert answer == expected


@pytest.mark.parametrize(("who", "state"), list(TABLE))
def test_the_work_page_offers_exactly_the_moves_the_services_allow(people, team, who, state):
    me = people[who]
    mention = _arrange(state, me=me, other=people["other"], team=team)

    offered = moves_allowed(
        Mention.objects.select_related("author").get(pk=mention.pk), me, now=timezone.now()
    )

    answers = zip(MOVES, TABLE[who, state], strict=True)
    assert offered == {Move(move) for move, answer in answers if answer == OK}


def test_a_manager_release_clears_the_holder_and_tells_them_it_was_released(people, team):
    ann, manager = people["operator"], people["manager"]
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)

    released = mention_release(mention_id=mention.pk, user=manager)

    assert (released.status, released.claimed_by_id, released.lease_expires_at) == (
        S.QUEUED,
        None,
        None,
    )
    with pytest.raises(ApplicationError) as refused:
        mention_mark_answered(mention_id=mention.pk, user=ann)
    assert refused.value.code == "claim_released"
    assert refused.value.detail.startswith("maria released your claim on this mention at ")
    event = QueueEvent.objects.get(mention=mention)
    assert (event.kind, event.actor, event.holder) == ("released", manager, ann)


def test_a_manager_close_of_anothers_claim_clears_the_holder(people, team):
    ann, manager = people["operator"], people["manager"]
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)

    closed = mention_close(mention_id=mention.pk, user=manager, resolution="spam")

    assert (closed.status, closed.resolution, closed.claimed_by_id) == (S.CLOSED, "spam", None)
    event = QueueEvent.objects.get(mention=mention)
    assert (event.kind, event.actor, event.holder) == ("closed", manager, ann)


def test_the_holder_closing_keeps_their_name_on_the_mention(people, team):
    ann = people["operator"]
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)

    closed = mention_close(mention_id=mention.pk, user=ann, resolution="duplicate")

    assert closed.claimed_by == ann
    assert not QueueEvent.objects.filter(mention=mention).exists()


def test_after_releasing_it_yourself_you_are_told_you_released_it(people, team):
    ann = people["operator"]
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)
    mention_release(mention_id=mention.pk, user=ann)

    with pytest.raises(ApplicationError, match=r"^You released your claim") as refused:
        mention_close(mention_id=mention.pk, user=ann, resolution="spam")
    assert refused.value.code == "claim_released"


def test_an_expired_lease_taken_over_is_recorded_for_the_late_holder(people, team):
    ann, bob = people["operator"], people["other"]
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)
    _expire(mention)
    mention_claim(mention_id=mention.pk, user=bob)
    mention_release(mention_id=mention.pk, user=bob)

    with pytest.raises(ApplicationError) as refused:
        mention_mark_answered(mention_id=mention.pk, user=ann)
    assert refused.value.code == "lease_expired"
