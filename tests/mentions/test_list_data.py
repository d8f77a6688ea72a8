"""The lists' fast path answers exactly what MentionSerializer answers."""

import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from rest_framework.renderers import JSONRenderer

from mentions.api.serializers import MentionSerializer, mention_list_data
from mentions.models import Category, Mention, Team
from mentions.selectors import mention_list
from mentions.services.ingest import mentions_ingest
from tests.factories import SourceFactory, TrackedSubjectFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


def _mentions_in_every_state() -> list[int]:
    TrackedSubjectFactory(key="acme", name="Acme")
    TrackedSubjectFactory(key="globex", name="Globex", is_own=False)
    SourceFactory(key="tool")
    payloads = [
        mention_payload(text="Acme и Globex", url="https://vk.com/wall-1_1"),
        mention_payload(text="Nothing here", url="", source="tool", sentiment="negative"),
        mention_payload(text="Globex", title="Заголовок", platform="news"),
        mention_payload(published_at="2026-11-20T10:00:00.123456+05:00"),
    ]
    no_author = mention_payload(text="Acme без автора")
    no_author.pop("author")
    payloads.append(no_author)
    ids = [r.id for r in mentions_ingest(items=payloads).results]
    team = Team.objects.create(key="care", name="Care")
    holder = get_user_model().objects.create(username="olga")
    Mention.objects.filter(pk=ids[0]).update(
        status=Mention.Status.CLAIMED,
        category=Category.objects.get(key="support"),
        category_confidence=0.8125,
        category_method="model",
        sentiment="negative",
        sentiment_confidence=0.5,
        sentiment_method="operator",
        classifier_version="v1",
        needs_response=True,
        priority="high",
        sla_due_at=datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
        team=team,
        claimed_by=holder,
        claimed_at=datetime(2026, 11, 21, 9, 0, 0, 250000, tzinfo=UTC),
        lease_expires_at=datetime(2026, 11, 21, 9, 15, tzinfo=UTC),
        likes=7,
        parent_external_id="p-1",
        discussion_id="d-1",
    )
    Mention.objects.filter(pk=ids[2]).update(status=Mention.Status.CLOSED, resolution="spam")
    return ids


def test_the_fast_path_answers_byte_for_byte_what_the_serializer_answers():
    ids = _mentions_in_every_state()
    full = list(mention_list().filter(pk__in=ids))
    lean = list(mention_list(list_columns=True).filter(pk__in=ids))

    expected = JSONRenderer().render(MentionSerializer(full, many=True).data)
    fast = JSONRenderer().render(mention_list_data(lean))

    assert fast == expected
    assert len(json.loads(fast)) == 5


def test_the_fast_path_reads_no_deferred_column(django_assert_num_queries):
    ids = _mentions_in_every_state()
    with django_assert_num_queries(2):  # the page and its subjects
        mention_list_data(list(mention_list(list_columns=True).filter(pk__in=ids)))


def test_the_detail_answers_byte_for_byte_what_the_detail_serializer_answers():
    from mentions.api.serializers import MentionDetailSerializer, mention_detail_data

    ids = _mentions_in_every_state()
    for mention in mention_list().filter(pk__in=ids):
        assert JSONRenderer().render(mention_detail_data(mention)) == JSONRenderer().render(
            MentionDetailSerializer(mention).data
        )


def test_a_page_is_found_before_the_joins_and_answers_what_a_plain_slice_answers():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ids = _mentions_in_every_state()
    for ordering in (("-published_at", "-id"), ("published_at", "id"), ()):
        plain = Mention.objects.filter(pk__in=ids)
        plain = list((plain.order_by(*ordering) if ordering else plain)[1:4])
        queryset = mention_list(list_columns=True).filter(pk__in=ids)
        with CaptureQueriesContext(connection) as queries:
            page = list((queryset.order_by(*ordering) if ordering else queryset)[1:4])
            mention_list_data(page)

        assert [m.pk for m in page] == [m.pk for m in plain]
        assert len(queries) == 2  # the page with its joins, its subjects
        sql = queries.captured_queries[0]["sql"]
        assert " IN (SELECT " in sql and "LIMIT 3" in sql and "OFFSET 1" in sql
        assert '"raw"' not in sql
