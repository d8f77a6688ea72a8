from django.db import models

from scrm.platforms import Platform


class Author(models.Model):
    """A person (or organisation) who writes about the company, across platforms."""

    display_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-id",)

    def __str__(self) -> str:
        return self.display_name or f"Author #{self.pk}"


class AuthorIdentity(models.Model):
    """One account of an author on one platform.

    `key` is `authors.identity.identity_key(...)`: the same platform and key is the same
    account, whatever the monitoring tool that reported it.
    """

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="identities")
    platform = models.CharField(max_length=32, choices=Platform.choices)
    key = models.CharField(max_length=512)
    external_id = models.CharField(max_length=255, blank=True)
    handle = models.CharField(max_length=255, blank=True)
    profile_url = models.URLField(max_length=2000, blank=True)
    profile_url_normalized = models.CharField(max_length=2000, blank=True, db_index=True)
    display_name = models.CharField(max_length=255, blank=True)
    followers = models.PositiveBigIntegerField(null=True, blank=True)
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
