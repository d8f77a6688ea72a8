"""Merging and anonymizing authors record their durable events in their own transaction."""

import pytest

from authors.services.anonymize import author_anonymize
from authors.services.merge import author_merge
from authors.services.profile import author_update
from scrm.errors import InvalidInput
from scrm.models import OutboxEvent
from tests.authors.helpers import ingest

pytestmark = pytest.mark.django_db


def test_a_merge_records_author_merged():
    kept = ingest({"handle": "anna"}, platform="vk", text="one")
    absorbed = ingest({"handle": "anna_t"}, platform="telegram", text="two")

    author_merge(author_id=kept.author_id, other_id=absorbed.author_id, user=None)

    event = OutboxEvent.objects.get(type="author.merged")
    assert event.type == "author.merged"
    assert event.payload == {"author_id": kept.author_id, "absorbed_author_id": absorbed.author_id}


def test_a_refused_merge_records_nothing():
    kept = ingest({"handle": "anna"}, platform="vk", text="one")

    with pytest.raises(InvalidInput):
        author_merge(author_id=kept.author_id, other_id=kept.author_id, user=None)

    assert not OutboxEvent.objects.filter(type="author.merged").exists()


def test_anonymizing_records_author_anonymized_without_the_crm_link():
    mention = ingest({"handle": "anna"}, platform="vk", text="one")
    author_update(author_id=mention.author_id, user=None, crm_external_id="CRM-1")

    author_anonymize(author_id=mention.author_id, user=None)

    event = OutboxEvent.objects.get(type="author.anonymized")
    assert event.type == "author.anonymized"
    assert event.payload == {"author_id": mention.author_id}
