"""A worker killed with SIGKILL in the middle of a delivery: after it, the event is delivered."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone
from standardwebhooks import Webhook

from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.services import webhooks
from scrm import outbox
from tests.conftest import requires_postgres

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import django
django.setup()
from integrations.services import webhooks
webhooks.endpoint_deliver(endpoint_id={endpoint_id})
"""


def _worker_env() -> dict:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="scrm.settings",
        SCRM_ENV="test",
        DATABASE_URL="postgres://{}@{}:{}/{}".format(
            db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
        ),
        SCRM_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        SCRM_WEBHOOK_READ_TIMEOUT="60",
        SCRM_WEBHOOK_RETRY_SCHEDULE="5,300",
    )
    return env


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_delivery_cut_by_sigkill_is_delivered_after_the_restart(receiver):
    r = receiver(lambda n: (200, 60, b"") if n == 0 else (200, 0, b"ok"))
    endpoint = webhooks.endpoint_create(url=r.url, event_types=["author.merged"])
    # Recorded and fanned out (the outbox's hand-over is eager here); the delivery run goes to
    # the worker process below.
    with mock.patch.object(webhooks, "endpoints_enqueue"), transaction.atomic():
        event_id = outbox.record("author.merged", {"author_id": 1, "absorbed_author_id": 2})
    delivery = WebhookDelivery.objects.get()

    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER.format(endpoint_id=endpoint.pk)],
        cwd=ROOT,
        env=_worker_env(),
    )
    try:
        deadline = time.monotonic() + 60
        while not r.received and time.monotonic() < deadline:
            assert worker.poll() is None, "the worker ended before it called"
            time.sleep(0.05)
        assert r.received, "the worker never called the receiver"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL

    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert delivery.attempts == 1  # counted before the call
    assert delivery.next_attempt_at > timezone.now()  # due again later, not lost
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).lease_until > timezone.now()

    # Time passes: the dead run's lease and the retry delay run out; the sweeper (periodic)
    # starts a new run, eager here.
    past = timezone.now() - timedelta(seconds=1)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(lease_until=past)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=past)
    assert webhooks.webhooks_sweep() == 1

    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert [x.webhook_id for x in r.received] == [str(event_id)] * 2  # a retry, same id
    for got in r.received:
        Webhook(endpoint.secret).verify(got.body, got.headers)
