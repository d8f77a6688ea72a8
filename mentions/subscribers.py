"""What `mentions` does when something happens elsewhere: its one place of event wiring, called
from `MentionsConfig.ready`.

Mentions serve authors through hooks, so that `authors` never imports `mentions`: the eraser an
anonymization calls (`authors.privacy`), and segments recomputed when mentions or authors change.
Both are cheap in-process work, run after the commit that caused them.
"""

from django.db.models import Q

from authors.privacy import register_eraser
from mentions.models import Mention
from mentions.privacy import mentions_erase_author, mentions_leave_queue
from mentions.services.author_segments import author_segments_recompute
from scrm.events import subscribe


def _on_mentions_changed(payload: dict) -> None:
    author_ids = set(
        Mention.objects.filter(Q(pk__in=payload.get("mention_ids") or ()), author_id__isnull=False)
        .values_list("author_id", flat=True)
        .distinct()
    )
    author_segments_recompute(author_ids=author_ids)


def _on_author_changed(payload: dict) -> None:
    ids = payload.get("author_ids") or [payload["author_id"]]
    author_segments_recompute(author_ids=ids)


def connect() -> None:
    register_eraser(mentions_erase_author)
    register_eraser(mentions_leave_queue)
    subscribe("mentions.processed", _on_mentions_changed)
    subscribe("mentions.corrected", _on_mentions_changed)
    subscribe("authors.merged", _on_author_changed)
    subscribe("authors.segment_unpinned", _on_author_changed)
