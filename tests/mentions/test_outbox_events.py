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

    processed = OutboxEvent.objects.filter(type="mention.processed")
    events = {e.payload["mention_id"]: e for e in processed}
    assert sorted(events) == sorted(ids)
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

    assert OutboxEvent.objects.filter(type="mention.processed").count() == 1


def test_processing_rolled_back_leaves_no_event():
    ids = _ingest(2)

    # Processing isolates what raises (issue 15): each mention's own attempt is rolled back and
    # marked, and none of the rolled-back work leaves an event behind.
    with mock.patch(
        "mentions.services.triage.update_rows",
        side_effect=RuntimeError("disk full"),
    ):
        mentions_process(mention_ids=ids)

    assert not OutboxEvent.objects.filter(type="mention.processed").exists()
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


def test_ingest_records_mention_created_and_author_created_in_one_insert_each():
    from scrm import outbox

    with mock.patch.object(outbox, "insert_rows", wraps=outbox.insert_rows) as inserts:
        result = mentions_ingest(items=[mention_payload() for _ in range(50)])
    assert inserts.call_count == 2  # one per event type, whatever the batch's size
    ids = [r.id for r in result.results]

    created = OutboxEvent.objects.filter(type="mention.created")
    assert sorted(e.payload["mention_id"] for e in created) == sorted(ids)
    mention = Mention.objects.get(pk=ids[0])
    assert created.get(payload__mention_id=ids[0]).payload == {
        "mention_id": ids[0],
        "source": "api",
        "platform": "vk",
        "author_id": mention.author_id,
    }
    authors = sorted(
        e.payload["author_id"] for e in OutboxEvent.objects.filter(type="author.created")
    )
    assert authors == sorted(Mention.objects.values_list("author_id", flat=True))


def test_a_duplicate_records_no_mention_created():
    payload = mention_payload()
    mentions_ingest(items=[payload])

    mentions_ingest(items=[payload])

    assert OutboxEvent.objects.filter(type="mention.created").count() == 1
    assert OutboxEvent.objects.filter(type="author.created").count() == 1


def _queued(n=1):
    from mentions.models import Team
    from tests.mentions.queue_helpers import queued_mentions

    team = Team.objects.get(key="support")
    operator = UserFactory(roles=[Role.OPERATOR.value])
    team.members.add(operator)
    return queued_mentions(n, team=team), operator


def _of(event_type):
    return [e.payload for e in OutboxEvent.objects.filter(type=event_type).order_by("created_at")]


def test_a_claim_records_mention_claimed_and_a_renewal_does_not():
    from mentions.services.queue import mention_claim

    [mention], operator = _queued()

    mention_claim(mention_id=mention.pk, user=operator)
    mention_claim(mention_id=mention.pk, user=operator)  # renews the lease

    assert _of("mention.claimed") == [{"mention_id": mention.pk, "claimed_by": operator.pk}]


def test_claim_next_records_mention_claimed():
    from mentions.services.queue import mention_claim_next

    [mention], operator = _queued()

    mention_claim_next(user=operator)

    assert _of("mention.claimed") == [{"mention_id": mention.pk, "claimed_by": operator.pk}]


def test_answering_and_closing_record_their_events():
    from mentions.services.queue import mention_claim, mention_close, mention_mark_answered

    [first, second], operator = _queued(2)
    mention_claim(mention_id=first.pk, user=operator)
    mention_claim(mention_id=second.pk, user=operator)

    mention_mark_answered(mention_id=first.pk, user=operator)
    mention_close(mention_id=second.pk, user=operator, resolution="spam")

    assert _of("mention.answered") == [{"mention_id": first.pk, "answered_by": operator.pk}]
    assert _of("mention.closed") == [
        {"mention_id": second.pk, "resolution": "spam", "closed_by": operator.pk}
    ]


def test_a_refused_close_records_nothing():
    from mentions.services.queue import mention_close
    from scrm.errors import InvalidInput

    [mention], operator = _queued()

    with pytest.raises(InvalidInput):
        mention_close(mention_id=mention.pk, user=operator, resolution="nonsense")

    assert _of("mention.closed") == []


def test_a_profile_edit_records_author_updated_naming_what_changed():
    from authors.services.profile import author_update

    [mention_id] = _ingest(1)
    author_id = Mention.objects.get(pk=mention_id).author_id

    author_update(author_id=author_id, user=None, labels=["vip"], note="Звонить после 18:00")
    author_update(author_id=author_id, user=None, labels=["vip"])  # no change
    author_update(author_id=author_id, user=None, crm_external_id="CRM-7")

    assert _of("author.updated") == [
        {"author_id": author_id, "fields": ["labels", "notes"]},
        {"author_id": author_id, "fields": ["crm_external_id"]},
    ]
