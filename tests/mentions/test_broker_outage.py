"""Nothing is lost when the broker is down: a private Redis is stopped and started for real."""

import shutil
import socket
import subprocess
import time

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from mentions.models import Mention
from mentions.services.ingest import mentions_ingest
from mentions.services.processing_outbox import mentions_sweep_unprocessed
from scrm.celery import app
from tests.mentions.helpers import mention_payload

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.redis,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs a redis-server binary"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A throw-away redis-server on its own port, so the machine's Redis is never touched."""

    def __init__(self):
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _reset_connection_pools() -> None:
    """Drop Celery's cached broker connections so the next publish uses the new URL."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_broker():
    redis = PrivateRedis()
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = redis.url
    app.conf.task_always_eager = False
    _reset_connection_pools()
    try:
        yield redis
    finally:
        redis.stop()
        app.conf.broker_url, app.conf.task_always_eager = saved
        _reset_connection_pools()


def _live_payload() -> dict:
    """A mention published now: live, so it goes to the default queue the worker consumes (one
    published long before it arrived is history, for the backfill queue)."""
    return mention_payload(published_at=timezone.now().isoformat())


def _wait_processed(mention_id: int, timeout: float = 20) -> Mention:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mention = Mention.objects.get(pk=mention_id)
        if mention.status != Mention.Status.NEW:
            return mention
        time.sleep(0.1)
    return Mention.objects.get(pk=mention_id)


def test_mention_ingested_while_redis_is_stopped_is_processed_after_it_comes_back(redis_broker):
    # Redis is not running: the ingest still succeeds and the row keeps its outbox marker.
    result = mentions_ingest(items=[_live_payload()])

    mention = Mention.objects.get(pk=result.results[0].id)
    assert result.created == 1
    assert mention.status == Mention.Status.NEW
    assert mention.processing_enqueued_at is None  # publishing failed: left for the sweeper

    redis_broker.start()
    assert mentions_sweep_unprocessed() == 1
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        mention = _wait_processed(mention.pk)

    assert mention.status == ("queued" if mention.category.needs_response else "processed")
    assert mention.processed_at is not None
    assert mention.processing_attempts == 1


def test_mention_ingested_while_redis_is_up_is_processed_by_a_worker(redis_broker):
    redis_broker.start()

    result = mentions_ingest(items=[_live_payload()])

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        mention = _wait_processed(result.results[0].id)
    assert mention.status == ("queued" if mention.category.needs_response else "processed")
