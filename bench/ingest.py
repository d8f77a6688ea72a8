"""Ingest benchmark: POST /api/v1/mentions/bulk/ on a real server vs. a raw COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrm python bench/ingest.py [--mentions 20000]

What it does, in one run on this machine:
1. creates a fresh database `<name>_bench` next to DATABASE_URL's, migrates it, adds tracked
   subjects and an integration token;
2. starts gunicorn (production settings, DEBUG off) on a free loopback port, warms its workers
   up with a few small batches of other mentions (untimed), then posts `--mentions` generated
   mentions through the bulk door, 1,000 per call, from `--clients` concurrent keep-alive
   connections; processing is published to Redis (REDIS_URL, default
   db 15 of the local Redis, purged afterwards) exactly as in production;
3. COPYs the same rows with psycopg into a bare table with the mention's columns;
4. prints both rates and their ratio, then profiles one batch in-process to show where the
   time goes.

Not a test: it measures. Nothing here asserts a number.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

WORDS_RU = [
    "подскажите",
    "почему",
    "опять",
    "не",
    "работает",
    "интернет",
    "тариф",
    "деньги",
    "списали",
    "поддержка",
    "ответьте",
    "спасибо",
    "отличный",
    "сервис",
    "быстро",
    "приехал",
    "курьер",
    "заказ",
    "отменили",
    "жду",
    "третий",
    "день",
    "связь",
    "пропала",
    "перешел",
    "обратно",
    "роуминг",
    "приложение",
    "обновление",
    "карта",
    "кешбэк",
    "офис",
    "очередь",
    "оператор",
    "вежливый",
]
SUBJECTS = [
    ("ladoga", "Ладога", "company", True, ["Ладога Телеком", "@ladoga_telecom", "Ladoga"]),
    ("priboy", "Прибой", "competitor", False, ["Priboy", "@priboy"]),
    ("orbita", "Орбита Связь", "competitor", False, ["Орбита", "Orbita"]),
]
BRAND_FORMS = ["Ладога", "Ладоги", "Ладогу", "@ladoga_telecom", "Прибой", "Прибоя", "Орбиту"]
PLATFORMS = ["vk", "telegram", "twitter", "instagram", "forum", "review_site", "news"]


def make_mentions(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    items = []
    for n in range(count):
        words = rng.choices(WORDS_RU, k=rng.randint(12, 40))
        words.insert(rng.randrange(len(words)), rng.choice(BRAND_FORMS))
        author = rng.randrange(count // 4)
        platform = rng.choice(PLATFORMS)
        items.append(
            {
                "external_id": f"bench-{n}",
                "url": f"https://example.com/{platform}/{n}",
                "platform": platform,
                "text": " ".join(words),
                "language": "ru",
                "published_at": (start + timedelta(seconds=n * 37)).isoformat(),
                "author": {
                    "external_id": f"u{author}",
                    "handle": f"user_{author}",
                    "name": f"Пользователь {author}",
                    "profile_url": f"https://vk.com/user_{author}",
                    "followers": rng.randint(0, 50_000),
                },
                "engagement": {
                    "likes": rng.randint(0, 300),
                    "comments": rng.randint(0, 40),
                    "reposts": rng.randint(0, 20),
                    "views": rng.randint(0, 9000),
                    "reach": rng.randint(0, 50_000),
                },
            }
        )
    return items


def warm_up_batches(count: int) -> list[bytes]:
    """Small batches of other mentions by other people, posted before the clock starts so that
    every gunicorn worker has loaded what it loads on its first ingest (a long-running server
    pays that once); the COPY side likewise connects and creates its table untimed."""
    batches = []
    for n in range(count):
        items = make_mentions(10, seed=1000 + n)
        for i, item in enumerate(items):
            item["external_id"] = f"warm-up-{n}-{i}"
            item["author"]["external_id"] = f"warm-up-author-{n}-{i}"
            item["author"]["handle"] = f"warm_up_{n}_{i}"
            item["author"]["profile_url"] = f"https://vk.com/warm_up_{n}_{i}"
        batches.append(json.dumps({"mentions": items}).encode())
    return batches


def _db_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def prepare_database(base_url: str) -> tuple[str, dict]:
    name = urlsplit(base_url).path.lstrip("/") + "_bench"
    admin = _db_url(base_url, "postgres")
    _psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(admin, f'CREATE DATABASE "{name}"')
    url = _db_url(base_url, name)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        "SCRM_ENV": "production",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    _manage(env, "migrate", "--no-input")
    setup = "from mentions.services.configuration import subject_create\n" + "".join(
        f"subject_create(key={k!r}, name={n!r}, kind={kind!r}, is_own={own!r}, aliases={a!r})\n"
        for k, n, kind, own, a in SUBJECTS
    )
    _manage(env, "shell", "-c", setup)
    token = _manage(env, "create_api_token", "bench", "--role", "integration").split()[-1]
    env["BENCH_TOKEN"] = token
    return url, env


def start_server(env: dict, workers: int, timeout: int = 120) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "scrm.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def post_all(port: int, token: str, batches: list[bytes], clients: int) -> tuple[float, dict]:
    queue = list(enumerate(batches))
    lock = threading.Lock()
    totals = {"created": 0, "duplicates": 0, "failed": 0, "errors": 0}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        while True:
            with lock:
                if not queue:
                    return
                _, body = queue.pop(0)
            conn.request("POST", "/api/v1/mentions/bulk/", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            with lock:
                if response.status != 200:
                    totals["errors"] += 1
                    continue
                answer = json.loads(payload)
                for key in ("created", "duplicates", "failed"):
                    totals[key] += answer[key]

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, totals


COPY_COLUMNS = (
    "source_id integer, external_id text, url text, platform text, source_type text, "
    "text text, title text, language text, published_at timestamptz, collected_at timestamptz, "
    "author_key text, likes bigint, comments bigint, reposts bigint, views bigint, reach bigint, "
    "raw jsonb"
)


def copy_rows(url: str, items: list[dict]) -> float:
    import psycopg
    from psycopg.types.json import Jsonb

    now = datetime.now(UTC)
    rows = [
        (
            1,
            m["external_id"],
            m["url"],
            m["platform"],
            "social",
            m["text"],
            "",
            m["language"],
            datetime.fromisoformat(m["published_at"]),
            now,
            m["author"]["external_id"],
            m["engagement"]["likes"],
            m["engagement"]["comments"],
            m["engagement"]["reposts"],
            m["engagement"]["views"],
            m["engagement"]["reach"],
            Jsonb(m),
        )
        for m in items
    ]
    with psycopg.connect(url) as conn:
        conn.execute(f"CREATE TABLE bench_copy ({COPY_COLUMNS})")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY bench_copy FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - started


def profile_one_batch(env: dict, items: list[dict]) -> str:
    """Where the time goes inside the ingest service for one fresh batch (warm process)."""
    script = f"""
