"""Answer-archive benchmark: the API's archive pages beside the bare SQL of the same page, and
the CSV export's memory and rate.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrm python bench/archive.py [--replies 100000]

What it does, in one run on this machine:
1. creates a fresh database `<name>_archive_bench` next to DATABASE_URL's and migrates it;
2. stores `--replies` sent replies to as many mentions (bulk inserts; 6 operators, 2 approvers,
   4 platforms, the seeded categories, a subject on every third mention);
3. times, in-process through the API (token authentication, the real views and serializers),
   the archive's first page and a filtered page (`operator`, `platform`, `sent_after`), 50 rows
   each, median of 15 calls after 3 warm-ups, beside the bare SQL that reads the same 50 rows
   with the same joins and the subjects of those mentions (median of 15);
4. streams `?format=csv` of a sixth of the rows (one operator), then of all of them, and
   prints each export's rows per second and the process's peak RSS after it (RSS only grows,
   so a flat export shows as a peak that does not move with six times the rows).

Not a test: it measures. Nothing here asserts a number. Drop the database afterwards with
`dropdb <name>_archive_bench`.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from datetime import UTC, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    *("интернет", "тариф", "роутер", "поддержка", "деньги", "списали"),
    *("опять", "спасибо", "быстро", "связь", "вышка"),
)
PLATFORMS = ("vk", "telegram", "twitter", "forum")
BARE_SQL = """
SELECT r.id, r.sent_at, r.body, r.signed_as, r.origin, r.response_seconds,
       r.queue_response_seconds, r.external_url, r.publisher, r.corrects_id,
       m.id, m.text, m.title, m.url, m.platform, m.published_at,
       c.key, a.id, a.display_name, op.username, ap.username, t.key, v.article_id, v.number
