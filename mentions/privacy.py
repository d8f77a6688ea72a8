"""What mentions forget when their author asks to be forgotten (`authors.privacy`)."""

from django.db.models import Case, CharField, Value, When
from django.utils import timezone

from authors.privacy import ERASED_TEXT
from mentions.models import Mention

ERASED_RAW = {"anonymized": True}


def mentions_erase_author(author_id: int) -> int:
    """Replace the texts, titles, URLs and raw payloads of the author's mentions with
    placeholders; returns how many mentions. Category, sentiment, subjects, platform, dates,
    engagement and status stay, so reports count these mentions as before. `external_id` stays
    too: it is the monitoring tool's id of the post, and without it the next delivery of the
    same post would be stored again, text and all. Safe to run twice."""
    return Mention.objects.filter(author_id=author_id).update(
        text=Case(
            When(text="", then=Value("")), default=Value(ERASED_TEXT), output_field=CharField()
        ),
        title=Case(
            When(title="", then=Value("")), default=Value(ERASED_TEXT), output_field=CharField()
        ),
        url="",
        raw=ERASED_RAW,
        updated_at=timezone.now(),
    )
