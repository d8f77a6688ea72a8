import pytest

from knowledge_base import search
from mentions.classification.embeddings import HashingFallbackEmbedder
from mentions.services.ingest import mentions_ingest
from tests.factories import SourceFactory
from tests.mentions.helpers import mention_payload


@pytest.fixture(autouse=True)
def small_embedder(monkeypatch):
    """API and workflow tests need vectors, not good ones: a small stateless embedder."""
    monkeypatch.setattr(search, "_embedder", HashingFallbackEmbedder(dim=512))
    monkeypatch.setattr(search, "_index", None)


@pytest.fixture
def make_mention(db):
    SourceFactory(key="api")

    def make(text="Подскажите, как подключить роуминг?", **fields):
        result = mentions_ingest(items=[mention_payload(text=text, **fields)])
        return result.results[0].id

    return make
