"""Processing and corrections record their durable events in their own transaction."""

from unittest import mock

import pytest

from mentions.models import Mention
from mentions.services.corrections import mention_correct
from mentions.services.ingest import mentions_ingest
from mentions.services.triage import mentions_process
from scrm.models import OutboxEvent
from scrm.roles import Role
from tests.factories import UserFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


def _ingest(n: int) -> list[int]:
    result = mentions_ingest(items=[mention_payload() for _ in range(n)])
    return [r.id for r in result.results]


def test_processing_records_one_mention_processed_event_per_mention():
    ids = _ingest(3)

    mentions_process(mention_ids=ids)

    events = {e.payload["mention_id"]: e for e in OutboxEvent.objects.all()}
    assert sorted(events) == sorted(ids)
    assert {e.type for e in events.values()} == {"mention.processed"}
    for mention in Mention.objects.select_related("category", "team"):
        assert events[mention.pk].payload == {
            "mention_id": mention.pk,
            "status": mention.status,
            "category": mention.category.key,
            "sentiment": mention.sentiment,
            "priority": mention.priority,
            "team": mention.team.key if mention.team else None,
        }


def test_processing_nothing_new_records_nothing():
    ids = _ingest(1)
    mentions_process(mention_ids=ids)

    mentions_process(mention_ids=ids)

    assert OutboxEvent.objects.count() == 1


def test_processing_rolled_back_leaves_no_event():
    ids = _ingest(2)

    # Processing isolates what raises (issue 15): each mention's own attempt is rolled back and
    # marked, and none of the rolled-back work leaves an event behind.
    with mock.patch(
        "mentions.services.triage.Mention.objects.bulk_update",
        side_effect=RuntimeError("disk full"),
    ):
        mentions_process(mention_ids=ids)

    assert OutboxEvent.objects.count() == 0
    assert Mention.objects.filter(pk__in=ids).exclude(processing_error="").count() == 2


def test_a_correction_records_mention_corrected_with_each_change():
    [mention_id] = _ingest(1)
    mentions_process(mention_ids=[mention_id])
    mention = Mention.objects.select_related("category").get(pk=mention_id)
    category_before, sentiment_before = mention.category.key, mention.sentiment
    user = UserFactory(roles=[Role.MANAGER.value])

    mention_correct(mention=mention, user=user, category="praise", sentiment="positive")

    mention = Mention.objects.select_related("team").get(pk=mention_id)
    event = OutboxEvent.objects.get(type="mention.corrected")
    assert event.payload == {
        "mention_id": mention_id,
        "corrected_by": user.pk,
        "changes": [
            {"field": "category", "old": category_before, "new": "praise"},
            {"field": "sentiment", "old": sentiment_before, "new": "positive"},
        ],
        "status": mention.status,
        "team": mention.team.key if mention.team else None,
    }


def test_a_correction_that_changes_nothing_records_nothing():
    [mention_id] = _ingest(1)
    mentions_process(mention_ids=[mention_id])
    mention = Mention.objects.get(pk=mention_id)
    manager = UserFactory(roles=[Role.MANAGER.value])
    mention_correct(mention=mention, user=manager, priority="high")
    count = OutboxEvent.objects.count()

    mention_correct(mention=mention, user=manager, priority="high")

    assert OutboxEvent.objects.count() == count
