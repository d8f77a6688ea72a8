"""Outgoing webhooks (Standard Webhooks): endpoints, fan-out from the outbox, delivery, retries.

The path of an event: the business transaction records an `OutboxEvent` (`scrm.outbox`); the
outbox dispatcher runs `webhooks_fan_out`, which writes one `WebhookDelivery` per subscribed
active endpoint in the dispatcher's transaction (exactly once) and, after commit, enqueues one
delivery run per endpoint; `endpoint_deliver` sends what is due; `webhooks_sweep` (periodic)
enqueues the runs that a lost task or a killed worker missed. Nothing is lost on the way: every
step is a row before it is a task.

Delivery guarantees:
- at least once per (endpoint, event); a receiver sees a duplicate only as a retry with the
  same `webhook-id` (the outbox event id);
- one object's events reach an endpoint in the order they happened: a delivery waits while an
  earlier one about the same object is pending (other objects' deliveries go on);
- a 2xx answer within the timeouts is success; 3xx (never followed) and everything else is a
  failure, retried on `SCRM_WEBHOOK_RETRY_SCHEDULE` with jitter (a `Retry-After` of 429/503 is
  honoured), then the delivery is `failed`; `410 Gone` disables the endpoint at once, and an
  endpoint whose every attempt has failed for `SCRM_WEBHOOK_DISABLE_AFTER_SECONDS` is disabled;
  either way the `webhook_endpoint.disabled` event tells the other endpoints and the admin
  shows why;
- before each call the attempt is counted and the retry scheduled, so a worker killed in the
  middle of a call leaves a delivery that is due again later; the run's lease on the endpoint
  runs out by itself;
- one endpoint's run never waits for another's; within a run, up to
  `SCRM_WEBHOOK_ENDPOINT_CONCURRENCY` objects are sent to at once.
"""

import base64
import contextlib
import logging
import random
import secrets
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial

import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError
from standardwebhooks import Webhook

from integrations import http, ssrf
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from scrm import event_renderers as renderers
from scrm import outbox
from scrm.errors import Conflict, InvalidInput, NotFound
from scrm.event_types import EVENT_TYPES
from scrm.models import OutboxEvent

logger = logging.getLogger(__name__)

HANDLER_NAME = "integrations.webhooks"
P = WebhookDelivery.Status
DESCRIPTION_MAX = 500
SCAN = 1000  # pending deliveries read per batch to find the heads of each object's queue


# --- Secrets and signing ----------------------------------------------------------------------


def secret_new() -> str:
    """A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def signing_secrets(endpoint: WebhookEndpoint, *, now: datetime | None = None) -> list[str]:
    """The secrets that sign now: the current one, and the previous one during a rotation."""
    now = now or timezone.now()
    found = [endpoint.secret]
    if endpoint.previous_secret and (
        endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now
    ):
        found.append(endpoint.previous_secret)
    return found


def signed_headers(
    *, msg_id: str, body: bytes, secrets_: Sequence[str], at: float | None = None
) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt: `webhook-id`, `webhook-timestamp` (now,
    unix seconds) and `webhook-signature`, one `v1,<base64>` per signing secret."""
    stamp = int(at if at is not None else time.time())
    moment = datetime.fromtimestamp(stamp, tz=UTC)
    text = body.decode()
    signatures = " ".join(Webhook(s).sign(msg_id, moment, text) for s in secrets_)
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": signatures,
    }


# --- Endpoints --------------------------------------------------------------------------------


