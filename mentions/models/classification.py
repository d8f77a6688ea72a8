from django.conf import settings
from django.db import models


class Category(models.Model):
    """A consumer-cycle stage (or a company's own category). Categories are data: managers
    rename them, add their own and set, per category, whether it needs a response, whether a
    reply needs approval, the SLA to first response and the default team — and what it means,
    which every rule reads instead of testing keys: its polarity (segments, sentiment
    consistency, reports), whether it is a question that needs an answer (the profile's hints,
    support KPIs), whether only customers reach it (segments), whether it is noise (left out of
    segments, paths and reports) and whether it is a consumer-cycle stage (the author's path)."""

    class Polarity(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"
        NONE = "none", "None"

    key = models.SlugField(max_length=64, unique=True)
    name_ru = models.CharField(max_length=128)
    name_en = models.CharField(max_length=128)
    description = models.TextField(blank=True)
    needs_response = models.BooleanField(default=True)
    needs_approval = models.BooleanField(
        default=False, help_text="Replies to mentions of this category are approved before sending."
    )
    sla_minutes = models.PositiveIntegerField(
        default=240, help_text="Time to first response for a normal-priority mention."
    )
    default_team = models.ForeignKey(
        "mentions.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    polarity = models.CharField(
        max_length=8,
        choices=Polarity.choices,
        default=Polarity.NONE,
        help_text="A complaint or a departure is negative, praise positive, the rest none.",
    )
    is_question = models.BooleanField(
        default=False, help_text="A question that waits for an answer (requests, support)."
    )
    customers_only = models.BooleanField(
        default=False,
        help_text="Only customers reach it (first review, support, praise, abandonment): "
        "its author is a customer.",
    )
    is_noise = models.BooleanField(
        default=False,
        help_text="Nothing to answer or to count: left out of segments, paths and reports.",
    )
    is_stage = models.BooleanField(
        default=True, help_text="A consumer-cycle stage, shown in the author's path."
    )
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("order", "key")
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.name_en} / {self.name_ru}"


class ClassificationRule(models.Model):
    """Words and phrases that put a mention in a category, matched with Russian morphology.

    Rules are tried in `order` before the learned model; the first that matches decides.
    """

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules")
    phrases = models.JSONField(
        default=list, help_text="Words or phrases; inflected forms match by themselves."
    )
    order = models.PositiveIntegerField(default=100)
    description = models.CharField(max_length=255, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("order", "id")

    def __str__(self) -> str:
        return f"{self.category.key}: {', '.join(self.phrases[:3])}"


class Correction(models.Model):
    """An operator's correction of a mention's category, sentiment or priority: a training label
    with who and when."""

    class Field(models.TextChoices):
        CATEGORY = "category", "Category"
        SENTIMENT = "sentiment", "Sentiment"
        PRIORITY = "priority", "Priority"

    mention = models.ForeignKey(
        "mentions.Mention", on_delete=models.CASCADE, related_name="corrections"
    )
    field = models.CharField(max_length=16, choices=Field.choices)
    old_value = models.CharField(max_length=64, blank=True)
    new_value = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("field", "-created_at"), name="correction_field_idx")]

    def __str__(self) -> str:
        return f"{self.mention_id} {self.field}: {self.old_value} -> {self.new_value}"


class ClassifierModel(models.Model):
    """A trained classifier. The active one classifies; the repository ships the first."""

    version = models.CharField(max_length=64, unique=True)
    artifact = models.BinaryField()
    metrics = models.JSONField(default=dict, blank=True)
    trained_on = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.version
