"""An event recorded while Redis is down sits in the outbox and is delivered after it returns."""

import shutil
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from scrm import outbox
from scrm.celery import app
from scrm.models import OutboxEvent
from tests.mentions.test_broker_outage import redis_broker  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.redis,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs a redis-server binary"),
]


@pytest.fixture
def delivered():
    seen: list = []
    saved = {t: dict(h) for t, h in outbox._handlers.items()}
    outbox.register("author.merged", lambda event: seen.append(event.pk), name="recorder")
    yield seen
    outbox._handlers.clear()
    outbox._handlers.update(saved)


def _wait_done(event_id, timeout: float = 20) -> OutboxEvent:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = OutboxEvent.objects.get(pk=event_id)
        if event.done_at is not None:
            return event
        time.sleep(0.1)
    return OutboxEvent.objects.get(pk=event_id)


def test_event_recorded_while_redis_is_stopped_is_delivered_by_the_sweeper(
    redis_broker,  # noqa: F811
    delivered,
):
    # Redis is not running: the commit succeeds, handing the event over fails.
    with transaction.atomic():
        event_id = outbox.record("author.merged", {"author_id": 1, "absorbed_author_id": 2})

    event = OutboxEvent.objects.get(pk=event_id)
    assert event.done_at is None
    assert event.dispatched_at is None  # the hand-over failed: left for the sweeper
    assert delivered == []

    redis_broker.start()
    assert outbox.outbox_sweep() == 1
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        event = _wait_done(event_id)

    assert event.done_at is not None
    assert event.attempts == 2
    assert delivered == [event_id]
