"""Several processes ingesting overlapping batches into PostgreSQL at once."""

import multiprocessing
import random

import pytest
from django.db import connections

from authors.models import Author, AuthorIdentity
from mentions.models import Mention
from tests.conftest import requires_postgres

pytestmark = [
    requires_postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KEYS = 400
AUTHORS = 50


def _payload(n: int) -> dict:
    return {
        "external_id": f"k-{n}",
        "platform": "vk",
        "text": f"mention {n}",
        "published_at": "2026-11-20T10:00:00Z",
        "author": {"external_id": f"a-{n % AUTHORS}", "followers": n},
        "engagement": {"likes": n},
    }


def _ingest_in_child(seed: int) -> tuple[int, int, int]:
    """Runs in a forked process with its own database connection."""
    from mentions.services import ingest
    from mentions.services.ingest import mentions_ingest

    # This test is about rows; processing (tested elsewhere) would only slow the children down.
    ingest.mentions_enqueue_processing = lambda mention_ids, **options: None

    rng = random.Random(seed)
    keys = rng.sample(range(KEYS), k=300)  # heavy overlap between processes
    created = duplicates = failed = 0
    for start in range(0, len(keys), 100):
        result = mentions_ingest(items=[_payload(n) for n in keys[start : start + 100]])
        created += result.created
        duplicates += result.duplicates
        failed += result.failed
    connections.close_all()
    return created, duplicates, failed


def test_overlapping_batches_from_several_processes_store_each_mention_exactly_once():
    connections.close_all()  # children must not share the parent's socket
    with multiprocessing.get_context("fork").Pool(6) as pool:
        outcomes = pool.map(_ingest_in_child, range(6))

    assert sum(failed for _, _, failed in outcomes) == 0
    keys_sent = set()
    for seed in range(6):
        keys_sent.update(random.Random(seed).sample(range(KEYS), k=300))
    stored = list(Mention.objects.values_list("external_id", flat=True))
    assert len(stored) == len(set(stored)) == len(keys_sent)  # none twice, none lost
    assert set(stored) == {f"k-{n}" for n in keys_sent}
    assert AuthorIdentity.objects.count() == len({n % AUTHORS for n in keys_sent})
    assert Author.objects.count() == AuthorIdentity.objects.count()  # no orphan authors
    assert all(m.likes == int(m.external_id[2:]) for m in Mention.objects.all())
    # Every call answered for every item: created + duplicates = items sent.
    assert sum(c + d for c, d, _ in outcomes) == 6 * 300
