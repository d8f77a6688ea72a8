import secrets

from django.db import models


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
