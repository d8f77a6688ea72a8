from django.conf import settings
from django.db import models
from django.db.models import Q

from scrm.platforms import Platform


class Segment(models.TextChoices):
    """What kind of relationship an author has with the company (see `authors.segments`
    for the rules)."""

    ADVOCATE = "advocate", "Advocate"
    DETRACTOR = "detractor", "Detractor"
    INFLUENCER = "influencer", "Influencer"
    CUSTOMER = "customer", "Customer"
    UNKNOWN = "unknown", "Unknown"


class Author(models.Model):
    """A person (or organisation) who writes about the company, across platforms.

    `segment` is recomputed from the author's mentions each time one is processed or corrected,
    unless a manager pinned it (`segment_pinned`). An anonymized author (`anonymized_at`) keeps
    its counts and loses everything that identified the person; it is never to be contacted.
    """

    display_name = models.CharField(max_length=255, blank=True)
    segment = models.CharField(max_length=16, choices=Segment.choices, default=Segment.UNKNOWN)
    segment_pinned = models.BooleanField(
        default=False, help_text="Pinned by a manager: recomputation leaves it alone."
    )
    segment_updated_at = models.DateTimeField(null=True, blank=True)
    labels = models.JSONField(default=list, blank=True)
    crm_external_id = models.CharField(
        max_length=255, blank=True, help_text="The contact's id in the company's CRM."
    )
    do_not_contact = models.BooleanField(default=False)
    anonymized_at = models.DateTimeField(null=True, blank=True)
    # Indexed only where set (see Meta): every author is created without it.
    anonymized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-id",)
        indexes = [
            models.Index(fields=("segment", "-id"), name="author_segment_idx"),
            models.Index(
                fields=("anonymized_by",),
                condition=Q(anonymized_by__isnull=False),
                name="author_anonymized_by_idx",
            ),
        ]
        constraints = [
            # One CRM contact is one person: a second author linked to it is a merge to make.
            models.UniqueConstraint(
                fields=("crm_external_id",),
                condition=~Q(crm_external_id=""),
                name="author_unique_crm_external_id",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or f"Author #{self.pk}"


class AuthorIdentity(models.Model):
    """One account of an author on one platform.

    `key` is `authors.identity.identity_key(...)` of the first report: the same platform and key
    is the same account, whatever the monitoring tool that reported it. The account's other
    identifiers (`aliases`) find it too. An erased identity belongs to a forgotten person: it
    keeps its platform and followers, and only hashes of its identifiers.
    """

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="identities")
    platform = models.CharField(max_length=32, choices=Platform.choices)
    key = models.CharField(max_length=512)
    external_id = models.CharField(max_length=255, blank=True)
    handle = models.CharField(max_length=255, blank=True)
    profile_url = models.URLField(max_length=2000, blank=True)
    # Searched with `icontains`, which a B-tree index cannot serve; lookups go through aliases.
    profile_url_normalized = models.CharField(max_length=2000, blank=True)
    display_name = models.CharField(max_length=255, blank=True)
    followers = models.PositiveBigIntegerField(null=True, blank=True)
    verified = models.BooleanField(default=False)
    erased = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "author identities"
        constraints = [
            models.UniqueConstraint(fields=("platform", "key"), name="author_identity_unique_key"),
        ]

    def __str__(self) -> str:
        who = self.handle or self.display_name or self.external_id
        return f"{self.get_platform_display()}: {who}"


class AuthorIdentityAlias(models.Model):
    """One identifier an identity is known by on its platform (`authors.identity`): `id:123`,
    `handle:durov`, `url:vk.com/durov`, `url:vk.com/id123`. One owner per identifier."""

    identity = models.ForeignKey(AuthorIdentity, on_delete=models.CASCADE, related_name="aliases")
    platform = models.CharField(max_length=32, choices=Platform.choices)
    value = models.CharField(max_length=2048)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "author identity aliases"
        constraints = [
            models.UniqueConstraint(
                fields=("platform", "value"), name="author_identity_alias_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.value}"


class AuthorNote(models.Model):
    """What an operator wrote about an author, for the next operator."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("author", "-created_at", "-id"), name="author_note_idx")]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.text[:40]}"


class AuthorMerge(models.Model):
    """The record of a merge: `absorbed_author_id` (no longer exists) was merged into `author`
    by `merged_by`; `details` says what moved (rows per relation, identities, labels, the CRM
    link the absorbed author had)."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="merges")
    absorbed_author_id = models.BigIntegerField(db_index=True)
    absorbed_display_name = models.CharField(max_length=255, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("author", "-created_at", "-id"), name="author_merge_idx")]

    def __str__(self) -> str:
        return f"#{self.absorbed_author_id} -> #{self.author_id}"
