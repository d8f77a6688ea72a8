import pytest

from knowledge_base.models import Article, ArticleVersion
from scrm.roles import Role
from tests.knowledge_base.helpers import publish_article, run_on_commit

pytestmark = pytest.mark.django_db

BODY = {
    "question": "Как подключить роуминг?",
    "phrasings": ["Не работает интернет за границей"],
    "answer": "{author_name}, в приложении.",
    "language": "ru",
    "categories": ["support"],
    "subjects": [],
    "tags": ["roaming"],
}


def test_create_makes_a_draft_with_id_version_and_status(make_client):
    response = make_client(Role.OPERATOR).post("/api/v1/kb/articles/", BODY, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["version"], body["categories"]) == ("draft", 0, ["support"])
    assert isinstance(body["id"], int)


@pytest.mark.parametrize(
    ("field", "value"),
    [("question", ""), ("phrasings", "not a list"), ("categories", ["no-such-category"])],
)
def test_bad_input_is_a_400_naming_the_field(make_client, field, value):
    response = make_client(Role.EDITOR).post(
        "/api/v1/kb/articles/", {**BODY, field: value}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_publish_then_patch_makes_a_new_version_and_the_old_stays_readable(make_client):
    client = make_client(Role.EDITOR)
    article = client.post("/api/v1/kb/articles/", BODY, format="json").json()["id"]
    assert client.post(f"/api/v1/kb/articles/{article}/publish/").json()["version"] == 1

    patched = client.patch(
        f"/api/v1/kb/articles/{article}/", {"answer": "Новый ответ."}, format="json"
    )

    assert (patched.json()["version"], patched.json()["answer"]) == (2, "Новый ответ.")
    old = client.get(f"/api/v1/kb/articles/{article}/versions/1/").json()
    assert old["answer"] == "{author_name}, в приложении."
    new = client.get(f"/api/v1/kb/articles/{article}/versions/2/").json()
    assert new["changed_fields"] == ["answer"]
    listed = client.get(f"/api/v1/kb/articles/{article}/versions/").json()["results"]
    assert [v["version"] for v in listed] == [1, 2]


def test_patch_of_a_draft_makes_no_version(make_client):
    client = make_client(Role.EDITOR)
    article = client.post("/api/v1/kb/articles/", BODY, format="json").json()["id"]

    client.patch(f"/api/v1/kb/articles/{article}/", {"answer": "Иначе."}, format="json")

    assert ArticleVersion.objects.filter(article_id=article).count() == 0


def test_operator_proposes_and_edits_own_draft_but_not_publish(make_client):
    client = make_client(Role.OPERATOR)
    article = client.post("/api/v1/kb/articles/", BODY, format="json").json()["id"]

    review = client.patch(f"/api/v1/kb/articles/{article}/", {"status": "in_review"}, format="json")

    assert review.json()["status"] == "in_review"
    assert client.post(f"/api/v1/kb/articles/{article}/publish/").status_code == 403


def test_readers_other_than_editors_see_published_articles_only(make_client):
    publish_article(question="Опубликована?", answer="Да.")
    Article.objects.create(question="Черновик?", answer="Нет.")

    listed = make_client(Role.INTEGRATION).get("/api/v1/kb/articles/").json()["results"]
    every = make_client(Role.EDITOR).get("/api/v1/kb/articles/").json()["results"]

    assert [a["question"] for a in listed] == ["Опубликована?"]
    assert sorted(a["question"] for a in every) == ["Опубликована?", "Черновик?"]


def test_filters_by_status_tag_and_category(make_client):
    publish_article(question="Роуминг?", tags=["roaming"], categories=["support"])
    publish_article(question="Тариф?", tags=["tariff"])
    client = make_client(Role.EDITOR)

    by_tag = client.get("/api/v1/kb/articles/?tag=roaming").json()["results"]
    by_category = client.get("/api/v1/kb/articles/?category=support").json()["results"]
    by_status = client.get("/api/v1/kb/articles/?status=draft").json()["results"]

    assert [a["question"] for a in by_tag] == ["Роуминг?"]
    assert [a["question"] for a in by_category] == ["Роуминг?"]
    assert by_status == []


def test_q_finds_an_article_by_an_inflected_word(make_client):
    publish_article(question="Как подключить роуминг?", answer="В приложении.")
    publish_article(question="Как сменить тариф?", answer="В приложении.")

    found = make_client(Role.OPERATOR).get("/api/v1/kb/articles/?q=роуминга").json()["results"]

    assert found[0]["question"] == "Как подключить роуминг?"


def test_article_list_query_count_does_not_grow_with_articles(
    make_client, django_assert_max_num_queries
):
    for n in range(5):
        publish_article(question=f"Вопрос {n}?", categories=["support"])
    client = make_client(Role.EDITOR)
    client.get("/api/v1/kb/articles/")  # warm the token and role caches

    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/kb/articles/")

    assert len(response.json()["results"]) == 5


def test_archived_article_is_archived_and_keeps_its_versions(make_client):
    article = publish_article(question="Старое?", answer="Было так.")

    response = make_client(Role.MANAGER).post(f"/api/v1/kb/articles/{article.pk}/archive/")

    assert response.json()["status"] == "archived"
    assert ArticleVersion.objects.get(article=article, number=1).answer == "Было так."


def test_unknown_version_is_404(make_client):
    article = publish_article(question="Вопрос?")

    response = make_client(Role.EDITOR).get(f"/api/v1/kb/articles/{article.pk}/versions/9/")

    assert response.status_code == 404


def test_run_on_commit_helper_stores_passages():
    article = run_on_commit(
        __import__("knowledge_base.services", fromlist=["x"]).article_create,
        user=None,
        question="Вопрос?",
        answer="Ответ.",
        publish=True,
    )

    assert article.passages.count() == 2  # the question and the answer
