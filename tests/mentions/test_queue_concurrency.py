"""16 operators calling claim-next at once over 1,000 queued mentions, on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from mentions.models import Mention, Team
from mentions.services.queue import mention_claim_next
from scrm.roles import Role
from tests.conftest import requires_postgres
from tests.factories import UserFactory
from tests.mentions.queue_helpers import queued_mentions

pytestmark = [
    requires_postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORKERS = 16
MENTIONS = 1000


def test_every_mention_is_claimed_exactly_once_none_twice_none_skipped():
    team = Team.objects.get(key="support")
    mentions = queued_mentions(MENTIONS, team=team)
    users = [UserFactory(username=f"op{i}", roles=[Role.OPERATOR]) for i in range(WORKERS)]
    team.members.add(*users)
    claimed: dict[int, list[int]] = {user.pk: [] for user in users}
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def work(user):
        try:
            start.wait()
            while (mention := mention_claim_next(user=user)) is not None:
                claimed[user.pk].append(mention.pk)
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    all_claims = [pk for pks in claimed.values() for pk in pks]
    assert len(all_claims) == len(set(all_claims)) == MENTIONS  # none twice, none skipped
    assert set(all_claims) == {m.pk for m in mentions}
    assert sum(1 for pks in claimed.values() if pks) > 1  # the work was really shared
    holders = dict(Mention.objects.values_list("pk", "claimed_by_id"))
    assert all(holders[pk] == user_pk for user_pk, pks in claimed.items() for pk in pks)
    assert connection.vendor == "postgresql"
