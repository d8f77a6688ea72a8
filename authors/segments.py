"""The pure rules that say what relationship an author has with the company, and how to talk to
them. No queries here: `mentions.selectors.author_mention_stats` gathers what the rules read, and
`mentions.services.author_segments` stores the result.

Segment, first rule that holds (settings in `scrm/settings.py`, "Domain settings"):

1. `detractor`: a negative mention in the last `SCRM_AUTHOR_RECENT_DAYS` days, and more negative
   mentions than positive ones overall;
2. `advocate`: at least `SCRM_AUTHOR_ADVOCATE_MIN_PRAISE` positive mentions and no negative one in
   the last `SCRM_AUTHOR_RECENT_DAYS` days;
3. `influencer`: an identity with at least `SCRM_AUTHOR_INFLUENCER_FOLLOWERS` followers;
4. `customer`: a mention of a category only customers reach (`Category.customers_only`), or a
   link to the company's CRM;
5. `unknown`.

What counts as negative, positive or noise is the categories' data (`Category.polarity`,
`Category.is_noise`), read by `mentions.selectors`. A segment a manager pinned is never
overridden (`authors.services.profile.author_segment_set`).
"""

from dataclasses import dataclass

from django.conf import settings

from authors.models import Segment


@dataclass(frozen=True)
class AuthorStats:
    positives: int = 0
    negatives: int = 0
    recent_negatives: int = 0
    customer_mentions: int = 0
    followers: int = 0
    crm_linked: bool = False


def segment_for(stats: AuthorStats) -> str:
    if stats.recent_negatives and stats.negatives > stats.positives:
        return Segment.DETRACTOR
    if stats.positives >= settings.SCRM_AUTHOR_ADVOCATE_MIN_PRAISE and not stats.recent_negatives:
        return Segment.ADVOCATE
    if stats.followers >= settings.SCRM_AUTHOR_INFLUENCER_FOLLOWERS:
        return Segment.INFLUENCER
    if stats.customer_mentions or stats.crm_linked:
        return Segment.CUSTOMER
    return Segment.UNKNOWN


def suggested_tone(
    *, do_not_contact: bool, segment: str, recent_negatives: int, media_mentions: int, mentions: int
) -> dict:
    """How to answer, first rule that holds: not at all (do not contact), apologetic after a
    negative mention in the last `SCRM_AUTHOR_RECENT_DAYS` days, formal for the media (half or
    more of their mentions), warm for advocates, neutral otherwise."""
    days = settings.SCRM_AUTHOR_RECENT_DAYS
    if do_not_contact:
        return {"tone": "do_not_contact", "reason": "The author asked not to be contacted."}
    if recent_negatives:
        return {
            "tone": "apologetic",
            "reason": f"{recent_negatives} negative mention(s) in the last {days} days.",
        }
    if mentions and media_mentions * 2 >= mentions:
        return {"tone": "formal", "reason": "Writes for the media."}
    if segment == Segment.ADVOCATE:
        return {"tone": "warm", "reason": "An advocate: repeated praise, no recent complaint."}
    return {"tone": "neutral", "reason": "No recent complaint; not media; not an advocate."}
