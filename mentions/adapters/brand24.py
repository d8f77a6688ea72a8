"""Brand24: the web panel's XLSX/CSV export, and the Data API's mention items (research, A2).

**Export** (`export_to_generic`, `read_export`). Columns are found by their header, never by
position, ignoring case and spacing: `ID, Date, Hrs, Title, Content, Author, Source, Domain,
Category, Country, Sentiment, Followers Count, Social Media Reach, Likes, Dislikes, Shares,
Comments`. Any other column is kept in `extra` under its header. `Date` + `Hrs` are in the
account's time zone (the `tz` option, UTC by default). `Sentiment` is -1/0/1. Counts map to
`likes`, `comments`, `reposts` (Shares) and `reach` (Social Media Reach); `Dislikes`, `Country`,
`Category` and `Domain` go into `extra`.

The export names an author only by a display name (`Author`) and `Followers Count`. A display
name identifies nobody (two «Дмитрий В.» on a forum are two people), so it is passed as
`author.name` alone — stored, but linked to no identity — unless the mention URL safely names the
account: an X/Twitter status URL (`x.com/<handle>/status/<id>`) always belongs to the tweet's
author, so its handle is added. Other URLs (VK walls, Telegram groups, Facebook comments) can name
a page the writer does not own, so they are not used.

**Data API** (`api_to_generic`, the push adapter of `brand24` sources). Items have `date, time,
title, content, source, host, category, sentiment, tags` and no id, so `external_id` is made:
1. the mention URL in `source` when it is an http(s) URL (`url-sha1:<hex>` of it past 255 chars);
2. else `Tweet-ID: <id>` when `source` is `Tweet-ID: <id>` (X rows carry no URL);
3. else `sha1:<hex>` of `date|time|host|category|title|content` (None as empty), so that the
   same item fetched twice is one mention.
X rows get the URL `https://x.com/i/web/status/<id>`, which opens any tweet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, tzinfo
from os import PathLike
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mentions.adapters.base import AdapterError
from mentions.adapters.csv_mapping import (
    COUNT_MESSAGE,
    SENTIMENT_MESSAGE,
    hashed_id,
    id_from_url,
    is_http_url,
    parse_count,
    parse_datetime,
    parse_sentiment,
    read_csv,
)
from scrm.platforms import Platform, platform_from_domain

# Normalised header -> our name for the column.
_COLUMNS = {
    "id": "id",
    "date": "date",
    "hrs": "hrs",
    "title": "title",
    "content": "content",
    "author": "author",
    "source": "source",
    "domain": "domain",
    "category": "category",
    "country": "country",
    "sentiment": "sentiment",
    "followers count": "followers",
    "social media reach": "reach",
    "likes": "likes",
    "dislikes": "dislikes",
    "shares": "shares",
    "comments": "comments",
}
_EXPORT_HEADERS = {
    "id": "ID",
    "date": "Date",
    "hrs": "Hrs",
    "sentiment": "Sentiment",
    "followers": "Followers Count",
    "reach": "Social Media Reach",
    "likes": "Likes",
    "dislikes": "Dislikes",
    "shares": "Shares",
    "comments": "Comments",
    "source": "Source",
}

# Brand24 categories (lower case) -> platform, for domains we do not know.
_PLATFORM_BY_CATEGORY = {
    "forum": Platform.FORUM,
    "forums": Platform.FORUM,
    "news": Platform.NEWS,
    "x": Platform.TWITTER,
    "twitter": Platform.TWITTER,
    "facebook": Platform.FACEBOOK,
    "instagram": Platform.INSTAGRAM,
    "youtube": Platform.YOUTUBE,
    "reviews": Platform.REVIEW_SITE,
}

_TWEET_ID = re.compile(r"^\s*tweet-id:\s*(\d+)\s*$", re.IGNORECASE)
_TWITTER_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_TWITTER_RESERVED = {"i", "intent", "search", "hashtag", "home", "share", "explore", "settings"}
_MAX_TITLE = 1000


# --------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------


def export_to_generic(row: dict, *, tz: tzinfo = UTC) -> dict:
    """One row of the panel export (a `{header: value}` dict) in the generic schema."""
    columns: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for header, value in row.items():
        name = _COLUMNS.get(_normalise_header(header))
        if name:
            columns[name] = value
        elif _text(value):
            # As text, whatever the file's cell type: a CSV and an XLSX of one export agree.
            extra[str(header)] = value if isinstance(value, list) else _text(value)

    errors: dict[str, list[str]] = {}
    counts: dict[str, int | None] = {}
    for name in ("followers", "reach", "likes", "dislikes", "shares", "comments"):
        try:
            counts[name] = parse_count(columns.get(name))
        except ValueError:
            errors[_EXPORT_HEADERS[name]] = [COUNT_MESSAGE]
    try:
        sentiment = parse_sentiment(columns.get("sentiment"))
    except ValueError:
        errors["Sentiment"] = [SENTIMENT_MESSAGE]
        sentiment = None
    try:
        published = _published(
            columns.get("date"), columns.get("hrs"), tz=tz, names=("Date", "Hrs")
        )
    except AdapterError as exc:
        errors.update(exc.errors)
        published = None
    if errors:
        raise AdapterError(errors)

    source = _text(columns.get("source"))
    url = source if is_http_url(source) else ""
    category = _text(columns.get("category"))
    domain = _text(columns.get("domain"))
    external_id = _text(columns.get("id"))
    if not external_id:
        # An export without an ID column: the same rule as for the Data API.
        external_id = _api_id(
            source=source,
            parts=(
                columns.get("date"),
                columns.get("hrs"),
                domain,
                category,
                columns.get("title"),
                columns.get("content"),
            ),
        )
    platform = _platform(domain, category, url)

    generic: dict[str, Any] = {
        "external_id": external_id,
        "url": url,
        "platform": platform,
        "source_type": "media" if category.lower() == "news" else "social",
        "text": _text(columns.get("content")),
        "title": _text(columns.get("title"))[:_MAX_TITLE],
        "published_at": published.isoformat(),
    }
    author = _export_author(_text(columns.get("author")), counts["followers"], url, platform)
    if author:
        generic["author"] = author
    engagement = {
        "likes": counts["likes"],
        "comments": counts["comments"],
        "reposts": counts["shares"],
        "reach": counts["reach"],
    }
    engagement = {k: v for k, v in engagement.items() if v is not None}
    if engagement:
        generic["engagement"] = engagement
    if sentiment:
        generic["sentiment"] = sentiment
    known_extra = {
        "country": _text(columns.get("country")),
        "category": category,
        "domain": domain,
        "dislikes": counts["dislikes"],
    }
    extra = {**{k: v for k, v in known_extra.items() if v not in (None, "")}, **extra}
    if extra:
        generic["extra"] = extra
    return generic


def read_export(path: str | PathLike, options: Any = None) -> Iterator[dict]:
    """The rows of a panel export, `.xlsx` or `.csv`, as `{header: value}` dicts.

    XLSX cells are read in openpyxl's read-only mode and made JSON-safe (dates as ISO strings,
    times as `HH:MM`, whole floats as ints, empty cells as ""), so a row can be kept as the raw
    payload. Raises `ValueError` for another extension or a sheet without a header row.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv(path, options)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise ValueError(f"Expected a Brand24 export ending in .xlsx or .csv, not {suffix or 'none'}.")


