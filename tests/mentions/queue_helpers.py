"""Arranging queued mentions for queue tests."""

from unittest import mock

from mentions.models import Mention, Priority, Team
from mentions.services.ingest import mentions_ingest
from tests.mentions.helpers import mention_payload
from tests.mentions.states import pin_priority, process_as, routed_to


def queued_mentions(n: int, *, team: Team, priorities=None) -> list[Mention]:
    """`n` mentions waiting in `team`'s queue: ingested, processed as support requests (a
    category that needs a response) routed to `team`, and, where `priorities` asks for one the
    triage would not give, pinned to it by a manager's correction, as in production."""
    # Processing is run below, with the category the test needs, instead of after commit.
    with mock.patch("mentions.services.ingest.mentions_enqueue_processing"):
        result = mentions_ingest(items=[mention_payload() for _ in range(n)])
    ids = [r.id for r in result.results]
    process_as(ids, category="support", team=team)
    mentions = list(Mention.objects.filter(pk__in=ids).order_by("id"))
    wanted = priorities or [Priority.NORMAL]
    with routed_to(team):  # a correction re-routes: to the same team
        for i, mention in enumerate(mentions):
            priority = wanted[i % len(wanted)]
            if mention.priority != priority:
                pin_priority(mention, priority)
    return list(Mention.objects.filter(pk__in=ids).order_by("id"))
