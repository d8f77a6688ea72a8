from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from mentions.models import Mention
from mentions.services.ingest import mentions_ingest
from mentions.services.processing_outbox import (
    mentions_enqueue_processing,
    mentions_sweep_unprocessed,
)
from mentions.services.triage import mentions_process
from mentions.tasks import process_mentions_task, sweep_unprocessed_task
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


def _ingest(n: int = 1) -> list[int]:
    result = mentions_ingest(items=[mention_payload() for _ in range(n)])
    return [r.id for r in result.results]


def test_processing_twice_changes_nothing_the_second_time():
    ids = _ingest(3)

    assert mentions_process(mention_ids=ids) == 3
    first = list(Mention.objects.values_list("processed_at", flat=True))
    assert mentions_process(mention_ids=ids) == 0
    assert list(Mention.objects.values_list("processed_at", flat=True)) == first


def test_process_task_calls_the_service():
    ids = _ingest(2)

    assert process_mentions_task(ids) == 2
    for mention in Mention.objects.all():
        assert mention.status == ("queued" if mention.category.needs_response else "processed")
        assert mention.category is not None
        assert mention.classifier_version


def test_broker_failure_leaves_every_remaining_mention_for_the_sweeper():
    ids = _ingest(450)
    calls = []

    def fail_on_second(args, **options):
        calls.append(args[0])
        if len(calls) == 2:
            raise OperationalError("connection refused")

    with mock.patch.object(process_mentions_task, "apply_async", side_effect=fail_on_second):
        published = mentions_enqueue_processing(mention_ids=ids)

    assert published == 200
    assert len(calls) == 2  # no third attempt against a dead broker
    assert Mention.objects.filter(processing_enqueued_at__isnull=True).count() == 250


def test_sweeper_re_enqueues_never_enqueued_and_stale_mentions_only(
    settings, django_capture_on_commit_callbacks
):
    settings.SCRM_REENQUEUE_AFTER_SECONDS = 300
    never, stale, fresh = _ingest(3)
    Mention.objects.filter(pk=never).update(processing_enqueued_at=None)
    Mention.objects.filter(pk=stale).update(
        processing_enqueued_at=timezone.now() - timedelta(minutes=10)
    )

    with (
        mock.patch.object(process_mentions_task, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        swept = mentions_sweep_unprocessed()

    assert swept == 2
    # After commit, the two swept mentions (and only they) are handed to the workers.
    enqueued = sorted(i for call in apply_async.call_args_list for i in call.args[0][0])
    assert enqueued == sorted([never, stale])
    attempts = dict(Mention.objects.values_list("pk", "processing_attempts"))
    assert attempts == {never: 1, stale: 1, fresh: 0}


def test_sweeper_enqueues_after_commit(django_capture_on_commit_callbacks):
    (mention_id,) = _ingest(1)
    Mention.objects.filter(pk=mention_id).update(processing_enqueued_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        assert mentions_sweep_unprocessed() == 1

    mention = Mention.objects.get(pk=mention_id)
    assert mention.status == ("queued" if mention.category.needs_response else "processed")


def test_sweeper_gives_up_after_the_maximum_attempts(settings):
    settings.SCRM_PROCESSING_MAX_ATTEMPTS = 3
    (mention_id,) = _ingest(1)
    Mention.objects.filter(pk=mention_id).update(processing_enqueued_at=None, processing_attempts=3)

    assert mentions_sweep_unprocessed() == 0


def test_sweeper_ignores_processed_mentions():
    ids = _ingest(2)
    mentions_process(mention_ids=ids)
    Mention.objects.update(processing_enqueued_at=None)

    assert sweep_unprocessed_task() == {"reenqueued": 0, "leases_released": 0}


def _raising_for(text: str):
    from mentions.services import triage as understanding

    real = understanding._understand

    def understand(mention, *args, **kwargs):
        if mention.text == text:
            raise RuntimeError("boom")
        return real(mention, *args, **kwargs)

    return mock.patch.object(understanding, "_understand", understand)


def test_one_mention_that_makes_processing_raise_does_not_hold_back_its_batch_mates(settings):
    good = _ingest(5)
    bad = mentions_ingest(items=[mention_payload(text="poison")]).results[0].id
    ids = [*good[:2], bad, *good[2:]]

    with _raising_for("poison"):
        processed = process_mentions_task(ids)

    assert processed == 5
    assert set(Mention.objects.filter(pk__in=good).values_list("status", flat=True)) <= {
        "processed",
        "queued",
    }
    failed = Mention.objects.get(pk=bad)
    assert failed.status == "new"
    assert failed.processing_error == "Processing raised an error; see the worker's log."
    assert failed.processing_attempts == settings.SCRM_PROCESSING_MAX_ATTEMPTS


def test_a_mention_marked_as_failing_is_not_re_enqueued_by_the_sweeper(settings):
    settings.SCRM_REENQUEUE_AFTER_SECONDS = 0
    bad = _ingest(1)
    with _raising_for(Mention.objects.get(pk=bad[0]).text):
        mentions_process(mention_ids=bad)
    Mention.objects.filter(pk=bad[0]).update(
        processing_enqueued_at=timezone.now() - timedelta(hours=1)
    )

    assert mentions_sweep_unprocessed() == 0


def test_a_database_outage_during_processing_is_raised_for_a_retry():
    from django.db import OperationalError as DatabaseDown

    ids = _ingest(2)
    with (
        mock.patch("mentions.services.triage._process_batch", side_effect=DatabaseDown("down")),
        pytest.raises(DatabaseDown),
    ):
        mentions_process(mention_ids=ids)

    assert set(Mention.objects.values_list("processing_error", flat=True)) == {""}
