from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When

from mentions.models.choices import Method, Priority, Resolution, Sentiment, SourceType
from mentions.models.subjects import Source, TrackedSubject
from scrm.platforms import Platform


class Mention(models.Model):
    """One post, comment or article that mentions a tracked subject.

    `(source, external_id)` identifies it: ingesting it again updates its engagement and never
    creates a second row. `processing_enqueued_at` is the outbox marker: a mention still `new`
    whose processing was enqueued long ago (or never) is enqueued again by the sweeper.

    Status: new -> processed (nothing to answer) or queued (in its team's queue) -> claimed (an
    operator holds it under a lease) -> answered, or closed with a resolution. The legal moves
    are in `mentions.services.workflow`.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        PROCESSED = "processed", "Processed"
        QUEUED = "queued", "Queued"
        CLAIMED = "claimed", "Claimed"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    # No index of its own: the unique (source, external_id) index serves lookups by source.
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="mentions", db_index=False
    )
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

    # No index of its own: `mention_author_idx` (author, newest first) serves every lookup.
    author = models.ForeignKey(
        "authors.Author",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentions",
        db_index=False,
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

    # Understanding (filled by processing; an operator's correction wins, see *_method).
    # The nullable links below are indexed only where set (see Meta): at ingest they are all
    # empty, and an index entry per empty value was work for nothing.
    category = models.ForeignKey(
        "mentions.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    category_confidence = models.FloatField(null=True, blank=True)
    category_method = models.CharField(max_length=16, choices=Method.choices, blank=True)
    sentiment = models.CharField(max_length=16, choices=Sentiment.choices, blank=True)
    sentiment_confidence = models.FloatField(null=True, blank=True)
    sentiment_method = models.CharField(max_length=16, choices=Method.choices, blank=True)
    classifier_version = models.CharField(max_length=64, blank=True)
    needs_response = models.BooleanField(default=False)
    priority = models.CharField(max_length=16, choices=Priority.choices, blank=True)
    priority_rank = models.PositiveSmallIntegerField(default=2)
    priority_is_manual = models.BooleanField(default=False)
    sla_due_at = models.DateTimeField(null=True, blank=True)

    # The queue.
    team = models.ForeignKey(
        "mentions.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentions",
        db_index=False,
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_mentions",
        db_index=False,
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=32, choices=Resolution.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    # What the indexes read instead of `status`: the same, but `claimed` reads `queued`. A claim,
    # its renewal and its release change `status`, `claimed_by`, `claimed_at` and
    # `lease_expires_at`, none of them in any index of this table, and leave `stage` as it
    # was: PostgreSQL makes them HOT updates (the new row version on the same page, no index
    # entry written). Computed by the database (a stored generated column): no writer sets it.
    stage = models.GeneratedField(
        expression=Case(When(status="claimed", then=Value("queued")), default=F("status")),
        output_field=models.CharField(max_length=16),
        db_persist=True,
    )
    processing_enqueued_at = models.DateTimeField(null=True, blank=True)
    processing_attempts = models.PositiveIntegerField(default=0)
    # Why processing this mention raised (set by the isolation in `mentions_process`); such a
    # mention stays `new`, is not retried, and did not hold its batch-mates back.
    processing_error = models.CharField(max_length=500, blank=True)
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
            # An author's mentions newest first (the timeline, `?author_id=`, the profile): a
            # page of them is read straight off this index, however long the history, and
            # `author_id` lookups (merge, counts) use its first column.
            models.Index(fields=("author", "-published_at", "-id"), name="mention_author_idx"),
            models.Index(fields=("platform", "-published_at"), name="mention_platform_idx"),
            # `status` filters: `Mention.in_status()` says `stage` too, which this answers
            # (claimed and queued mentions share an entry; `status` is then read on the row).
            models.Index(fields=("stage", "-published_at"), name="mention_stage_idx"),
            models.Index(fields=("external_id",), name="mention_external_id_idx"),
            models.Index(
                fields=("processing_enqueued_at",),
                condition=Q(stage="new"),
                name="mention_unprocessed_idx",
            ),
            # The queue: the open mentions of a team, most urgent first. Claimed ones are in it
            # too (a claim writes no index entry); the queue reads skip them on the row, and
            # the lease sweep and the holder's own list read it whole.
            models.Index(
                fields=("team", "priority_rank", "sla_due_at", "id"),
                condition=Q(stage="queued"),
                name="mention_queue_idx",
            ),
            models.Index(
                fields=("category",),
                condition=Q(category__isnull=False),
                name="mention_category_idx",
            ),
            models.Index(
                fields=("team",), condition=Q(team__isnull=False), name="mention_team_idx"
            ),
            # No index on `claimed_by` or `lease_expires_at`: either would make every claim
            # and release a non-HOT update again (an entry in every index, both trigram ones
            # included).
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.external_id}"

    @classmethod
    def in_status(cls, *statuses: str) -> Q:
        """Mentions in any of `statuses`, spelled so that an index answers it: every index
        reads `stage`, never `status` (see `stage`)."""
        S = cls.Status
        stages = sorted({S.QUEUED if status == S.CLAIMED else status for status in statuses})
        by_stage = Q(stage=stages[0]) if len(stages) == 1 else Q(stage__in=stages)
        if (S.CLAIMED in statuses) == (S.QUEUED in statuses):
            return by_stage  # `stage` alone tells them apart
        other = S.QUEUED if S.CLAIMED in statuses else S.CLAIMED
        return by_stage & ~Q(status=other)

    @property
    def full_text(self) -> str:
        """Title and text: what classification reads."""
        return f"{self.title}\n{self.text}".strip() if self.title else self.text

    @property
    def engagement_total(self) -> int:
        return self.likes + self.comments + self.reposts


class MentionSubject(models.Model):
    """A tracked subject found in a mention; exactly one per mention is the main one."""

    SENTIMENT_FIELDS = ("sentiment", "sentiment_confidence", "sentiment_method")

    # Both links are served by the two composite indexes below; no index of their own.
    mention = models.ForeignKey(
        Mention, on_delete=models.CASCADE, related_name="subject_links", db_index=False
    )
    subject = models.ForeignKey(
        TrackedSubject, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    is_main = models.BooleanField(default=False)
    # The author's sentiment towards this subject (blank until processed). A mention naming one
    # subject gives it the mention's own; one naming several reads each subject's from the
    # clause that names it (`classification.clauses`). An operator's correction of the
    # mention's sentiment sets its main subject's too (`sentiment_method: operator`).
    sentiment = models.CharField(max_length=16, choices=Sentiment.choices, blank=True)
    sentiment_confidence = models.FloatField(null=True, blank=True)
    sentiment_method = models.CharField(max_length=16, choices=Method.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("mention", "subject"), name="mention_subject_unique"),
        ]
        indexes = [models.Index(fields=("subject", "mention"), name="mention_subject_rev_idx")]

    def __str__(self) -> str:
        return f"{self.mention_id} ~ {self.subject_id}"


class MentionVector(models.Model):
    """The mention's sentence embedding, computed once by processing and kept.

    The e5 "query" vector of the mention's text (float32 bytes), as `embedder` names it: the
    knowledge base searches with it and near-duplicate detection can compare with it, without
    embedding the mention again. Absent when the classifier runs without e5 (the hashing
    fallback is cheaper to recompute than to store). Deleted with the text when the author
    asks to be forgotten.
    """

    mention = models.OneToOneField(
        Mention, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    embedder = models.CharField(max_length=255)
    vector = models.BinaryField()

    def __str__(self) -> str:
        return f"vector of mention {self.mention_id}"
