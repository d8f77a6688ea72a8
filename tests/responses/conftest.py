import pytest

from knowledge_base import search
from mentions.classification.embeddings import HashingFallbackEmbedder


@pytest.fixture(autouse=True)
def _small_embedder(monkeypatch):
    # Replies, not search quality, are tested here: a small stateless embedder keeps it fast.
    monkeypatch.setattr(search, "_embedder", HashingFallbackEmbedder(dim=256))
