"""Arranging queued mentions for queue tests."""

from unittest import mock

from mentions.models import PRIORITY_RANK, Category, Mention, Priority, Team
from mentions.services.ingest import mentions_ingest
from tests.mentions.helpers import mention_payload


def queued_mentions(n: int, *, team: Team, priorities=None) -> list[Mention]:
    """`n` mentions waiting in `team`'s queue (ingested, then placed as processing would)."""
    # Placed by hand below: processing (which would route them itself) is not wanted here.
    with mock.patch("mentions.services.ingest.mentions_enqueue_processing"):
        result = mentions_ingest(items=[mention_payload() for _ in range(n)])
    ids = [r.id for r in result.results]
    # A category that needs a response, as processing would have found: a released mention
    # goes where its category sends it, and one with no category would leave the queue.
    support = Category.objects.get(key="support")
    for i, mention_id in enumerate(ids):
        priority = (priorities or [Priority.NORMAL])[i % len(priorities or [Priority.NORMAL])]
        Mention.objects.filter(pk=mention_id).update(
            status=Mention.Status.QUEUED,
            team=team,
            category=support,
            needs_response=True,
            priority=priority,
            priority_rank=PRIORITY_RANK[priority],
        )
    return list(Mention.objects.filter(pk__in=ids).order_by("id"))
