"""YouScan: the REST `Mention` (also the shape of their JSON export) and the webhook push.

The two shapes carry the same facts under different names (research notes, part A1):

    REST / export          webhook
    id (string)            mentionId (int)
    source (domain)        sourceName
    sourceType             resourceType
    engagement{likes,..}   likes, comments, ... at the top level
    publicationPlace       channel

Translation, shared by both:
- `external_id` is YouScan's mention id as a string;
- `platform` comes from the domain; an unknown domain is `forum`, `review_site` or `news` by the
  source type, else `other`; `source_type` is `media` for news, else `social`;
- `text` is `fullText`, else `text`; YouScan sanitises HTML by default, tags are stripped anyway;
- the author is `profileId` -> external_id, `nickname` -> handle, `name`, `url` -> profile_url,
  `subscribers` -> followers; on platforms that span many sites (forum, review_site, news,
  other) an id or nickname is unique only on its own site, so there only the profile URL
  identifies the author;
- engagement `likes/comments/reposts/views` as sent; `reach` is `engagement.reach`, else
  `potentialReach` (the audience the post could reach);
- sentiment `undefined` is no sentiment;
- `parentPostId` and `discussionId` are the thread links;
- tags, country, region, city, postType, postId, rating, seq/topicId and the publication place
  go into `extra`.

Twitter/X records come without `text`, `fullText`, `url` and most of the author (a vendor
restriction): they are accepted with an empty text, the author's `profileId`, and a URL built
from the tweet id (`https://x.com/i/web/status/<postId>`, which opens any tweet) so an operator
can still open it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from os import PathLike
from typing import Any

from django.utils.html import strip_tags

from mentions.adapters.base import AdapterError
from mentions.adapters.jsonl import iter_json_lines, raise_if_unreadable
from scrm.platforms import Platform, platform_from_domain

_PLATFORM_BY_SOURCE_TYPE = {
    "forum": Platform.FORUM,
    "reviews": Platform.REVIEW_SITE,
    "news": Platform.NEWS,
}
_MULTI_SITE_PLATFORMS = {Platform.FORUM, Platform.REVIEW_SITE, Platform.NEWS, Platform.OTHER}
_SENTIMENTS = {"positive", "neutral", "negative"}
_COUNTERS = ("likes", "comments", "reposts", "views")
_MAX_TITLE = 1000


def rest_to_generic(record: dict) -> dict:
    """One REST API (or JSON export) `Mention` in the generic schema."""
    raise_if_unreadable(record)
    engagement = record.get("engagement") or {}
    if not isinstance(engagement, dict):
        raise AdapterError({"engagement": ["Expected an object."]})
    return _to_generic(
        record,
        id_field="id",
        domain=record.get("source"),
        source_type=record.get("sourceType") or record.get("resourceType"),
        counters=engagement,
        place=record.get("publicationPlace"),
        extra={"seq": record.get("seq")},
    )


def webhook_to_generic(payload: dict) -> dict:
    """One webhook push (`WebhookMention`: flat counters, fields with null values omitted)."""
    raise_if_unreadable(payload)
    return _to_generic(
        payload,
        id_field="mentionId",
        domain=payload.get("sourceName"),
        source_type=payload.get("resourceType"),
        counters=payload,
        place=payload.get("channel"),
        extra={"topic_id": payload.get("topicId"), "topic_name": payload.get("topicName")},
    )


def to_generic(record: dict) -> dict:
    """Either shape: a record with `mentionId` and no `id` is a webhook push."""
    if "mentionId" in record and "id" not in record:
        return webhook_to_generic(record)
    return rest_to_generic(record)


def read_export(path: str | PathLike, options: Any = None) -> Iterator[dict]:
    """The mentions of a YouScan JSON file.

    Accepts the REST list response `{"total", "lastSeq", "mentions": [...]}`, a bare JSON list
    of mentions, one mention object, or JSON lines (one mention a line; a bad line becomes a
    failed record naming its line). Raises `ValueError` for any other JSON document.

    A single JSON document is parsed whole (the standard library cannot stream one); JSON lines
    are read one line at a time.
    """
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        # Several JSON values: a JSON lines file (saved webhook pushes, a streamed export).
        yield from iter_json_lines(path)
        return
    if isinstance(document, dict) and isinstance(document.get("mentions"), list):
        mentions = document["mentions"]
    elif isinstance(document, list):
        mentions = document
    elif isinstance(document, dict) and ("id" in document or "mentionId" in document):
        mentions = [document]
    else:
        raise ValueError(
            'Expected a YouScan export: {"mentions": [...]}, a JSON list of mentions or JSON lines.'
        )
    yield from mentions


def _to_generic(
    record: dict,
    *,
    id_field: str,
    domain: Any,
    source_type: Any,
    counters: dict,
    place: Any,
    extra: dict,
) -> dict:
    errors: dict[str, list[str]] = {}
    mention_id = record.get(id_field)
    if mention_id in (None, ""):
        errors[id_field] = ["This field is required."]
    if not record.get("published"):
        errors["published"] = ["This field is required."]
    if errors:
        raise AdapterError(errors)

    source_type = str(source_type or "").lower()
    platform = platform_from_domain(domain) or _PLATFORM_BY_SOURCE_TYPE.get(
        source_type, Platform.OTHER
    )
    post_id = _text(record.get("postId"))
    url = _text(record.get("url"))
    if not url and platform == Platform.TWITTER and post_id.isdigit():
        url = f"https://x.com/i/web/status/{post_id}"

    generic: dict[str, Any] = {
        "external_id": str(mention_id),
        "url": url,
        "platform": str(platform),
        "source_type": "media" if source_type == "news" else "social",
        "text": _plain(record.get("fullText") or record.get("text")),
        "title": _plain(record.get("title"))[:_MAX_TITLE],
        "language": _text(record.get("language")),
        "published_at": record["published"],
        "parent_external_id": _text(record.get("parentPostId")),
        "discussion_id": _text(record.get("discussionId")),
    }
    if record.get("addedAt"):
        generic["collected_at"] = record["addedAt"]
    author = _author(record.get("author"), platform=platform)
    if author:
        generic["author"] = author
    engagement = _engagement(counters, potential_reach=record.get("potentialReach"))
    if engagement:
        generic["engagement"] = engagement
    sentiment = str(record.get("sentiment") or "").lower()
    if sentiment in _SENTIMENTS:
        generic["sentiment"] = sentiment
    kept = _compact(
        {
            "tags": record.get("tags") or None,
            "country": record.get("country"),
            "region": record.get("region"),
            "city": record.get("city"),
            "post_type": record.get("postType"),
            "post_id": post_id or None,
            "rating": record.get("rating"),
            "publication_place": _place(place),
            **extra,
        }
    )
    if kept:
        generic["extra"] = kept
    return generic


def _author(author: Any, *, platform: str) -> dict | None:
    if not isinstance(author, dict):
        return None
    # A forum nickname or id is unique only on its own site, and `forum` (like the review, news
    # and other platforms) spans many sites: there only the profile URL, which names the site,
    # may identify the author.
    site_scoped = platform in _MULTI_SITE_PLATFORMS
    found = _compact(
        {
            "external_id": "" if site_scoped else _text(author.get("profileId")),
            "handle": "" if site_scoped else _text(author.get("nickname")),
            "name": _text(author.get("name")) or _text(author.get("nickname")),
            # Only a web address identifies a profile; anything else would fail the record.
            "profile_url": url if (url := _text(author.get("url"))).startswith("http") else "",
            "followers": _count(author.get("subscribers")),
        }
    )
    return found or None


def _place(place: Any) -> dict | None:
    if not isinstance(place, dict):
        return None
    return _compact({k: place.get(k) for k in ("name", "nickname", "url", "subscribers")}) or None


def _engagement(counters: dict, *, potential_reach: Any) -> dict:
    found = {name: _count(counters.get(name)) for name in _COUNTERS}
    reach = _count(counters.get("reach"))
    found["reach"] = reach if reach is not None else _count(potential_reach)
    return {name: value for name, value in found.items() if value is not None}


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


_MARKUP = re.compile(r"<[a-zA-Z/!?]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_BREAKS = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)


def _plain(value: Any) -> str:
    """Text without HTML: line breaks kept, tags dropped, entities decoded."""
    text = _text(value)
    if not _MARKUP.search(text):
        return text
    text = unescape(strip_tags(_BREAKS.sub("\n", text)))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _compact(values: dict) -> dict:
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}
