"""Webhooks reach real receivers on loopback, signed as Standard Webhooks says, and none is lost."""

import time
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from integrations.services import webhooks
from mentions.services.ingest import mentions_ingest
from scrm import event_renderers as renderers
from scrm import outbox
from scrm.models import OutboxEvent
from tests.integrations.conftest import pump
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db

MERGED = {"author_id": 1, "absorbed_author_id": 2}
D = WebhookDelivery.Status


def _ingest(n=1):
    with mock.patch("mentions.services.ingest.mentions_enqueue_processing"):
        result = mentions_ingest(items=[mention_payload() for _ in range(n)])
    return [r.id for r in result.results]


def _merged(author_id):
    with transaction.atomic():
        return outbox.record("author.merged", {"author_id": author_id, "absorbed_author_id": 0})


def test_every_event_reaches_every_subscribed_endpoint_signed_and_verifiable(receiver, endpoint):
    first, second = receiver(), receiver()
    a = endpoint(first.url)
    b = endpoint(second.url, event_types=["mention.created"])

    [mention_id] = _ingest()
    pump()

    created = OutboxEvent.objects.get(type="mention.created")
    author_created = OutboxEvent.objects.get(type="author.created")
    bodies = first.verified(a.secret)
    assert sorted(body["type"] for body in bodies) == ["author.created", "mention.created"]
    assert {r.webhook_id for r in first.received} == {str(created.pk), str(author_created.pk)}
    [only] = second.verified(b.secret)
    assert only["type"] == "mention.created"
    assert second.received[0].webhook_id == str(created.pk)
    assert second.received[0].path == "/hooks/scrm?tenant=acme"
    assert second.received[0].headers["content-type"] == "application/json"
    assert second.received[0].headers["user-agent"] == "scrm-webhooks/1.0"
    assert only["timestamp"] == created.created_at.isoformat().replace("+00:00", "Z")
    assert only["data"]["mention_id"] == mention_id
    assert only["data"]["source"] == "api"
    # The object as the API lists it.
    assert only["data"]["mention"]["id"] == mention_id
    assert only["data"]["mention"]["status"] == "new"
    assert only["data"]["mention"]["text"] == "Подскажите, как подключить тариф?"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {D.DELIVERED}
    assert WebhookAttempt.objects.filter(success=True).count() == 3


def test_the_signature_is_hmac_sha256_of_id_timestamp_body_with_the_secret(receiver, endpoint):
    r = receiver()
    ep = endpoint(r.url)
    _merged(5)
    pump()

    [got] = r.received
    stamp = got.headers["webhook-timestamp"]
    assert abs(int(stamp) - time.time()) < 30
    expected = Webhook(ep.secret).sign(
        got.webhook_id, datetime.fromtimestamp(int(stamp), tz=UTC), got.body.decode()
    )
    assert got.headers["webhook-signature"] == expected
    assert ep.secret.startswith("whsec_")


def test_an_event_no_renderer_knows_is_sent_with_its_payload(receiver, endpoint, monkeypatch):
    r = receiver()
    ep = endpoint(r.url)
    monkeypatch.delitem(renderers._renderers, "author.merged")
    _merged(7)
    pump()

    [body] = r.verified(ep.secret)
    assert body["data"] == {"author_id": 7, "absorbed_author_id": 0}


def test_an_object_that_no_longer_exists_is_sent_as_null(receiver, endpoint):
    r = receiver()
    ep = endpoint(r.url)
    _merged(999999)
    pump()

    [body] = r.verified(ep.secret)
    assert body["data"] == {"author_id": 999999, "absorbed_author_id": 0, "author": None}


