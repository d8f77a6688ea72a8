"""A claim, its renewal, its release and its expiry write no index entry of the mention table.

They change `status`, `claimed_by`, `claimed_at`, `lease_expires_at` (and `updated_at`); no
index of `mentions_mention` reads any of them (the indexes read `stage`, which a claim leaves
as it is), so PostgreSQL makes each a HOT update: the new row version on the same page, no
index touched. `Mention.in_status` is how the reads say a status so that those indexes answer.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mentions.models import Mention, Team
from mentions.services.queue import (
    leases_release_expired,
    mention_claim,
    mention_claim_next,
    mention_release,
)
from scrm.roles import Role
from tests.conftest import requires_postgres
from tests.factories import UserFactory
from tests.mentions.queue_helpers import queued_mentions

pytestmark = pytest.mark.django_db

S = Mention.Status
CLAIM_COLUMNS = {"status", "claimed_by_id", "claimed_at", "lease_expires_at", "updated_at"}


@pytest.fixture
def team():
    return Team.objects.get(key="support")


@pytest.fixture
def ann(team):
    user = UserFactory(username="ann", roles=[Role.OPERATOR])
    team.members.add(user)
    return user


def test_no_index_of_the_mention_model_reads_a_column_a_claim_writes():
    columns = set()
    for index in Mention._meta.indexes:
        columns |= {Mention._meta.get_field(name.lstrip("-")).column for name in index.fields}
        if index.condition is not None:
            columns |= {
                Mention._meta.get_field(child[0].split("__")[0]).column
                for child in index.condition.children
            }

    assert columns & CLAIM_COLUMNS == set()
    assert "stage" in columns


@requires_postgres
def test_no_index_of_the_mention_table_reads_a_column_a_claim_writes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, a.attname
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum > 0
            WHERE i.indrelid = 'mentions_mention'::regclass
              AND (a.attnum = ANY(i.indkey)
                   OR pg_get_expr(i.indexprs, i.indrelid) ~ ('\\m' || a.attname || '\\M')
                   OR pg_get_expr(i.indpred, i.indrelid) ~ ('\\m' || a.attname || '\\M'))"""
        )
        read = cursor.fetchall()

    assert [(index, column) for index, column in read if column in CLAIM_COLUMNS] == []
    assert {"mention_text_trgm_idx", "mention_title_trgm_idx", "mention_queue_idx"} <= {
        index for index, column in read if column == "stage"
    }


def _updates() -> tuple[int, int]:
    """(row updates, HOT ones) of the mention table so far, every committed one counted."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")  # flushed as the statement ends
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables "
            "WHERE relname = 'mentions_mention'"
        )
        return cursor.fetchone()


def _vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM mentions_mention")


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_claim_renewal_release_and_expiry_are_hot_updates_on_postgresql(ann, team):
    """Each move on a page with room for the new row version (a HOT update needs it: the
    table's fillfactor keeps it in production, where old versions are pruned as pages fill;
    in a test of a few rows updated in quick succession they may not be yet, so the page is
    vacuumed before each move)."""
    mentions = queued_mentions(3, team=team)
    first = mention_claim_next(user=ann)  # the page has room for this one after processing
    moves = [
        lambda: mention_claim(mention_id=first.pk, user=ann),  # the renewal
        lambda: mention_release(mention_id=first.pk, user=ann),
        lambda: mention_claim(mention_id=mentions[1].pk, user=ann),
        lambda: Mention.objects.filter(pk=mentions[1].pk).update(
            lease_expires_at=timezone.now() - timedelta(seconds=1)
        ),
        leases_release_expired,
        lambda: mention_claim_next(user=ann),
    ]
    counted = []
    for move in moves:
        _vacuum()
        updates, hot = _updates()
        move()
        after, after_hot = _updates()
        counted.append((after - updates, after_hot - hot))

    assert counted == [(1, 1)] * len(moves)
    assert Mention.objects.get(pk=mentions[1].pk).status == S.QUEUED


@pytest.mark.parametrize(
    "statuses",
    [
        (S.NEW,),
        (S.QUEUED,),
        (S.CLAIMED,),
        (S.QUEUED, S.CLAIMED),
        (S.CLAIMED, S.ANSWERED),
        (S.QUEUED, S.CLOSED),
        (S.PROCESSED, S.ANSWERED, S.CLOSED),
    ],
)
def test_in_status_finds_exactly_the_mentions_in_those_statuses(statuses, team):
    queued_mentions(len(S.values), team=team)
    for mention, status in zip(Mention.objects.order_by("id"), S.values, strict=True):
        Mention.objects.filter(pk=mention.pk).update(status=status)

    found = Mention.objects.filter(Mention.in_status(*statuses)).values_list("status", flat=True)

    assert sorted(found) == sorted(statuses)
    stages = dict(Mention.objects.values_list("status", "stage"))
    assert stages == {s: (S.QUEUED if s == S.CLAIMED else s) for s in S.values}
