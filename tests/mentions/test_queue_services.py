from datetime import timedelta

import pytest
from django.utils import timezone

from mentions.models import Mention, Priority, Team
from mentions.services.processing_outbox import mentions_sweep
from mentions.services.queue import (
    ClaimHeldByOther,
    LeaseExpired,
    NotYourTeam,
    leases_release_expired,
    mention_claim,
    mention_claim_next,
    mention_close,
    mention_mark_answered,
    mention_release,
)
from mentions.services.workflow import IllegalTransition
from scrm.roles import Role
from tests.factories import UserFactory
from tests.mentions.queue_helpers import queued_mentions

pytestmark = pytest.mark.django_db

S = Mention.Status


@pytest.fixture
def team():
    return Team.objects.get(key="support")


@pytest.fixture
def ann(team):
    user = UserFactory(username="ann", roles=[Role.OPERATOR])
    team.members.add(user)
    return user


@pytest.fixture
def bob(team):
    user = UserFactory(username="bob", roles=[Role.OPERATOR])
    team.members.add(user)
    return user


def test_claim_next_gives_the_most_urgent_first_then_the_earliest_due(ann, team):
    low, urgent, high = queued_mentions(
        3, team=team, priorities=[Priority.LOW, Priority.URGENT, Priority.HIGH]
    )

    order = [mention_claim_next(user=ann).pk for _ in range(3)]

    assert order == [urgent.pk, high.pk, low.pk]
    assert mention_claim_next(user=ann) is None


def test_claim_next_skips_mentions_claimed_by_others(ann, bob, team):
    first, second = queued_mentions(2, team=team)
    mention_claim(mention_id=first.pk, user=bob)

    assert mention_claim_next(user=ann).pk == second.pk


def test_claim_next_only_serves_my_teams(ann, team):
    other = Team.objects.create(key="vip", name="VIP")
    queued_mentions(2, team=other)

    assert mention_claim_next(user=ann) is None


def test_claim_sets_a_lease_and_claiming_again_renews_it(ann, team, settings):
    settings.SCRM_CLAIM_LEASE_SECONDS = 600
    (mention,) = queued_mentions(1, team=team)

    claimed = mention_claim(mention_id=mention.pk, user=ann)
    first_lease = claimed.lease_expires_at
    renewed = mention_claim(mention_id=mention.pk, user=ann)

    assert claimed.status == S.CLAIMED
    assert claimed.claimed_by == ann
    assert timedelta(seconds=590) < first_lease - timezone.now() <= timedelta(seconds=600)
    assert renewed.lease_expires_at >= first_lease


def test_claiming_a_mention_someone_holds_is_a_409_naming_the_holder(ann, bob, team):
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=bob)

    with pytest.raises(ClaimHeldByOther, match="bob holds this mention"):
        mention_claim(mention_id=mention.pk, user=ann)


def test_claiming_another_teams_mention_is_refused(ann):
    other = Team.objects.create(key="vip", name="VIP")
    (mention,) = queued_mentions(1, team=other)

    with pytest.raises(NotYourTeam):
        mention_claim(mention_id=mention.pk, user=ann)


def test_an_expired_lease_returns_the_mention_to_the_queue(ann, bob, team):
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)
    Mention.objects.filter(pk=mention.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert mentions_sweep()["leases_released"] == 1

    mention.refresh_from_db()
    assert (mention.status, mention.claimed_by, mention.lease_expires_at) == (S.QUEUED, None, None)
    assert mention_claim_next(user=bob).pk == mention.pk


def test_the_late_holder_cannot_answer_after_the_lease_ran_out(ann, team):
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)
    Mention.objects.filter(pk=mention.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(LeaseExpired, match="expired at"):
        mention_mark_answered(mention_id=mention.pk, user=ann)
    leases_release_expired()
    with pytest.raises(LeaseExpired, match="back in the queue"):
        mention_mark_answered(mention_id=mention.pk, user=ann)
    mention.refresh_from_db()
    assert mention.status == S.QUEUED


def test_the_late_holder_cannot_answer_after_someone_else_claimed_it(ann, bob, team):
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)
    Mention.objects.filter(pk=mention.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    mention_claim(mention_id=mention.pk, user=bob)  # an expired lease can be taken over

    with pytest.raises(ClaimHeldByOther):
        mention_mark_answered(mention_id=mention.pk, user=ann)
    assert mention_mark_answered(mention_id=mention.pk, user=bob).status == S.ANSWERED


def test_release_returns_it_to_the_queue_and_only_the_holder_may(ann, bob, team):
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)

    with pytest.raises(ClaimHeldByOther):
        mention_release(mention_id=mention.pk, user=bob)
    released = mention_release(mention_id=mention.pk, user=ann)

    assert (released.status, released.claimed_by) == (S.QUEUED, None)


def test_a_manager_may_release_anyones_claim(ann, team):
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)
    manager = UserFactory(roles=[Role.MANAGER])

    assert mention_release(mention_id=mention.pk, user=manager).status == S.QUEUED


def test_close_records_the_resolution(ann, team):
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)

    closed = mention_close(mention_id=mention.pk, user=ann, resolution="spam")

    assert (closed.status, closed.resolution) == (S.CLOSED, "spam")
    assert closed.closed_at is not None


def test_illegal_moves_are_409s_that_say_why(ann, team):
    (mention,) = queued_mentions(1, team=team)
    mention_claim(mention_id=mention.pk, user=ann)  # an operator closes what they hold
    mention_close(mention_id=mention.pk, user=ann, resolution="ignored")

    with pytest.raises(IllegalTransition, match="A closed mention cannot become claimed"):
        mention_claim(mention_id=mention.pk, user=ann)
    with pytest.raises(IllegalTransition, match="closed mention is not claimed"):
        mention_release(mention_id=mention.pk, user=ann)
    with pytest.raises(IllegalTransition, match="cannot become closed"):
        mention_close(mention_id=mention.pk, user=ann, resolution="spam")