def test_a_receiver_down_then_failing_then_back_gets_every_event_in_order(
    receiver, endpoint, settings
):
    settings.SCRM_WEBHOOK_RETRY_SCHEDULE = [0] * 30
    answers = {"fail": True}
    r = receiver(lambda n: (500, 0, b"down") if answers["fail"] else (204, 0, b""))
    ep = endpoint(r.url, event_types=["author.merged"])
    port = r.port
    r.stop()  # refusing connections

    for author_id in (1, 2, 1, 3, 1):
        _merged(author_id)
        pump()
    assert r.received == []
    refused = WebhookAttempt.objects.filter(status_code__isnull=True)
    assert refused.count() >= 5
    assert all(a.error.startswith("Connection failed") for a in refused)
    assert WebhookEndpoint.objects.get(pk=ep.pk).failing_since is not None

    r.port = port
    r.start()  # answering 500s while events keep coming
    for author_id in (2, 1):
        _merged(author_id)
        pump()
    assert len(r.received) >= 3
    assert not WebhookDelivery.objects.filter(status=D.DELIVERED).exists()

    answers["fail"] = False
    recovered = len(r.received)
    for _ in range(5):
        pump()

    assert WebhookDelivery.objects.filter(endpoint=ep, status=D.DELIVERED).count() == 7
    events = list(OutboxEvent.objects.filter(type="author.merged").order_by("created_at", "id"))
    after = [x.webhook_id for x in r.received[recovered:]]
    assert sorted(after) == sorted(str(e.pk) for e in events)  # each once, none lost
    for author_id in (1, 2, 3):
        theirs = [str(e.pk) for e in events if e.payload["author_id"] == author_id]
        assert [i for i in after if i in theirs] == theirs  # in the order they happened
    # Before that, only retries of events we sent.
    assert {x.webhook_id for x in r.received[:recovered]} <= {str(e.pk) for e in events}
    assert WebhookEndpoint.objects.get(pk=ep.pk).failing_since is None


def test_a_later_event_about_an_object_waits_for_the_earlier_one(receiver, endpoint, settings):
    settings.SCRM_WEBHOOK_ENDPOINT_CONCURRENCY = 1  # the calls in a known order
    calls = []

    def answer(n):
        calls.append(n)
        return (500, 0, b"") if n == 0 else (200, 0, b"")

    r = receiver(answer)
    endpoint(r.url, event_types=["author.merged"])
    first = _merged(1)
    second = _merged(1)
    other = _merged(2)
    pump()

    ids = [x.webhook_id for x in r.received]
    assert ids[0] == str(first)  # failed
    assert str(other) in ids  # another object is not held up
    assert str(second) not in ids  # waits for the first one
    pump()
    ids = [x.webhook_id for x in r.received]
    assert ids.index(str(second)) > ids.index(str(first), 1)


def test_410_gone_disables_the_endpoint_and_says_so(receiver, endpoint):
    r = receiver(lambda n: (410, 0, b"gone"))
    ep = endpoint(r.url, event_types=["author.merged"])
    _merged(1)
    pump()

    ep.refresh_from_db()
    assert ep.active is False
    assert ep.disabled_reason == "The receiver answered 410 Gone."
    disabled = OutboxEvent.objects.get(type="webhook_endpoint.disabled")
    assert disabled.payload == {"endpoint_id": ep.pk, "reason": "The receiver answered 410 Gone."}
    _merged(2)
    pump()
    assert len(r.received) == 1  # nothing more goes to a disabled endpoint


def test_an_endpoint_failing_for_too_long_is_disabled(receiver, endpoint, settings):
    r = receiver(lambda n: (503, 0, b"maintenance"))
    ep = endpoint(r.url, event_types=["author.merged"])
    WebhookEndpoint.objects.filter(pk=ep.pk).update(
        failing_since=timezone.now()
        - timedelta(seconds=settings.SCRM_WEBHOOK_DISABLE_AFTER_SECONDS)
    )
    _merged(1)
    pump()

    ep.refresh_from_db()
    assert ep.active is False
    assert ep.disabled_reason.startswith("Every attempt failed since")
    assert "HTTP 503: maintenance" in ep.disabled_reason


def test_a_redirect_is_a_failure_and_is_not_followed(receiver, endpoint):
    r = receiver(lambda n: (302, 0, b""))
    endpoint(r.url, event_types=["author.merged"])
    _merged(1)
    pump()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == (D.PENDING, 302)
    assert len(r.received) == 1


