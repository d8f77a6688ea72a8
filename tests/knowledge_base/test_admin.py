import pytest

from knowledge_base import services
from knowledge_base.models import ExpertRequest
from mentions.models import Team
from scrm.roles import Role
from tests.factories import UserFactory
from tests.knowledge_base.helpers import publish_article, run_on_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    def login(*roles, **fields):
        user = UserFactory(roles=[r.value for r in roles], is_staff=True, **fields)
        from scrm.roles import ensure_role_groups

        ensure_role_groups()
        client.force_login(user)
        client.user = user
        return client

    return login


def test_article_page_shows_versions_with_a_diff(staff_client):
    article = publish_article(question="Роуминг?", answer="Старый ответ.")
    run_on_commit(
        services.article_update, article_id=article.pk, user=None, fields={"answer": "Новый."}
    )

    page = staff_client(Role.EDITOR).get(f"/admin/knowledge_base/article/{article.pk}/change/")

    assert page.status_code == 200
    assert "-Старый ответ." in page.content.decode() and "+Новый." in page.content.decode()


def test_operator_sees_suggestions_with_scores_and_escalates(staff_client, make_mention):
    article = publish_article(
        question="Как подключить роуминг за границей?", answer="В приложении."
    )
    Team.objects.get_or_create(key="legal", defaults={"name": "Legal"})
    mention = make_mention("Как подключить роуминг за границей?")
    client = staff_client(Role.OPERATOR)
    url = f"/admin/knowledge_base/article/suggestions/{mention}/"

    page = client.get(url)
    posted = client.post(url, {"question": "Роуминг в Антарктиде?", "team": "legal"}, follow=True)

    assert article.answer in page.content.decode()
    assert "escalated as request" in posted.content.decode()
    assert ExpertRequest.objects.count() == 1


def test_expert_answers_in_the_expert_requests_screen(staff_client, make_mention):
    expert_client = staff_client(Role.EXPERT)
    request = services.expert_request_escalate(
        mention_id=make_mention(), user=None, question="Вопрос?", expert_id=expert_client.user.pk
    ).request

    expert_client.post(
        f"/admin/knowledge_base/expertrequest/{request.pk}/change/",
        {"new_answer": "Ответ эксперта.", "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"},
    )

    request.refresh_from_db()
    assert (request.status, request.answer) == ("answered", "Ответ эксперта.")


def test_operator_marks_a_suggestion_helpful_and_is_sent_back(staff_client, make_mention):
    article = publish_article(question="Как подключить роуминг?", answer="В приложении.")
    mention = make_mention("Как подключить роуминг?")
    client = staff_client(Role.OPERATOR)
    url = f"/admin/knowledge_base/article/suggestions/{mention}/"

    posted = client.post(url, {"article": article.pk, "helpful": "yes"})

    assert posted.status_code == 302 and posted.url == url  # a reload never posts twice
    usage = article.usages.get(kind="helpful")
    assert (usage.mention_id, usage.user_id) == (mention, client.user.pk)


def test_escalation_names_experts_and_a_bad_expert_is_a_message_not_a_500(
    staff_client, make_mention
):
    UserFactory(username="dr-legal", roles=[Role.EXPERT.value])
    mention = make_mention()
    client = staff_client(Role.OPERATOR)
    url = f"/admin/knowledge_base/article/suggestions/{mention}/"

    page = client.get(url).content.decode()
    posted = client.post(url, {"question": "Вопрос?", "expert": "abc"}, follow=True)

    assert "dr-legal" in page
    assert f"/admin/mentions/queueitem/{mention}/work/" in page  # back to the mention
    assert posted.status_code == 200
    assert "expert" in posted.content.decode()
    assert ExpertRequest.objects.count() == 0


def test_experts_read_the_suggestions_but_cannot_act(staff_client, make_mention):
    mention = make_mention()
    client = staff_client(Role.EXPERT)
    url = f"/admin/knowledge_base/article/suggestions/{mention}/"

    page = client.get(url)

    assert page.status_code == 200
    assert "Escalate" not in page.content.decode()
    assert client.post(url, {"question": "Вопрос?"}).status_code == 403


def test_the_work_page_leads_to_the_suggestions(staff_client, make_mention):
    mention = make_mention()
    client = staff_client(Role.OPERATOR)

    page = client.get(f"/admin/mentions/queueitem/{mention}/work/")

    assert f"/admin/knowledge_base/article/suggestions/{mention}/" in page.content.decode()
