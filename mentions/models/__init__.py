from mentions.models.choices import (
    CLOSE_RESOLUTIONS,
    PRIORITY_RANK,
    Method,
    Priority,
    Resolution,
    Sentiment,
    SourceType,
)
from mentions.models.classification import (
    Category,
    ClassificationRule,
    ClassifierModel,
    Correction,
)
from mentions.models.mention import Mention, MentionSubject, MentionVector
from mentions.models.push import PushReceipt
from mentions.models.queue import QueueEvent, RoutingRule, Team
from mentions.models.queue_item import QueueItem
from mentions.models.subjects import Source, TrackedSubject, new_source_secret

__all__ = [
    "CLOSE_RESOLUTIONS",
    "PRIORITY_RANK",
    "Category",
    "ClassificationRule",
    "ClassifierModel",
    "Correction",
    "Mention",
    "MentionSubject",
    "MentionVector",
    "Method",
    "Priority",
    "PushReceipt",
    "QueueEvent",
    "QueueItem",
    "Resolution",
    "RoutingRule",
    "Sentiment",
    "Source",
    "SourceType",
    "Team",
    "TrackedSubject",
    "new_source_secret",
]
