"""The outbox: events that must reach something outside the process, recorded in the business
transaction that caused them (see `scrm.outbox`). The only models of the `scrm` package."""

import uuid

from django.db import models
from django.db.models import Q


class OutboxEvent(models.Model):
    """One durable event. Written with the change that caused it; done once every durable
    handler of its type has succeeded.

    `id` is stable across retries, so a receiver can use it to drop duplicates (it becomes the
    Standard Webhooks `webhook-id`). `created_at` is the event's time (`webhook-timestamp`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    # When a dispatch was last handed to the broker; empty when handing it over failed, so the
    # sweeper picks the event up at once instead of after the grace period.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Times the event was handed to the broker for dispatch (1 when recorded; +1 per sweep).
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Not before this time is the event dispatched again (backoff after a failure).
    next_attempt_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [
            # The sweeper's scan: only undone events, soonest due first.
            models.Index(
                fields=("next_attempt_at",),
                condition=Q(done_at__isnull=True),
                name="outbox_event_undone_idx",
            ),
            # Retention cleanup, and a replay of everything since a time.
            models.Index(fields=("created_at",), name="outbox_event_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class OutboxDelivery(models.Model):
    """The state of one durable handler for one event.

    Handlers are few and named in code (`scrm.outbox.register`); a handler that fans out to
    many receivers (one webhook endpoint each) keeps its own per-receiver rows and attempts log
    and is one delivery here. Created when the event is first dispatched.
    """

    # The unique constraint below indexes `event` first; no separate index.
    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    handler = models.CharField(max_length=200)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("event", "handler")
        constraints = [
            models.UniqueConstraint(
                fields=("event", "handler"), name="outbox_delivery_unique_event_handler"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handler} <- {self.event_id}"
