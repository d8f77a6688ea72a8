"""How well search finds the right article: top-1 / top-3 per kind of post, and how many
unanswerable posts get an empty list, on `knowledge_base.evaluation_set` over the demo base.

Runs in memory (no database): the articles are embedded once, as publishing would store them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from knowledge_base import search
from knowledge_base.demo_articles import ARTICLES
from knowledge_base.evaluation_set import labelled_mentions


@dataclass
class Report:
    threshold: float
    per_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    rejected_unanswerable: float = 0.0
    answerable_kept: float = 0.0

    def lines(self) -> list[str]:
        out = [f"threshold {self.threshold:.3f}"]
        for kind, row in self.per_kind.items():
            out.append(
                f"{kind:<12} n={int(row['n']):>3}  top-1 {row['top1']:.3f}  top-3 {row['top3']:.3f}"
                f"  (top-1 with no threshold {row['top1_raw']:.3f})"
            )
        out.append(
            f"unanswerable given an empty list: {self.rejected_unanswerable:.3f}; "
            f"answerable posts above the threshold: {self.answerable_kept:.3f}"
        )
        return out


def build_eval_index(articles: list[dict] = ARTICLES):
    heads = [[a["question"], *a["phrasings"]] for a in articles]
    flat = [t for h in heads for t in h]
    vectors = search.embed(flat)
    fulls = search.embed_passages(
        [search.article_text(a["question"], a["phrasings"], a["answer"]) for a in articles]
    )
    rows, i = [], 0
    for n, (article, texts) in enumerate(zip(articles, heads, strict=True)):
        rows.append(
            {
                "id": n,
                "version": 1,
                "heads": [(t, vectors[i + j]) for j, t in enumerate(texts)],
                "answers": [article["answer"]],
                "full": fulls[n],
            }
        )
        i += len(texts)
    return search.index_from_rows(rows, embedder=search.search_embedder().name)


def evaluate(*, threshold: float | None = None, articles=ARTICLES, mentions=None) -> Report:
    mentions = mentions or labelled_mentions()
    threshold = search.threshold() if threshold is None else threshold
    index = build_eval_index(articles)
    key_to_id = {a["key"]: n for n, a in enumerate(articles)}
    vectors = search.embed([text for text, _, _ in mentions])
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    unanswerable_empty = unanswerable = kept = answerable = 0
    for (text, key, kind), vector in zip(mentions, vectors, strict=True):
        ranked = search.rank(text=text, vector=vector, limit=3, min_score=-10.0, index=index)
        above = [c for c in ranked if c.score >= threshold]
        if key is None:
            unanswerable += 1
            unanswerable_empty += not above
            continue
        answerable += 1
        kept += bool(above)
        want = key_to_id[key]
        row = counts[kind]
        row[0] += 1
        row[1] += bool(above) and above[0].article_id == want
        row[2] += want in [c.article_id for c in above[:3]]
        row[3] += bool(ranked) and ranked[0].article_id == want
    report = Report(threshold=threshold)
    total = [0, 0, 0, 0]
    for kind, row in counts.items():
        total = [a + b for a, b in zip(total, row, strict=True)]
        report.per_kind[kind] = _row(row)
    report.per_kind["all"] = _row(total)
    report.rejected_unanswerable = unanswerable_empty / max(unanswerable, 1)
    report.answerable_kept = kept / max(answerable, 1)
    return report


def _row(row) -> dict[str, float]:
    n = max(row[0], 1)
    return {"n": row[0], "top1": row[1] / n, "top3": row[2] / n, "top1_raw": row[3] / n}


def score_table(articles=ARTICLES, mentions=None):
    """(best score, is the best right, is answerable) per post: to choose the threshold."""
    mentions = mentions or labelled_mentions()
    index = build_eval_index(articles)
    key_to_id = {a["key"]: n for n, a in enumerate(articles)}
    vectors = search.embed([text for text, _, _ in mentions])
    out = []
    for (text, key, kind), vector in zip(mentions, vectors, strict=True):
        ranked = search.rank(text=text, vector=vector, limit=1, min_score=-10.0, index=index)
        best = ranked[0] if ranked else None
        out.append(
            (
                best.score if best else 0.0,
                key is not None and best is not None and best.article_id == key_to_id[key],
                key is not None,
                kind,
                float(best.cosine) if best else 0.0,
                float(best.lexical) if best else 0.0,
            )
        )
    return np.array([r[0] for r in out]), out
