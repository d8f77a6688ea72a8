"""Reports benchmark: each report through the API against the bare SQL aggregate it stands for.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrm python bench/reports.py \
        [--mentions 200000] [--days 90] [--runs 5] [--keep]

What it does, in one run on this machine:
1. creates a fresh database `<name>_reports_bench` next to DATABASE_URL's and migrates it (with
   `--keep` and the database already loaded with as many mentions, it reuses it);
2. generates, in SQL (`INSERT … SELECT FROM generate_series`, no API), `--mentions` mentions
   over the year up to today: 6 tracked subjects (4 ours, 2 competitors), 15% of mentions
   naming two, 10% press, every consumer-cycle category (noise included), sentiments, engagement
   and reach, 20,000 authors with segments, questions with answers, closes and SLAs; then
   ANALYZE;
   builds the daily roll-ups (`analytics.rollups.rebuild`, timed);
3. for each report over the last `--days` days by day: the median of `--runs` calls through the
   API (Django's test client, in process: routing, authentication, parameter validation,
   the report's queries, JSON rendering) beside the median of the bare SQL aggregate that
   computes the same figures from the mentions (written by hand, run with psycopg in the same
   process), and their ratio; for the four reports that read the roll-ups, also beside the
   bare aggregate over the roll-ups (the SQL the report itself stands on);
4. prints the plan of the Share of Voice aggregate (which index reads the range).

Not a test: it measures. Nothing here asserts a number.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TZ = "Europe/Moscow"


def _bench_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_reports_bench"))


def _admin(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def prepare_database(url: str, keep: bool) -> bool:
    """Create the bench database; True if it exists and is to be reused."""
    name = urlsplit(url).path.lstrip("/")
    with _admin(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return True
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


GENERATE = """
INSERT INTO mentions_source (key, name, kind, secret, active, created_at, updated_at)
SELECT 'bench-' || n, 'Bench source ' || n, 'generic', md5(n::text), true, now(), now()
FROM generate_series(1, 3) n ON CONFLICT (key) DO NOTHING;

INSERT INTO mentions_trackedsubject (key, name, kind, is_own, aliases, active, created_at,
                                     updated_at)
VALUES ('own-1', 'Ours', 'company', true, '[]', true, now(), now()),
       ('own-2', 'Our brand', 'brand', true, '[]', true, now(), now()),
       ('own-3', 'Our product', 'product', true, '[]', true, now(), now()),
       ('own-4', 'Our CEO', 'person', true, '[]', true, now(), now()),
       ('rival-1', 'Rival one', 'competitor', false, '[]', true, now(), now()),
       ('rival-2', 'Rival two', 'competitor', false, '[]', true, now(), now())
ON CONFLICT (key) DO NOTHING;

INSERT INTO authors_author (display_name, segment, segment_pinned, labels, crm_external_id,
                            do_not_contact, created_at, updated_at)
SELECT 'Author ' || n,
       (ARRAY['advocate','detractor','influencer','customer','unknown','unknown'])[1 + n % 6],
       false, '[]', '', false, now(), now()
FROM generate_series(1, 20000) n;

INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                       is_active, date_joined)
SELECT '!', false, 'bench-operator-' || n, '', '', '', true, true, now()
FROM generate_series(1, 5) n;

CREATE TEMP TABLE bench_ids AS SELECT
  (SELECT array_agg(id ORDER BY id) FROM mentions_source WHERE key LIKE 'bench-%') AS sources,
  (SELECT array_agg(id ORDER BY id) FROM mentions_trackedsubject) AS subjects,
  (SELECT array_agg(id ORDER BY id) FROM mentions_category) AS categories,
  (SELECT min(id) FROM authors_author) AS first_author,
  (SELECT array_agg(id ORDER BY id) FROM auth_user WHERE username LIKE 'bench-operator-%') AS ops,
  (SELECT array_agg(id ORDER BY id) FROM mentions_team) AS teams;

INSERT INTO mentions_mention (
  external_id, url, platform, source_type, text, title, language, published_at, collected_at,
  likes, comments, reposts, views, reach, parent_external_id, discussion_id, source_sentiment,
  raw, status, processing_attempts, created_at, updated_at, author_id, source_id,
  main_subject_id, category_confidence, category_method, classifier_version, needs_response,
  priority, priority_is_manual, priority_rank, resolution, sentiment, sentiment_method,
  category_id, processing_error
)
SELECT 'bench-' || n, '',
       (ARRAY['vk','telegram','twitter','instagram','forum','review_site'])[1 + n % 6],
       CASE WHEN n % 10 = 0 THEN 'media' ELSE 'social' END, '', '', 'ru', p, p,
       (n * 7919) % 200, (n * 104729) % 40, (n * 1299709) % 25, (n * 15485863) % 5000,
       (n * 32452843) % 50000, '', '', '', '{}', 'processed', 1, p, p,
       b.first_author + (n * 7) % 20000, b.sources[1 + n % 3], b.subjects[1 + n % 6], 0.9,
       'model', 'bench', false, 'normal', false, 2, '',
       (ARRAY['positive','neutral','negative','neutral',''])[1 + n % 5], 'model',
       CASE WHEN n % 11 = 0 THEN NULL
            ELSE b.categories[1 + (n * 31) % array_length(b.categories, 1)] END,
       ''
