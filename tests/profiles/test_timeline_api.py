"""GET /api/v1/authors/<id>/timeline/: mentions, replies, notes and merges, newest first."""

import base64
import json
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authors.models import AuthorMerge, AuthorNote
from authors.services.merge import author_merge
from mentions.models import Mention
from responses.models import Reply
from tests.authors.helpers import account, answer, at, classify, ingest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _note(author_id: int, text: str, when: datetime, by=None) -> AuthorNote:
    note = AuthorNote.objects.create(author_id=author_id, text=text, created_by=by)
    AuthorNote.objects.filter(pk=note.pk).update(created_at=when)
    return note


@pytest.fixture
def story():
    operator = UserFactory(username="olga")
    who = account()
    asked = ingest(who, text="Как подключить?", published_at=at(1))
    classify(asked, category="product_request", sentiment="neutral")
    answer(asked, by=operator, at=datetime(2026, 10, 2, 9, tzinfo=UTC))
    complaint = ingest(who, text="Не работает", published_at=at(3))
    classify(complaint, category="negative", sentiment="negative", status=Mention.Status.QUEUED)
    note = _note(asked.author_id, "Called back", datetime(2026, 10, 4, tzinfo=UTC), by=operator)
    other = ingest(account(), published_at=at(5))
    author_merge(author_id=asked.author_id, other_id=other.author_id, user=operator)
    merge = AuthorMerge.objects.get()
    AuthorMerge.objects.filter(pk=merge.pk).update(created_at=datetime(2026, 10, 6, tzinfo=UTC))
    return {
        "author_id": asked.author_id,
        "asked": asked,
        "complaint": complaint,
        "note": note,
        "merge": merge,
        "other": other,
    }


def test_timeline_lists_everything_newest_first(operator_client, story):
    response = operator_client.get(f"/api/v1/authors/{story['author_id']}/timeline/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    assert [(e["kind"], e["at"]) for e in body["results"]] == [
        ("merge", "2026-10-06T00:00:00Z"),
        ("mention", "2026-10-05T12:00:00Z"),  # the absorbed author's mention moved here
        ("note", "2026-10-04T00:00:00Z"),
        ("mention", "2026-10-03T12:00:00Z"),
        ("reply", "2026-10-02T09:00:00Z"),
        ("mention", "2026-10-01T12:00:00Z"),
    ]
    merge, _, note, complaint, reply, asked = body["results"]
    assert complaint["mention"] == {
        "mention_id": story["complaint"].pk,
        "platform": "vk",
        "source_type": "social",
        "text": "Не работает",
        "url": story["complaint"].url,
        "category": "negative",
        "sentiment": "negative",
        "status": "queued",
    }
    assert complaint["reply"] is complaint["note"] is complaint["merge"] is None
    assert reply["reply"] == {"mention_id": story["asked"].pk, "by": "olga", "text": ""}
    assert asked["mention"]["status"] == "answered"
    assert note["note"] == {"note_id": story["note"].pk, "text": "Called back", "by": "olga"}
    assert merge["merge"]["absorbed_author_id"] == story["other"].author_id
    assert merge["merge"]["by"] == "olga"
    assert merge["merge"]["moved"] == {
        "authors.AuthorIdentity.author": 1,
        "mentions.Mention.author": 1,
    }


def test_pages_follow_the_cursor_without_gaps_or_repeats(operator_client, story):
    url = f"/api/v1/authors/{story['author_id']}/timeline/?page_size=2"
    seen, pages = [], 0
    while url:
        body = operator_client.get(url).json()
        seen += [(e["kind"], e["id"]) for e in body["results"]]
        url, pages = body["next"], pages + 1

    everything = operator_client.get(f"/api/v1/authors/{story['author_id']}/timeline/").json()
    assert seen == [(e["kind"], e["id"]) for e in everything["results"]]
    assert pages == 3


def test_entries_at_the_same_moment_are_ordered_by_kind_then_id(operator_client):
    who = account()
    same = datetime(2026, 10, 1, 12, tzinfo=UTC)
    first = ingest(who, published_at=same.isoformat())
    second = ingest(who, published_at=same.isoformat())
    _note(first.author_id, "same time", same)
    classify(first, category="support")
    answer(first, at=same)

    url = f"/api/v1/authors/{first.author_id}/timeline/?page_size=1"
    seen = []
    while url:
        body = operator_client.get(url).json()
        seen += [(e["kind"], e["id"]) for e in body["results"]]
        url = body["next"]

    note_id = AuthorNote.objects.get().pk
    assert seen == [
        ("reply", Reply.objects.get(mention=first).pk),
        ("note", note_id),
        ("mention", second.pk),
        ("mention", first.pk),
    ]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        base64.urlsafe_b64encode(b'["not a date", "mention", 1]').decode(),
        base64.urlsafe_b64encode(b'["2026-10-01T12:00:00+00:00", "party", 1]').decode(),
        base64.urlsafe_b64encode(b'["2026-10-01T12:00:00+00:00", "mention", "1"]').decode(),
        base64.urlsafe_b64encode(json.dumps({"a": 1}).encode()).decode(),
    ],
)
def test_a_bad_cursor_is_a_400_naming_it(operator_client, story, cursor):
    response = operator_client.get(
        f"/api/v1/authors/{story['author_id']}/timeline/", {"cursor": cursor}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


@pytest.mark.parametrize("size", ["0", "201", "ten"])
def test_a_bad_page_size_is_a_400_naming_it(operator_client, story, size):
    response = operator_client.get(
        f"/api/v1/authors/{story['author_id']}/timeline/", {"page_size": size}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


def test_timeline_of_an_unknown_author_is_404(operator_client):
    assert operator_client.get("/api/v1/authors/999999/timeline/").status_code == 404


def test_timeline_runs_a_fixed_number_of_queries_however_long_the_history(operator_client):
    operator = UserFactory()
    who = account()
    first = ingest(who, published_at=at(1))
    url = f"/api/v1/authors/{first.author_id}/timeline/"
    operator_client.get(url)
    with CaptureQueriesContext(connection) as short:
        operator_client.get(url)
    for day in range(2, 28):
        m = ingest(who, published_at=at(day))
        classify(m, category="support", sentiment="neutral")
        answer(m, by=operator, at=datetime(2026, 10, day, 18, tzinfo=UTC))
        _note(first.author_id, f"note {day}", datetime(2026, 10, day, 20, tzinfo=UTC))
    for _ in range(3):
        author_merge(author_id=first.author_id, other_id=ingest(account()).author_id, user=operator)

    with CaptureQueriesContext(connection) as long:
        body = operator_client.get(url).json()
    with CaptureQueriesContext(connection) as later_page:
        operator_client.get(body["next"])

    assert len(body["results"]) == 50
    assert len(long) == len(short) == len(later_page) == 2 + 5  # token+user, roles; 1 + 4 kinds