FROM responses_reply r
JOIN mentions_mention m ON m.id = r.mention_id
LEFT JOIN mentions_category c ON c.id = m.category_id
LEFT JOIN authors_author a ON a.id = m.author_id
JOIN auth_user op ON op.id = r.created_by_id
LEFT JOIN auth_user ap ON ap.id = r.approved_by_id
LEFT JOIN responses_responsetemplate t ON t.id = r.template_id
LEFT JOIN knowledge_base_articleversion v ON v.id = r.article_version_id
WHERE r.status = 'sent' {where}
ORDER BY r.sent_at DESC, r.id DESC
LIMIT 50
"""
SUBJECTS_SQL = """
SELECT ms.mention_id, s.key FROM mentions_mentionsubject ms
JOIN mentions_trackedsubject s ON s.id = ms.subject_id
WHERE ms.mention_id = ANY(%s) ORDER BY ms.is_main DESC, ms.id
"""


def _bench_url(base: str) -> str:
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "scrm"
    return urlunsplit(parts._replace(path=f"/{name}_archive_bench"))


def _create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _populate(count: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from mentions.models import Category, Mention, MentionSubject, Source, TrackedSubject
    from responses.models import Reply

    User = get_user_model()
    operators = [User.objects.create(username=f"op{n}") for n in range(6)]
    approvers = [User.objects.create(username=f"mgr{n}") for n in range(2)]
    categories = list(Category.objects.all())
    subject = TrackedSubject.objects.create(key="ladoga", name="Ладога", kind="company")
    source = Source.objects.get(key="api")
    rng = random.Random(7)
    start = timezone.now() - timedelta(days=365)
    step = timedelta(days=365) / count
    batch = 5000
    for offset in range(0, count, batch):
        mentions = []
        for n in range(offset, min(offset + batch, count)):
            published = start + step * n
            mentions.append(
                Mention(
                    source=source,
                    external_id=f"bench-{n}",
                    url=f"https://vk.com/wall-1_{n}",
                    platform=PLATFORMS[n % len(PLATFORMS)],
                    text=" ".join(rng.choices(WORDS, k=12)),
                    published_at=published,
                    collected_at=published,
                    category=categories[n % len(categories)],
                    status=Mention.Status.ANSWERED,
                    answered_at=published + timedelta(minutes=30),
                    processed_at=published + timedelta(minutes=1),
                )
            )
        Mention.objects.bulk_create(mentions, batch_size=batch)
        MentionSubject.objects.bulk_create(
            [MentionSubject(mention=m, subject=subject, is_main=True) for m in mentions[::3]]
        )
        replies = []
        for m in mentions:
            n = int(m.external_id.split("-")[1])
            replies.append(
                Reply(
                    mention=m,
                    origin=Reply.Origin.FREE_TEXT,
                    body="Спасибо, разберёмся: " + " ".join(rng.choices(WORDS, k=20)),
                    signature=Reply.Signature.OFFICIAL,
                    signed_as="— Команда Ладога Телеком",
                    status=Reply.Status.SENT,
                    created_by=operators[n % len(operators)],
                    approved_by=approvers[n % 2] if n % 3 == 0 else None,
                    sent_by=operators[n % len(operators)],
                    sent_at=m.published_at + timedelta(minutes=30),
                    publisher="manual",
                    external_url=f"https://vk.com/wall-1_{n}?reply=1",
                    response_seconds=1800,
                    queue_response_seconds=1740,
                )
            )
        Reply.objects.bulk_create(replies, batch_size=batch)
        print(f"  stored {min(offset + batch, count):,} replies", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"operator": operators[1].username, "start": start}


def _median_ms(fn, runs: int = 15, warm: int = 3) -> float:
    for _ in range(warm):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _bare(where: str, params: list) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL.format(where=where), params)
        rows = cursor.fetchall()
        cursor.execute(SUBJECTS_SQL, [[row[10] for row in rows]])
        cursor.fetchall()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=100_000)
    parser.add_argument(
        "--reuse", action="store_true", help="Measure the database an earlier run filled."
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    url = _bench_url(base)
    if not args.reuse:
        _create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SCRM_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    if args.reuse:
        from django.db.models import Min

        from responses.models import Reply

        first = Reply.objects.aggregate(first=Min("sent_at"))["first"]
        facts = {"operator": "op1", "start": first - timedelta(minutes=30)}
        print(f"Database {url.rsplit('/', 1)[1]}: {Reply.objects.count():,} replies (reused)")
    else:
        print(f"Database {url.rsplit('/', 1)[1]}: storing {args.replies:,} sent replies…")
        t0 = time.perf_counter()
        facts = _populate(args.replies)
        print(f"  in {time.perf_counter() - t0:.0f} s")

    from django.contrib.auth import get_user_model
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    from scrm.roles import Role

    manager, _ = get_user_model().objects.get_or_create(username="bench-manager")
    from django.contrib.auth.models import Group

    manager.groups.add(Group.objects.get(name=Role.MANAGER.value))
    _, token = AuthToken.objects.create(user=manager, expiry=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    after = (facts["start"] + timedelta(days=180)).astimezone(UTC)
    filtered = (
        f"operator={facts['operator']}&platform=telegram&sent_after={after:%Y-%m-%dT%H:%M:%SZ}"
    )

    def api(query):
        def call():
            response = client.get(f"/api/v1/responses/archive/?page_size=50&{query}")
            assert response.status_code == 200, response.content
            assert len(response.json()["results"]) == 50

        return call

    first_api = _median_ms(api(""))
    first_sql = _median_ms(lambda: _bare("", []))
    filt_api = _median_ms(api(filtered))
    filt_sql = _median_ms(
        lambda: _bare(
            "AND op.username = %s AND m.platform = %s AND r.sent_at >= %s",
            [facts["operator"], "telegram", after],
        )
    )
    print("\nArchive page of 50 rows (median ms): API | bare SQL | ratio")
    print(f"  first page     {first_api:7.1f} | {first_sql:7.1f} | {first_api / first_sql:4.1f}×")
    print(f"  filtered page  {filt_api:7.1f} | {filt_sql:7.1f} | {filt_api / filt_sql:4.1f}×")

    print("\nCSV export: rows, seconds, rows/s, peak RSS after it (MB)")
    print(f"  before any export: peak RSS {_peak_rss_mb():.0f} MB")
    for label, query in (("a sixth", f"operator={facts['operator']}"), ("all", "")):
        t0 = time.perf_counter()
        response = client.get(f"/api/v1/responses/archive/?format=csv&{query}")
        chunks = sum(1 for _ in response.streaming_content)  # one per row, the header first
        seconds = time.perf_counter() - t0
        rows = chunks - 1
        print(
            f"  {label:8} {rows:8,} rows  {seconds:6.1f} s  {rows / seconds:8,.0f} rows/s  "
            f"peak RSS {_peak_rss_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
