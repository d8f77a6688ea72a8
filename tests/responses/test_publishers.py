"""The Telegram and VK publishers, against a local HTTP server on loopback that plays the
platform: it records each request exactly (method, path, parameters) and answers what the
platform documents, errors included."""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.exceptions import Retry
from django.test import override_settings

from mentions.models import Mention
from responses.models import PublisherAccount, Reply
from responses.services import sending
from responses.tasks import reply_publish_task
from scrm.models import OutboxEvent
from tests.conftest import client_for
from tests.responses import helpers as h

pytestmark = pytest.mark.django_db


class Platform:
    """A fake platform: `answers` is a list of (status, json body[, delay seconds]) given in
    turn (the last one repeats); `requests` what came in."""

    def __init__(self):
        self.answers = []
        self.requests = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                platform.requests.append(
                    {
                        "method": "POST",
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "params": dict(urllib.parse.parse_qsl(raw)),
                    }
                )
                answer = platform.answers[min(len(platform.requests), len(platform.answers)) - 1]
                status, body, *delay = answer
                if delay:
                    time.sleep(delay[0])
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def platform():
    p = Platform()
    yield p
    p.close()


@pytest.fixture
def w():
    h.policy()
    olga, marina = h.operator(), h.manager()
    return {"olga": olga, "marina": marina, "op": client_for(olga), "mgr": client_for(marina)}


def _sending(w, mention) -> Reply:
    """An approved reply handed to its publisher (the task is not run)."""
    op, mgr = w["op"], w["mgr"]
    reply = op.post(
        "/api/v1/responses/",
        {"mention": mention.pk, "body": "Проверим, {author_name}."},
        format="json",
    ).json()
    op.post(f"/api/v1/responses/{reply['id']}/submit/")
    mgr.post(f"/api/v1/responses/{reply['id']}/approve/")
    from responses.services.replies import reply_send

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reply_publish_task, "delay_on_commit", lambda *a: None)
        reply_send(reply_id=reply["id"], user=w["olga"])
    return Reply.objects.get(pk=reply["id"])


def _telegram(w, platform):
    PublisherAccount.objects.create(
        name="Ладога бот", kind="telegram", token="123:SECRET", api_base_url=platform.url
    )
    m = h.mention(
        platform="telegram",
        url="https://t.me/ladoga_chat/501",
        external_id="501",
        discussion_id="-100777",
        claimed_by=w["olga"],
    )
    return _sending(w, m)


def _vk(w, platform, **account):
    PublisherAccount.objects.create(
        name="Ладога ВК", kind="vk", token="vk1.a.SECRET", api_base_url=platform.url, **account
    )
    m = h.mention(
        platform="vk",
        url="https://vk.com/wall-100_45?reply=900",
        external_id="900",
        parent_external_id="45",
        claimed_by=w["olga"],
    )
    return _sending(w, m)


TG_OK = {
    "ok": True,
    "result": {"message_id": 777, "chat": {"id": -100777, "username": "ladoga_chat"}},
}


def test_telegram_sends_the_documented_request_and_records_the_posted_id(w, platform):
    platform.answers = [(200, TG_OK)]
    reply = _telegram(w, platform)

    outcome = sending.reply_publish(reply_id=reply.pk)

    assert outcome.status == "sent"
    assert platform.requests == [
        {
            "method": "POST",
            "path": "/bot123:SECRET/sendMessage",
            "content_type": "application/x-www-form-urlencoded",
            "params": {
                "chat_id": "-100777",
                "text": "Проверим, Анна Петрова.\n\n— Команда Ладога Телеком",
                "reply_parameters": '{"message_id": 501}',
            },
        }
    ]
    reply.refresh_from_db()
    assert reply.status == "sent"
    assert reply.external_id == "-100777:777"
    assert reply.external_url == "https://t.me/ladoga_chat/777"
    assert reply.publisher == "telegram"
    assert Mention.objects.get(pk=reply.mention_id).status == Mention.Status.ANSWERED
    assert OutboxEvent.objects.filter(type="response.sent").count() == 1


def test_telegram_rate_limit_is_retried_after_the_time_it_says(w, platform):
    too_many = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    platform.answers = [(429, too_many), (200, TG_OK)]
    reply = _telegram(w, platform)

    first = sending.reply_publish(reply_id=reply.pk)
    second = sending.reply_publish(reply_id=reply.pk)

    assert (first.status, first.retry_after) == ("retry", 7)
    assert second.status == "sent"
    assert len(platform.requests) == 2
    reply.refresh_from_db()
    assert (reply.status, reply.send_attempts) == ("sent", 2)


def test_a_deleted_telegram_message_fails_for_good(w, platform):
    gone = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message to be replied not found",
    }
    platform.answers = [(400, gone)]
    reply = _telegram(w, platform)

    outcome = sending.reply_publish(reply_id=reply.pk)

    assert outcome.status == "failed"
    reply.refresh_from_db()
    assert reply.status == "failed"
    assert reply.last_error == "Telegram: Bad Request: message to be replied not found"
    assert Mention.objects.get(pk=reply.mention_id).status == Mention.Status.CLAIMED


def test_a_reply_is_never_posted_twice(w, platform):
    platform.answers = [(200, TG_OK)]
    reply = _telegram(w, platform)

    sending.reply_publish(reply_id=reply.pk)
    again = sending.reply_publish(reply_id=reply.pk)

    assert again.status == "skipped"
    assert len(platform.requests) == 1


@override_settings(SCRM_PUBLISH_READ_TIMEOUT=0.3)
def test_a_lost_answer_is_not_repeated_blindly(w, platform):
    platform.answers = [(200, TG_OK, 1.0)]
    reply = _telegram(w, platform)

    outcome = sending.reply_publish(reply_id=reply.pk)
    again = sending.reply_publish(reply_id=reply.pk)

    assert outcome.status == "failed"
    assert again.status == "skipped"
    assert len(platform.requests) == 1
    reply.refresh_from_db()
    assert "may be on the platform" in reply.last_error


