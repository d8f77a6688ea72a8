"""Knowledge-base search benchmark: suggestions through the API over 100,000 articles, beside the
bare PostgreSQL full-text query for the same words, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrm python bench/kb_search.py \
        [--articles 100000] [--mentions 300]

What it does:
1. creates a fresh database `<name>_kbbench` next to DATABASE_URL's and migrates it;
2. writes `--articles` published articles in SQL (questions, two phrasings and an answer drawn
   from a support vocabulary), and their passages with unit vectors of the search embedder's
   width and name, COPYed in: embedding 100,000 articles with e5 would take an hour here, and
   the latency of a search does not depend on what the vectors say. `--mentions` mentions are
   ingested through the API, each with a stored vector (processing keeps one per mention);
3. starts gunicorn (production settings, two workers), builds each worker's index with one
   untimed call (reported), then asks `GET /api/v1/mentions/<id>/suggestions/` for every
   mention, one at a time on a keep-alive connection;
4. runs, through psycopg, the bare full-text query for the same mention's words (an OR of its
   lexemes over the article GIN index, ranked, LIMIT 5);
5. prints the median and p95 of both and their ratio.

Not a test: it measures. Nothing here asserts a number.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ingest as base  # the ingest benchmark: database and server helpers

VOCABULARY = [
    "тариф",
    "роуминг",
    "интернет",
    "связь",
    "номер",
    "сим",
    "карта",
    "баланс",
    "деньги",
    "списание",
    "абонентская",
    "плата",
    "подключить",
    "отключить",
    "услуга",
    "пакет",
    "минуты",
    "гигабайты",
    "скорость",
    "роутер",
    "приставка",
    "телевидение",
    "доставка",
    "заказ",
    "курьер",
    "возврат",
    "гарантия",
    "ремонт",
    "офис",
    "салон",
    "приложение",
    "личный",
    "кабинет",
    "пароль",
    "вход",
    "оплата",
    "счёт",
    "договор",
    "перенос",
    "переезд",
    "адрес",
    "мастер",
    "заявка",
    "жалоба",
    "компенсация",
    "бонусы",
    "кешбэк",
    "акция",
    "скидка",
    "семейный",
    "детский",
    "корпоративный",
    "безлимит",
    "ночной",
    "выходные",
    "заграница",
    "европа",
    "турция",
    "eSIM",
    "часы",
    "планшет",
    "модем",
    "сигнал",
    "покрытие",
    "вышка",
    "дача",
    "город",
    "область",
]
OPENERS = ["Как", "Почему", "Можно ли", "Где", "Сколько стоит", "Что делать, если"]


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def embedder_names(env: dict) -> tuple[str, str, int]:
    out = base._manage(
        env,
        "shell",
        "-c",
        "from knowledge_base import search\n"
        "print(search.search_embedder().name)\n"
        "print(search.passage_embedder().name)\n"
        "print(search.search_embedder().dim)\n",
    )
    query, passage, dim = out.strip().splitlines()[-3:]
    return query, passage, int(dim)


def _unit_vectors(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def write_articles(url: str, count: int, names: tuple[str, str, int]) -> float:
    """Articles and passages, generated; returns the seconds it took."""
    query_name, passage_name, dim = names
    rng, vectors_rng = random.Random(11), np.random.default_rng(11)
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=False) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY knowledge_base_article (id, question, phrasings, answer, language, tags, "
            "status, version, published_at, created_at, updated_at) FROM STDIN"
        ) as copy:
            for pk in range(1, count + 1):
                question = f"{rng.choice(OPENERS)} {_phrase(rng, 4)}?"
                phrasings = json.dumps([_phrase(rng, 5), _phrase(rng, 6)], ensure_ascii=False)
                answer = f"{_phrase(rng, 12)}. {_phrase(rng, 10)}."
                copy.write_row(
                    (
                        pk,
                        question,
                        phrasings,
                        answer,
                        "ru",
                        "[]",
                        "published",
                        1,
                        "now()",
                        "now()",
                        "now()",
                    )
                )
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('knowledge_base_article', 'id'), %s)", [count]
        )
        cur.execute("SELECT id, question, phrasings, answer FROM knowledge_base_article")
        articles = cur.fetchall()
        with cur.copy(
            "COPY knowledge_base_articlepassage (article_id, version, kind, text, embedder, "
            "vector) FROM STDIN"
        ) as copy:
            for start in range(0, len(articles), 10_000):
                chunk = articles[start : start + 10_000]
                heads = _unit_vectors(vectors_rng, 3 * len(chunk), dim)
                fulls = _unit_vectors(vectors_rng, len(chunk), dim)
                for i, (pk, question, phrasings, answer) in enumerate(chunk):
                    for j, (kind, text) in enumerate(
                        [("question", question)] + [("phrasing", p) for p in phrasings]
                    ):
                        copy.write_row((pk, 1, kind, text, query_name, heads[3 * i + j].tobytes()))
                    whole = "\n".join([question, *phrasings, answer])
                    copy.write_row((pk, 1, "answer", whole, passage_name, fulls[i].tobytes()))
        conn.commit()
        cur.execute("ANALYZE")
    return time.perf_counter() - started


def ingest_mentions(port: int, token: str, count: int) -> list[tuple[int, str]]:
    rng = random.Random(23)
    texts = [
        f"{rng.choice(['Подскажите', 'Ладога, ответьте', 'Опять', 'Скажите'])}, "
        f"{_phrase(rng, rng.randint(6, 16))}"
        for _ in range(count)
    ]
    items = [
        {
            "external_id": f"kb-bench-{i}",
            "platform": "vk",
            "text": text,
            "published_at": "2026-11-20T10:00:00+03:00",
        }
        for i, text in enumerate(texts)
    ]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(
        "POST",
        "/api/v1/mentions/bulk/",
        body=json.dumps({"mentions": items}),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    body = json.loads(conn.getresponse().read())
    refused = [row for row in body["results"] if row.get("id") is None]
    if refused:
        raise RuntimeError(f"{len(refused)} mentions refused, e.g. {refused[0]}")
    return [(row["id"], text) for row, text in zip(body["results"], texts, strict=True)]


def store_mention_vectors(url: str, mentions: list[tuple[int, str]], names) -> None:
    query_name, _, dim = names
    vectors = _unit_vectors(np.random.default_rng(5), len(mentions), dim)
    with (
        psycopg.connect(url) as conn,
        conn.cursor() as cur,
        cur.copy(
            "COPY knowledge_base_mentionembedding (mention_id, embedder, vector, created_at) "
            "FROM STDIN"
        ) as copy,
    ):
        for (pk, _), vector in zip(mentions, vectors, strict=True):
            copy.write_row((pk, query_name, vector.tobytes(), "now()"))


def time_api(port: int, token: str, mentions) -> tuple[list[float], float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Authorization": f"Token {token}"}

    def get(pk: int) -> float:
        started = time.perf_counter()
        conn.request("GET", f"/api/v1/mentions/{pk}/suggestions/", headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"suggestions for {pk}: {response.status}")
        return time.perf_counter() - started

    # Each gunicorn worker builds its index on its first search: untimed, reported.
    build = max(get(mentions[0][0]), get(mentions[1][0]), get(mentions[2][0]))
    return [get(pk) for pk, _ in mentions], build


FTS = (
    "setweight(to_tsvector('russian', coalesce(question, '') || ' ' || "
    "coalesce(phrasings::text, '')), 'A') || setweight(to_tsvector('russian', "
    "coalesce(answer, '')), 'C')"
)
BARE = (
    f"SELECT id FROM knowledge_base_article, "
    f"CAST(replace(plainto_tsquery('russian', %s)::text, '&', '|') AS tsquery) AS q "
    f"WHERE status = 'published' AND ({FTS}) @@ q ORDER BY ts_rank({FTS}, q) DESC LIMIT 5"
)


def time_bare(url: str, mentions) -> list[float]:
    timings = []
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute(BARE, [mentions[0][1]])  # warm
        cur.fetchall()
        for _, text in mentions:
            started = time.perf_counter()
            cur.execute(BARE, [text])
            cur.fetchall()
            timings.append(time.perf_counter() - started)
    return timings


def _ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--mentions", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bare-mentions", type=int, default=30)
    args = parser.parse_args()
    url, env = base.prepare_database(base._db_url(os.environ["DATABASE_URL"], "scrm_kb"))
    operator = base._manage(env, "create_api_token", "kb-operator", "--role", "operator")
    env["BENCH_OPERATOR_TOKEN"] = operator.split()[-1]
    names = embedder_names(env)
    written = write_articles(url, args.articles, names)
    print(f"articles: {args.articles:,} written in {written:.0f} s; embedder {names[0]}")
    # A worker's first search reads the whole base: give it the time (reported below).
    server, port = base.start_server(env, args.workers, timeout=1200)
    try:
        mentions = ingest_mentions(port, env["BENCH_TOKEN"], args.mentions)
        store_mention_vectors(url, mentions, names)
        api, build = time_api(port, env["BENCH_OPERATOR_TOKEN"], mentions)
    finally:
        server.terminate()
        server.wait()
    api_p50, api_p95 = _ms(api)
    print(f"index build on a worker's first search: {build:.1f} s (untimed below)")
    print(
        f"suggestions through the API ({len(api)} mentions): median {api_p50:.1f} ms, "
        f"p95 {api_p95:.1f} ms",
        flush=True,
    )
    # An OR of a post's lexemes matches most of a large base, and ranking recomputes each
    # match's tsvector: the bare query is slow, so it runs on a sample of the same mentions.
    bare = time_bare(url, mentions[: args.bare_mentions])
    bare_p50, bare_p95 = _ms(bare)
    print(
        f"bare full-text query, same words ({len(bare)} of them): median {bare_p50:.1f} ms, "
        f"p95 {bare_p95:.1f} ms"
    )
    print(f"ratio API / bare: median {api_p50 / bare_p50:.2f}x, p95 {api_p95 / bare_p95:.2f}x")


if __name__ == "__main__":
    main()
