"""`MentionClassifier`: consumer-cycle category and sentiment of a mention, from one embedding.

Each task is a multinomial logistic regression over the embedder's vector. Predicting needs only
numpy and the embedder; scikit-learn is used to fit. A model is stored as a small `.npz` of arrays
(loaded with `allow_pickle=False`) plus a JSON file of metadata beside it, and is identified by a
`version` string that every `Prediction` carries, so a stored classification can always be traced
to the weights that made it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path

import numpy as np

from mentions.classification.embeddings import Embedder, embedder_by_name, get_embedder

__all__ = ["CATEGORIES", "SENTIMENTS", "MentionClassifier", "Prediction"]

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
# Regularisation chosen by cross-validation on the labelled mentions (see bench/classifier_eval.py).
# Category needs a weak penalty to separate ten classes; sentiment a stronger one, because it has
# to carry over to brands and industries it was not trained on.
DEFAULT_CATEGORY_C = 10.0
DEFAULT_SENTIMENT_C = 1.0


@dataclass(frozen=True)
class Prediction:
    """What the model says about one text; confidences are the winning class's probability."""

    category: str
    category_confidence: float
    sentiment: str
    sentiment_confidence: float
    model_version: str


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
        category_c: float = DEFAULT_CATEGORY_C,
        sentiment_c: float = DEFAULT_SENTIMENT_C,
    ):
        self.embedder = embedder if embedder is not None else get_embedder()
        self.category_c = category_c
        self.sentiment_c = sentiment_c
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
        self._category = _fit_head(vectors, categories, weights, self.category_c, CATEGORIES)
        self._sentiment = _fit_head(vectors, sentiments, weights, self.sentiment_c, SENTIMENTS)
        self.metadata = {
            "format": FORMAT,
            "version": self._make_version(),
            "embedder": self.embedder.name,
            "dim": int(vectors.shape[1]),
            "category_c": self.category_c,
            "sentiment_c": self.sentiment_c,
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

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """One `Prediction` per text, in order."""
        return self.predict_vectors(self.embedder.embed(list(texts)))

    def predict_vectors(self, vectors: np.ndarray) -> list[Prediction]:
        """`predict` on vectors already produced by this model's embedder."""
        category_p, sentiment_p = self.probabilities(vectors)
        version = self.version
        predictions = []
        for cat_row, sent_row in zip(category_p, sentiment_p, strict=True):
            cat, sent = int(cat_row.argmax()), int(sent_row.argmax())
            predictions.append(
                Prediction(
                    category=self._category.classes[cat],
                    category_confidence=round(float(cat_row[cat]), 4),
                    sentiment=self._sentiment.classes[sent],
                    sentiment_confidence=round(float(sent_row[sent]), 4),
                    model_version=version,
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
        model = cls(embedder, metadata["category_c"], metadata["sentiment_c"])
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


def _paths(path: str | PathLike) -> tuple[Path, Path]:
    path = Path(path)
    stem = path.with_suffix("") if path.suffix in (".npz", ".json") else path
    return stem.with_name(stem.name + ".npz"), stem.with_name(stem.name + ".json")


def _fit_head(
    vectors: np.ndarray,
    labels: Sequence[str | None],
    weights: np.ndarray,
    c: float,
    known: tuple[str, ...],
) -> _LinearHead:
    """A balanced logistic regression over the labelled rows, weights rounded to float16."""
    from sklearn.linear_model import LogisticRegression

    mask = np.array([label is not None for label in labels])
    y = np.array([label for label in labels if label is not None], dtype=object)
    # The product's classes in their usual order, then any a company added, alphabetically.
    present = [label for label in known if label in set(y)] + sorted(set(y) - set(known))
    if len(present) < 2:
        raise ValueError(f"need at least two classes to fit, got {present}")
    x, w = vectors[mask], weights[mask]
    # "Balanced" by hand so that it composes with the caller's sample weights.
    counts = {label: int((y == label).sum()) for label in present}
    w = w * np.array([len(y) / (len(present) * counts[label]) for label in y])
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, y.astype(str), sample_weight=w)
    order = [list(model.classes_).index(label) for label in present]
    coef, intercept = model.coef_, model.intercept_
    if len(present) == 2:
        # sklearn keeps one row for two classes: p(second) = sigmoid(w.x + b) = softmax([0, w.x+b]).
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = np.array([0.0, intercept[0]])
        order = [0, 1] if list(model.classes_) == present else [1, 0]
    return _LinearHead(
        tuple(present),
        coef[order].astype(np.float16).astype(np.float32),
        np.asarray(intercept)[order].astype(np.float16).astype(np.float32),
    )
