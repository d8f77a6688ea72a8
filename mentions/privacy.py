"""What mentions forget when their author asks to be forgotten (`authors.privacy`)."""

from django.db.models import Case, CharField, Value, When
from django.utils import timezone

from authors.privacy import ERASED_TEXT
from mentions.models import Mention, MentionVector, QueueEvent, Resolution

ERASED_RAW = {"anonymized": True}


def mentions_erase_author(author_id: int) -> int:
    """Replace the texts, titles, URLs and raw payloads of the author's mentions with
    placeholders; returns how many mentions. Category, sentiment, subjects, platform, dates,
    engagement and status stay, so reports count these mentions as before. `external_id` stays
    too: it is the monitoring tool's id of the post, and without it the next delivery of the
    same post would be stored again, text and all. The mentions' vectors, made from the texts,
    are deleted. Safe to run twice."""
    MentionVector.objects.filter(mention__author_id=author_id).delete()
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


def mentions_leave_queue(author_id: int) -> int:
    """Close the author's mentions that wait in the queue or are claimed, with the resolution
    `do_not_contact` (a claim this ends is recorded, so its holder is told); returns how many.
    Processing closes the author's later mentions the same way, so none enters the queue."""
    S = Mention.Status
    waiting = Mention.objects.filter(author_id=author_id, status__in=(S.QUEUED, S.CLAIMED))
    QueueEvent.objects.bulk_create(
        QueueEvent(
            mention_id=mention_id,
            kind=QueueEvent.Kind.CLOSED,
            holder_id=holder_id,
            reason="The author asked not to be contacted.",
        )
        for mention_id, holder_id in waiting.filter(status=S.CLAIMED).values_list(
            "id", "claimed_by_id"
        )
    )
    now = timezone.now()
    return waiting.update(
        status=S.CLOSED,
        resolution=Resolution.DO_NOT_CONTACT,
        closed_at=now,
        team=None,
        claimed_by=None,
        claimed_at=None,
        lease_expires_at=None,
        updated_at=now,
    )