def count_export_rows(path: str | PathLike, options: Any = None) -> int | None:
    """The number of rows, cheaply: the sheet's dimension (blank rows included) or a CSV parse."""
    if Path(path).suffix.lower() == ".csv":
        return sum(1 for _ in read_csv(path, options))
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].max_row
    finally:
        workbook.close()
    return rows - 1 if rows else None


def _read_xlsx(path: str | PathLike) -> Iterator[dict]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headers = None
        for cells in rows:
            if not any(cell not in (None, "") for cell in cells):
                continue
            if headers is None:
                headers = [_text(cell) for cell in cells]
                continue
            row = {
                header: _json_safe(cell)
                for header, cell in zip(headers, cells, strict=False)
                if header
            }
            for header in headers[len(cells) :]:
                if header:
                    row[header] = ""
            yield row
        if headers is None:
            raise ValueError("The XLSX file has no header row.")
    finally:
        workbook.close()


def _json_safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _export_author(name: str, followers: int | None, url: str, platform: str) -> dict | None:
    author: dict[str, Any] = {}
    if name:
        author["name"] = name
    handle = handle_from_url(url) if platform == Platform.TWITTER else ""
    if handle:
        author["handle"] = handle
    if not author:
        return None
    if followers is not None:
        author["followers"] = followers
    return author


