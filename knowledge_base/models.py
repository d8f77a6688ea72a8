"""Approved answers (articles, versioned), their usage, their search vectors, and the questions
escalated to experts that grow the base.

Writes are in `knowledge_base.services`; this module holds no behaviour.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Article(models.Model):
    """An approved answer to a question people ask, with the phrasings they ask it in.

    Status: draft -> in_review -> published -> archived (an archived article may be published
    again). The fields here are the working copy; every publication freezes them into a new
    `ArticleVersion` (`version` is the number of the latest one, 0 before the first). A PATCH of
    a published article publishes its change at once, as a new version.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    external_id = models.CharField(
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text="The key of the article in the company's own brief (import_kb).",
    )
    question = models.CharField(max_length=1000)
    phrasings = models.JSONField(
        default=list, blank=True, help_text="Other ways people ask the same question."
    )
    answer = models.TextField(
        help_text="The approved answer; may hold placeholders such as {author_name}."
    )
    language = models.CharField(max_length=8, default="ru")
    categories = models.ManyToManyField("mentions.Category", related_name="+", blank=True)
    subjects = models.ManyToManyField("mentions.TrackedSubject", related_name="+", blank=True)
    tags = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_articles",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_by = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        indexes = [models.Index(fields=("status", "language"), name="kb_article_status_idx")]
        # The full-text (GIN, `russian`) and trigram indexes are expression indexes created
        # by migration on PostgreSQL only; see knowledge_base.search.

    def __str__(self) -> str:
        return self.question[:80]


class ArticleVersion(models.Model):
    """One published state of an article, never changed afterwards.

    A reply records the version it used, so what it quoted stays readable after later edits.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    question = models.CharField(max_length=1000)
    phrasings = models.JSONField(default=list)
    answer = models.TextField()
    language = models.CharField(max_length=8)
    categories = models.JSONField(default=list, help_text="Category keys.")
    subjects = models.JSONField(default=list, help_text="Tracked subject keys.")
    tags = models.JSONField(default=list)
    changed_fields = models.JSONField(default=list, help_text="What changed since the last one.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("article", "number")
        constraints = [
            models.UniqueConstraint(fields=("article", "number"), name="kb_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticlePassage(models.Model):
    """A text of a published article that search compares mentions with, and its vector.

    One row per question, phrasing and answer of the article's current version, rebuilt when a
    version is published (after commit, in Celery) so that a query embeds only the mention.
    """

    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        PHRASING = "phrasing", "Phrasing"
        ANSWER = "answer", "Answer"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="passages")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    embedder = models.CharField(max_length=255)
    vector = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=("article", "version"), name="kb_passage_article_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version} {self.kind}"


class SearchGeneration(models.Model):
    """One row whose `generation` goes up in the transaction of every change to what search
    reads (a version published, an article archived, its passages stored): each process's
    in-memory index checks this one row, by primary key, instead of counting the base."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "search generation"

    def __str__(self) -> str:
        return f"search generation {self.generation}"


class MentionEmbedding(models.Model):
    """A mention's vector for search, computed once (the mention's text does not change)."""

    mention = models.OneToOneField(
        "mentions.Mention", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    embedder = models.CharField(max_length=255)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"mention {self.mention_id}"


class ArticleUsage(models.Model):
    """An article was suggested for a mention, used in a reply, or judged by an operator."""

    class Kind(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        USED = "used", "Used in a reply"
        HELPFUL = "helpful", "Marked helpful"
        NOT_HELPFUL = "not_helpful", "Marked not helpful"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="usages")
    version = models.PositiveIntegerField()
    mention = models.ForeignKey(
        "mentions.Mention", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=("article", "kind", "-created_at"), name="kb_usage_article_idx")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.kind}"


class ExpertRequest(models.Model):
    """A question no article answers, put to an expert or a team.

    Status: open -> answered -> approved (archived as a published article), or answered ->
    open again when an editor rejects the answer with a comment. Mentions asking the same
    question wait on one request (`mentions`).
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        APPROVED = "approved", "Approved"

    question = models.TextField()
    question_embedder = models.CharField(max_length=255, blank=True)
    question_vector = models.BinaryField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_requests",
    )
    team = models.ForeignKey(
        "mentions.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentions = models.ManyToManyField(
        "mentions.Mention", through="ExpertRequestMention", related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    due_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    reject_comment = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_requests",
        help_text="The article the approved answer became (or, before, the one to update).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("due_at", "id")
        indexes = [
            models.Index(
                fields=("due_at",), condition=~Q(status="approved"), name="kb_request_due_idx"
            )
        ]

    def __str__(self) -> str:
        return self.question[:80]


class ExpertRequestMention(models.Model):
    """A mention waiting on a request; `attached` when it joined a request already open."""

    request = models.ForeignKey(ExpertRequest, on_delete=models.CASCADE, related_name="links")
    mention = models.ForeignKey("mentions.Mention", on_delete=models.CASCADE, related_name="+")
    attached = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("request", "mention"), name="kb_request_mention_unique")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} <- {self.mention_id}"