def _clean_event_types(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(errors={"event_types": ["Give a list of event types."]})
    unknown = sorted({v for v in value if v not in EVENT_TYPES})
    if unknown:
        raise InvalidInput(
            errors={
                "event_types": [
                    f"Unknown event type: {', '.join(unknown)}. Known: {', '.join(EVENT_TYPES)}."
                ]
            }
        )
    return list(dict.fromkeys(value))


def _clean_description(value: str) -> str:
    value = (value or "").strip()
    if len(value) > DESCRIPTION_MAX:
        raise InvalidInput(errors={"description": [f"At most {DESCRIPTION_MAX} characters."]})
    return value


@transaction.atomic
def endpoint_create(
    *, url: str, user=None, description: str = "", event_types=None, active: bool = True
) -> WebhookEndpoint:
    """Register an endpoint with a new secret. The URL must resolve to addresses the SSRF guard
    allows (400 `url` otherwise). The caller shows the secret once."""
    endpoint = WebhookEndpoint(
        url=ssrf.check_url(url),
        description=_clean_description(description),
        event_types=_clean_event_types(event_types),
        secret=secret_new(),
        active=active,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    endpoint.save()
    return endpoint


def _locked(endpoint_id) -> WebhookEndpoint:
    try:
        return WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    except (WebhookEndpoint.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("No such webhook endpoint.") from exc


_UNSET = object()


@transaction.atomic
def endpoint_update(
    *, endpoint_id, url=_UNSET, description=_UNSET, event_types=_UNSET, active=_UNSET
) -> WebhookEndpoint:
    """Change an endpoint. Enabling a disabled one clears why it was disabled and sends its
    pending deliveries now."""
    endpoint = _locked(endpoint_id)
    if url is not _UNSET:
        endpoint.url = ssrf.check_url(url)
    if description is not _UNSET:
        endpoint.description = _clean_description(description)
    if event_types is not _UNSET:
        endpoint.event_types = _clean_event_types(event_types)
    enabled = False
    if active is not _UNSET and bool(active) != endpoint.active:
        endpoint.active = bool(active)
        if endpoint.active:
            enabled = True
            endpoint.disabled_at = None
            endpoint.disabled_reason = ""
            endpoint.failing_since = None
        else:
            endpoint.disabled_at = timezone.now()
            endpoint.disabled_reason = "Disabled by a manager."
    endpoint.save()
    if enabled:
        endpoint.deliveries.filter(status=P.PENDING).update(next_attempt_at=timezone.now())
        _enqueue_on_commit([endpoint.pk])
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint_id) -> None:
    _locked(endpoint_id).delete()


@transaction.atomic
def endpoint_rotate_secret(*, endpoint_id) -> WebhookEndpoint:
    """A new secret signs from now on; the old one keeps signing too (both signatures are sent)
    for `SCRM_WEBHOOK_SECRET_OVERLAP_HOURS`, so receivers switch without losing an event."""
    endpoint = _locked(endpoint_id)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + timedelta(
        hours=settings.SCRM_WEBHOOK_SECRET_OVERLAP_HOURS
    )
    endpoint.secret = secret_new()
    endpoint.save(
        update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
    )
    return endpoint


def _disable(endpoint: WebhookEndpoint, reason: str) -> None:
    """Disable a failing endpoint (inside a transaction) and tell about it durably."""
    now = timezone.now()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        active=False, disabled_at=now, disabled_reason=reason[:500], updated_at=now
    )
    endpoint.active, endpoint.disabled_at, endpoint.disabled_reason = False, now, reason[:500]
    logger.warning("Webhook endpoint %s (%s) disabled: %s", endpoint.pk, endpoint.url, reason)
    outbox.record("webhook_endpoint.disabled", {"endpoint_id": endpoint.pk, "reason": reason[:500]})


# --- Fan-out from the outbox ------------------------------------------------------------------


def webhooks_fan_out(event: OutboxEvent) -> int:
    """The outbox handler: one pending delivery per active endpoint that wants the event,
    written in the dispatcher's transaction; runs enqueued after commit. Returns how many."""
    endpoints = [
        pk
        for pk, types in WebhookEndpoint.objects.filter(active=True).values_list(
            "pk", "event_types"
        )
        if not types or event.type in types
    ]
    if not endpoints:
        return 0
    key = renderers.ordering_key(event.type, event.payload, event.pk)
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint_id=pk,
                event_id=event.pk,
                event_type=event.type,
                ordering_key=key,
                event_created_at=event.created_at,
                next_attempt_at=now,
            )
            for pk in endpoints
        ],
        ignore_conflicts=True,
    )
    _enqueue_on_commit(endpoints)
    return len(endpoints)


def connect() -> None:
    """Register the fan-out for every durable event type (called from `AppConfig.ready`)."""
    for event_type in EVENT_TYPES:
        outbox.register(event_type, webhooks_fan_out, name=HANDLER_NAME)


