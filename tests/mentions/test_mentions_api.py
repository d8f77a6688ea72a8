from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentions.models import Mention
from mentions.services.ingest import mentions_ingest
from tests.conftest import requires_postgres
from tests.factories import SourceFactory, TrackedSubjectFactory
from tests.mentions.helpers import mention_payload
from tests.mentions.states import process_as

pytestmark = pytest.mark.django_db


def test_post_creates_a_mention_and_answers_201_with_its_representation(integration_client):
    TrackedSubjectFactory(key="acme", name="Acme")
    payload = mention_payload(external_id="tw-1", platform="twitter", text="Acme broke again")

    response = integration_client.post("/api/v1/mentions/", payload, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["external_id"] == "tw-1"
    assert body["source"] == "api"
    assert body["platform"] == "twitter"
    assert body["main_subject"] == "acme"
    assert body["subjects"] == ["acme"]
    assert body["engagement"] == {
        "likes": 3,
        "comments": 1,
        "reposts": 0,
        "views": 50,
        "reach": 120,
        "total": 4,
    }
    assert body["author"]["identity"]["handle"] == payload["author"]["handle"]
    assert body["author"]["identity"]["followers"] == 120
    assert body["raw"] == payload
    assert body["status"] == "new"  # processing runs after commit, which a test never reaches


def test_posting_the_same_mention_again_answers_200_and_updates_engagement(integration_client):
    payload = mention_payload()
    first = integration_client.post("/api/v1/mentions/", payload, format="json")

    again = integration_client.post(
        "/api/v1/mentions/", {**payload, "engagement": {"likes": 99}}, format="json"
    )

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["engagement"]["likes"] == 99
    assert Mention.objects.count() == 1


def test_post_into_a_named_source(integration_client):
    SourceFactory(key="brand24-main")

    response = integration_client.post(
        "/api/v1/mentions/", mention_payload(source="brand24-main"), format="json"
    )

    assert response.json()["source"] == "brand24-main"


def test_bulk_answers_counts_and_per_item_results(integration_client):
    good = mention_payload(external_id="b-1")
    items = [good, mention_payload(published_at="nope"), good]

    response = integration_client.post("/api/v1/mentions/bulk/", {"mentions": items}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["duplicates"], body["failed"]) == (1, 1, 1)
    # Issue 15: the first copy is stored, the later one is the duplicate.
    assert [r["status"] for r in body["results"]] == ["created", "failed", "duplicate"]
    assert body["results"][1]["errors"] == {
        "published_at": ["Enter an ISO 8601 date and time, e.g. 2026-03-14T09:41:07+05:00."]
    }
    assert body["results"][0]["id"] == body["results"][2]["id"]


def test_bulk_of_1000_with_10_bad_items_stores_990(integration_client):
    items = [mention_payload() for _ in range(1000)]
    for index in range(5, 1000, 100):
        items[index]["platform"] = "myspace"

    response = integration_client.post("/api/v1/mentions/bulk/", {"mentions": items}, format="json")

    body = response.json()
    assert (body["created"], body["failed"]) == (990, 10)
    assert Mention.objects.count() == 990


def test_bulk_refuses_more_than_1000_items(integration_client):
    items = [mention_payload() for _ in range(1001)]

    response = integration_client.post("/api/v1/mentions/bulk/", {"mentions": items}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"mentions": ["At most 1000 mentions per call; got 1001."]}
    assert Mention.objects.count() == 0


@pytest.mark.parametrize("body", [{}, {"mentions": "x"}, {"mentions": {"a": 1}}, [1]])
def test_bulk_refuses_a_body_without_a_mentions_list(integration_client, body):
    response = integration_client.post("/api/v1/mentions/bulk/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["mentions"]


@pytest.fixture
def catalogue():
    TrackedSubjectFactory(key="acme", name="Acme")
    TrackedSubjectFactory(key="globex", name="Globex", is_own=False)
    SourceFactory(key="tool")
    items = [
        mention_payload(
            external_id="a", text="Acme rocks", platform="vk", published_at="2026-11-01T00:00:00Z"
        ),
        mention_payload(
            external_id="b",
            text="Globex is slow",
            platform="twitter",
            published_at="2026-11-02T00:00:00Z",
            author={"handle": "ivan"},
        ),
        mention_payload(
            external_id="c",
            text="Acme vs Globex",
            platform="news",
            published_at="2026-11-03T00:00:00Z",
            source="tool",
        ),
    ]
    result = mentions_ingest(items=items)
    return {item["external_id"]: r.id for item, r in zip(items, result.results, strict=True)}


def _ids(response):
    return [m["external_id"] for m in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["c", "b", "a"]),
        ("subject=acme", ["c", "a"]),
        ("subject=globex", ["c", "b"]),
        ("platform=twitter", ["b"]),
        ("platform=twitter&platform=vk", ["b", "a"]),
        ("source_type=media", ["c"]),
        ("source=tool", ["c"]),
        ("status=new", ["c", "b", "a"]),
        ("status=processed", []),
        ("external_id=b", ["b"]),
        ("published_after=2026-11-02T00:00:00Z", ["c", "b"]),
        ("published_before=2026-11-02T00:00:00Z", ["a"]),
        ("q=rocks", ["a"]),
        ("q=GLOBEX", ["c", "b"]),
    ],
)
def test_list_filters(operator_client, catalogue, query, expected):
    response = operator_client.get(f"/api/v1/mentions/?{query}")

    assert response.status_code == 200
    assert _ids(response) == expected


