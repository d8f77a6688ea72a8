"""Durable events: recorded in the business transaction, delivered after commit, redone if missed.

`record(event_type, data)` validates `data` against the type's schema (`scrm.event_types`) and
inserts an `OutboxEvent` row in the caller's transaction: if the change rolls back, so does the
event; if it commits, the event exists even if the process, the broker or a worker dies the
next moment. `record_many` writes many events of one type in one INSERT. Both refuse to run
outside `transaction.atomic()`: an event written in its own autocommit could survive a change
that did not, or the other way round, and a silent wrap would hide that mistake.

After commit the event ids go to Celery (`outbox_dispatch_task`). The dispatcher locks the
events it was given (SKIP LOCKED on PostgreSQL: two dispatchers never hold the same event) and
runs every durable handler registered for the type that has not yet succeeded, each in its own
savepoint: a failing handler is rolled back alone, its error is kept on its `OutboxDelivery`
row, the other handlers still run, and the event is given a next attempt time with exponential
backoff. The event is done when every handler registered for its type has succeeded. A handler
runs inside the dispatcher's transaction and its success is recorded in that same transaction,
so a handler whose effect is a database write (the usual case: note what to send, enqueue it
with `on_commit`) takes effect exactly once; a handler that calls out directly is delivered at
least once, and receivers drop duplicates by the event id.

Per-handler state is one `OutboxDelivery` row per (event, handler name), created at the first
dispatch. Handlers are few and fixed in code; a handler that fans out to a varying set of
receivers (one per webhook endpoint) is one handler here and keeps its own per-receiver rows
and attempts log, written in its run, so that an endpoint's failures never hold the event's
other handlers back.

The sweeper (`outbox_sweep`, every `SCRM_OUTBOX_SWEEP_INTERVAL_SECONDS`) hands over again every
undone event whose next attempt is due and that was not handed over in the last
`SCRM_OUTBOX_GRACE_SECONDS` (or whose hand-over failed because the broker was down), up to
`SCRM_OUTBOX_MAX_ATTEMPTS` hand-overs; an event past that stays in the table, logged as an
error, until an operator retries it in the admin. `outbox_purge` deletes done events older
than `SCRM_OUTBOX_RETENTION_DAYS`; undone events are never deleted.

Register a durable handler in an `AppConfig.ready`: `outbox.register("mention.processed",
handler, name="integrations.webhooks")`; it is called with the `OutboxEvent`. The name is
stored on delivery rows: keep it stable.
"""

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError
from pydantic import ValidationError

from scrm.db import insert_rows
from scrm.event_types import EVENT_TYPES
from scrm.models import OutboxDelivery, OutboxEvent

logger = logging.getLogger(__name__)

DurableHandler = Callable[[OutboxEvent], None]
_handlers: dict[str, dict[str, DurableHandler]] = defaultdict(dict)

DISPATCH_CHUNK = 100
ERROR_MAX_CHARS = 2000


class UnknownEventType(LookupError):
    """The event type is not in `scrm.event_types.EVENT_TYPES`."""


class InvalidEventPayload(ValueError):
    """The data does not match the event type's schema: a bug in the publisher."""

    def __init__(self, event_type: str, error: ValidationError):
        self.event_type = event_type
        self.errors = error.errors(include_url=False)
        super().__init__(f"Invalid payload for {event_type}: {error}")


# --- Handlers -------------------------------------------------------------------------------


def register(event_type: str, handler: DurableHandler, *, name: str | None = None) -> str:
    """Register a durable handler of `event_type`; returns its name (default: its dotted path)."""
    if event_type not in EVENT_TYPES:
        raise UnknownEventType(event_type)
    name = name or f"{handler.__module__}.{handler.__qualname__}"
    _handlers[event_type][name] = handler
    return name


def unregister(event_type: str, name: str) -> None:
    _handlers[event_type].pop(name, None)


def handlers_for(event_type: str) -> dict[str, DurableHandler]:
    return dict(_handlers.get(event_type, {}))