def test_an_attempt_left_open_by_a_dead_worker_is_not_repeated(w, platform):
    platform.answers = [(200, TG_OK)]
    reply = _telegram(w, platform)
    Reply.objects.filter(pk=reply.pk).update(attempt_started_at=reply.send_requested_at)

    outcome = sending.reply_publish(reply_id=reply.pk)

    assert outcome.status == "failed"
    assert platform.requests == []


def test_an_unreachable_platform_is_retried(w, platform):
    reply = _telegram(w, platform)
    platform.close()

    outcome = sending.reply_publish(reply_id=reply.pk)

    assert outcome.status == "retry"
    reply.refresh_from_db()
    assert reply.status == "sending"
    assert reply.attempt_started_at is None


@override_settings(SCRM_PUBLISH_MAX_ATTEMPTS=2)
def test_the_task_retries_then_gives_up_with_the_platforms_last_word(w, platform):
    platform.answers = [
        (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests",
                "parameters": {"retry_after": 0},
            },
        )
    ]
    reply = _telegram(w, platform)

    asked_to_retry = 0
    while True:  # what the worker does: run again each time the task asks
        try:
            result = reply_publish_task.run(reply.pk)
            break
        except Retry:
            asked_to_retry += 1

    assert (asked_to_retry, result) == (1, "failed")

    reply.refresh_from_db()
    assert reply.status == "failed"
    assert reply.send_attempts == 2
    assert "gave up after 2 attempts" in reply.last_error
    assert len(platform.requests) == 2


def test_vk_comments_on_the_post_in_reply_to_the_comment(w, platform):
    platform.answers = [(200, {"response": {"comment_id": 1234, "parents_stack": [900]}})]
    reply = _vk(w, platform, group_id="100")

    outcome = sending.reply_publish(reply_id=reply.pk)

    assert outcome.status == "sent"
    assert platform.requests == [
        {
            "method": "POST",
            "path": "/method/wall.createComment",
            "content_type": "application/x-www-form-urlencoded",
            "params": {
                "owner_id": "-100",
                "post_id": "45",
                "message": "Проверим, Анна Петрова.\n\n— Команда Ладога Телеком",
                "reply_to_comment": "900",
                "from_group": "100",
                "access_token": "vk1.a.SECRET",
                "v": "5.199",
            },
        }
    ]
    reply.refresh_from_db()
    assert reply.external_id == "-100_45_1234"
    assert reply.external_url == "https://vk.com/wall-100_45?reply=1234"


@pytest.mark.parametrize(("code", "retry_after"), [(6, 2), (9, 600), (29, 3600)])
def test_vk_rate_limits_and_flood_control_are_retried(w, platform, code, retry_after):
    platform.answers = [(200, {"error": {"error_code": code, "error_msg": "Flood control"}})]
    reply = _vk(w, platform)

    outcome = sending.reply_publish(reply_id=reply.pk)

    assert (outcome.status, outcome.retry_after) == ("retry", retry_after)


def test_vk_a_deleted_post_fails_for_good(w, platform):
    platform.answers = [
        (
            200,
            {
                "error": {
                    "error_code": 100,
                    "error_msg": "One of the parameters specified was missing or invalid: post_id",
                }
            },
        )
    ]
    reply = _vk(w, platform)

    outcome = sending.reply_publish(reply_id=reply.pk)

    assert outcome.status == "failed"
    reply.refresh_from_db()
    assert reply.last_error.startswith("VK error 100:")


def test_send_through_the_api_posts_after_commit_and_answers_the_mention(w, platform):
    """The API path: send/ hands over; in eager mode the task runs on commit."""
    platform.answers = [(200, TG_OK)]
    PublisherAccount.objects.create(
        name="bot", kind="telegram", token="1:X", api_base_url=platform.url
    )
    m = h.mention(
        platform="telegram",
        url="https://t.me/c/5",
        external_id="5",
        discussion_id="-1",
        claimed_by=w["olga"],
    )
    op, mgr = w["op"], w["mgr"]
    reply = op.post("/api/v1/responses/", {"mention": m.pk, "body": "Ок."}, format="json").json()
    op.post(f"/api/v1/responses/{reply['id']}/submit/")
    mgr.post(f"/api/v1/responses/{reply['id']}/approve/")

    from django.db import transaction

    from responses.services.replies import reply_send
    from tests.knowledge_base.helpers import run_on_commit

    run_on_commit(reply_send, reply_id=reply["id"], user=w["olga"])

    assert Reply.objects.get(pk=reply["id"]).status == "sent"
    assert len(platform.requests) == 1
    assert transaction.get_connection().in_atomic_block


def test_send_api_answers_202_while_sending(w, platform):
    platform.answers = [(200, TG_OK)]
    PublisherAccount.objects.create(
        name="bot", kind="telegram", token="1:X", api_base_url=platform.url
    )
    m = h.mention(
        platform="telegram",
        url="https://t.me/c/5",
        external_id="5",
        discussion_id="-1",
        claimed_by=w["olga"],
    )
    op, mgr = w["op"], w["mgr"]
    reply = op.post("/api/v1/responses/", {"mention": m.pk, "body": "Ок."}, format="json").json()
    op.post(f"/api/v1/responses/{reply['id']}/submit/")
    mgr.post(f"/api/v1/responses/{reply['id']}/approve/")

    response = op.post(f"/api/v1/responses/{reply['id']}/send/")

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "sending"
    again = op.post(f"/api/v1/responses/{reply['id']}/send/")
    assert again.status_code == 409
