"""GET /api/v1/authors/<id>/: the profile an operator reads before answering."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from authors.models import AuthorNote
from authors.services.profile import author_update
from mentions.models import Mention
from tests.authors.helpers import (
    account,
    answer,
    at,
    author_of,
    claim,
    classify,
    days_ago,
    ingest,
)
from tests.factories import TrackedSubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

Q, C, A = Mention.Status.QUEUED, Mention.Status.CLAIMED, Mention.Status.ANSWERED


@pytest.fixture
def history():
    """Anna on VK and Telegram: a question, a first review, a complaint answered, praise."""
    TrackedSubjectFactory(key="ladoga-dom", name="Ладога Дом", kind="product")
    TrackedSubjectFactory(key="ladoga", name="Ладога", kind="company")
    vk = account(name="Анна", handle="anna", profile_url="https://vk.com/anna", followers=300)
    question = ingest(vk, text="Сколько стоит Ладога Дом?", published_at=at(1), language="ru")
    review = ingest(vk, text="Подключили Ладога Дом", published_at=at(3), extra={"city": "Казань"})
    complaint = ingest(vk, text="Ладога опять не работает", published_at=at(5))
    praise = ingest(vk, text="Спасибо, Ладога!", published_at=at(7), language="en")
    classify(question, category="product_request", sentiment="neutral", status=Q)
    classify(review, category="first_review", sentiment="positive")
    classify(complaint, category="negative", sentiment="negative")
    classify(praise, category="praise", sentiment="positive")
    operator = UserFactory(username="olga")
    answer(complaint, by=operator, at=datetime(2026, 10, 5, 15, tzinfo=UTC))
    author = author_of(question)
    telegram = ingest(
        {"handle": "anna_tg", "followers": 4200},
        platform="telegram",
        text="Ладога, спасибо",
        published_at=at(8),
    )
    from authors.services.merge import author_merge

    author_merge(author_id=author.pk, other_id=telegram.author_id, user=operator)
    author_update(author_id=author.pk, user=operator, note="Prefers calls", labels=["vip"])
    return {
        "author": author,
        "question": question,
        "complaint": complaint,
        "telegram": telegram,
    }


def test_profile_gives_identities_counts_path_hints_and_notes(operator_client, history):
    author, question = history["author"], history["question"]

    response = operator_client.get(f"/api/v1/authors/{author.pk}/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == "Анна"
    assert [(i["platform"], i["handle"]) for i in body["identities"]] == [
        ("telegram", "anna_tg"),
        ("vk", "anna"),
    ]
    assert body["followers"] == 4200
    assert body["language"] == "ru"
    assert body["location"] == "Казань"
    assert body["first_contact_at"] == "2026-10-01T12:00:00Z"
    assert body["last_contact_at"] == "2026-10-08T12:00:00Z"
    counts = body["counts"]
    assert counts["mentions"] == 5
    assert [(c["category"], c["count"]) for c in counts["by_category"]] == [
        ("product_request", 1),
        ("first_review", 1),
        ("negative", 1),
        ("praise", 1),
        (None, 1),
    ]
    assert counts["by_sentiment"] == {"positive": 2, "neutral": 1, "negative": 1, "unknown": 1}
    assert counts["replies_received"] == 1
    assert counts["open_mentions"] == 2  # the question and the first review wait for a reply
    assert [(s["stage"], s["at"]) for s in body["path"]] == [
        ("product_request", "2026-10-01T12:00:00Z"),
        ("first_review", "2026-10-03T12:00:00Z"),
        ("negative", "2026-10-05T12:00:00Z"),
        ("praise", "2026-10-07T12:00:00Z"),
    ]
    hints = body["hints"]
    assert hints["open_questions"] == [
        {
            "mention_id": question.pk,
            "text": "Сколько стоит Ладога Дом?",
            "category": "product_request",
            "status": "queued",
            "published_at": "2026-10-01T12:00:00Z",
        }
    ]
    assert [(p["subject"], p["mentions"]) for p in hints["products"]] == [("ladoga-dom", 1)]
    assert hints["last_reply"] == {
        "at": "2026-10-05T15:00:00Z",
        "mention_id": history["complaint"].pk,
        "by": "olga",
        "text": "",
    }
    assert [n["text"] for n in body["notes"]] == ["Prefers calls"]
    assert body["notes"][0]["created_by"] == "olga"
    assert body["labels"] == ["vip"]
    assert body["crm_external_id"] == ""


def test_tone_is_apologetic_after_a_recent_negative(operator_client):
    mention = ingest(account(), published_at=days_ago(2))
    classify(mention, category="negative", sentiment="negative")

    body = operator_client.get(f"/api/v1/authors/{mention.author_id}/").json()

    assert body["hints"]["tone"] == {
        "tone": "apologetic",
        "reason": "1 negative mention(s) in the last 30 days.",
    }


def test_tone_is_formal_for_the_media(operator_client):
    mention = ingest(account(), platform="news", source_type="media", published_at=days_ago(2))
    classify(mention, category="general_request", sentiment="neutral")

    body = operator_client.get(f"/api/v1/authors/{mention.author_id}/").json()

    assert body["hints"]["tone"]["tone"] == "formal"


def test_tone_is_warm_for_advocates_and_none_for_do_not_contact(operator_client, make_client):
    mention = ingest(account(), published_at=days_ago(2))
    author = author_of(mention)
    author_update(author_id=author.pk, user=None, segment="advocate")

    body = operator_client.get(f"/api/v1/authors/{author.pk}/").json()
    assert body["hints"]["tone"]["tone"] == "warm"

    from authors.models import Author

    Author.objects.filter(pk=author.pk).update(do_not_contact=True)
    body = operator_client.get(f"/api/v1/authors/{author.pk}/").json()
    assert body["hints"]["tone"]["tone"] == "do_not_contact"


def test_an_author_with_no_classified_mentions_has_an_empty_path(expert_client):
    mention = ingest(account())

    body = expert_client.get(f"/api/v1/authors/{mention.author_id}/").json()

    assert body["path"] == []
    assert body["counts"]["by_category"][0]["category"] is None
    assert body["hints"]["last_reply"] is None


def test_the_path_collapses_repeated_stages_and_skips_noise(operator_client):
    who = account()
    for day, category in [(1, "support"), (2, "support"), (3, "noise"), (4, "negative")]:
        classify(ingest(who, published_at=at(day)), category=category)
    again = ingest(who, published_at=at(5))
    classify(again, category="support")

    body = operator_client.get(f"/api/v1/authors/{again.author_id}/").json()

    assert [(s["stage"], s["at"][:10]) for s in body["path"]] == [
        ("support", "2026-10-01"),
        ("negative", "2026-10-04"),
        ("support", "2026-10-05"),
    ]


def test_profile_of_an_unknown_author_is_404(operator_client):
    response = operator_client.get("/api/v1/authors/999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_profile_of_a_merged_away_author_says_where_it_went(operator_client):
    kept = ingest(account())
    gone = ingest(account())
    operator_client.post(
        f"/api/v1/authors/{kept.author_id}/merge/", {"other_id": gone.author_id}, format="json"
    )

    response = operator_client.get(f"/api/v1/authors/{gone.author_id}/")

    assert response.status_code == 404
    assert response.json() == {
        "code": "author_merged",
        "detail": f"Author #{gone.author_id} was merged into author #{kept.author_id}.",
    }


def _long_history(author_mention: Mention, n: int) -> None:
    who = {"external_id": author_mention.author_identity.external_id}
    operator = UserFactory()
    for i in range(n):
        m = ingest(who, published_at=(timezone.now() - timedelta(days=i)).isoformat())
        # queued, claimed, left processed (praise needs no reply), answered
        category, status = [
            ("support", Q),
            ("negative", C),
            ("praise", None),
            ("general_request", A),
        ][i % 4]
        classify(m, category=category, sentiment=["neutral", "negative", "positive"][i % 3])
        if status == C:
            claim(m, by=operator)
        elif status == A:
            answer(m, by=operator)
        AuthorNote.objects.create(author_id=author_mention.author_id, text=f"note {i}")


def test_profile_runs_a_fixed_number_of_queries_however_long_the_history(operator_client):
    TrackedSubjectFactory(key="ladoga-dom", name="Ладога Дом", kind="product")
    mention = ingest(account(), text="Ладога Дом")
    classify(mention, category="product_request")
    url = f"/api/v1/authors/{mention.author_id}/"
    operator_client.get(url)  # warm the token and role caches alike for both runs
    with CaptureQueriesContext(connection) as short:
        assert operator_client.get(url).status_code == 200
    _long_history(mention, 40)

    with CaptureQueriesContext(connection) as long:
        response = operator_client.get(url)

    assert response.json()["counts"]["mentions"] == 41
    assert len(long) == len(short) == 2 + 10  # token+user, roles; the profile's ten


@pytest.mark.parametrize("role_client", ["operator_client", "expert_client", "manager_client"])
def test_every_reading_role_sees_the_profile(request, role_client, integration_client):
    mention = ingest(account())
    for client in (request.getfixturevalue(role_client), integration_client):
        assert client.get(f"/api/v1/authors/{mention.author_id}/").status_code == 200


def test_anonymous_callers_get_401(anon_client):
    mention = ingest(account())

    assert anon_client.get(f"/api/v1/authors/{mention.author_id}/").status_code == 401
