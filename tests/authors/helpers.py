"""Builders of authors with a history. Mentions come in through the ingest service; their
processed state (category, sentiment, status) is set directly, since processing needs the
classifier and after-commit hooks that wrapped test transactions never run."""

from datetime import UTC, datetime, timedelta
from itertools import count

from django.utils import timezone

from authors.models import Author
from mentions.models import Category, Mention
from mentions.services.ingest import mentions_ingest
from tests.mentions.helpers import mention_payload

_seq = count(1)


def account(**fields) -> dict:
    """A VK account in the generic schema's `author` shape."""
    n = next(_seq)
    data = {
        "external_id": f"{900_000 + n}",
        "handle": f"person{n}",
        "name": f"Person {n}",
        "profile_url": f"https://vk.com/person{n}",
        "followers": 100,
    }
    data.update(fields)
    return data


def ingest(author: dict | None, **overrides) -> Mention:
    payload = mention_payload(**overrides)
    if author is None:
        payload.pop("author")
    else:
        payload["author"] = author
    result = mentions_ingest(items=[payload])
    item = result.results[0]
    assert item.status in ("created", "duplicate"), item.errors
    return Mention.objects.get(pk=item.id)


def days_ago(days: float) -> str:
    return (timezone.now() - timedelta(days=days)).isoformat()


def classify(mention: Mention, *, category: str | None, sentiment: str = "", status=None) -> None:
    """What processing would have decided (and the queue done)."""
    fields = {
        "category": Category.objects.get(key=category) if category else None,
        "sentiment": sentiment,
        "status": status or Mention.Status.PROCESSED,
        "processed_at": timezone.now(),
    }
    Mention.objects.filter(pk=mention.pk).update(**fields)


def answer(mention: Mention, *, by=None, at: datetime | None = None, text: str = "") -> None:
    """The mention was answered: a sent reply the author received (made directly, as the
    reply services would leave it), and the mention answered."""
    from responses.models import Reply
    from tests.factories import UserFactory

    moment = at or timezone.now()
    Mention.objects.filter(pk=mention.pk).update(
        status=Mention.Status.ANSWERED,
        answered_at=moment,
        claimed_by=by,
    )
    sender = by or UserFactory(username="replier")
    Reply.objects.create(
        mention_id=mention.pk,
        origin=Reply.Origin.FREE_TEXT,
        body=text,
        signature=Reply.Signature.OFFICIAL,
        status=Reply.Status.SENT,
        created_by=sender,
        sent_by=sender,
        sent_at=moment,
        publisher="manual",
    )


def author_of(mention: Mention) -> Author:
    mention.refresh_from_db()
    return Author.objects.get(pk=mention.author_id)


def at(day: int, hour: int = 12) -> str:
    return datetime(2026, 10, day, hour, tzinfo=UTC).isoformat()
