from django.conf import settings
from django.db import models

from scrm.platforms import Platform


class Team(models.Model):
    """Operators who answer a share of the mentions; each has its queue."""

    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=128)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("key",)

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Sends mentions that match every given condition to a team; the first match wins.

    A blank condition matches anything; the category's default team applies when no rule does.
    """

    order = models.PositiveIntegerField(default=100)
    category = models.ForeignKey(
        "mentions.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        "mentions.TrackedSubject", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    platform = models.CharField(max_length=32, choices=Platform.choices, blank=True)
    language = models.CharField(max_length=8, blank=True)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="routing_rules")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("order", "id")

    def __str__(self) -> str:
        parts = [
            self.category and self.category.key,
            self.subject and self.subject.key,
            self.platform,
            self.language,
        ]
        return f"{' & '.join(p for p in parts if p) or 'anything'} -> {self.team}"


class QueueEvent(models.Model):
    """A move the queue must remember: a claim that ended (released, ran out, overridden by a
    close) and a reopening with its reason. The former holder's late action is answered from
    it (released, not expired), and a reopened mention says who reopened it and why."""

    class Kind(models.TextChoices):
        RELEASED = "released", "Claim released"
        EXPIRED = "expired", "Lease expired"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"

    mention = models.ForeignKey(
        "mentions.Mention", on_delete=models.CASCADE, related_name="queue_events", db_index=False
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the move; empty for the lease sweeper.",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose claim the move ended, if any.",
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=("mention", "-created_at"), name="queue_event_mention_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.mention_id} {self.kind}"
