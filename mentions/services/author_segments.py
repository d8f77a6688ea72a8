"""Authors' segments, recomputed from their mentions whenever one is processed or corrected
(wired in `mentions.subscribers`). The rules are `authors.segments`; the statistics they read are
`mentions.selectors.author_mention_stats`."""

from collections.abc import Iterable

from authors.segments import segment_for
from authors.services.profile import author_segment_set
from mentions.selectors import author_mention_stats


def author_segments_recompute(*, author_ids: Iterable[int]) -> int:
    """Recompute and store the segments of these authors; returns how many changed. Four
    queries however many authors; a pinned segment is never overridden."""
    stats = author_mention_stats(author_ids)
    if not stats:
        return 0
    return author_segment_set(
        segments={author_id: segment_for(s) for author_id, s in stats.items()}
    )