def test_list_filters_by_author(operator_client, catalogue):
    author_id = Mention.objects.get(external_id="b").author_id

    assert _ids(operator_client.get(f"/api/v1/mentions/?author_id={author_id}")) == ["b"]


def test_list_uses_cursor_pagination_without_counting(operator_client, catalogue):
    first = operator_client.get("/api/v1/mentions/?page_size=2").json()

    assert "count" not in first
    assert [m["external_id"] for m in first["results"]] == ["c", "b"]
    second = operator_client.get(first["next"]).json()
    assert [m["external_id"] for m in second["results"]] == ["a"]
    assert second["next"] is None


def test_detail_has_subjects_author_engagement_and_raw(operator_client, catalogue):
    body = operator_client.get(f"/api/v1/mentions/{catalogue['c']}/").json()

    assert body["subjects"] == ["acme", "globex"]
    assert body["main_subject"] == "acme"
    assert body["source"] == "tool"
    assert body["raw"]["external_id"] == "c"


def test_list_runs_a_fixed_number_of_queries_however_many_mentions(operator_client):
    TrackedSubjectFactory(key="acme", name="Acme")
    mentions_ingest(items=[mention_payload(text="Acme") for _ in range(5)])
    with CaptureQueriesContext(connection) as few:
        operator_client.get("/api/v1/mentions/")
    mentions_ingest(items=[mention_payload(text="Acme") for _ in range(40)])

    with CaptureQueriesContext(connection) as many:
        response = operator_client.get("/api/v1/mentions/")

    assert len(response.json()["results"]) == 45
    assert len(many) == len(few) == 2 + 2  # token+user, roles; the page
    assert not any("COUNT(" in q["sql"].upper() for q in many.captured_queries)


def test_q_finds_mentions_before_and_after_processing(operator_client, catalogue):
    process_as(
        Mention.objects.filter(external_id="b").values_list("pk", flat=True), category="praise"
    )

    assert _ids(operator_client.get("/api/v1/mentions/?q=globex")) == ["c", "b"]
    assert _ids(operator_client.get("/api/v1/mentions/?q=globex&status=processed")) == ["b"]


@requires_postgres
def test_q_is_answered_from_the_trigram_indexes_on_postgresql(catalogue):
    from mentions.filters import MentionFilter

    queryset = MentionFilter({"q": "globex"}, queryset=Mention.objects.order_by()).qs
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "mention_text_trgm_idx" in plan
    assert "mention_title_trgm_idx" in plan
    assert "mention_unprocessed_idx" in plan or "mention_stage_idx" in plan


def test_q_reads_only_the_newest_of_a_processing_backlog(operator_client, settings):
    """A search costs a bounded amount however long the backlog: of the mentions still `new`
    it reads the newest SCRM_SEARCH_BACKLOG_ROWS (by enqueue time); the others are found once
    processed, and processed mentions are all found whatever the bound."""
    settings.SCRM_SEARCH_BACKLOG_ROWS = 2
    ids = [
        r.id
        for r in mentions_ingest(
            items=[mention_payload(external_id=f"w-{n}", text="Ладога молчит") for n in range(4)]
        ).results
    ]
    for n, mention_id in enumerate(ids):
        Mention.objects.filter(pk=mention_id).update(
            processing_enqueued_at=timezone.now() - timedelta(minutes=10 - n)
        )
    Mention.objects.filter(external_id="w-0").update(status=Mention.Status.PROCESSED)

    assert _ids(operator_client.get("/api/v1/mentions/?q=молчит")) == ["w-3", "w-2", "w-0"]

    Mention.objects.filter(external_id="w-1").update(status=Mention.Status.PROCESSED)
    assert len(_ids(operator_client.get("/api/v1/mentions/?q=молчит"))) == 4


def test_q_ignores_case_in_cyrillic_before_and_after_processing(operator_client):
    result = mentions_ingest(
        items=[
            mention_payload(external_id="ru-1", text="Опять Ладога без связи"),
            mention_payload(external_id="ru-2", text="ладоги нет в списке"),
            mention_payload(external_id="ru-3", text="Всё отлично"),
        ]
    )
    process_as([result.results[1].id], category="praise")

    assert sorted(_ids(operator_client.get("/api/v1/mentions/?q=ЛАДОГ"))) == ["ru-1", "ru-2"]


@pytest.mark.parametrize("param", ["claimed_by_id", "author_id"])
@pytest.mark.parametrize("value", ["-1.6626949355989803e+202", "99999999999999999999", "1.5"])
def test_an_id_filter_out_of_range_is_a_400_naming_it(operator_client, param, value):
    response = operator_client.get("/api/v1/mentions/", {param: value})

    assert response.status_code == 400
    assert param in response.json()["errors"]
