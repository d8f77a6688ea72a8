"""The reply screens in the admin, as an operator and a manager use them."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from mentions.models import Mention
from responses.models import Reply
from scrm.roles import Role
from tests.factories import UserFactory
from tests.responses import helpers as h

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def w():
    h.policy()
    h.template(key="sorry", body="{author_name}, простите. Разберёмся сегодня.")
    olga, marina = h.operator(), h.manager()
    return {
        "olga": olga,
        "op": _login(olga),
        "mgr": _login(marina),
        "mention": h.mention(claimed_by=olga),
    }


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_work_page_leads_to_the_reply_page(w):
    page = w["op"].get(f"/admin/mentions/queueitem/{w['mention'].pk}/work/").content.decode()

    assert "Write a reply" in page
    assert f"/admin/responses/reply/compose/{w['mention'].pk}/" in page


def test_the_reply_page_shows_the_post_policy_templates_and_placeholders(w):
    url = f"/admin/responses/reply/compose/{w['mention'].pk}/?template=sorry"

    page = w["op"].get(url).content.decode()

    assert "Ладога, третий день нет интернета!" in page
    assert "Говорим честно" in page  # the policy beside the box
    assert "гарантия" in page
    assert "{author_name}, простите. Разберёмся сегодня." in page  # the template in the box
    assert "Needs a manager's approval" in page
    assert "/api/v1/responses/preview/" in page


def test_operator_and_manager_walk_a_reply_to_sent_in_the_admin(w):
    op, mgr, mention = w["op"], w["mgr"], w["mention"]
    url = f"/admin/responses/reply/compose/{mention.pk}/"

    response = op.post(
        url, {"body": "", "template": "sorry", "signature": "employee", "_submit": "1"}
    )

    reply = Reply.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/responses/reply/{reply.pk}/work/"
    assert reply.status == "pending_approval"
    assert reply.body == "Анна Петрова, простите. Разберёмся сегодня."
    assert "Approve" in mgr.get(f"/admin/responses/reply/{reply.pk}/work/").content.decode()
    assert f"Review&nbsp;#{reply.pk}" in mgr.get("/admin/responses/pendingreply/").content.decode()

    mgr.post(f"/admin/responses/reply/{reply.pk}/move/approve/")
    done = op.post(
        f"/admin/responses/reply/{reply.pk}/move/mark-sent/",
        {"external_url": "https://vk.com/wall-1_9?reply=3"},
    )

    assert _messages(done)[-1] == "Sent: the mention is answered."
    assert Mention.objects.get(pk=mention.pk).status == Mention.Status.ANSWERED
    archive = mgr.get("/admin/responses/archivedreply/").content.decode()
    assert "простите. Разберёмся" in archive
    assert "Download CSV" in archive


def test_a_refused_submit_keeps_the_draft_and_names_the_phrase(w):
    response = w["op"].post(
        f"/admin/responses/reply/compose/{w['mention'].pk}/",
        {"body": "Даём гарантию!", "signature": "official", "_submit": "1"},
    )

    reply = Reply.objects.get()
    assert reply.status == "draft"  # the text is not lost
    assert response["Location"] == f"/admin/responses/reply/{reply.pk}/work/"
    assert "«гарантия»" in _messages(response)[-1]
    again = w["op"].post(f"/admin/responses/reply/{reply.pk}/move/submit/")
    assert again.status_code == 302  # a refused move is a message, never an error page
    assert "«гарантия»" in _messages(again)[-1]
    page = w["op"].get(f"/admin/responses/reply/{reply.pk}/work/").content.decode()
    assert "Save changes" in page


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.EXPERT, "/admin/responses/reply/compose/{m}/"),
        (Role.EDITOR, "/admin/responses/reply/compose/{m}/"),
        (Role.OPERATOR, "/admin/responses/archivedreply/"),
        (Role.OPERATOR, "/admin/responses/pendingreply/"),
    ],
)
def test_the_screens_refuse_roles_they_do_not_serve(w, role, url):
    client = _login(UserFactory(roles=[role.value]))

    response = client.get(url.format(m=w["mention"].pk))

    assert response.status_code == 403
