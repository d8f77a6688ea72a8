"""Outgoing webhooks: the endpoints managers register, one delivery per (endpoint, event), and
the log of every attempt.

The outbox event (`scrm.models.OutboxEvent`) is the message: its id is the `webhook-id`, the same
on every retry and redelivery. A delivery keeps its own schedule (`next_attempt_at`, in the
database, never in a Celery countdown), so a lost task or a killed worker delays it by at most
the sweeper's interval.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from scrm.models import OutboxEvent


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=500, blank=True)
    # Event types it wants; empty: every type, including those added later.
    event_types = models.JSONField(default=list, blank=True)
    # Standard Webhooks symmetric secret, `whsec_<base64 of 32 random bytes>`. During a rotation
    # the previous one keeps signing (both signatures are sent) until `previous_secret_expires_at`.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    # Since when every attempt has failed (cleared by a success); past
    # SCRM_WEBHOOK_DISABLE_AFTER_SECONDS the endpoint is disabled.
    failing_since = models.DateTimeField(null=True, blank=True)
    # One delivery run per endpoint at a time, so that each object's changes arrive in order; a
    # lease, not a lock, so that a killed worker's run ends by itself.
    lease_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("id",)
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    """One event to one endpoint. Pending until a 2xx answer, or failed when the retry
    schedule is used up; a redelivery or replay makes it pending again (the attempts stay)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="webhook_deliveries", db_index=False
    )
    event_type = models.CharField(max_length=64)
    # The object the event is about (`mention:12`): an endpoint gets one object's events in the
    # order they happened; a later one waits while an earlier one is pending.
    ordering_key = models.CharField(max_length=100)
    # The event's time, copied so that an endpoint's queue is read from one index.
    event_created_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # since it was last made pending
    next_attempt_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("event_created_at", "id")
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=("endpoint", "event"), name="webhook_delivery_unique"),
        ]
        indexes = [
            # An endpoint's queue, oldest first.
            models.Index(
                fields=("endpoint", "event_created_at", "id"),
                condition=Q(status="pending"),
                name="webhook_delivery_pending_idx",
            ),
            # The sweeper: what is due, over all endpoints.
            models.Index(
                fields=("next_attempt_at",),
                condition=Q(status="pending"),
                name="webhook_delivery_due_idx",
            ),
            # The delivery log of an endpoint, newest first.
            models.Index(fields=("endpoint", "-id"), name="webhook_delivery_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} -> {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP call: when, the status code (none when no answer came), how long it took, the
    start of the response body, and the error when there was no answer."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_body = models.CharField(max_length=1000, blank=True)
    error = models.CharField(max_length=500, blank=True)
    success = models.BooleanField(default=False)

    class Meta:
        ordering = ("delivery", "id")

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.attempted_at:%Y-%m-%d %H:%M:%S}: {self.status_code}"


class CrmConnector(models.Model):
    """A company CRM the social customers go to. Configured in the admin.

    `base_url`: for Bitrix24 the incoming-webhook URL (`https://<portal>/rest/<user>/<code>/`),
    which is the credential itself; for HubSpot `https://api.hubapi.com`, with `token`; for
    amoCRM `https://<subdomain>.amocrm.ru`, with `token` and `oauth`.
    `categories`: the mention categories that go to the CRM (empty: all). Remote ids are kept
    in `CrmContactLink` and `CrmNoteLink`, so a retry never makes a second contact or note.
    """

    class Kind(models.TextChoices):
        BITRIX24 = "bitrix24", "Bitrix24 (incoming webhook)"
        HUBSPOT = "hubspot", "HubSpot (CRM v3, private app token)"
        AMOCRM = "amocrm", "amoCRM / Kommo (API v4, OAuth)"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BITRIX24)
    base_url = models.URLField(max_length=2000)
    # HubSpot: the private app's access token; amoCRM: the OAuth access token (refreshed with
    # `oauth`). Sent as a Bearer token. Bitrix24 needs none.
    token = models.CharField(max_length=2000, blank=True)
    # amoCRM: {"client_id", "client_secret", "redirect_uri", "refresh_token"}.
    oauth = models.JSONField(default=dict, blank=True)
    categories = models.JSONField(default=list, blank=True)
    # Calls per second the vendor allows (Bitrix24: 2 on most plans).
    rate_per_second = models.PositiveSmallIntegerField(default=2)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("id",)
        verbose_name = "CRM connector"

    def __str__(self) -> str:
        return self.name

    def wants_category(self, key: str | None) -> bool:
        return not self.categories or key in self.categories


class CrmContactLink(models.Model):
    """The CRM contact of an author, as this connector found or created it."""

    connector = models.ForeignKey(CrmConnector, on_delete=models.CASCADE, related_name="contacts")
    author = models.ForeignKey("authors.Author", on_delete=models.CASCADE, related_name="+")
    remote_id = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("connector", "author"), name="crm_contact_unique"),
        ]

    def __str__(self) -> str:
        return f"author {self.author_id} = {self.connector_id}:{self.remote_id}"


class CrmNoteLink(models.Model):
    """A timeline entry made in the CRM for a mention (`kind` mention) or our reply (reply)."""

    connector = models.ForeignKey(CrmConnector, on_delete=models.CASCADE, related_name="notes")
    mention = models.ForeignKey("mentions.Mention", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    remote_id = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("connector", "mention", "kind"), name="crm_note_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.mention_id} = {self.connector_id}:{self.remote_id}"


class CrmJob(models.Model):
    """One thing to do in one CRM for one outbox event, with its own retries."""

    class Action(models.TextChoices):
        PUSH_MENTION = "push_mention", "Add the mention to the contact's timeline"
        PUSH_REPLY = "push_reply", "Add our reply to the contact's timeline"
        FORGET_AUTHOR = "forget_author", "Delete the contact of a forgotten author"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    connector = models.ForeignKey(CrmConnector, on_delete=models.CASCADE, related_name="jobs")
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    object_id = models.PositiveBigIntegerField()  # the mention or the author
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)
        verbose_name = "CRM job"
        constraints = [
            models.UniqueConstraint(fields=("connector", "event", "action"), name="crm_job_unique"),
        ]
        indexes = [
            models.Index(
                fields=("next_attempt_at",), condition=Q(status="pending"), name="crm_job_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_id} -> {self.connector_id}"
