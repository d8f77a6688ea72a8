"""Read-path benchmark: each list, detail and queue endpoint through gunicorn vs. its own SQL bare.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrm python bench/reads.py \
        [--mentions 10000,1000000] [--requests 60] [--reuse]

What it does, in one run on this machine, for each size in `--mentions`:
1. creates a database `<name>_bench_reads_<size>` next to DATABASE_URL's and migrates it (with
   `--reuse` an existing one is only migrated forward, so the same data can be measured before
   and after a change), then generates the data set in SQL with `generate_series` (no Python
   per row, no classifier): `size` mentions over the last 365 days, `size / 5` authors with one
   identity each, subjects, categories, a `support` team and its queue, one heavy author with
   5,000 mentions (half the table at most), a word in 0.1% of the texts and a surname that one
   author has; statuses like a working system (1% still `new`, spread over the year: a
   processing backlog at its worst for text search, each of its rows on a page of its own);
2. starts gunicorn with two workers (production settings, DEBUG off) on a free loopback port;
3. for every path, captures the exact SQL the endpoint runs (Django's test client in a process
   of its own, on the same database), then requests it `--requests` times over one keep-alive
   HTTP connection and replays the captured statements `--requests` times bare through psycopg
   (one transaction, rolled back: the claim's UPDATE leaves nothing behind);
4. prints per path the API's p50 / p95 / p99, the bare SQL's p50, the ratio API / SQL (p50),
   and, with two sizes, the growth largest / smallest of both.

Not a test: it measures. Nothing here asserts a number. The machine's CPU may be shared; the
figures are only comparable within one machine and one run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

HEAVY_AUTHOR = 1  # the author with a long history (profile, timeline, ?author_id=)
HEAVY_MENTIONS = 5_000
RARE_WORD = "квазиморфизм"  # in 0.1% of the texts
UNIQUE_SURNAME = "Зильберштейн"  # one author's name
WORDS = [
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
    "роутер",
    "скорость",
    "вечером",
    "абонентка",
    "договор",
    "переезд",
    "мастер",
    "пришел",
    "вовремя",
    "номер",
    "перенос",
    "sim",
    "esim",
    "баланс",
    "пополнение",
    "смс",
    "звонки",
    "сеть",
    "вышка",
    "дача",
    "деревня",
    "город",
    "метро",
    "wifi",
    "дома",
    "работа",
    "семья",
    "дети",
    "родители",
    "реклама",
    "акция",
    "скидка",
    "бонус",
    "баллы",
    "подписка",
    "кино",
    "музыка",
]
FIRST_NAMES = [
    "Анна",
    "Иван",
    "Мария",
    "Пётр",
    "Ольга",
    "Сергей",
    "Елена",
    "Дмитрий",
    "Наталья",
    "Алексей",
    "Ирина",
    "Андрей",
    "Татьяна",
    "Михаил",
    "Светлана",
    "Николай",
    "Юлия",
    "Павел",
    "Екатерина",
    "Артём",
]
SURNAMES = [
    "Иванов",
    "Петров",
    "Сидоров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
]
SUBJECTS = [
    ("ladoga", "Ладога", "company", True),
    ("priboy", "Прибой", "competitor", False),
    ("orbita", "Орбита Связь", "competitor", False),
]
PLATFORMS = ["vk", "vk", "vk", "telegram", "twitter", "instagram", "forum", "review_site", "news"]


def _db_url(base: str, name: str) -> str:
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        input=stdin,
    )
    return done.stdout


def _sql_text_array(values) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def generation_sql(mentions: int) -> list[str]:
    """The data set, in SQL only. `random()` after `setseed` makes it the same every run."""
    authors = max(mentions // 5, 10)
    heavy_every = max(mentions // min(HEAVY_MENTIONS, mentions // 2), 2)
    words = _sql_text_array(WORDS)
    first = _sql_text_array(FIRST_NAMES)
    last = _sql_text_array(SURNAMES)
    platforms = _sql_text_array(PLATFORMS)
    return [
        "SELECT setseed(0.42)",
        # Authors: 12.5% detractors, 5% advocates, 2% influencers, 20% customers.
        f"""INSERT INTO authors_author (id, display_name, created_at, updated_at, crm_external_id,
            do_not_contact, labels, segment, segment_pinned)
        SELECT g,
            CASE WHEN g = 777 THEN 'Лев {UNIQUE_SURNAME}'
                 ELSE ({first})[1 + g % {len(FIRST_NAMES)}] || ' '
                      || ({last})[1 + (g / {len(FIRST_NAMES)}) % {len(SURNAMES)}] END,
            now() - interval '400 days', now(), '', g % 97 = 0, '[]'::jsonb,
            CASE WHEN g % 8 = 0 THEN 'detractor' WHEN g % 20 = 1 THEN 'advocate'
                 WHEN g % 50 = 2 THEN 'influencer' WHEN g % 5 = 3 THEN 'customer'
                 ELSE 'unknown' END,
            false
        FROM generate_series(1, {authors}) g""",
        f"""INSERT INTO authors_authoridentity (id, author_id, platform, key, external_id, handle,
            profile_url, profile_url_normalized, display_name, followers, verified, erased,
            created_at, updated_at)
        SELECT a.id, a.id, p.platform, 'id:' || a.id, a.id::text, 'user_' || a.id,
            'https://vk.com/user_' || a.id, 'vk.com/user_' || a.id, a.display_name,
            (random() * 50000)::bigint, false, false, a.created_at, a.created_at
        FROM authors_author a
        CROSS JOIN LATERAL (SELECT ({platforms})[1 + a.id % {len(PLATFORMS)}] AS platform) p""",
        """INSERT INTO authors_authoridentityalias (identity_id, platform, value, created_at)
        SELECT id, platform, v, created_at FROM authors_authoridentity,
            LATERAL (VALUES ('id:' || external_id), ('handle:' || handle),
                            ('url:' || profile_url_normalized)) AS vals(v)""",
        f"""CREATE TEMP TABLE bench_words AS SELECT {words} AS w""",
        f"""INSERT INTO mentions_mention (id, source_id, external_id, url, platform, source_type,
            text, title, language, published_at, collected_at, likes, comments, reposts, views,
            reach, parent_external_id, discussion_id, source_sentiment, raw, status,
            processing_enqueued_at, processing_attempts, processed_at, created_at, updated_at,
            author_id, author_identity_id, main_subject_id, answered_at, category_confidence,
            category_method, claimed_at, claimed_by_id, classifier_version, closed_at,
            lease_expires_at, needs_response, priority, priority_is_manual, priority_rank,
            resolution, sentiment, sentiment_confidence, sentiment_method, sla_due_at,
            category_id, team_id, processing_error)
        SELECT g, 1, 'bench-' || g, 'https://example.com/p/' || g, r.platform,
            CASE WHEN r.platform = 'news' THEN 'media' ELSE 'social' END,
            r.text, CASE WHEN g % 10 = 0 THEN 'Заголовок ' || g ELSE '' END, 'ru',
            r.published_at, r.published_at + interval '5 minutes',
            r.n % 300, r.n % 40, r.n % 20, r.n % 9000, r.n % 50000, '', '', '',
            jsonb_build_object('external_id', 'bench-' || g, 'platform', r.platform,
                'text', r.text, 'published_at', r.published_at,
                'author', jsonb_build_object('external_id', r.author_id::text,
                    'handle', 'user_' || r.author_id, 'followers', r.n % 50000),
                'extra', jsonb_build_object('city', 'Санкт-Петербург')),
            r.status,
            r.published_at, 1, CASE WHEN r.status <> 'new' THEN r.published_at END,
            r.published_at, r.published_at,
            r.author_id, r.author_id, 1 + g % 3,
            CASE WHEN r.status = 'answered' THEN r.published_at + interval '2 hours' END,
            CASE WHEN r.status <> 'new' THEN 0.8 END,
            CASE WHEN r.status <> 'new' THEN 'model' ELSE '' END,
            CASE WHEN r.status = 'claimed' THEN now() END, NULL,
            CASE WHEN r.status <> 'new' THEN 'bench' ELSE '' END,
            CASE WHEN r.status = 'closed' THEN r.published_at + interval '1 day' END,
            CASE WHEN r.status = 'claimed' THEN now() + interval '30 minutes' END,
            r.status IN ('queued', 'claimed', 'answered'),
            CASE WHEN r.status = 'new' THEN ''
                 ELSE (ARRAY['low','normal','high','urgent'])[1 + r.n % 4] END,
            false, r.n % 4,
            CASE WHEN r.status = 'closed' THEN 'ignored' ELSE '' END,
            CASE WHEN r.status = 'new' THEN ''
                 ELSE (ARRAY['positive','neutral','negative'])[1 + r.n % 3] END,
            CASE WHEN r.status <> 'new' THEN 0.7 END,
            CASE WHEN r.status <> 'new' THEN 'model' ELSE '' END,
            CASE WHEN r.status IN ('queued', 'claimed') THEN r.published_at + interval '1 day' END,
            CASE WHEN r.status <> 'new' THEN 1 + r.n % 10 END,
            CASE WHEN r.status IN ('queued', 'claimed', 'answered') THEN 1 END,
            ''
        FROM generate_series(1, {mentions}) g
        CROSS JOIN LATERAL (
            SELECT (random() * 1000000)::int AS n,
                ({platforms})[1 + (random() * {len(PLATFORMS) - 1})::int] AS platform,
                now() - interval '365 days' * ({mentions} - g) / {mentions}
                    - interval '1 second' * (random() * 30)::int AS published_at,
                CASE WHEN g % {heavy_every} = 0 THEN {HEAVY_AUTHOR}
                     ELSE 2 + (random() * ({authors} - 2))::int END AS author_id,
                CASE WHEN g % 100 = 7 THEN 'new' WHEN g % 20 = 3 THEN 'queued'
                     WHEN g % 200 = 11 THEN 'claimed' WHEN g % 7 = 1 THEN 'answered'
                     WHEN g % 13 = 5 THEN 'closed' ELSE 'processed' END AS status,
                (SELECT string_agg(bw.w[1 + (random() * {len(WORDS) - 1})::int], ' ')
                     FROM bench_words bw, generate_series(1, 12 + g % 20 + (g * 0)) k)
                    || ' Ладога' || CASE WHEN g % 1000 = 500 THEN ' {RARE_WORD}' ELSE '' END
                    AS text
        ) r""",
        """INSERT INTO mentions_mentionsubject (mention_id, subject_id, is_main)
        SELECT id, main_subject_id, true FROM mentions_mention
        UNION ALL
        SELECT id, 1 + (main_subject_id % 3), false FROM mentions_mention WHERE id % 10 = 0""",
        "SELECT setval(pg_get_serial_sequence('authors_author', 'id'), "
        "(SELECT max(id) FROM authors_author))",
        "SELECT setval(pg_get_serial_sequence('authors_authoridentity', 'id'), "
        "(SELECT max(id) FROM authors_authoridentity))",
        "SELECT setval(pg_get_serial_sequence('mentions_mention', 'id'), "
        "(SELECT max(id) FROM mentions_mention))",
    ]


def prepare_database(base_url: str, size: int, reuse: bool) -> tuple[str, dict]:
    name = urlsplit(base_url).path.lstrip("/") + f"_bench_reads_{size}"
    admin = _db_url(base_url, "postgres")
    url = _db_url(base_url, name)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        "SCRM_ENV": "production",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    import psycopg

    exists = False
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        )
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or not reuse:
            conn.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    _manage(env, "migrate", "--no-input")
    if exists and reuse:
        print(f"  reused {name} (migrated forward in {time.perf_counter() - started:.0f} s)")
    else:
        setup = "\n".join(
            [
                "from mentions.services.configuration import subject_create",
                "from mentions.models import Team",
                *(
                    f"subject_create(key={k!r}, name={n!r}, kind={kind!r}, is_own={own!r}, "
                    f"aliases=[])"
                    for k, n, kind, own in SUBJECTS
                ),
                "Team.objects.get_or_create(key='support', defaults={'name': 'Support'})",
            ]
        )
        _manage(env, "shell", "-c", setup)
        with psycopg.connect(url) as conn:
            for statement in generation_sql(size):
                conn.execute(statement)
            conn.commit()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
        print(f"  generated {name}: {size:,} mentions in {time.perf_counter() - started:.0f} s")
    env["BENCH_READER"] = _token(env, "bench-manager", "manager")
    env["BENCH_OPERATOR"] = _token(env, "bench-operator", "operator")
    _manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from mentions.models import Team\n"
        "Team.objects.get(key='support').members.add("
        "get_user_model().objects.get(username='bench-operator'))",
    )
    return url, env


def _token(env: dict, username: str, role: str) -> str:
    return _manage(env, "create_api_token", username, "--role", role).split()[-1]


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
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
            "300",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status in (200, 503):
                return server, port
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def bench_paths(size: int) -> list[tuple[str, str, str, str]]:
    """(name, method, path, token variable). `{claimed}` is the id claim-next returned."""
    detail = max(size // 2, 1)
    return [
        ("list", "GET", "/api/v1/mentions/", "BENCH_READER"),
        ("list page 2", "GET", "{next}", "BENCH_READER"),
        (
            "platform=vk&status=processed",
            "GET",
            "/api/v1/mentions/?platform=vk&status=processed",
            "BENCH_READER",
        ),
        ("platform=vk", "GET", "/api/v1/mentions/?platform=vk", "BENCH_READER"),
        ("status=queued", "GET", "/api/v1/mentions/?status=queued", "BENCH_READER"),
        ("subject=priboy", "GET", "/api/v1/mentions/?subject=priboy", "BENCH_READER"),
        ("published_after", "GET", "/api/v1/mentions/?published_after={week_ago}", "BENCH_READER"),
        ("q=<word in 0.1%>", "GET", f"/api/v1/mentions/?q={quote(RARE_WORD)}", "BENCH_READER"),
        (
            "author_id=<5,000 mentions>",
            "GET",
            f"/api/v1/mentions/?author_id={HEAVY_AUTHOR}",
            "BENCH_READER",
        ),
        ("detail", "GET", f"/api/v1/mentions/{detail}/", "BENCH_READER"),
        ("authors", "GET", "/api/v1/authors/", "BENCH_READER"),
        ("authors segment=detractor", "GET", "/api/v1/authors/?segment=detractor", "BENCH_READER"),
        (
            "authors q=<unique surname>",
            "GET",
            f"/api/v1/authors/?q={quote(UNIQUE_SURNAME)}",
            "BENCH_READER",
        ),
        ("authors q=<handle>", "GET", "/api/v1/authors/?q=user_4242", "BENCH_READER"),
        ("profile <5,000 mentions>", "GET", f"/api/v1/authors/{HEAVY_AUTHOR}/", "BENCH_READER"),
        (
            "timeline <5,000 mentions>",
            "GET",
            f"/api/v1/authors/{HEAVY_AUTHOR}/timeline/",
            "BENCH_READER",
        ),
        ("queue", "GET", "/api/v1/queue/", "BENCH_OPERATOR"),
        ("claim-next", "POST", "/api/v1/queue/claim-next/", "BENCH_OPERATOR"),
        ("release", "POST", "/api/v1/mentions/{claimed}/release/", "BENCH_OPERATOR"),
    ]


CAPTURE = r"""
import json, sys
from urllib.parse import quote
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
spec = json.load(sys.stdin)
out = {}
tokens = spec["tokens"]
values = dict(spec["values"])
for name, method, path, token in spec["paths"]:
    path = path.format(**values)
    client = Client(HTTP_AUTHORIZATION="Token " + tokens[token])
    call = client.get if method == "GET" else client.post
    if name == "claim-next":  # warm, and give the mention back
        client.post("/api/v1/mentions/%s/release/" % call(path).json()["id"])
    elif name != "release":  # warm: the first call of a process loads what it loads once
        call(path)
    with CaptureQueriesContext(connection) as queries:
        response = call(path)
    if name == "claim-next":
        values["claimed"] = response.json()["id"]
    if name == "list":
        values["next"] = response.json()["next"].replace("http://testserver", "")
    out[name] = {"status": response.status_code, "path": path,
                 "sql": [q["sql"] for q in queries.captured_queries]}