# --- Recording ------------------------------------------------------------------------------


def _validated(event_type: str, data: dict) -> dict:
    schema = EVENT_TYPES.get(event_type)
    if schema is None:
        raise UnknownEventType(event_type)
    try:
        return schema.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        raise InvalidEventPayload(event_type, exc) from exc


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError(
            "outbox.record() must be called inside transaction.atomic(), in the transaction "
            "that makes the change the event reports."
        )


def record(event_type: str, data: dict) -> uuid.UUID:
    """Record one event in the current transaction; returns its id. Dispatched after commit."""
    return record_many(event_type, [data])[0]


def record_many(event_type: str, items: Sequence[dict]) -> list[uuid.UUID]:
    """Record one event of `event_type` per item, in one INSERT in the current transaction;
    returns their ids in order. Every item is validated before anything is written."""
    _require_transaction()
    payloads = [_validated(event_type, data) for data in items]
    if not payloads:
        return []
    now = timezone.now()
    ids = [uuid.uuid4() for _ in payloads]
    insert_rows(
        OutboxEvent,
        ["id", "type", "payload", "created_at", "next_attempt_at", "dispatched_at", "attempts"],
        [(i, event_type, p, now, now, now, 1) for i, p in zip(ids, payloads, strict=True)],
    )
    # robust: a failure after commit is logged, never raised into the request; the sweeper
    # delivers the events anyway.
    transaction.on_commit(partial(outbox_enqueue, event_ids=ids), robust=True)
    return ids


# --- Dispatch -------------------------------------------------------------------------------