def _enqueue_on_commit(endpoint_ids: Sequence[int]) -> None:
    transaction.on_commit(partial(endpoints_enqueue, endpoint_ids=list(endpoint_ids)), robust=True)


def endpoints_enqueue(*, endpoint_ids: Sequence[int]) -> int:
    """Hand delivery runs to the broker; a broker failure is logged (the sweeper retries)."""
    from integrations.tasks import webhook_endpoint_deliver_task

    sent = 0
    for pk in dict.fromkeys(endpoint_ids):
        try:
            webhook_endpoint_deliver_task.delay(pk)
        except OperationalError as exc:
            logger.warning("Broker unavailable; webhook runs left for the sweeper: %s", exc)
            break
        sent += 1
    return sent


# --- Delivery ---------------------------------------------------------------------------------


def retry_schedule() -> list[int]:
    return list(settings.SCRM_WEBHOOK_RETRY_SCHEDULE)


def max_attempts() -> int:
    return 1 + len(retry_schedule())


def retry_delay(attempts: int, answer: http.Answer | None = None) -> timedelta:
    """The wait after the `attempts`-th failed attempt: the schedule's step with up to
    ±`SCRM_WEBHOOK_RETRY_JITTER` of it at random, at least a 429/503's `Retry-After` (capped
    at a day)."""
    schedule = retry_schedule()
    if not schedule:
        return timedelta(0)
    base = schedule[min(max(attempts, 1), len(schedule)) - 1]
    jitter = settings.SCRM_WEBHOOK_RETRY_JITTER
    seconds = base * (1 + random.uniform(-jitter, jitter)) if jitter else base
    if answer is not None and answer.status in (429, 503):
        with contextlib.suppress(ValueError):
            seconds = max(seconds, min(int(answer.header("retry-after") or 0), 86400))
    return timedelta(seconds=max(seconds, 0))


# A run sends its deliveries in batches of this many per concurrent call: fewer queries per
# delivery, while a batch to a receiver that times out every call still ends within the lease.
BATCH_ROUNDS = 4


def _lease() -> timedelta:
    # A batch takes at most BATCH_ROUNDS calls in a row on each of its concurrent connections.
    per_call = settings.SCRM_WEBHOOK_CONNECT_TIMEOUT + settings.SCRM_WEBHOOK_READ_TIMEOUT
    return timedelta(seconds=BATCH_ROUNDS * per_call + 30)


def _due_heads(endpoint_id: int, *, now: datetime, limit: int, tried: set[int]) -> list[int]:
    """The deliveries to send now: the oldest pending one of each object, if due and not
    already tried in this run."""
    rows = (
        WebhookDelivery.objects.filter(endpoint_id=endpoint_id, status=P.PENDING)
        .order_by("event_created_at", "id")
        .values_list("id", "ordering_key", "next_attempt_at")[:SCAN]
    )
    seen: set[str] = set()
    heads: list[int] = []
    for pk, key, due in rows:
        if key in seen:
            continue
        seen.add(key)
        if pk not in tried and due <= now:
            heads.append(pk)
            if len(heads) >= limit:
                break
    return heads