import cProfile, gc, pstats, io, json, sys
from mentions.services.ingest import mentions_ingest
items = json.load(sys.stdin)
# Warm, as a server worker is (first imports, the broker connection, the subject matcher), and
# with the loaded application frozen out of the collector's sight, as gunicorn.conf.py does.
mentions_ingest(items=items[:10])
gc.freeze()
profile = cProfile.Profile()
profile.enable()
mentions_ingest(items=items[10:])
profile.disable()
out = io.StringIO()
pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats({PROFILE_LINES})
print(out.getvalue())
"""
    done = subprocess.run(
        [PY, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


PROFILE_LINES = 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark compares with COPY).")

    items = make_mentions(args.mentions)
    batches = [
        json.dumps({"mentions": items[i : i + args.batch]}).encode()
        for i in range(0, len(items), args.batch)
    ]
    url, env = prepare_database(base)
    server, port = start_server(env, args.workers)
    try:
        post_all(port, env["BENCH_TOKEN"], warm_up_batches(args.clients * 2), args.clients)
        elapsed, totals = post_all(port, env["BENCH_TOKEN"], batches, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    copy_elapsed = copy_rows(url, items)

    ingest_rate = args.mentions / elapsed
    copy_rate = args.mentions / copy_elapsed
    print(
        f"mentions: {args.mentions}  batch: {args.batch}  clients: {args.clients}  "
        f"gunicorn workers: {args.workers}  cores: {os.cpu_count()}"
    )
    print(f"server answers: {totals}")
    print(
        f"ingest via POST /api/v1/mentions/bulk/: {elapsed:8.2f} s  {ingest_rate:10.0f} mentions/s"
    )
    print(
        f"psycopg COPY into a bare table:         {copy_elapsed:8.2f} s  {copy_rate:10.0f} rows/s"
    )
    print(f"ratio ingest / COPY: {ingest_rate / copy_rate:.3f}")

    if not args.no_profile:
        fresh = make_mentions(args.batch, seed=99)
        for m in fresh:
            m["external_id"] = "profile-" + m["external_id"]
        print("\nWhere the time goes in one fresh batch (cProfile, cumulative):")
        print(profile_one_batch(env, fresh))

    redis_url = env["REDIS_URL"]
    try:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    except Exception as exc:  # the benchmark's own clean-up must not hide its figures
        print(f"(could not purge {redis_url}: {exc})")


if __name__ == "__main__":
    main()
