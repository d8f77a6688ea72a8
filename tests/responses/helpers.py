"""Building reply state: a claimed mention, a policy, templates, an article; as the API would."""

from datetime import UTC, datetime

from django.utils import timezone

from mentions.models import Category, Mention
from mentions.services.queue import mention_claim
from responses.models import Responder
from responses.services import configuration
from scrm.roles import Role
from tests.authors.helpers import account, ingest
from tests.factories import UserFactory
from tests.knowledge_base.helpers import publish_article

POLICY = {
    "text": "Говорим честно и на «вы». Не обещаем того, чего не можем.",
    "brand": "Ладога Телеком",
    "forbidden_phrases": ["гарантия", "бесплатный интернет"],
    "max_length": {"twitter": 280},
    "default_max_length": 4000,
    "signatures": ["official", "employee"],
    "official_signature": "— Команда {brand}",
    "employee_signature": "— {name}, {brand}",
}
PUBLISHED = datetime(2026, 11, 20, 7, tzinfo=UTC)


def policy(**overrides):
    return configuration.policy_update(user=None, fields={**POLICY, **overrides})


def operator(username="olga", *, public_name="Ольга", needs_review=False):
    user = UserFactory(username=username, roles=[Role.OPERATOR.value])
    configuration.responder_set(user_id=user.pk, public_name=public_name, needs_review=needs_review)
    return user


def manager(username="marina"):
    user = UserFactory(username=username, roles=[Role.MANAGER.value])
    Responder.objects.get_or_create(user=user, defaults={"public_name": "Марина"})
    return user


def mention(*, category="negative", claimed_by=None, author=None, **overrides) -> Mention:
    """An ingested mention, classified, in no team's queue (any operator may claim it), then
    claimed by `claimed_by` if given."""
    overrides.setdefault("text", "Ладога, третий день нет интернета!")
    overrides.setdefault("published_at", PUBLISHED.isoformat())
    m = ingest(author or account(name="Анна Петрова", handle="anna"), **overrides)
    Mention.objects.filter(pk=m.pk).update(
        category=Category.objects.get(key=category) if category else None,
        sentiment="negative",
        status=Mention.Status.QUEUED,
        team=None,
        processed_at=timezone.now(),
    )
    if claimed_by is not None:
        mention_claim(mention_id=m.pk, user=claimed_by)
    m.refresh_from_db()
    return m


def template(key="sorry", body="{author_name}, простите за неудобство. {article_answer}", **f):
    fields = {"key": key, "name": key.title(), "body": body, "categories": ["negative"], **f}
    return configuration.template_save(template=None, user=None, fields=fields)


def article(answer="Проверьте роутер: перезагрузите его и подождите пять минут."):
    return publish_article(question="Нет интернета, что делать?", answer=answer)


def replies_world(mention_id: int) -> dict:
    """For the role matrix: a policy, a template, and replies by another operator to the
    mention in each state a move starts from."""
    from responses.services import replies

    policy()
    template(body="{author_name}, разберёмся.")
    writer = operator("reply-writer", needs_review=True)
    approver = manager("reply-approver")
    draft = replies.reply_create(mention_id=mention_id, user=writer, body="Ок.")
    pending = replies.reply_create(mention_id=mention_id, user=writer, body="Проверим.")
    replies.reply_submit(reply_id=pending.pk, user=writer)
    approved = replies.reply_create(mention_id=mention_id, user=writer, body="Готово.")
    replies.reply_submit(reply_id=approved.pk, user=writer)
    replies.reply_approve(reply_id=approved.pk, user=approver)
    return {"draft_reply": draft.pk, "pending_reply": pending.pk, "approved_reply": approved.pk}
