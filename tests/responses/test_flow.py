"""The whole path of a reply, through the API, as an operator and a manager walk it."""

import pytest

from knowledge_base.models import ArticleUsage
from mentions.models import Mention
from responses.models import Reply
from scrm.models import OutboxEvent
from tests.conftest import client_for
from tests.responses import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    h.policy()
    olga, marina = h.operator(), h.manager()
    return {
        "olga": olga,
        "marina": marina,
        "op": client_for(olga),
        "mgr": client_for(marina),
        "mention": h.mention(claimed_by=olga),
        "article": h.article(),
    }


def test_negative_mention_answered_from_an_article_after_approval(world):
    op, mgr, mention, article = world["op"], world["mgr"], world["mention"], world["article"]

    created = op.post(
        "/api/v1/responses/",
        {"mention": mention.pk, "article": article.pk, "signature": "employee"},
        format="json",
    )
    assert created.status_code == 201, created.content
    reply = created.json()
    assert reply["status"] == "draft"
    assert reply["origin"] == "article"
    assert reply["body"] == "Проверьте роутер: перезагрузите его и подождите пять минут."
    assert reply["signed_as"] == "— Ольга, Ладога Телеком"
    assert reply["text"] == f"{reply['body']}\n\n— Ольга, Ладога Телеком"
    assert reply["needs_approval"] is True
    assert reply["approval_reasons"] == ["Category negative needs approval."]
    assert reply["article_version"] == {"article": article.pk, "version": 1}
    assert reply["policy_problems"] == {}
    assert ArticleUsage.objects.filter(article=article, kind="used", mention=mention).count() == 1

    submitted = op.post(f"/api/v1/responses/{reply['id']}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "pending_approval"

    approved = mgr.post(f"/api/v1/responses/{reply['id']}/approve/")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == "marina"

    sent = op.post(
        f"/api/v1/responses/{reply['id']}/mark-sent/",
        {"external_url": "https://vk.com/wall-1_5?reply=77"},
        format="json",
    )
    assert sent.status_code == 200, sent.content
    body = sent.json()
    assert body["status"] == "sent"
    assert body["publisher"] == "manual"
    assert body["sent_by"] == "olga"
    assert body["external_url"] == "https://vk.com/wall-1_5?reply=77"

    mention.refresh_from_db()
    assert mention.status == Mention.Status.ANSWERED
    stored = Reply.objects.get(pk=reply["id"])
    assert stored.response_seconds == int((stored.sent_at - mention.published_at).total_seconds())
    queued = int((stored.sent_at - mention.processed_at).total_seconds())
    assert stored.queue_response_seconds == queued

    archive = mgr.get("/api/v1/responses/archive/").json()["results"]
    assert [(r["id"], r["approver"], r["operator"]) for r in archive] == [
        (reply["id"], "marina", "olga")
    ]
    assert archive[0]["article_version"] == {"article": article.pk, "version": 1}
    assert archive[0]["mention"]["category"] == "negative"
    assert archive[0]["mention"]["text"] == "Ладога, третий день нет интернета!"
    assert archive[0]["response_seconds"] == stored.response_seconds

    timeline = op.get(f"/api/v1/authors/{mention.author_id}/timeline/").json()["results"]
    replies = [e["reply"] for e in timeline if e["kind"] == "reply"]
    assert replies == [{"mention_id": mention.pk, "by": "olga", "text": reply["body"]}]
    profile = op.get(f"/api/v1/authors/{mention.author_id}/").json()
    assert profile["counts"]["replies_received"] == 1

    events = list(OutboxEvent.objects.filter(type__startswith="response.").order_by("created_at"))
    assert [e.type for e in events] == ["response.submitted", "response.approved", "response.sent"]
    assert events[0].payload == {
        "reply_id": reply["id"],
        "mention_id": mention.pk,
        "status": "pending_approval",
        "needs_approval": True,
    }
    assert events[1].payload["approved_by"] == world["marina"].pk
    assert events[2].payload["response_seconds"] == stored.response_seconds
    assert events[2].payload["publisher"] == "manual"


def test_a_reply_that_needs_no_approval_is_approved_at_submit(world):
    op = world["op"]
    praise = h.mention(category="praise", claimed_by=world["olga"], text="Спасибо, Ладога!")

    reply = op.post(
        "/api/v1/responses/",
        {"mention": praise.pk, "body": "Спасибо, {author_name}!"},
        format="json",
    ).json()
    assert reply["body"] == "Спасибо, Анна Петрова!"
    assert reply["needs_approval"] is False

    submitted = op.post(f"/api/v1/responses/{reply['id']}/submit/").json()

    assert submitted["status"] == "approved"
    assert submitted["text"] == "Спасибо, Анна Петрова!\n\n— Команда Ладога Телеком"


def test_a_template_fills_its_placeholders_and_the_article_answer(world):
    h.template()

    reply = (
        world["op"]
        .post(
            "/api/v1/responses/",
            {"mention": world["mention"].pk, "template": "sorry", "article": world["article"].pk},
            format="json",
        )
        .json()
    )

    assert reply["origin"] == "template"
    assert reply["template"] == "sorry"
    assert reply["article_version"] == {"article": world["article"].pk, "version": 1}
    assert reply["body"] == (
        "Анна Петрова, простите за неудобство. "
        "Проверьте роутер: перезагрузите его и подождите пять минут."
    )


def test_a_rejected_reply_is_edited_and_submitted_again(world):
    op, mgr = world["op"], world["mgr"]
    reply = op.post(
        "/api/v1/responses/", {"mention": world["mention"].pk, "body": "Разберёмся."}, format="json"
    ).json()
    op.post(f"/api/v1/responses/{reply['id']}/submit/")

    rejected = mgr.post(
        f"/api/v1/responses/{reply['id']}/reject/", {"reason": "Извинитесь."}, format="json"
    )
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["reject_reason"] == "Извинитесь."

    edited = op.patch(
        f"/api/v1/responses/{reply['id']}/", {"body": "Простите, разберёмся."}, format="json"
    )
    assert edited.json()["status"] == "draft"
    assert op.post(f"/api/v1/responses/{reply['id']}/submit/").json()["status"] == (
        "pending_approval"
    )


def test_a_correction_is_a_new_reply_linked_to_the_sent_one(world):
    op, mgr, mention = world["op"], world["mgr"], world["mention"]
    first = op.post(
        "/api/v1/responses/", {"mention": mention.pk, "body": "Разберёмся."}, format="json"
    ).json()
    op.post(f"/api/v1/responses/{first['id']}/submit/")
    mgr.post(f"/api/v1/responses/{first['id']}/approve/")
    op.post(
        f"/api/v1/responses/{first['id']}/mark-sent/",
        {"external_url": "https://vk.com/wall-1_1?reply=1"},
        format="json",
    )

    again = op.post(
        "/api/v1/responses/", {"mention": mention.pk, "body": "Ещё ответ."}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_answered"

    fix = op.post(
        "/api/v1/responses/",
        {
            "mention": mention.pk,
            "body": "Поправка: вышка заработает в пятницу.",
            "corrects": first["id"],
        },
        format="json",
    ).json()
    op.post(f"/api/v1/responses/{fix['id']}/submit/")
    mgr.post(f"/api/v1/responses/{fix['id']}/approve/")
    sent = op.post(
        f"/api/v1/responses/{fix['id']}/mark-sent/",
        {"external_url": "https://vk.com/wall-1_1?reply=2"},
        format="json",
    )

    assert sent.status_code == 200, sent.content
    assert sent.json()["corrects"] == first["id"]
    assert sent.json()["response_seconds"] is None  # the first answer keeps the response time
