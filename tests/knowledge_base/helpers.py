"""Building knowledge-base state through its services, as the API would."""

from django.db import transaction

from knowledge_base import services
from mentions.models import Team
from scrm.roles import Role
from tests.factories import UserFactory


def run_on_commit(fn, *args, **kwargs):
    """Call a service in its own savepoint and run what it deferred to commit (the vector
    refresh), as a real commit would; the pytest-django transaction is never committed."""
    callbacks = []
    with transaction.atomic():
        connection = transaction.get_connection()
        start = len(connection.run_on_commit)
        result = fn(*args, **kwargs)
        callbacks = [cb for _, cb, _ in connection.run_on_commit[start:]]
        del connection.run_on_commit[start:]
    for callback in callbacks:
        callback()
    return result


def publish_article(*, user=None, **fields):
    fields.setdefault("answer", "Ответ.")
    return run_on_commit(services.article_create, user=user, publish=True, **fields)


def kb_world(mention_id: int) -> dict:
    """A published article, an open request for a team and an answered one."""
    editor = UserFactory(username="kb-editor", roles=[Role.EDITOR.value])
    expert = UserFactory(username="kb-expert", roles=[Role.EXPERT.value])
    team, _ = Team.objects.get_or_create(key="experts", defaults={"name": "Experts"})
    team.members.add(expert)
    article = publish_article(
        user=editor,
        question="Как подключить роуминг?",
        phrasings=["Не работает интернет за границей"],
        answer="Роуминг включается в приложении, раздел «Услуги».",
    )
    open_request = services.expert_request_escalate(
        mention_id=mention_id,
        user=editor,
        question="Сколько стоит eSIM для часов?",
        team_key="experts",
    ).request
    answered = services.expert_request_escalate(
        mention_id=mention_id,
        user=editor,
        question="Когда починят вышку в Кингисеппе?",
        expert_id=expert.pk,
    ).request
    services.expert_request_answer(request_id=answered.pk, user=expert, answer="До пятницы.")
    return {
        "article": article.pk,
        "open_request": open_request.pk,
        "answered_request": answered.pk,
        "expert": expert.pk,
    }
