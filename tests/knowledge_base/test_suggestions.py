import pytest

from knowledge_base import services
from knowledge_base.models import ArticleUsage
from scrm.roles import Role
from tests.knowledge_base.helpers import publish_article, run_on_commit

pytestmark = pytest.mark.django_db

ROAMING = {"question": "Как подключить роуминг за границей?", "answer": "В приложении."}


def _suggest(client, mention, query=""):
    return client.get(f"/api/v1/mentions/{mention}/suggestions/{query}")


def test_suggestions_carry_the_contract_fields_and_are_counted(make_client, make_mention):
    article = publish_article(**ROAMING)
    mention = make_mention("Как подключить роуминг за границей? Не работает")

    results = _suggest(make_client(Role.OPERATOR), mention).json()["results"]

    assert results[0]["article"] == article.pk
    assert set(results[0]) >= {"article", "version", "question", "answer", "score", "passage"}
    assert ArticleUsage.objects.filter(article=article, kind="suggested").count() == 1


def test_an_archived_article_is_never_suggested(make_client, make_mention):
    article = publish_article(**ROAMING)
    run_on_commit(services.article_archive, article_id=article.pk, user=None)
    mention = make_mention("Как подключить роуминг за границей?")

    assert _suggest(make_client(Role.OPERATOR), mention).json()["results"] == []


def test_nothing_good_enough_is_an_empty_list(make_client, make_mention):
    publish_article(**ROAMING)
    mention = make_mention("Отличная погода сегодня на озере")

    assert _suggest(make_client(Role.OPERATOR), mention).json()["results"] == []


def test_limit_must_be_a_small_number(make_client, make_mention):
    response = _suggest(make_client(Role.OPERATOR), make_mention(), "?limit=abc")

    assert response.status_code == 400
    assert "limit" in response.json()["errors"]


def test_unknown_mention_is_404(make_client):
    assert _suggest(make_client(Role.OPERATOR), 999999).status_code == 404


def test_feedback_is_recorded_and_needs_a_boolean(make_client, make_mention):
    article = publish_article(**ROAMING)
    mention = make_mention()
    client = make_client(Role.OPERATOR)
    url = f"/api/v1/mentions/{mention}/suggestions/{article.pk}/feedback/"

    bad = client.post(url, {}, format="json")
    good = client.post(url, {"helpful": False}, format="json")

    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["helpful"])
    assert good.status_code == 204
    assert ArticleUsage.objects.get(kind="not_helpful").version == 1


def test_a_version_used_by_a_reply_stays_readable_after_the_article_changes(make_client):
    article = publish_article(**ROAMING)
    services.article_use(article_id=article.pk, version=1, mention_id=None, user=None)
    run_on_commit(
        services.article_update, article_id=article.pk, user=None, fields={"answer": "Иначе."}
    )

    used = make_client(Role.INTEGRATION).get(f"/api/v1/kb/articles/{article.pk}/versions/1/")

    assert used.json()["answer"] == "В приложении."