def handle_from_url(url: str) -> str:
    """The author's handle when the URL is an X/Twitter status URL, else ""."""
    if not is_http_url(url):
        return ""
    parts = urlsplit(url.strip())
    if platform_from_domain(parts.hostname) != Platform.TWITTER:
        return ""
    segments = [segment for segment in parts.path.split("/") if segment]
    if (
        len(segments) >= 3
        and segments[1] == "status"
        and segments[2].isdigit()
        and _TWITTER_HANDLE.fullmatch(segments[0])
        and segments[0].lower() not in _TWITTER_RESERVED
    ):
        return segments[0]
    return ""


# --------------------------------------------------------------------------------------------------
# Data API
# --------------------------------------------------------------------------------------------------


def api_to_generic(item: dict, *, tz: tzinfo = UTC) -> dict:
    """One Data API mention (`message.results[i]`) in the generic schema."""
    published = _published(item.get("date"), item.get("time"), tz=tz, names=("date", "time"))
    try:
        sentiment = parse_sentiment(item.get("sentiment"))
    except ValueError as exc:
        raise AdapterError({"sentiment": [SENTIMENT_MESSAGE]}) from exc

    source = _text(item.get("source"))
    host = _text(item.get("host"))
    category = _text(item.get("category"))
    external_id = _api_id(
        source=source,
        parts=(
            item.get("date"),
            item.get("time"),
            item.get("host"),
            item.get("category"),
            item.get("title"),
            item.get("content"),
        ),
    )
    url = source if is_http_url(source) else ""
    tweet = _TWEET_ID.match(source)
    if tweet:
        url = f"https://x.com/i/web/status/{tweet.group(1)}"

    generic: dict[str, Any] = {
        "external_id": external_id,
        "url": url,
        "platform": _platform(host, category, url),
        "source_type": "media" if category.lower() == "news" else "social",
        "text": _text(item.get("content")),
        "title": _text(item.get("title"))[:_MAX_TITLE],
        "published_at": published.isoformat(),
    }
    if sentiment:
        generic["sentiment"] = sentiment
    extra = {
        "tags": list(item.get("tags") or []),
        "category": category,
        "host": host,
    }
    extra = {k: v for k, v in extra.items() if v}
    if extra:
        generic["extra"] = extra
    return generic


def _api_id(*, source: str, parts: tuple) -> str:
    if is_http_url(source):
        return id_from_url(source)
    tweet = _TWEET_ID.match(source)
    if tweet:
        return f"Tweet-ID: {tweet.group(1)}"
    return hashed_id(*parts)


# --------------------------------------------------------------------------------------------------
# Shared
# --------------------------------------------------------------------------------------------------

_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _published(day: Any, hour: Any, *, tz: tzinfo, names: tuple[str, str]) -> datetime:
    date_name, time_name = names
    try:
        moment = parse_datetime(day, tz=tz)
    except ValueError:
        raise AdapterError({date_name: ["Enter a date such as 2026-03-14."]}) from None
    if moment is None:
        raise AdapterError({date_name: ["This field is required."]})
    if isinstance(hour, datetime):
        hour = hour.time()
    if isinstance(hour, time):
        return datetime.combine(moment.date(), hour.replace(tzinfo=None), tzinfo=moment.tzinfo)
    text = _text(hour)
    if not text:
        return moment
    match = _TIME.fullmatch(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise AdapterError({time_name: ["Enter a time such as 11:20."]})
    clock = time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
    return datetime.combine(moment.date(), clock, tzinfo=moment.tzinfo)


def _platform(domain: str, category: str, url: str) -> str:
    found = (
        platform_from_domain(domain)
        or platform_from_domain(urlsplit(url).hostname if url else None)
        or _PLATFORM_BY_CATEGORY.get(category.lower())
        or Platform.OTHER
    )
    return str(found)


def _normalise_header(header: Any) -> str:
    return " ".join(str(header or "").split()).lower()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
