from django.db import models


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class SourceType(models.TextChoices):
    SOCIAL = "social", "Social"
    MEDIA = "media", "Media"


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    NORMAL = "normal", "Normal"
    LOW = "low", "Low"


# Queue order: the smaller, the sooner.
PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Resolution(models.TextChoices):
    IGNORED = "ignored", "Ignored"
    SPAM = "spam", "Spam"
    DUPLICATE = "duplicate", "Duplicate"
    HANDLED_ELSEWHERE = "handled_elsewhere", "Handled elsewhere"
    # Set by the system only: the author asked to be forgotten and must not be contacted.
    DO_NOT_CONTACT = "do_not_contact", "Author asked not to be contacted"


# The resolutions a person closes a mention with.
CLOSE_RESOLUTIONS = [
    (v, label) for v, label in Resolution.choices if v != Resolution.DO_NOT_CONTACT
]


class Method(models.TextChoices):
    """Who decided a category or sentiment."""

    RULE = "rule", "Manager's rule"
    MODEL = "model", "Learned model"
    OPERATOR = "operator", "Operator"
