"""Builders of authors with a history. Mentions come in through the ingest service, are
processed with the category and sentiment the test decides (`tests.mentions.states`), and are
answered through the queue services."""

from datetime import UTC, datetime, timedelta
from itertools import count

from django.utils import timezone

from authors.models import Author
from mentions.models import Mention
from mentions.services.ingest import mentions_ingest
from scrm.roles import Role
from tests.factories import UserFactory
from tests.mentions import states
from tests.mentions.helpers import mention_payload
from tests.mentions.states import process_as

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
    """Processing decides `category` and `sentiment` (routing decides the status, which must be
    `status` when one is given)."""
    process_as([mention.pk], category=category, sentiment=sentiment or "neutral")
    mention.refresh_from_db()
    if status == Mention.Status.CLAIMED:  # and then an operator of its team claimed it
        claim(mention)
    elif status is not None:
        assert mention.status == status, f"processing left it {mention.status}, not {status}"


def answer(mention: Mention, *, by=None, at: datetime | None = None, text: str = "") -> None:
    """An operator of the mention's team claimed it and answered it, at `at` (now if None),
    through the queue services; the sent reply the author received is stored beside it as the
    reply services leave it (profiles read replies)."""
    from responses.models import Reply

    mention.refresh_from_db()
    sender = _team_operator(mention, by)
    states.answer(mention, sender, at=at)
    Reply.objects.create(
        mention_id=mention.pk,
        origin=Reply.Origin.FREE_TEXT,
        body=text,
        signature=Reply.Signature.OFFICIAL,
        status=Reply.Status.SENT,
        created_by=sender,
        sent_by=sender,
        sent_at=at or timezone.now(),
        publisher="manual",
    )


def claim(mention: Mention, *, by=None) -> None:
    """An operator of the mention's team claimed it."""
    mention.refresh_from_db()
    states.claim(mention, _team_operator(mention, by))


def _team_operator(mention: Mention, user=None):
    user = user or UserFactory(roles=[Role.OPERATOR])
    if mention.team_id:
        mention.team.members.add(user)
    return user


def author_of(mention: Mention) -> Author:
    mention.refresh_from_db()
    return Author.objects.get(pk=mention.author_id)


def at(day: int, hour: int = 12) -> str:
    return datetime(2026, 10, day, hour, tzinfo=UTC).isoformat()
