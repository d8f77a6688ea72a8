"""Owners review their articles: past the review-by date, or published and unused for 90 days."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowledge_base import search, services
from mentions.classification.embeddings import HashingFallbackEmbedder
from scrm.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.knowledge_base.helpers import publish_article
from tests.mentions.states import at_time

pytestmark = pytest.mark.django_db

URL = "/api/v1/kb/articles/review/"


@pytest.fixture(autouse=True)
def _small_embedder(monkeypatch):
    monkeypatch.setattr(search, "_embedder", HashingFallbackEmbedder(dim=256))


@pytest.fixture
def editor():
    return UserFactory(username="olga", roles=[Role.EDITOR.value])


@pytest.fixture
def base(editor):
    other = UserFactory(username="ivan", roles=[Role.EDITOR.value])
    long_ago = timezone.now() - timedelta(days=120)
    with at_time(long_ago):
        unused = publish_article(user=editor, question="Как сменить тариф?")
        used = publish_article(user=editor, question="Как включить роуминг?")
        theirs = publish_article(user=other, question="Где офис?")
    services.article_use(article_id=used.pk, version=1, mention_id=None, user=editor)
    due = publish_article(
        user=editor,
        question="Сколько стоит eSIM?",
        review_by=timezone.localdate() - timedelta(days=1),
    )
    fresh = publish_article(user=editor, question="Новый вопрос")
    archived = publish_article(
        user=editor, question="Старый вопрос", review_by=timezone.localdate() - timedelta(days=9)
    )
    services.article_archive(article_id=archived.pk, user=editor)
    return {"unused": unused, "used": used, "theirs": theirs, "due": due, "fresh": fresh}


def test_lists_articles_past_review_and_unused_for_90_days_oldest_due_first(editor, base):
    response = client_for(editor).get(URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["id"], r["reason"]) for r in rows] == [
        (base["due"].pk, "review_due"),
        (base["unused"].pk, "unused"),
        (base["theirs"].pk, "unused"),
    ]
    assert rows[0]["owner"] == "olga"
    assert rows[1]["last_used_at"] is None


def test_owner_me_keeps_only_the_callers_articles(editor, base):
    rows = client_for(editor).get(URL, {"owner": "me"}).json()["results"]

    assert [r["id"] for r in rows] == [base["due"].pk, base["unused"].pk]


def test_a_use_in_a_reply_takes_an_article_off_the_unused_list(editor, base):
    services.article_use(article_id=base["unused"].pk, version=1, mention_id=None, user=editor)

    rows = client_for(editor).get(URL, {"owner": "me"}).json()["results"]

    assert [r["id"] for r in rows] == [base["due"].pk]


@pytest.mark.parametrize(
    ("params", "field"), [({"owner": "you"}, "owner"), ({"limit": "0"}, "limit")]
)
def test_bad_parameters_are_a_400_naming_them(editor, params, field):
    response = client_for(editor).get(URL, params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_list_costs_the_same_queries_however_many_articles(editor, base):
    client = client_for(editor)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    with at_time(timezone.now() - timedelta(days=200)):
        for n in range(10):
            publish_article(user=editor, question=f"Вопрос {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)

    assert len(response.json()["results"]) == 13
    assert len(many) == len(few) == 2 + 3  # token+user, roles; articles, categories, subjects