print(json.dumps(out))
"""


def capture_sql(env: dict, paths, values: dict) -> dict:
    spec = {
        "paths": paths,
        "values": values,
        "tokens": {k: env[k] for k in ("BENCH_READER", "BENCH_OPERATOR")},
    }
    out = _manage(env, "shell", "-c", CAPTURE, stdin=json.dumps(spec))
    return json.loads(out.strip().splitlines()[-1])


def time_api(port: int, env: dict, paths, captured: dict, requests: int) -> dict[str, list]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    timings: dict[str, list[float]] = {}

    def call(method: str, path: str, token: str) -> tuple[float, int, bytes]:
        started = time.perf_counter()
        conn.request(method, path, headers={"Authorization": f"Token {env[token]}"})
        response = conn.getresponse()
        body = response.read()
        return time.perf_counter() - started, response.status, body

    for name, method, _, token in paths:
        if name in ("claim-next", "release"):
            continue
        path = captured[name]["path"]
        for _ in range(3):  # warm both workers
            call(method, path, token)
        samples = []
        for _ in range(requests):
            elapsed, status, _ = call(method, path, token)
            if status != 200:
                raise RuntimeError(f"{name}: {path} answered {status}")
            samples.append(elapsed)
        timings[name] = samples
    claims, releases = [], []
    for n in range(requests + 3):
        elapsed, status, body = call("POST", "/api/v1/queue/claim-next/", "BENCH_OPERATOR")
        if status != 200:
            raise RuntimeError(f"claim-next answered {status}")
        mention_id = json.loads(body)["id"]
        released, status, _ = call(
            "POST", f"/api/v1/mentions/{mention_id}/release/", "BENCH_OPERATOR"
        )
        if status != 200:
            raise RuntimeError(f"release answered {status}")
        if n >= 3:
            claims.append(elapsed)
            releases.append(released)
    timings["claim-next"], timings["release"] = claims, releases
    return timings


def time_sql(url: str, captured: dict, requests: int) -> dict[str, list]:
    import psycopg

    timings = {}
    with psycopg.connect(url) as conn:
        for name, entry in captured.items():
            statements = entry["sql"]
            samples = []
            for n in range(requests + 3):
                started = time.perf_counter()
                with conn.cursor() as cur:
                    for statement in statements:
                        cur.execute(statement.replace("%", "%%"))
                        if cur.description:
                            cur.fetchall()
                elapsed = time.perf_counter() - started
                conn.rollback()
                if n >= 3:
                    samples.append(elapsed)
            timings[name] = samples
    return timings


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def update_stats(url: str) -> tuple[int, int, int]:
    """(updates, HOT updates, indexes) of the mention table, from PostgreSQL's statistics."""
    import psycopg

    time.sleep(1.5)  # backends flush their counters about once a second
    with psycopg.connect(url) as conn:
        updates, hot = conn.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables "
            "WHERE relname = 'mentions_mention'"
        ).fetchone()
        (indexes,) = conn.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'mentions_mention'"
        ).fetchone()
    return updates, hot, indexes


