"""Dispatchers racing over the same events, on PostgreSQL: each event is delivered exactly once."""

import random
import threading
import time
from collections import Counter
from unittest import mock

import pytest
from django.db import connections, transaction

from scrm import outbox
from scrm.models import OutboxDelivery, OutboxEvent
from scrm.tasks import outbox_dispatch_task
from tests.conftest import requires_postgres

pytestmark = [
    requires_postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DISPATCHERS = 8
EVENTS = 300


@pytest.fixture
def delivered():
    seen: list = []
    lock = threading.Lock()

    def handler(event):
        time.sleep(0.001)  # widen the window in which another dispatcher could grab the event
        with lock:
            seen.append(event.pk)

    saved = {t: dict(h) for t, h in outbox._handlers.items()}
    outbox._handlers.clear()  # alone: the apps' own handlers (the webhooks') are set aside
    outbox.register("author.merged", handler, name="recorder")
    yield seen
    outbox._handlers.clear()
    outbox._handlers.update(saved)


def test_concurrent_dispatchers_deliver_every_event_exactly_once(delivered):
    with mock.patch.object(outbox_dispatch_task, "delay"), transaction.atomic():
        ids = outbox.record_many(
            "author.merged",
            [{"author_id": i, "absorbed_author_id": i + 1} for i in range(EVENTS)],
        )
    errors: list[BaseException] = []
    start = threading.Barrier(DISPATCHERS)

    def dispatcher(seed: int) -> None:
        order = list(ids)
        random.Random(seed).shuffle(order)
        try:
            start.wait()
            for at in range(0, len(order), 25):
                outbox.outbox_dispatch(event_ids=order[at : at + 25])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatcher, args=(n,)) for n in range(DISPATCHERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    # A dispatcher skips locked events, so a few may be left to the sweeper; none is delivered
    # twice, and one more pass delivers the rest.
    outbox.outbox_dispatch(event_ids=ids)
    counts = Counter(delivered)
    assert len(counts) == EVENTS
    assert set(counts.values()) == {1}
    assert OutboxEvent.objects.filter(done_at__isnull=True).count() == 0
    assert set(OutboxDelivery.objects.values_list("attempts", flat=True)) == {1}
    assert OutboxDelivery.objects.count() == EVENTS
