"""GET /api/v1/responses/archive/: sent replies for managers, filtered, paged, and as CSV."""

import csv
import io

import pytest

from mentions.models import MentionSubject, TrackedSubject
from tests.conftest import client_for
from tests.factories import TrackedSubjectFactory
from tests.responses import helpers as h

pytestmark = pytest.mark.django_db


def _send(w, mention, *, by, approver=None, **body):
    op = client_for(by)
    reply = op.post("/api/v1/responses/", {"mention": mention.pk, **body}, format="json").json()
    op.post(f"/api/v1/responses/{reply['id']}/submit/")
    if approver is not None:
        assert (
            client_for(approver).post(f"/api/v1/responses/{reply['id']}/approve/").status_code
            == 200
        )
    sent = op.post(
        f"/api/v1/responses/{reply['id']}/mark-sent/",
        {"external_url": f"https://vk.com/wall-1_{mention.pk}"},
        format="json",
    )
    assert sent.status_code == 200, sent.content
    return reply["id"]


@pytest.fixture
def w():
    h.policy()
    olga, oleg, marina = h.operator(), h.operator("oleg", public_name="Олег"), h.manager()
    ladoga = TrackedSubjectFactory(key="ladoga", name="Ладога")
    article = h.article()
    complaint = h.mention(claimed_by=olga, text="Роутер Ладоги сломался")
    MentionSubject.objects.get_or_create(mention=complaint, subject=ladoga)
    praise = h.mention(category="praise", claimed_by=oleg, platform="telegram", text="Спасибо!")
    draft_only = h.mention(claimed_by=olga)
    client_for(olga).post(
        "/api/v1/responses/", {"mention": draft_only.pk, "body": "Черновик"}, format="json"
    )
    ids = {
        "complaint": _send(None, complaint, by=olga, approver=marina, article=article.pk),
        "praise": _send(None, praise, by=oleg, body="Рады, что нравится!"),
    }
    return {"mgr": client_for(marina), "op": client_for(olga), "ids": ids, "article": article}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["praise", "complaint"]),
        ("operator=olga", ["complaint"]),
        ("approver=marina", ["complaint"]),
        ("category=praise", ["praise"]),
        ("subject=ladoga", ["complaint"]),
        ("platform=telegram", ["praise"]),
        ("platform=vk&platform=telegram", ["praise", "complaint"]),
        ("article={article}", ["complaint"]),
        ("q=роутер", ["complaint"]),
        ("q=НРАВИТСЯ", ["praise"]),
        ("sent_after=2000-01-01T00:00:00Z", ["praise", "complaint"]),
        ("sent_before=2000-01-01T00:00:00Z", []),
    ],
)
def test_filters_return_exactly_the_expected_rows(w, query, expected):
    query = query.format(article=w["article"].pk)

    response = w["mgr"].get(f"/api/v1/responses/archive/?{query}")

    assert response.status_code == 200, response.content
    assert [r["id"] for r in response.json()["results"]] == [w["ids"][k] for k in expected]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("operator=nobody", "operator"),
        ("category=nope", "category"),
        ("subject=nope", "subject"),
        ("platform=myspace", "platform"),
        ("article=x", "article"),
        ("sent_after=yesterday", "sent_after"),
        ("page_size=0", "page_size"),
        ("cursor=garbage", "cursor"),
    ],
)
def test_bad_filters_are_a_400_naming_them(w, query, field):
    response = w["mgr"].get(f"/api/v1/responses/archive/?{query}")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_archive_row_carries_what_a_manager_reviews(w):
    row = w["mgr"].get("/api/v1/responses/archive/?operator=olga").json()["results"][0]

    assert row["mention"]["subjects"] == ["ladoga"]
    assert row["mention"]["platform"] == "vk"
    assert row["author"]["display_name"] == "Анна Петрова"
    assert row["origin"] == "article"
    assert row["template"] is None
    assert row["text"].endswith("— Команда Ладога Телеком")
    assert row["response_seconds"] > 0
    assert row["queue_response_seconds"] >= 0


def test_the_archive_pages_with_a_cursor_and_fixed_queries(w, django_assert_num_queries):
    for _ in range(3):  # more rows must not mean more queries
        h.mention(claimed_by=None)
    with django_assert_num_queries(4):
        first = w["mgr"].get("/api/v1/responses/archive/?page_size=1").json()
    with django_assert_num_queries(4):
        second = w["mgr"].get(first["next"]).json()

    assert [r["id"] for r in first["results"] + second["results"]] == [
        w["ids"]["praise"],
        w["ids"]["complaint"],
    ]
    assert "count" not in first


def test_the_csv_is_utf8_with_bom_and_keeps_cyrillic(w):
    response = w["mgr"].get("/api/v1/responses/archive/?format=csv&category=negative")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [int(r["id"]) for r in rows] == [w["ids"]["complaint"]]
    assert rows[0]["mention_text"] == "Роутер Ладоги сломался"
    assert rows[0]["approver"] == "marina"
    assert rows[0]["subjects"] == "ladoga"
    assert rows[0]["article"] == str(w["article"].pk)


def test_operators_do_not_read_the_archive(w):
    assert w["op"].get("/api/v1/responses/archive/").status_code == 403
    assert w["op"].get("/api/v1/responses/archive/?format=csv").status_code == 403


def test_subjects_exist_for_the_filter(w):
    assert TrackedSubject.objects.filter(key="ladoga").exists()