def test_retries_follow_the_schedule_then_the_delivery_fails(receiver, endpoint, settings):
    settings.SCRM_WEBHOOK_RETRY_SCHEDULE = [0, 0]
    r = receiver(lambda n: (500, 0, b"no"))
    endpoint(r.url, event_types=["author.merged"])
    _merged(1)
    pump(rounds=5)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == D.FAILED
    assert delivery.attempts == 3
    assert len(r.received) == 3
    assert len({x.webhook_id for x in r.received}) == 1


def test_the_retry_delay_is_the_schedule_step_with_jitter_and_honours_retry_after(settings):
    settings.SCRM_WEBHOOK_RETRY_SCHEDULE = [5, 300]
    settings.SCRM_WEBHOOK_RETRY_JITTER = 0.1
    delays = {webhooks.retry_delay(1).total_seconds() for _ in range(50)}
    assert all(4.5 <= d <= 5.5 for d in delays) and len(delays) > 1
    assert 270 <= webhooks.retry_delay(2).total_seconds() <= 330
    assert 270 <= webhooks.retry_delay(9).total_seconds() <= 330  # the last step repeats
    answer = webhooks.http.Answer(status=429, headers={"retry-after": "120"})
    assert webhooks.retry_delay(1, answer).total_seconds() == 120


def test_a_receiver_that_never_answers_does_not_hold_the_worker_past_the_timeout(
    receiver, endpoint, settings
):
    settings.SCRM_WEBHOOK_READ_TIMEOUT = 0.5
    settings.SCRM_WEBHOOK_CONNECT_TIMEOUT = 0.5
    r = receiver(lambda n: (200, 5, b"too late"))
    endpoint(r.url, event_types=["author.merged"])
    _merged(1)

    started = time.monotonic()
    pump()
    took = time.monotonic() - started

    assert took < 3
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error.startswith("Timed out")
    assert WebhookDelivery.objects.get().status == D.PENDING


def test_one_slow_receiver_does_not_hold_up_the_others(receiver, endpoint, settings):
    settings.SCRM_WEBHOOK_READ_TIMEOUT = 0.5
    slow = receiver(lambda n: (200, 5, b""))
    fast = receiver()
    endpoint(slow.url, event_types=["author.merged"])
    fast_ep = endpoint(fast.url, event_types=["author.merged"])
    _merged(1)
    outbox.outbox_dispatch(event_ids=list(OutboxEvent.objects.values_list("id", flat=True)))

    webhooks.endpoint_deliver(endpoint_id=fast_ep.pk)  # its own run, whatever the slow one does

    assert len(fast.received) == 1


def test_during_a_rotation_both_secrets_sign(receiver, endpoint):
    r = receiver()
    ep = endpoint(r.url, event_types=["author.merged"])
    old = ep.secret
    rotated = webhooks.endpoint_rotate_secret(endpoint_id=ep.pk)
    _merged(1)
    pump()

    [got] = r.received
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(got.body, got.headers)["type"] == "author.merged"
    assert Webhook(rotated.secret).verify(got.body, got.headers)["type"] == "author.merged"

    WebhookEndpoint.objects.filter(pk=ep.pk).update(
        previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
    )
    _merged(2)
    pump()
    latest = r.received[-1]
    assert len(latest.headers["webhook-signature"].split(" ")) == 1
    Webhook(rotated.secret).verify(latest.body, latest.headers)


