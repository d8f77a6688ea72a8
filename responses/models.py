"""Reply templates, the communication policy (versioned), who replies and how they sign, the
publishers' accounts, and the replies themselves.

Writes are in `responses.services`; this module holds no behaviour.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from scrm.platforms import Platform


class Tone(models.TextChoices):
    NEUTRAL = "neutral", "Neutral"
    WARM = "warm", "Warm"
    FORMAL = "formal", "Formal"
    APOLOGETIC = "apologetic", "Apologetic"


class ResponseTemplate(models.Model):
    """A reply the company approved in advance, with placeholders filled per mention
    (`responses.placeholders` lists them). Managers keep them; operators pick one."""

    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    body = models.TextField(help_text="May hold placeholders such as {author_name} and {brand}.")
    categories = models.ManyToManyField(
        "mentions.Category", related_name="+", blank=True, help_text="Categories it suits."
    )
    sentiments = models.JSONField(default=list, blank=True, help_text="Sentiments it suits.")
    language = models.CharField(max_length=8, default="ru")
    tone = models.CharField(max_length=16, choices=Tone.choices, default=Tone.NEUTRAL)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("key",)

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class PolicyVersion(models.Model):
    """One version of the communication policy, never changed afterwards: the document
    operators read beside the reply box and its machine-checked parts. The latest version is
    the policy in force; every reply records the version it was checked against."""

    number = models.PositiveIntegerField(unique=True)
    text = models.TextField(help_text="How the company speaks: tone, what it never says, signing.")
    brand = models.CharField(max_length=200, help_text="The company's name: the {brand} value.")
    forbidden_phrases = models.JSONField(
        default=list, blank=True, help_text="Never in a reply; inflected forms match too."
    )
    max_length = models.JSONField(
        default=dict, blank=True, help_text='Characters per platform, e.g. {"twitter": 280}.'
    )
    default_max_length = models.PositiveIntegerField(default=4000)
    signatures = models.JSONField(
        default=list, help_text="The signatures allowed: official, employee."
    )
    official_signature = models.CharField(max_length=300, blank=True)
    employee_signature = models.CharField(
        max_length=300, blank=True, help_text="With {name} (the employee's public name), {brand}."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-number",)

    def __str__(self) -> str:
        return f"Policy v{self.number}"


class Responder(models.Model):
    """How a staff member replies: the public name they sign with (an employee signature
    needs one) and whether their replies need a manager's review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responder"
    )
    public_name = models.CharField(max_length=200, blank=True)
    needs_review = models.BooleanField(
        default=False, help_text="Every reply of this person is approved before it is sent."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.public_name or str(self.user)


class PublisherAccount(models.Model):
    """An account a publisher posts through: per source (first) or per platform."""

    class Kind(models.TextChoices):
        TELEGRAM = "telegram", "Telegram Bot API"
        VK = "vk", "VK API"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source = models.ForeignKey(
        "mentions.Source",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Used for this source's mentions; empty: for every mention of the platform.",
    )
    token = models.CharField(max_length=500, help_text="Bot token / community access token.")
    api_base_url = models.URLField(
        blank=True, help_text="Empty: the platform's own (https://api.telegram.org, …)."
    )
    group_id = models.CharField(
        max_length=64, blank=True, help_text="VK: the community that comments (from_group)."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("kind", "name")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Reply(models.Model):
    """A reply to a mention (and so to its author), written by an operator.

    Status: draft -> pending_approval -> approved -> sent; pending_approval -> rejected (with a
    reason; edited and submitted again); approved -> sending (a publisher posts it, in Celery)
    -> sent or failed (retried with `send`, or posted by hand and recorded with `mark-sent`).
    A sent reply never changes; a correction is a new reply linking to it (`corrects`).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING_APPROVAL = "pending_approval", "Pending approval"
        REJECTED = "rejected", "Rejected"
        APPROVED = "approved", "Approved"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    class Origin(models.TextChoices):
        TEMPLATE = "template", "Template"
        ARTICLE = "article", "Knowledge-base article"
        FREE_TEXT = "free_text", "Free text"

    class Signature(models.TextChoices):
        OFFICIAL = "official", "The official account"
        EMPLOYEE = "employee", "The employee, by public name"

    mention = models.ForeignKey("mentions.Mention", on_delete=models.CASCADE, related_name="+")
    origin = models.CharField(max_length=16, choices=Origin.choices)
    template = models.ForeignKey(
        ResponseTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    article_version = models.ForeignKey(
        "knowledge_base.ArticleVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    body = models.TextField()
    signature = models.CharField(max_length=16, choices=Signature.choices)
    signed_as = models.CharField(max_length=300, blank=True, help_text="The signature line.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    needs_approval = models.BooleanField(default=False)
    approval_reasons = models.JSONField(default=list, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="replies"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(blank=True)

    publisher = models.CharField(max_length=16, blank=True, help_text="manual, telegram, vk")
    publisher_account = models.ForeignKey(
        PublisherAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    send_requested_at = models.DateTimeField(null=True, blank=True)
    # Set while a publisher's call is out: a call whose outcome is unknown (the process died,
    # the read timed out) is never repeated blindly; the reply fails and says to check.
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    external_url = models.URLField(max_length=2000, blank=True)
    external_id = models.CharField(max_length=255, blank=True)
    # First-response times of the mention, on its first sent reply (corrections leave them
    # empty): from the post's publication and from its arrival in the queue.
    response_seconds = models.PositiveBigIntegerField(null=True, blank=True)
    queue_response_seconds = models.PositiveBigIntegerField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "replies"
        constraints = [
            # One answer per mention (corrections aside): of two replies racing, one wins.
            models.UniqueConstraint(
                fields=("mention",),
                condition=Q(status__in=("sending", "sent"), corrects__isnull=True),
                name="reply_one_answer_per_mention",
            ),
        ]
        indexes = [
            models.Index(fields=("mention", "-created_at"), name="reply_mention_idx"),
            models.Index(
                fields=("-sent_at", "-id"), condition=Q(status="sent"), name="reply_archive_idx"
            ),
            models.Index(
                fields=("created_by", "-sent_at"),
                condition=Q(status="sent"),
                name="reply_archive_operator_idx",
            ),
            models.Index(
                fields=("submitted_at",),
                condition=Q(status="pending_approval"),
                name="reply_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Reply #{self.pk} to mention {self.mention_id}"

    @property
    def text(self) -> str:
        """What is posted: the body and the signature line."""
        return f"{self.body}\n\n{self.signed_as}" if self.signed_as else self.body


class PendingReply(Reply):
    """The managers' approvals screen: replies waiting for approval."""

    class Meta:
        proxy = True
        verbose_name = "reply to approve"
        verbose_name_plural = "approvals"


class ArchivedReply(Reply):
    """The answer archive screen: sent replies."""

    class Meta:
        proxy = True
        verbose_name = "archived reply"
        verbose_name_plural = "answer archive"


PLATFORM_PUBLISHERS = {Platform.TELEGRAM: "telegram", Platform.VK: "vk"}
