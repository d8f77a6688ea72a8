"""The outbox: events recorded with the change, delivered after commit, redone when missed."""

from datetime import timedelta
from unittest import mock

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from scrm import outbox
from scrm.models import OutboxDelivery, OutboxEvent
from scrm.tasks import outbox_dispatch_task

pytestmark = pytest.mark.django_db

MERGED = {"author_id": 1, "absorbed_author_id": 2}


class Boom(Exception):
    pass


@pytest.fixture
def handlers():
    """Register durable handlers for one test, alone (the apps' own handlers, such as the
    webhooks', are set aside); each records the events it saw."""
    saved = {t: dict(h) for t, h in outbox._handlers.items()}
    outbox._handlers.clear()
    seen: dict[str, list] = {}

    def add(name, *, event_type="author.merged", fail_times=0):
        seen[name] = []
        failures = {"left": fail_times}

        def handler(event):
            if failures["left"]:
                failures["left"] -= 1
                raise Boom(f"{name} is down")
            seen[name].append(event.pk)

        outbox.register(event_type, handler, name=name)
        return seen[name]

    yield add
    outbox._handlers.clear()
    outbox._handlers.update(saved)


def _make_due(event_id) -> None:
    """The next attempt time and the grace period have passed."""
    long_ago = timezone.now() - timedelta(days=1)
    OutboxEvent.objects.filter(pk=event_id).update(next_attempt_at=long_ago, dispatched_at=long_ago)


def test_record_writes_the_event_in_the_callers_transaction_and_rolls_back_with_it():
    with pytest.raises(Boom), transaction.atomic():
        outbox.record("author.merged", MERGED)
        assert OutboxEvent.objects.count() == 1
        raise Boom

    assert OutboxEvent.objects.count() == 0


def test_recorded_event_holds_type_validated_payload_and_is_due_at_once():
    event_id = outbox.record("author.merged", {"author_id": "7", "absorbed_author_id": 9})

    event = OutboxEvent.objects.get()
    assert event.pk == event_id
    assert event.type == "author.merged"
    assert event.payload == {"author_id": 7, "absorbed_author_id": 9}
    assert event.attempts == 1
    assert event.done_at is None
    assert event.next_attempt_at == event.created_at == event.dispatched_at


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        outbox.record("author.merged", MERGED)

    assert OutboxEvent.objects.count() == 0


def test_a_bad_payload_is_refused_naming_the_field_and_nothing_is_written():
    with pytest.raises(outbox.InvalidEventPayload) as raised:
        outbox.record("author.merged", {"author_id": "seven", "absorbed_author_id": 2})

    assert [e["loc"] for e in raised.value.errors] == [("author_id",)]
    assert OutboxEvent.objects.count() == 0


def test_a_payload_with_an_unknown_field_is_refused():
    with pytest.raises(outbox.InvalidEventPayload) as raised:
        outbox.record("author.merged", {**MERGED, "name": "Марина"})

    assert [e["type"] for e in raised.value.errors] == ["extra_forbidden"]


def test_an_unknown_event_type_is_refused():
    with pytest.raises(outbox.UnknownEventType):
        outbox.record("author.teleported", MERGED)
    with pytest.raises(outbox.UnknownEventType):
        outbox.register("author.teleported", print)


def test_record_many_validates_every_item_before_writing_any():
    with pytest.raises(outbox.InvalidEventPayload):
        outbox.record_many("author.merged", [MERGED, {"author_id": 1}])

    assert OutboxEvent.objects.count() == 0