FROM bench_ids b,
     LATERAL generate_series(1::bigint, %(mentions)s) n,
     LATERAL (SELECT now() - ((n * 2654435761) % (365 * 86400)) * interval '1 second' AS p) t;

UPDATE mentions_mention m SET
  needs_response = true,
  status = CASE WHEN m.id % 3 = 0 THEN 'answered' WHEN m.id % 7 = 0 THEN 'closed' ELSE 'queued' END,
  sla_due_at = m.created_at + interval '240 minutes',
  team_id = b.teams[1],
  answered_at = CASE WHEN m.id % 3 = 0
                     THEN m.created_at + ((m.id * 37) % 900) * interval '1 minute' END,
  claimed_by_id = CASE WHEN m.id % 3 = 0 THEN b.ops[1 + m.id % 5] END,
  closed_at = CASE WHEN m.id % 3 <> 0 AND m.id % 7 = 0 THEN m.created_at + interval '30 minutes' END
FROM bench_ids b, mentions_category c
WHERE c.id = m.category_id AND c.needs_response;

-- Two answered questions in three were answered by a reply sent through scrm, sent 1 to 10
-- minutes before the answer was recorded, written by another operator than the holder.
INSERT INTO responses_reply (
  mention_id, origin, body, signature, signed_as, status, needs_approval, approval_reasons,
  reject_reason, publisher, send_attempts, last_error, external_url, external_id, created_at,
  updated_at, created_by_id, sent_by_id, sent_at, response_seconds, queue_response_seconds
)
SELECT m.id, 'free_text', 'Thank you', 'official', '', 'sent', false, '[]', '', 'manual', 0, '',
       '', '', m.answered_at, m.answered_at, b.ops[1 + (m.id + 1) % 5], b.ops[1 + (m.id + 1) % 5],
       m.answered_at - (1 + m.id % 10) * interval '1 minute', 0, 0
FROM mentions_mention m, bench_ids b
WHERE m.answered_at IS NOT NULL AND m.id % 9 <> 0;

INSERT INTO mentions_mentionsubject (mention_id, subject_id, is_main)
SELECT id, main_subject_id, true FROM mentions_mention;
INSERT INTO mentions_mentionsubject (mention_id, subject_id, is_main)
SELECT m.id, b.subjects[1 + (m.id + 4) % 6], false
FROM mentions_mention m, bench_ids b WHERE m.id % 7 = 0
ON CONFLICT DO NOTHING;

