import secrets

from django.db import models
from django.db.models import Q

from scrm.platforms import Platform


class TrackedSubject(models.Model):
    """Something the company listens for: itself, a brand, a product, a competitor, a person."""

    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        BRAND = "brand", "Brand"
        PRODUCT = "product", "Product"
        COMPETITOR = "competitor", "Competitor"
        PERSON = "person", "Person"

    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    is_own = models.BooleanField(
        default=True, help_text="Ours (company, brand, product, people) or a competitor's."
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Names, misspellings, #hashtags and @handles; inflected forms match by themselves."
        ),
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("key",)

    def __str__(self) -> str:
        return self.name


def new_source_secret() -> str:
    return secrets.token_urlsafe(32)


class Source(models.Model):
    """Where mentions come from: a monitoring tool's topic, an export, the API."""

    class Kind(models.TextChoices):
        YOUSCAN = "youscan", "YouScan"
        BRAND24 = "brand24", "Brand24"
        GENERIC = "generic", "Generic (scrm schema)"
        CSV = "csv", "CSV export"
        SENTIRUEVAL = "sentirueval", "SentiRuEval XML"
        DEMO = "demo", "Demo data"

    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GENERIC)
    secret = models.CharField(
        max_length=128,
        default=new_source_secret,
        help_text="Authenticates pushes to /api/v1/sources/<key>/push/. Rotate it in the admin.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("key",)

    def __str__(self) -> str:
        return self.name or self.key


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class SourceType(models.TextChoices):
    SOCIAL = "social", "Social"
    MEDIA = "media", "Media"


class Mention(models.Model):
    """One post, comment or article that mentions a tracked subject.

    `(source, external_id)` identifies it: ingesting it again updates its engagement and never
    creates a second row. `processing_enqueued_at` is the outbox marker: a mention still `new`
    whose processing was enqueued long ago (or never) is enqueued again by the sweeper.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        PROCESSED = "processed", "Processed"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="mentions")
    external_id = models.CharField(max_length=255)
    url = models.URLField(max_length=2000, blank=True)
    platform = models.CharField(max_length=32, choices=Platform.choices, default=Platform.OTHER)
    source_type = models.CharField(
        max_length=16, choices=SourceType.choices, default=SourceType.SOCIAL
    )
    text = models.TextField(blank=True)
    title = models.CharField(max_length=1000, blank=True)
    language = models.CharField(max_length=8, blank=True)
    published_at = models.DateTimeField()
    collected_at = models.DateTimeField()

    author = models.ForeignKey(
        "authors.Author",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentions",
    )
    author_identity = models.ForeignKey(
        "authors.AuthorIdentity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentions",
    )

    likes = models.PositiveBigIntegerField(default=0)
    comments = models.PositiveBigIntegerField(default=0)
    reposts = models.PositiveBigIntegerField(default=0)
    views = models.PositiveBigIntegerField(default=0)
    reach = models.PositiveBigIntegerField(default=0)

    parent_external_id = models.CharField(max_length=255, blank=True)
    discussion_id = models.CharField(max_length=255, blank=True)

    source_sentiment = models.CharField(max_length=16, choices=Sentiment.choices, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    main_subject = models.ForeignKey(
        TrackedSubject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="main_mentions",
    )
    subjects = models.ManyToManyField(
        TrackedSubject, through="MentionSubject", related_name="mentions", blank=True
    )

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    processing_enqueued_at = models.DateTimeField(null=True, blank=True)
    processing_attempts = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-published_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("source", "external_id"), name="mention_unique_source_external_id"
            ),
        ]
        indexes = [
            models.Index(fields=("-published_at", "-id"), name="mention_published_idx"),
            models.Index(fields=("platform", "-published_at"), name="mention_platform_idx"),
            models.Index(fields=("status", "-published_at"), name="mention_status_idx"),
            models.Index(fields=("external_id",), name="mention_external_id_idx"),
            models.Index(
                fields=("processing_enqueued_at",),
                condition=Q(status="new"),
                name="mention_unprocessed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.external_id}"

    @property
    def engagement_total(self) -> int:
        return self.likes + self.comments + self.reposts


class MentionSubject(models.Model):
    """A tracked subject found in a mention; exactly one per mention is the main one."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="subject_links")
    subject = models.ForeignKey(TrackedSubject, on_delete=models.CASCADE, related_name="+")
    is_main = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("mention", "subject"), name="mention_subject_unique"),
        ]
        indexes = [models.Index(fields=("subject", "mention"), name="mention_subject_rev_idx")]

    def __str__(self) -> str:
        return f"{self.mention_id} ~ {self.subject_id}"