def test_record_many_writes_a_thousand_events_in_one_insert(django_assert_num_queries):
    items = [{"author_id": i, "absorbed_author_id": i + 1} for i in range(1000)]

    if connection.vendor == "postgresql":
        # One INSERT … SELECT FROM unnest(…) through scrm.db's binary cursor, which Django's
        # query log does not see: count the driver's statements.
        real_execute = psycopg.Cursor.execute
        with mock.patch.object(
            psycopg.Cursor, "execute", autospec=True, side_effect=real_execute
        ) as execute:
            ids = outbox.record_many("author.merged", items)
        assert execute.call_count == 1
    else:
        # SQLite binds at most 999 variables a statement: 111 rows of 9 columns.
        with django_assert_num_queries(10):
            ids = outbox.record_many("author.merged", items)

    assert len(ids) == len(set(ids)) == 1000
    assert OutboxEvent.objects.count() == 1000
    assert OutboxEvent.objects.get(pk=ids[999]).payload == {
        "author_id": 999,
        "absorbed_author_id": 1000,
    }


def test_event_is_dispatched_to_its_handlers_after_commit(
    handlers, django_capture_on_commit_callbacks
):
    crm = handlers("crm")
    other_type = handlers("webhooks", event_type="mention.processed")

    with django_capture_on_commit_callbacks() as callbacks:
        event_id = outbox.record("author.merged", MERGED)
        assert crm == []  # nothing runs before commit
    for callback in callbacks:
        callback()

    assert crm == [event_id]
    assert other_type == []
    event = OutboxEvent.objects.get()
    assert event.done_at is not None
    assert event.last_error == ""
    delivery = OutboxDelivery.objects.get()
    assert (delivery.handler, delivery.attempts, delivery.last_error) == ("crm", 1, "")
    assert delivery.done_at is not None


