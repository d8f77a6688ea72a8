"""Webhook delivery benchmark: 10,000 events to 3 local receivers, one of them slow.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrm python bench/webhooks.py [--events 10000]

What it does, in one run on this machine:
1. creates a fresh database `<name>_whbench` next to DATABASE_URL's and migrates it;
2. starts three receivers on loopback, each its own process: two answer at once, one takes
   `--slow-seconds` (2) per answer;
3. records `--events` events in the outbox (1,000 objects, so each object's order matters),
   dispatches them (the fan-out writes one delivery per endpoint), then runs one delivery run
   per endpoint, each in its own thread as three Celery workers would, until the fast receivers
   have every event; the slow one's run goes on for as long, and its rate is reported;
4. times a bare loop of signed POSTs (no database) to a fast receiver on the same machine, with
   the same number of connections, for comparison.

Not a test: it measures. Nothing here asserts a number.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

RECEIVER = r"""
import http.server, sys, time
delay = float(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        if delay:
            time.sleep(delay)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
s.daemon_threads = True
s.serve_forever()
"""


def _db_url(base: str, name: str) -> str:
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(base: str) -> str:
    name = urlsplit(base).path.lstrip("/") + "_whbench"
    admin = _db_url(base, "postgres")
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)
    url = _db_url(base, name)
    env = {**os.environ, "DATABASE_URL": url, "SCRM_ENV": "test"}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [PY, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return url


def start_receiver(delay: float) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    proc = subprocess.Popen([PY, "-c", RECEIVER, str(port), str(delay)])
    time.sleep(0.3)
    return proc, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--objects", type=int, default=1_000)
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")

    url = prepare(base)
    os.environ.update(
        DATABASE_URL=url,
        SCRM_ENV="test",
        DJANGO_SETTINGS_MODULE="scrm.settings",
        SCRM_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        SCRM_WEBHOOK_RUN_SECONDS="5",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from unittest import mock

    import urllib3
    from django.db import connection, transaction

    from integrations.models import WebhookDelivery
    from integrations.services import webhooks
    from scrm import outbox
    from scrm.models import OutboxEvent

    receivers = [start_receiver(0), start_receiver(0), start_receiver(args.slow_seconds)]
    try:
        endpoints = [
            webhooks.endpoint_create(url=f"http://127.0.0.1:{port}/hook", description=label)
            for (_, port), label in zip(receivers, ("fast-1", "fast-2", "slow"), strict=True)
        ]
        # Recorded and fanned out without the hand-over to Celery: the runs below are timed.
        with (
            mock.patch.object(outbox, "outbox_enqueue"),
            mock.patch.object(webhooks, "endpoints_enqueue"),
        ):
            started = time.monotonic()
            for start in range(0, args.events, 1000):
                with transaction.atomic():
                    outbox.record_many(
                        "author.merged",
                        [
                            {"author_id": i % args.objects + 1, "absorbed_author_id": i}
                            for i in range(start, min(start + 1000, args.events))
                        ],
                    )
            recorded = time.monotonic() - started
            ids = list(OutboxEvent.objects.values_list("id", flat=True))
            started = time.monotonic()
            for start in range(0, len(ids), outbox.DISPATCH_CHUNK):
                outbox.outbox_dispatch(event_ids=ids[start : start + outbox.DISPATCH_CHUNK])
            fanned = time.monotonic() - started
        connection.close()

        done_at: dict[str, float] = {}
        stop = threading.Event()

        def run(endpoint) -> None:
            from django.db import connection as own

            try:
                while not stop.is_set():
                    webhooks.endpoint_deliver(endpoint_id=endpoint.pk)
                    left = WebhookDelivery.objects.filter(endpoint=endpoint, status="pending")
                    if not left.exists():
                        done_at[endpoint.description] = time.monotonic() - t0
                        return
            finally:
                own.close()

        t0 = time.monotonic()
        threads = [threading.Thread(target=run, args=(e,)) for e in endpoints]
        # A run hands over to a new task every SCRM_WEBHOOK_RUN_SECONDS; here the loop in
        # `run` is that new task.
        with mock.patch.object(webhooks, "endpoints_enqueue"):
            for t in threads:
                t.start()
            threads[0].join()
            threads[1].join()
            fast_elapsed = time.monotonic() - t0
            stop.set()  # the slow run ends with its current run
            threads[2].join()
        slow_delivered = WebhookDelivery.objects.filter(
            endpoint=endpoints[2], status="delivered"
        ).count()
        slow_elapsed = time.monotonic() - t0

        # A bare loop of signed POSTs, as many connections as an endpoint's run uses.
        concurrency = webhooks.settings.SCRM_WEBHOOK_ENDPOINT_CONCURRENCY
        pool = urllib3.HTTPConnectionPool("127.0.0.1", receivers[0][1], maxsize=concurrency)
        body = b'{"type":"author.merged","timestamp":"2026-01-01T00:00:00Z","data":{}}'
        secret = endpoints[0].secret

        def bare(i: int) -> int:
            headers = webhooks.signed_headers(msg_id=f"msg_{i}", body=body, secrets_=[secret])
            return pool.urlopen("POST", "/hook", body=body, headers=headers).status

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=concurrency) as executor:
            list(executor.map(bare, range(args.events)))
        bare_elapsed = time.monotonic() - started
    finally:
        for proc, _ in receivers:
            proc.terminate()

    fast_total = 2 * args.events
    print(f"events: {args.events} over {args.objects} objects; cores: {os.cpu_count()}; ")
    print(f"record (record_many, 1,000 a transaction): {recorded:7.2f} s")
    print(f"fan-out (outbox dispatch, 3 endpoints):    {fanned:7.2f} s")
    print(
        f"fast receivers: last event after {fast_elapsed:7.2f} s "
        f"({done_at}); {fast_total / fast_elapsed:7.0f} deliveries/s together"
    )
    print(
        f"slow receiver ({args.slow_seconds:g} s an answer): {slow_delivered} delivered in "
        f"{slow_elapsed:7.2f} s ({slow_delivered / slow_elapsed:5.1f}/s); it held no one up"
    )
    print(
        f"bare loop of signed POSTs ({concurrency} connections, no database): "
        f"{args.events / bare_elapsed:7.0f} /s"
    )


if __name__ == "__main__":
    main()