def endpoint_deliver(*, endpoint_id: int) -> int:
    """Send the endpoint's due deliveries, oldest first, until none is due or the run has taken
    `SCRM_WEBHOOK_RUN_SECONDS` (then another run is enqueued). Returns how many succeeded.

    Only one run per endpoint at a time (a lease on the endpoint row); a second one returns at
    once. Safe to run twice.
    """
    now = timezone.now()
    lease = now + _lease()
    taken = (
        WebhookEndpoint.objects.filter(pk=endpoint_id, active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease)
    )
    if not taken:
        return 0
    concurrency = max(settings.SCRM_WEBHOOK_ENDPOINT_CONCURRENCY, 1)
    pools = http.Pools(maxsize=concurrency)
    executor = ThreadPoolExecutor(max_workers=concurrency) if concurrency > 1 else None
    started = time.monotonic()
    delivered = 0
    again = False
    tried: set[int] = set()
    try:
        while True:
            endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
            if endpoint is None or not endpoint.active or endpoint.lease_until != lease:
                break
            heads = _due_heads(
                endpoint_id, now=timezone.now(), limit=concurrency * BATCH_ROUNDS, tried=tried
            )
            if not heads:
                break
            renewed = timezone.now() + _lease()
            if not WebhookEndpoint.objects.filter(pk=endpoint_id, lease_until=lease).update(
                lease_until=renewed
            ):
                break  # the lease ran out and another run took over
            lease = endpoint.lease_until = renewed
            tried.update(heads)
            delivered += _send_batch(endpoint, heads, pools, executor)
            if time.monotonic() - started > settings.SCRM_WEBHOOK_RUN_SECONDS:
                again = True
                break
    finally:
        WebhookEndpoint.objects.filter(pk=endpoint_id, lease_until=lease).update(lease_until=None)
        pools.close()
        if executor is not None:
            executor.shutdown(wait=False)
    if again:
        endpoints_enqueue(endpoint_ids=[endpoint_id])
    return delivered


def webhook_body(event: OutboxEvent, data: dict) -> bytes:
    """The body: `{"type", "timestamp" (the event's time, ISO 8601 UTC), "data"}`."""
    stamp = event.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return orjson.dumps(
        {"type": event.type, "timestamp": stamp, "data": data},
        default=str,
        option=orjson.OPT_NON_STR_KEYS,
    )


def _send_batch(endpoint: WebhookEndpoint, ids: list[int], pools, executor) -> int:
    deliveries = sorted(
        WebhookDelivery.objects.filter(pk__in=ids, status=P.PENDING).select_related("event"),
        key=lambda d: (d.event_created_at, d.pk),
    )
    if not deliveries:
        return 0
    datas = renderers.render_data((d.event_type, d.event.payload) for d in deliveries)
    bodies = [webhook_body(d.event, data) for d, data in zip(deliveries, datas, strict=True)]

    # Counted and rescheduled before the call: a worker killed during it leaves a delivery
    # that is due again after the delay, never one that is lost or stuck.
    now = timezone.now()
    for delivery in deliveries:
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + max(retry_delay(delivery.attempts), _lease())
    WebhookDelivery.objects.bulk_update(
        deliveries, ["attempts", "last_attempt_at", "next_attempt_at"]
    )

    secrets_ = signing_secrets(endpoint, now=now)
    stamp = time.time()
    call = partial(
        http.post,
        connect_timeout=settings.SCRM_WEBHOOK_CONNECT_TIMEOUT,
        read_timeout=settings.SCRM_WEBHOOK_READ_TIMEOUT,
        pools=pools,
    )
    requests = [
        (
            endpoint.url,
            body,
            signed_headers(msg_id=str(d.event_id), body=body, secrets_=secrets_, at=stamp),
        )
        for d, body in zip(deliveries, bodies, strict=True)
    ]
    if executor is not None and len(requests) > 1:
        answers = list(executor.map(lambda r: call(*r), requests))
    else:
        answers = [call(*r) for r in requests]
    return _record_answers(endpoint, deliveries, answers, attempted_at=now)


@transaction.atomic
def _record_answers(endpoint, deliveries, answers, *, attempted_at) -> int:
    now = timezone.now()
    limit = max_attempts()
    ok = 0
    gone = False
    WebhookAttempt.objects.bulk_create(
        [
            WebhookAttempt(
                delivery=d,
                attempted_at=attempted_at,
                status_code=a.status,
                duration_ms=a.duration_ms,
                response_body=a.body[: http.BODY_KEEP],
                error=a.error[:500],
                success=a.ok,
            )
            for d, a in zip(deliveries, answers, strict=True)
        ]
    )
    for delivery, answer in zip(deliveries, answers, strict=True):
        delivery.last_status_code = answer.status
        if answer.ok:
            ok += 1
            delivery.status = P.DELIVERED
            delivery.delivered_at = now
            delivery.last_error = ""
            continue
        delivery.last_error = (answer.error or f"HTTP {answer.status}: {answer.body[:200]}")[:500]
        if answer.status == 410:
            gone = True
            delivery.next_attempt_at = now  # kept pending: sent if the endpoint is enabled again
        elif delivery.attempts >= limit:
            delivery.status = P.FAILED
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts, answer)
    WebhookDelivery.objects.bulk_update(
        deliveries,
        ["status", "delivered_at", "last_status_code", "last_error", "next_attempt_at"],
    )
    current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if gone and current.active:
        _disable(current, "The receiver answered 410 Gone.")
    elif ok:
        if current.failing_since is not None:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
    elif current.active:
        if current.failing_since is None:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=now)
        elif now - current.failing_since >= timedelta(
            seconds=settings.SCRM_WEBHOOK_DISABLE_AFTER_SECONDS
        ):
            _disable(
                current,
                f"Every attempt failed since {current.failing_since:%Y-%m-%d %H:%M} UTC; "
                f"last: {deliveries[-1].last_error[:200]}",
            )
    endpoint.active = current.active
    return ok