def test_no_event_is_lost_when_the_worker_dies_between_commit_and_delivery(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    r = receiver()
    ep = endpoint(r.url, event_types=["author.merged"])
    # The hand-over after commit never happens (the process died right after its commit).
    with django_capture_on_commit_callbacks(execute=False):
        event_id = _merged(1)
    assert r.received == []

    # The outbox sweeper hands the event over again once its grace period has passed.
    OutboxEvent.objects.filter(pk=event_id).update(
        dispatched_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_sweep() == 1

    assert [x.webhook_id for x in r.received] == [str(event_id)]
    Webhook(ep.secret).verify(r.received[0].body, r.received[0].headers)


def test_a_lost_delivery_run_is_picked_up_by_the_sweeper(receiver, endpoint):
    r = receiver()
    ep = endpoint(r.url, event_types=["author.merged"])
    event_id = _merged(1)
    with mock.patch.object(webhooks, "endpoints_enqueue"):  # the run's task is lost
        outbox.outbox_dispatch(event_ids=[event_id])
    # A run that took the lease and died: its lease runs out by itself.
    WebhookEndpoint.objects.filter(pk=ep.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )

    assert webhooks.webhooks_sweep() == 1  # eager: the enqueued run delivers at once

    assert [x.webhook_id for x in r.received] == [str(event_id)]


def test_a_live_run_keeps_a_second_one_out(receiver, endpoint):
    r = receiver()
    ep = endpoint(r.url, event_types=["author.merged"])
    event_id = _merged(1)
    with mock.patch.object(webhooks, "endpoints_enqueue"):
        outbox.outbox_dispatch(event_ids=[event_id])
    WebhookEndpoint.objects.filter(pk=ep.pk).update(
        lease_until=timezone.now() + timedelta(minutes=1)
    )

    assert webhooks.endpoint_deliver(endpoint_id=ep.pk) == 0
    assert webhooks.webhooks_sweep() == 0
    assert r.received == []


def test_redeliver_sends_the_same_webhook_id_again(receiver, endpoint):
    r = receiver()
    endpoint(r.url, event_types=["author.merged"])
    event_id = _merged(1)
    pump()
    delivery = WebhookDelivery.objects.get()

    webhooks.delivery_redeliver(delivery_id=delivery.pk)
    pump()

    assert [x.webhook_id for x in r.received] == [str(event_id)] * 2
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 2


def test_replay_sends_everything_since_a_time_in_order(receiver, endpoint):
    r = receiver()
    ep = endpoint(r.url, event_types=["author.merged"])
    before = timezone.now() - timedelta(seconds=1)
    ids = [_merged(i) for i in (1, 2, 3)]
    pump()
    r.received.clear()

    assert webhooks.endpoint_replay(endpoint_id=ep.pk, since=before) == 3
    pump()

    assert sorted(x.webhook_id for x in r.received) == sorted(str(i) for i in ids)


def test_at_delivery_the_address_is_checked_again(receiver, endpoint, settings):
    r = receiver()
    endpoint(r.url, event_types=["author.merged"])
    settings.SCRM_WEBHOOK_ALLOWED_NETWORKS = []  # loopback no longer allowed
    _merged(1)
    pump()

    assert r.received == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.error.startswith("Refused: 127.0.0.1 is a loopback address")


def test_enabling_a_disabled_endpoint_sends_what_is_pending(receiver, endpoint):
    r = receiver(lambda n: (410, 0, b"") if n == 0 else (200, 0, b""))
    ep = endpoint(r.url, event_types=["author.merged"])
    event_id = _merged(1)
    pump()
    assert WebhookEndpoint.objects.get(pk=ep.pk).active is False

    webhooks.endpoint_update(endpoint_id=ep.pk, active=True)
    pump()

    assert [x.webhook_id for x in r.received] == [str(event_id)] * 2
    assert WebhookDelivery.objects.get().status == D.DELIVERED


def test_a_410_disables_even_when_other_calls_of_the_batch_succeed(receiver, endpoint, settings):
    settings.SCRM_WEBHOOK_ENDPOINT_CONCURRENCY = 1
    r = receiver(lambda n: (200, 0, b"") if n == 0 else (410, 0, b""))
    ep = endpoint(r.url, event_types=["author.merged"])
    _merged(1)
    _merged(2)
    pump()

    ep.refresh_from_db()
    assert ep.active is False
    assert ep.disabled_reason == "The receiver answered 410 Gone."


def test_a_renderer_that_breaks_does_not_hold_the_event_back(receiver, endpoint, monkeypatch):
    r = receiver()
    ep = endpoint(r.url, event_types=["author.merged"])

    def broken(ids):
        raise RuntimeError("serializer bug")

    original = renderers.renderer_for("author.merged")
    monkeypatch.setitem(
        renderers._renderers,
        "author.merged",
        renderers.Renderer("author.merged", "author", "author_id", broken),
    )
    assert original is not None
    _merged(1)
    pump()

    [body] = r.verified(ep.secret)
    assert body["data"] == {"author_id": 1, "absorbed_author_id": 0, "author": None}