ANALYZE;
"""

# The bare aggregates: the same figures, hand-written, as one would ask the database directly
# (every statement a report's figures need: a report that also breaks down by subject runs the
# subject aggregate too). Share of Voice and sentiment read (mention, subject) pairs.
NOISE = "(m.category_id IS NULL OR NOT c.is_noise)"
BUCKET = f"date_trunc('day', m.published_at AT TIME ZONE '{TZ}')"
RANGE = "m.published_at >= %(start)s AND m.published_at < %(end)s"
PAIRS = """mentions_mentionsubject ms JOIN mentions_mention m ON m.id = ms.mention_id
        LEFT JOIN mentions_category c ON c.id = m.category_id"""
MENTIONS = "mentions_mention m LEFT JOIN mentions_category c ON c.id = m.category_id"
SUMS = "count(*), sum(m.likes), sum(m.comments), sum(m.reposts), sum(m.views), sum(m.reach)"
BARE = {
    "share-of-voice": [
        f"""SELECT ms.subject_id, {BUCKET}, count(*), count(*) FILTER (WHERE ms.is_main)
        FROM {PAIRS} WHERE {RANGE} AND {NOISE} GROUP BY 1, 2""",
    ],
    "sentiment": [
        f"""SELECT ms.subject_id, {BUCKET}, m.source_type, m.sentiment, count(*)
        FROM {PAIRS} WHERE {RANGE} AND {NOISE} AND m.sentiment <> '' GROUP BY 1, 2, 3, 4""",
        f"""SELECT {BUCKET}, m.source_type, m.sentiment, count(*)
        FROM {MENTIONS} WHERE {RANGE} AND {NOISE} AND m.sentiment <> '' GROUP BY 1, 2, 3""",
    ],
    "engagement": [
        f"""SELECT m.platform, {BUCKET}, {SUMS}
        FROM {MENTIONS} WHERE {RANGE} AND {NOISE} GROUP BY 1, 2""",
        f"""SELECT ms.subject_id, {BUCKET}, {SUMS}
        FROM {PAIRS} WHERE {RANGE} AND {NOISE} GROUP BY 1, 2""",
    ],
    "consumer-cycle": [
        f"""SELECT m.category_id, {BUCKET}, count(*)
        FROM {MENTIONS} WHERE {RANGE} AND {NOISE} GROUP BY 1, 2""",
        """SELECT previous, category_id, count(*), count(DISTINCT author_id) FROM (
            SELECT m.author_id, m.category_id, m.published_at, lag(m.category_id) OVER (
                PARTITION BY m.author_id ORDER BY m.published_at, m.id) AS previous
            FROM mentions_mention m JOIN mentions_category c ON c.id = m.category_id
            WHERE m.published_at >= %(lookback)s AND m.published_at < %(end)s
              AND m.author_id IS NOT NULL AND c.is_stage AND NOT c.is_noise) steps
        WHERE published_at >= %(start)s AND previous <> category_id GROUP BY 1, 2""",
    ],
    "support": [
        f"""SELECT {BUCKET} AS day, m.category_id, m.team_id, first.operator, count(*),
               count(first.at), count(m.closed_at) FILTER (WHERE first.at IS NULL),
               count(r.reopened_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY first.at - m.created_at),
               percentile_disc(0.9) WITHIN GROUP (ORDER BY first.at - m.created_at),
               count(*) FILTER (WHERE coalesce(first.at, m.closed_at, now()) > m.sla_due_at)
        FROM {MENTIONS}
        LEFT JOIN LATERAL (SELECT rp.sent_at, rp.created_by_id FROM responses_reply rp
                           WHERE rp.mention_id = m.id AND rp.status = 'sent'
                             AND rp.corrects_id IS NULL
                           ORDER BY rp.sent_at, rp.id LIMIT 1) reply ON true
        LEFT JOIN LATERAL (SELECT min(e.created_at) AS reopened_at FROM mentions_queueevent e
                           WHERE e.mention_id = m.id AND e.kind = 'reopened') r ON true
        CROSS JOIN LATERAL (SELECT CASE WHEN reply.sent_at IS NOT NULL THEN reply.sent_at
                                        WHEN m.answered_at IS NOT NULL
                                        THEN least(m.answered_at, r.reopened_at) END AS at,
                                   coalesce(reply.created_by_id, m.claimed_by_id) AS operator
                           ) first
        WHERE {RANGE} AND {NOISE} AND m.needs_response
        GROUP BY GROUPING SETS ((), (1), (2), (3), (4))""",
    ],
    "advocates": [
        f"""SELECT m.author_id, a.segment, min(m.published_at)
        FROM {MENTIONS} JOIN authors_author a ON a.id = m.author_id
        WHERE m.published_at < %(end)s AND {NOISE} AND a.segment IN ('advocate', 'detractor')
        GROUP BY 1, 2""",
        f"""SELECT DISTINCT m.author_id FROM {MENTIONS} JOIN authors_author a ON a.id = m.author_id
        WHERE {RANGE} AND {NOISE} AND a.segment IN ('advocate', 'detractor')""",
        *(
            f"""SELECT m.author_id, count(*), sum(m.reach) FROM {MENTIONS}
            JOIN authors_author a ON a.id = m.author_id
            WHERE {RANGE} AND {NOISE} AND a.segment = '{segment}'
            GROUP BY 1 ORDER BY 2 DESC LIMIT 10"""
            for segment in ("advocate", "detractor", "influencer")
        ),
    ],
}


# The same figures from the daily roll-ups (what the four mention-count reports read): the
# hand-written aggregate over `analytics_mentionday` for the range, noise out.
R_NOISE = (
    "(d.category_id = 0 OR d.category_id IN (SELECT id FROM mentions_category WHERE NOT is_noise))"
)
R_RANGE = "d.day >= %(first)s AND d.day <= %(last)s AND d.with_subject_id = 0"
R_SUMS = (
    "sum(d.mentions), sum(d.likes), sum(d.comments), sum(d.reposts), sum(d.views), sum(d.reach)"
)
ROLLUP_BARE = {
    "share-of-voice": [
        f"""SELECT d.subject_id, d.day, sum(d.mentions), sum(d.main) FROM analytics_mentionday d
        WHERE {R_RANGE} AND d.subject_id <> 0 AND {R_NOISE} GROUP BY 1, 2""",
    ],
    "sentiment": [
        f"""SELECT d.subject_id, d.day, d.source_type, d.sentiment, sum(d.mentions)
        FROM analytics_mentionday d WHERE {R_RANGE} AND d.subject_id <> 0 AND {R_NOISE}
        AND d.sentiment <> '' GROUP BY 1, 2, 3, 4""",
        f"""SELECT d.day, d.source_type, d.sentiment, sum(d.mentions)
        FROM analytics_mentionday d WHERE {R_RANGE} AND d.subject_id = 0 AND {R_NOISE}
        AND d.sentiment <> '' GROUP BY 1, 2, 3""",
    ],
    "engagement": [
        f"""SELECT d.platform, d.day, {R_SUMS} FROM analytics_mentionday d
        WHERE {R_RANGE} AND d.subject_id = 0 AND {R_NOISE} GROUP BY 1, 2""",
        f"""SELECT d.subject_id, d.day, {R_SUMS} FROM analytics_mentionday d
        WHERE {R_RANGE} AND d.subject_id <> 0 AND {R_NOISE} GROUP BY 1, 2""",
    ],
    "consumer-cycle": [
        f"""SELECT d.category_id, d.day, sum(d.mentions) FROM analytics_mentionday d
        WHERE {R_RANGE} AND d.subject_id = 0 AND {R_NOISE} GROUP BY 1, 2""",
        BARE["consumer-cycle"][1],  # the moves between stages read the mentions
    ],
}


def _medians_ms(first, second, runs: int) -> tuple[float, float]:
    """Both medians, the two runs interleaved so that both see the same load on the machine."""
    first(), second()  # warm
    times: tuple[list, list] = ([], [])
    for _ in range(runs):
        for run, into in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            run()
            into.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse a loaded bench database")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the bench makes its own next to it).")
    url = _bench_url(base)
    reuse = prepare_database(url, args.keep)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SCRM_ENV", "test")  # no secret key needed; nothing is sent
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrm.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed; e-mail stays in memory
    from django.core.management import call_command
    from django.db import connection

    from mentions.models import Mention

    if reuse and Mention.objects.count() == args.mentions:
        print(f"reusing {url} with {args.mentions:,} mentions")
    else:
        if reuse:
            sys.exit("The kept database holds another number of mentions: run without --keep.")
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(GENERATE.replace("%(mentions)s", str(int(args.mentions))))
        print(f"generated {args.mentions:,} mentions in {time.perf_counter() - started:.1f} s")
        from analytics import rollups

        started = time.perf_counter()
        rows = rollups.rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE analytics_mentionday")
        print(f"built the daily roll-ups: {rows:,} rows in {time.perf_counter() - started:.1f} s")

    from datetime import datetime, timedelta
    from datetime import time as dtime
    from zoneinfo import ZoneInfo

    from django.test import Client

    from scrm.roles import Role
    from tests.conftest import client_for
    from tests.factories import UserFactory

    zone = ZoneInfo(TZ)
    today = datetime.now(zone).date()
    first = today - timedelta(days=args.days - 1)
    start = datetime.combine(first, dtime.min, tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), dtime.min, tzinfo=zone)
    manager = UserFactory(username="bench-manager", roles=[Role.MANAGER.value])
    client = client_for(manager)
    assert isinstance(client, Client)
    query = f"date_from={first}&date_to={today}&interval=day&tz={TZ}"

    print(
        f"\n{args.mentions:,} mentions over a year; reports over the last {args.days} days by day "
        f"({first} – {today}); median of {args.runs} runs\n"
    )
    print(
        f"{'report':<16} {'API ms':>9} {'bare SQL ms':>12} {'ratio':>6}"
        f" {'bare roll-up SQL ms':>20} {'ratio':>6}  answer"
    )
    lookback = start - timedelta(days=90)
    values = {"start": start, "end": end, "lookback": lookback, "first": first, "last": today}
    for name, statements in BARE.items():

        def api(name=name):
            response = client.get(f"/api/v1/reports/{name}/?{query}")
            assert response.status_code == 200, response.content
            return response

        def bare(statements=statements):
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql, values)
                    cursor.fetchall()

        api_ms, bare_ms = _medians_ms(api, bare, args.runs)
        rolled = ""
        if name in ROLLUP_BARE:

            def bare_rollup(statements=ROLLUP_BARE[name]):
                bare(statements)

            _, rollup_ms = _medians_ms(api, bare_rollup, args.runs)
            rolled = f"{rollup_ms:>20.1f} {api_ms / rollup_ms:>6.2f}"
        else:
            rolled = f"{'(reads the mentions)':>20} {'':>6}"
        size = len(json.dumps(api().json()))
        print(
            f"{name:<16} {api_ms:>9.1f} {bare_ms:>12.1f} {api_ms / bare_ms:>6.2f} {rolled}"
            f"  {size:,} B"
        )

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + BARE["share-of-voice"][0], values)
        print("\nplan of the Share of Voice aggregate:")
        for (line,) in cursor.fetchall():
            print("  " + line)


if __name__ == "__main__":
    main()