def run_size(base: str, size: int, args) -> dict:
    print(f"\n== {size:,} mentions")
    url, env = prepare_database(base, size, args.reuse)
    paths = bench_paths(size)
    if args.only:
        wanted = set(args.only.split(","))
        paths = [p for p in paths if p[0] in wanted or p[0] in ("list", "claim-next", "release")]
    from datetime import UTC, datetime, timedelta

    week_ago = (datetime.now(UTC) - timedelta(days=7)).replace(microsecond=0)
    values = {"week_ago": week_ago.isoformat().replace("+00:00", "Z")}
    captured = capture_sql(env, paths, values)
    server, port = start_server(env, args.workers)
    try:
        updates_before, hot_before, _ = update_stats(url)
        api = time_api(port, env, paths, captured, args.requests)
        updates_after, hot_after, indexes = update_stats(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
    bare = time_sql(url, captured, args.requests)
    rows = {}
    print(
        f"{'path':32} {'queries':>7} {'API p50':>9} {'p95':>8} {'p99':>8} "
        f"{'SQL p50':>9} {'SQL p99':>8} {'API/SQL':>8}"
    )
    for name, *_ in paths:
        a, b = api[name], bare[name]
        row = {
            "queries": len(captured[name]["sql"]),
            "api_p50": _pct(a, 0.5),
            "api_p95": _pct(a, 0.95),
            "api_p99": _pct(a, 0.99),
            "sql_p50": _pct(b, 0.5),
            "sql_p99": _pct(b, 0.99),
        }
        row["ratio"] = row["api_p50"] / row["sql_p50"] if row["sql_p50"] else float("nan")
        rows[name] = row
        print(
            f"{name:32} {row['queries']:>7} {row['api_p50']:>7.1f}ms {row['api_p95']:>6.1f}ms "
            f"{row['api_p99']:>6.1f}ms {row['sql_p50']:>7.1f}ms {row['sql_p99']:>6.1f}ms "
            f"{row['ratio']:>7.1f}x"
        )
    updates, hot = updates_after - updates_before, hot_after - hot_before
    print(
        f"claim-next + release: {updates} row updates of mentions, {hot} of them HOT; the table "
        f"has {indexes} indexes (a non-HOT update adds an entry to each whose predicate holds)"
    )
    if args.show_sql:
        for name, entry in captured.items():
            print(f"\n-- {name}: {entry['path']}")
            for statement in entry["sql"]:
                print(statement + ";")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mentions",
        default="10000,1000000",
        help="Comma-separated sizes, smallest first (a quick run: --mentions 10000).",
    )
    parser.add_argument("--requests", type=int, default=60, help="Timed requests per path.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument(
        "--reuse", action="store_true", help="Keep an existing data set; only migrate it forward."
    )
    parser.add_argument("--show-sql", action="store_true", help="Print the captured SQL.")
    parser.add_argument(
        "--only", help="Comma-separated path names to run (as printed), e.g. 'detail,queue'."
    )
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the data set is generated in SQL).")
    sizes = [int(s.replace("_", "")) for s in args.mentions.split(",")]
    print(
        f"sizes: {sizes}  requests per path: {args.requests}  gunicorn workers: {args.workers}  "
        f"cores: {os.cpu_count()}"
    )
    results = {size: run_size(base, size, args) for size in sizes}
    if len(sizes) > 1:
        small, large = results[sizes[0]], results[sizes[-1]]
        print(f"\n== growth {sizes[-1]:,} / {sizes[0]:,} (p50)")
        print(f"{'path':32} {'API':>7} {'SQL':>7}")
        for name in large:
            print(
                f"{name:32} {large[name]['api_p50'] / small[name]['api_p50']:>6.2f}x "
                f"{large[name]['sql_p50'] / small[name]['sql_p50']:>6.2f}x"
            )
    if args.json:
        args.json.write_text(json.dumps({str(k): v for k, v in results.items()}, indent=1))


if __name__ == "__main__":
    main()