def test_an_event_without_durable_handlers_is_done_at_first_dispatch(
    handlers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.record("author.merged", MERGED)

    assert OutboxEvent.objects.get().done_at is not None
    assert OutboxDelivery.objects.count() == 0


def test_a_failing_handler_is_recorded_and_retried_with_backoff_while_others_still_run(
    handlers, django_capture_on_commit_callbacks
):
    crm = handlers("crm", fail_times=2)
    webhooks = handlers("webhooks")

    with django_capture_on_commit_callbacks(execute=True):
        event_id = outbox.record("author.merged", MERGED)

    event = OutboxEvent.objects.get()
    assert crm == []
    assert webhooks == [event_id]
    assert event.done_at is None
    assert event.last_error == "crm: Boom: crm is down"
    backoff = (event.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < backoff <= 30  # SCRM_OUTBOX_RETRY_BASE_SECONDS
    failed = OutboxDelivery.objects.get(handler="crm")
    assert (failed.attempts, failed.done_at, failed.last_error) == (
        1,
        None,
        "crm: Boom: crm is down",
    )

    # Not yet due: a second dispatch does nothing.
    assert outbox.outbox_dispatch(event_ids=[event_id]) == 0
    assert OutboxDelivery.objects.get(handler="crm").attempts == 1

    # Due: the sweeper hands it over again (eager here) and the handler fails once more; the
    # wait doubles with the event's hand-overs.
    _make_due(event_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_sweep() == 1
    event.refresh_from_db()
    assert event.attempts == 2
    backoff = (event.next_attempt_at - timezone.now()).total_seconds()
    assert 55 < backoff <= 60

    _make_due(event_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_sweep() == 1

    event.refresh_from_db()
    assert event.done_at is not None
    assert event.last_error == ""
    assert crm == [event_id]
    assert webhooks == [event_id]  # the handler that had succeeded did not run again
    assert dict(OutboxDelivery.objects.values_list("handler", "attempts")) == {
        "crm": 3,
        "webhooks": 1,
    }


def test_a_handler_failure_rolls_back_only_that_handlers_writes(
    handlers, django_capture_on_commit_callbacks
):
    def writes_then_fails(event):
        outbox.record("author.anonymized", {"author_id": 5})
        raise Boom("after writing")

    handlers("webhooks")
    outbox.register("author.merged", writes_then_fails, name="half")

    with django_capture_on_commit_callbacks(execute=True):
        outbox.record("author.merged", MERGED)

    assert list(OutboxEvent.objects.values_list("type", flat=True)) == ["author.merged"]
    assert OutboxDelivery.objects.get(handler="webhooks").done_at is not None


def test_the_sweeper_redoes_an_event_whose_dispatch_was_missed(
    handlers, django_capture_on_commit_callbacks
):
    crm = handlers("crm")
    event_id = outbox.record("author.merged", MERGED)  # the test never commits: no dispatch

    assert outbox.outbox_sweep() == 0  # within the grace period the dispatch may still come
    _make_due(event_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_sweep() == 1

    assert crm == [event_id]
    event = OutboxEvent.objects.get()
    assert event.done_at is not None
    assert event.attempts == 2


def test_the_sweeper_leaves_done_and_exhausted_events_alone(handlers, caplog):
    handlers("crm")
    done_id = outbox.record("author.merged", MERGED)
    stuck_id = outbox.record("author.merged", MERGED)
    _make_due(done_id)
    _make_due(stuck_id)
    OutboxEvent.objects.filter(pk=done_id).update(done_at=timezone.now())
    OutboxEvent.objects.filter(pk=stuck_id).update(attempts=50)  # SCRM_OUTBOX_MAX_ATTEMPTS

    assert outbox.outbox_sweep() == 0
    assert "1 outbox events were handed over 50 times" in caplog.text


def test_an_operator_retry_gives_an_exhausted_event_a_fresh_start(
    handlers, django_capture_on_commit_callbacks
):
    crm = handlers("crm")
    event_id = outbox.record("author.merged", MERGED)
    OutboxEvent.objects.filter(pk=event_id).update(
        attempts=50, next_attempt_at=timezone.now() + timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_events_retry(event_ids=[event_id]) == 1

    assert crm == [event_id]
    assert OutboxEvent.objects.get().attempts == 1


def test_running_the_dispatcher_twice_delivers_once_per_handler(
    handlers, django_capture_on_commit_callbacks
):
    crm = handlers("crm")
    webhooks = handlers("webhooks")
    event_id = outbox.record("author.merged", MERGED)

    assert outbox_dispatch_task(event_ids=[str(event_id)]) == 1
    assert outbox_dispatch_task(event_ids=[str(event_id)]) == 0
    _make_due(event_id)
    assert outbox.outbox_sweep() == 0  # done: nothing left to redo

    assert crm == [event_id]
    assert webhooks == [event_id]
    assert OutboxDelivery.objects.count() == 2


def test_a_broker_error_on_hand_over_leaves_the_event_for_the_next_sweep(
    handlers, django_capture_on_commit_callbacks
):
    crm = handlers("crm")
    event_id = outbox.record("author.merged", MERGED)

    with mock.patch.object(
        outbox_dispatch_task, "delay", side_effect=OperationalError("Connection refused")
    ):
        assert outbox.outbox_enqueue(event_ids=[event_id]) == 0

    event = OutboxEvent.objects.get()
    assert event.dispatched_at is None  # no grace period to wait out
    assert event.done_at is None
    assert crm == []
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_sweep() == 1
    assert crm == [event_id]


def test_purge_deletes_done_events_past_retention_and_keeps_the_rest(handlers):
    handlers("crm")
    old_done, old_undone, recent_done = (outbox.record("author.merged", MERGED) for _ in range(3))
    outbox.outbox_dispatch(event_ids=[old_done, recent_done])
    long_ago = timezone.now() - timedelta(days=15)  # SCRM_OUTBOX_RETENTION_DAYS = 14
    OutboxEvent.objects.filter(pk__in=[old_done, old_undone]).update(created_at=long_ago)

    assert outbox.outbox_purge(batch=1) == 1

    assert set(OutboxEvent.objects.values_list("id", flat=True)) == {old_undone, recent_done}
    assert OutboxDelivery.objects.filter(event_id=old_done).count() == 0


def test_retry_delay_doubles_up_to_the_maximum():
    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [
        30,
        60,
        120,
        3600,
        3600,
    ]