def outbox_enqueue(*, event_ids: Sequence[uuid.UUID]) -> int:
    """Hand the events to the broker for dispatch; returns how many were handed over.

    Call after commit. A broker failure is logged, not raised: the remaining events' hand-over
    time is cleared so the next sweep picks them up at once.
    """
    from scrm.tasks import outbox_dispatch_task

    published = 0
    for start in range(0, len(event_ids), DISPATCH_CHUNK):
        chunk = [str(i) for i in event_ids[start : start + DISPATCH_CHUNK]]
        try:
            outbox_dispatch_task.delay(chunk)
        except OperationalError as exc:
            rest = list(event_ids[start:])
            logger.warning("Broker unavailable, %d events left for the sweeper: %s", len(rest), exc)
            OutboxEvent.objects.filter(pk__in=rest, done_at__isnull=True).update(dispatched_at=None)
            break
        published += len(chunk)
    return published


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next dispatch of an event that has been handed over `attempts`
    times: doubling from `SCRM_OUTBOX_RETRY_BASE_SECONDS` up to `SCRM_OUTBOX_RETRY_MAX_SECONDS`."""
    base = settings.SCRM_OUTBOX_RETRY_BASE_SECONDS
    exponent = min(max(attempts - 1, 0), 30)
    return timedelta(seconds=min(base * 2**exponent, settings.SCRM_OUTBOX_RETRY_MAX_SECONDS))


def _error_text(name: str, exc: BaseException) -> str:
    return f"{name}: {type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]


def outbox_dispatch(*, event_ids: Sequence[uuid.UUID | str]) -> int:
    """Run the pending durable handlers of the given events that are due; returns how many
    events became done.

    Safe to run twice and concurrently: an event locked by another dispatcher is skipped, a
    done event or a handler that already succeeded is not run again. A handler's exception is
    recorded on its delivery row and the event's, never raised.
    """
    with transaction.atomic():
        now = timezone.now()
        events = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(event_ids), done_at__isnull=True, next_attempt_at__lte=now)
            .order_by("created_at", "id")
        )
        if not events:
            return 0
        deliveries = {
            (d.event_id, d.handler): d for d in OutboxDelivery.objects.filter(event__in=events)
        }
        missing = [
            OutboxDelivery(event=event, handler=name)
            for event in events
            for name in handlers_for(event.type)
            if (event.pk, name) not in deliveries
        ]
        # Nobody else creates these: the event rows are locked by us.
        OutboxDelivery.objects.bulk_create(missing)
        deliveries.update({(d.event_id, d.handler): d for d in missing})

        changed: list[OutboxDelivery] = []
        done = 0
        for event in events:
            errors = []
            for name, handler in handlers_for(event.type).items():
                delivery = deliveries[(event.pk, name)]
                if delivery.done_at is not None:
                    continue
                delivery.attempts += 1
                delivery.last_attempt_at = timezone.now()
                try:
                    with transaction.atomic():
                        handler(event)
                except Exception as exc:
                    logger.exception(
                        "Durable handler %s of %s %s failed", name, event.type, event.pk
                    )
                    delivery.last_error = _error_text(name, exc)
                    errors.append(delivery.last_error)
                else:
                    delivery.done_at = timezone.now()
                    delivery.last_error = ""
                changed.append(delivery)
            if errors:
                event.last_error = "\n".join(errors)[:ERROR_MAX_CHARS]
                event.next_attempt_at = timezone.now() + retry_delay(event.attempts)
            else:
                event.done_at = timezone.now()
                event.last_error = ""
                done += 1
        OutboxDelivery.objects.bulk_update(
            changed, ["attempts", "last_attempt_at", "done_at", "last_error"]
        )
        OutboxEvent.objects.bulk_update(events, ["done_at", "last_error", "next_attempt_at"])
    return done


# --- Sweeping -------------------------------------------------------------------------------


def outbox_sweep(*, limit: int = 5000) -> int:
    """Hand over again the undone events that were missed; returns how many.

    Picks events whose next attempt is due, whose last hand-over is older than
    `SCRM_OUTBOX_GRACE_SECONDS` or failed, and that were handed over fewer than
    `SCRM_OUTBOX_MAX_ATTEMPTS` times. Two sweepers never pick the same events.
    """
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.SCRM_OUTBOX_GRACE_SECONDS)
    max_attempts = settings.SCRM_OUTBOX_MAX_ATTEMPTS
    with transaction.atomic():
        candidates = OutboxEvent.objects.filter(
            Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale_before),
            done_at__isnull=True,
            next_attempt_at__lte=now,
        )
        exhausted = candidates.filter(attempts__gte=max_attempts).count()
        if exhausted:
            logger.error(
                "%d outbox events were handed over %d times without success and are no longer "
                "retried; retry them in the admin",
                exhausted,
                max_attempts,
            )
        ids = list(
            candidates.filter(attempts__lt=max_attempts)
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return 0
        OutboxEvent.objects.filter(pk__in=ids).update(dispatched_at=now, attempts=F("attempts") + 1)
        transaction.on_commit(partial(outbox_enqueue, event_ids=ids), robust=True)
    return len(ids)


@transaction.atomic
def outbox_events_retry(*, event_ids: Sequence[uuid.UUID | str]) -> int:
    """Give undone events a fresh start (attempts from zero, due now) and hand them over after
    commit; returns how many. Done events are left alone."""
    now = timezone.now()
    ids = list(
        OutboxEvent.objects.filter(pk__in=list(event_ids), done_at__isnull=True).values_list(
            "id", flat=True
        )
    )
    OutboxEvent.objects.filter(pk__in=ids).update(
        attempts=1, next_attempt_at=now, dispatched_at=now
    )
    if ids:
        transaction.on_commit(partial(outbox_enqueue, event_ids=ids), robust=True)
    return len(ids)


def outbox_purge(*, batch: int = 1000) -> int:
    """Delete done events (and their delivery rows) older than `SCRM_OUTBOX_RETENTION_DAYS`;
    returns how many events. Works in batches so no transaction holds many locks."""
    cutoff = timezone.now() - timedelta(days=settings.SCRM_OUTBOX_RETENTION_DAYS)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                OutboxEvent.objects.filter(created_at__lt=cutoff, done_at__isnull=False)
                .order_by("created_at")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                return deleted
            OutboxDelivery.objects.filter(event_id__in=ids).delete()
            OutboxEvent.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