# --- Sweeping, redelivery, replay -------------------------------------------------------------


def webhooks_sweep() -> int:
    """Enqueue a run for every active endpoint with a due delivery and no live run; returns
    how many runs were enqueued."""
    now = timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(
            status=P.PENDING, next_attempt_at__lte=now, endpoint__active=True
        )
        .filter(Q(endpoint__lease_until__isnull=True) | Q(endpoint__lease_until__lt=now))
        .order_by()
        .values_list("endpoint_id", flat=True)
        .distinct()
    )
    return endpoints_enqueue(endpoint_ids=ids) if ids else 0


@transaction.atomic
def delivery_redeliver(*, delivery_id) -> WebhookDelivery:
    """Send a delivery again (its attempts log stays): pending, due now, a fresh retry
    schedule, the same `webhook-id`. 409 when its endpoint is disabled."""
    try:
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .get(pk=delivery_id)
        )
    except (WebhookDelivery.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("No such webhook delivery.") from exc
    if not delivery.endpoint.active:
        raise Conflict(
            "The endpoint is disabled; enable it first.", code="webhook_endpoint_disabled"
        )
    delivery.status = P.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    _enqueue_on_commit([delivery.endpoint_id])
    return delivery


REPLAY_CHUNK = 1000


@transaction.atomic
def endpoint_replay(*, endpoint_id, since: datetime, until: datetime | None = None) -> int:
    """Send again every event (of the types the endpoint wants) recorded from `since` (up to
    `until`), delivered before or not, with their original `webhook-id`s, for a receiver that
    lost its data. Events older than the outbox's retention (`SCRM_OUTBOX_RETENTION_DAYS`) are
    gone. Returns how many deliveries were made pending."""
    endpoint = _locked(endpoint_id)
    now = timezone.now()
    if since > now:
        raise InvalidInput(errors={"since": ["Give a time in the past."]})
    if until is not None and until < since:
        raise InvalidInput(errors={"until": ["Give a time after `since`."]})
    events = OutboxEvent.objects.filter(created_at__gte=since)
    if until is not None:
        events = events.filter(created_at__lte=until)
    if endpoint.event_types:
        events = events.filter(type__in=endpoint.event_types)
    count = 0
    rows = events.order_by("created_at", "id").values_list("id", "type", "payload", "created_at")
    batch: list[tuple] = []

    def flush() -> None:
        WebhookDelivery.objects.filter(
            endpoint=endpoint, event_id__in=[r[0] for r in batch]
        ).update(status=P.PENDING, attempts=0, next_attempt_at=now)
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    endpoint=endpoint,
                    event_id=pk,
                    event_type=kind,
                    ordering_key=renderers.ordering_key(kind, payload, pk),
                    event_created_at=created,
                    next_attempt_at=now,
                )
                for pk, kind, payload, created in batch
            ],
            ignore_conflicts=True,
        )

    for row in rows.iterator(chunk_size=REPLAY_CHUNK):
        batch.append(row)
        if len(batch) >= REPLAY_CHUNK:
            flush()
            count += len(batch)
            batch = []
    if batch:
        flush()
        count += len(batch)
    if count and endpoint.active:
        _enqueue_on_commit([endpoint.pk])
    return count
