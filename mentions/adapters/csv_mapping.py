"""CSV exports of any tool, mapped to the generic schema by a user-supplied column mapping.

A mapping names, for each column that matters, the generic field it fills:

    {"Дата": "published_at", "Ссылка": "url", "Текст": "text", "Автор": "author.name",
     "Охват": "engagement.reach", "Тональность": "sentiment", "Источник": "platform"}

Targets are the fields of `mentions.ingest.schema.MentionIn`, dotted for `author.*` and
`engagement.*`, plus `extra.<name>` for anything to keep beside the mention. Columns not in the
mapping are not translated (the whole row is kept as the raw payload anyway).

Values are read the way Russian and English tools write them: dates in ISO 8601,
`DD.MM.YYYY HH:MM[:SS]` or `YYYY-MM-DD HH:MM[:SS]` (a time without an offset is in the `tz`
option's zone), counts such as `1 234` or `1,234`, sentiment as `позитив/негатив/нейтрал`,
`positive/negative/neutral` or `1/0/-1`. A value that cannot be read fails its record with an
`AdapterError` naming the column.

The value helpers here (`parse_datetime`, `parse_count`, `parse_sentiment`, `id_from_url`) are
shared with the Brand24 adapter, whose exports are the same kind of loosely typed table.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, time, tzinfo
from os import PathLike
from typing import Any

from mentions.adapters.base import AdapterError
from scrm.platforms import Platform, platform_from_domain

_TOP_LEVEL_TARGETS = {
    "external_id",
    "url",
    "platform",
    "source_type",
    "text",
    "title",
    "language",
    "published_at",
    "collected_at",
    "sentiment",
    "parent_external_id",
    "discussion_id",
    "subjects",
}
_AUTHOR_FIELDS = {"external_id", "handle", "name", "profile_url", "followers"}
_ENGAGEMENT_FIELDS = {"likes", "comments", "reposts", "views", "reach"}
TARGETS = frozenset(
    _TOP_LEVEL_TARGETS
    | {f"author.{name}" for name in _AUTHOR_FIELDS}
    | {f"engagement.{name}" for name in _ENGAGEMENT_FIELDS}
)

# The longest external id the schema accepts; longer URLs are hashed.
_MAX_ID = 255

# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


def read_csv(path: str | PathLike, options: Any = None) -> Iterator[dict[str, str]]:
    """Yield each data row of a CSV file as `{header: value}`, blank rows skipped.

    The delimiter (`;`, `,` or tab) is sniffed from the header line; a UTF-8 byte order
    mark is dropped; headers are stripped of surrounding spaces. Cells beyond the header row are
    kept under `"_extra_cells"`. Raises `ValueError` for a file without a header row.
    """
    with open(path, encoding="utf-8-sig", newline="") as handle:
        delimiter = _delimiter(handle.readline())
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        headers = next(reader, None)
        if not headers or not any(h.strip() for h in headers):
            raise ValueError("The CSV file has no header row.")
        headers = [h.strip() for h in headers]
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            row = dict(zip(headers, cells, strict=False))
            for header in headers[len(cells) :]:
                row[header] = ""
            if len(cells) > len(headers):
                row["_extra_cells"] = cells[len(headers) :]
            yield row


def count_csv_rows(path: str | PathLike, options: Any = None) -> int:
    """The number of non-blank data rows (a quick parse, for a progress bar)."""
    return sum(1 for _ in read_csv(path, options))


def _delimiter(header_line: str) -> str:
    # csv.Sniffer guesses from a whole sample and is thrown by `;` or `,` inside texts; the
    # header line is a steadier witness: the delimiter is its most frequent candidate.
    counts = {candidate: header_line.count(candidate) for candidate in ";,\t"}
    return max(counts, key=counts.get) if any(counts.values()) else ","


# --------------------------------------------------------------------------------------------------
# Value parsing (shared with the Brand24 adapter)
# --------------------------------------------------------------------------------------------------

_DATETIME_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y, %H:%M:%S",
    "%d.%m.%Y, %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
DATETIME_MESSAGE = (
    "Enter a date and time such as 2026-03-14T11:20:00+05:00, 14.03.2026 11:20 "
    "or 2026-03-14 11:20:00."
)


def parse_datetime(value: Any, *, tz: tzinfo = UTC) -> datetime | None:
    """A date and time as an aware datetime, or None for an empty value.

    ISO 8601 (with `Z` or an offset), `DD.MM.YYYY HH:MM[:SS]` and `YYYY-MM-DD HH:MM[:SS]`; a
    value without an offset is in `tz`. Raises `ValueError` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=tz)
    text = " ".join(str(value).split())
    if not text:
        return None
    parsed = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        for pattern in _DATETIME_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern)  # noqa: DTZ007 - zone set below
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValueError(DATETIME_MESSAGE)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’]")
_GROUPED = re.compile(r"\d{1,3}([,.]\d{3})+")
COUNT_MESSAGE = "Enter a whole number of 0 or more, e.g. 1234, 1 234 or 1,234."


def parse_count(value: Any) -> int | None:
    """A non-negative count, or None for an empty value.

    Tolerates thousands separators (`1 234`, `1,234`, `1.234`, `1'234`) and a zero fraction
    (`12.0`, as spreadsheets write numbers). Raises `ValueError` for anything else.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(COUNT_MESSAGE)
        number = int(value)
    else:
        text = _SPACES.sub("", str(value))
        if not text:
            return None
        if _GROUPED.fullmatch(text):
            text = re.sub(r"[,.]", "", text)
        elif re.fullmatch(r"\d+[.,]0+", text):
            text = re.split(r"[.,]", text)[0]
        if not text.isdigit():
            raise ValueError(COUNT_MESSAGE)
        number = int(text)
    if number < 0:
        raise ValueError(COUNT_MESSAGE)
    return number


_SENTIMENT_NUMBERS = {"1": "positive", "+1": "positive", "0": "neutral", "-1": "negative"}
_SENTIMENT_STEMS = (
    (("позитив", "положит", "pos"), "positive"),
    (("негатив", "отрицат", "neg"), "negative"),
    (("нейтрал", "neu", "objective"), "neutral"),
)
_NO_SENTIMENT = {"undefined", "unknown", "mixed", "смешанная", "не определена", "-", "n/a"}
SENTIMENT_MESSAGE = "Enter positive, neutral or negative (позитив, нейтрал, негатив, or 1, 0, -1)."


def parse_sentiment(value: Any) -> str | None:
    """`positive`/`neutral`/`negative`, or None when the tool gave none.

    Reads Russian and English words in any form (`Позитивная`, `negative`, `NEU`), the numbers
    1/0/-1 (also as 1.0), and treats `undefined`, `mixed` and blanks as no sentiment.
    Raises `ValueError` for anything else.
    """
    if value is None or isinstance(value, bool):
        return None
    text = re.sub(r"^([+-]?\d+)\.0+$", r"\1", str(value).strip().lower())
    if not text or text in _NO_SENTIMENT:
        return None
    if text in _SENTIMENT_NUMBERS:
        return _SENTIMENT_NUMBERS[text]
    for stems, sentiment in _SENTIMENT_STEMS:
        if text.startswith(stems):
            return sentiment
    raise ValueError(SENTIMENT_MESSAGE)


def is_http_url(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def id_from_url(url: str) -> str:
    """An external id made from a URL: the URL itself, or `url-sha1:<hex>` when it is too long."""
    url = url.strip()
    if len(url) <= _MAX_ID:
        return url
    return "url-sha1:" + hashlib.sha1(url.encode("utf-8")).hexdigest()


def hashed_id(*parts: Any) -> str:
    """`sha1:<hex>` of the parts joined with `|` (None as ""), for records that carry no id."""
    joined = "|".join("" if part is None else str(part) for part in parts)
    return "sha1:" + hashlib.sha1(joined.encode("utf-8")).hexdigest()


_PLATFORM_WORDS = {
    "вконтакте": Platform.VK,
    "вк": Platform.VK,
    "vkontakte": Platform.VK,
    "телеграм": Platform.TELEGRAM,
    "телеграмм": Platform.TELEGRAM,
    "твиттер": Platform.TWITTER,
    "x": Platform.TWITTER,
    "инстаграм": Platform.INSTAGRAM,
    "фейсбук": Platform.FACEBOOK,
    "ютуб": Platform.YOUTUBE,
    "youtube": Platform.YOUTUBE,
    "форум": Platform.FORUM,
    "форумы": Platform.FORUM,
    "forums": Platform.FORUM,
    "отзовик": Platform.REVIEW_SITE,
    "отзывы": Platform.REVIEW_SITE,
    "reviews": Platform.REVIEW_SITE,
    "review": Platform.REVIEW_SITE,
    "сми": Platform.NEWS,
    "новости": Platform.NEWS,
    "онлайн-сми": Platform.NEWS,
}


def platform_from_value(value: Any, *, url: str = "") -> str:
    """A platform from what a tool writes in its source column, else from the URL's domain.

    Accepts our own names (`vk`, `review_site`), domains (`vk.com`) and common Russian and
    English names (`ВКонтакте`, `Форум`, `СМИ`); anything else is `other`.
    """
    text = str(value or "").strip().lower()
    if text in Platform.values:
        return text
    found = platform_from_domain(text) or _PLATFORM_WORDS.get(text)
    if found is None and url:
        found = platform_from_domain(url)
    return str(found or Platform.OTHER)


# --------------------------------------------------------------------------------------------------
# Mapping
# --------------------------------------------------------------------------------------------------


def check_mapping(mapping: Mapping[str, str]) -> dict[str, str]:
    """The mapping with headers and targets stripped; `ValueError` for an unusable one."""
    if not isinstance(mapping, Mapping) or not mapping:
        raise ValueError('The column mapping is empty: give {"Column header": "target.field"}.')
    cleaned: dict[str, str] = {}
    unknown: list[str] = []
    for header, target in mapping.items():
        header, target = str(header).strip(), str(target).strip()
        if target not in TARGETS and not (target.startswith("extra.") and len(target) > 6):
            unknown.append(f"{header!r} -> {target!r}")
        cleaned[header] = target
    if unknown:
        raise ValueError(
            f"Unknown target field(s) in the column mapping: {', '.join(unknown)}. "
            f"Targets are: {', '.join(sorted(TARGETS))}, extra.<name>."
        )
    targets = list(cleaned.values())
    repeated = sorted({t for t in targets if targets.count(t) > 1 and not t.startswith("extra.")})
    if repeated:
        raise ValueError(f"More than one column maps to: {', '.join(repeated)}.")
    if "published_at" not in targets:
        raise ValueError("The column mapping must map a column to published_at.")
    return cleaned


def make_adapter(mapping: Mapping[str, str], *, tz: tzinfo = UTC) -> Callable[[dict], dict]:
    """A record adapter for this mapping (checked once, here: `ValueError` if unusable)."""
    cleaned = check_mapping(mapping)

    def adapter(row: dict) -> dict:
        return mapping_to_generic(row, mapping=cleaned, tz=tz)

    return adapter


def mapping_to_generic(row: Mapping[str, Any], *, mapping: Mapping[str, str], tz=UTC) -> dict:
    """One CSV row in the generic schema, following `mapping` (see the module docstring).

    `external_id` is the mapped column when it has a value; otherwise the URL (hashed as
    `url-sha1:<hex>` past 255 characters); otherwise `sha1:<hex>` of the row's mapped values,
    so that importing the same file twice stores each row once. `platform`, when unmapped or
    unknown, comes from the URL's domain. An author with only a name identifies nobody and is
    stored without an identity.
    """
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for header, target in mapping.items():
        column = _column(row, header)
        if column is None:
            errors[header] = ["No such column in the file."]
            continue
        raw_value = row[column]
        try:
            value = _convert(target, raw_value, tz=tz)
        except ValueError as exc:
            errors[header] = [str(exc)]
            continue
        if value not in (None, "", []):
            values[target] = value
    if errors:
        raise AdapterError(errors)

    published_header = next(h for h, t in mapping.items() if t == "published_at")
    if "published_at" not in values:
        raise AdapterError({published_header: ["This column is empty."]})

    generic: dict[str, Any] = {}
    author: dict[str, Any] = {}
    engagement: dict[str, int] = {}
    extra: dict[str, Any] = {}
    for target, value in values.items():
        group, _, name = target.partition(".")
        if group == "author":
            author[name] = value
        elif group == "engagement":
            engagement[name] = value
        elif group == "extra":
            extra[name] = value
        else:
            generic[target] = value

    url = generic.get("url", "")
    if url and not is_http_url(url):
        header = next(h for h, t in mapping.items() if t == "url")
        raise AdapterError({header: ["Enter an http(s) URL."]})
    generic["platform"] = platform_from_value(generic.get("platform"), url=url)
    if not generic.get("external_id"):
        generic["external_id"] = (
            id_from_url(url)
            if url
            else hashed_id(*(row.get(_column(row, h) or h) for h in sorted(mapping)))
        )
    if author:
        generic["author"] = author
    if engagement:
        generic["engagement"] = engagement
    if extra:
        generic["extra"] = extra
    return generic


def _column(row: Mapping[str, Any], header: str) -> str | None:
    if header in row:
        return header
    folded = header.casefold()
    return next((key for key in row if isinstance(key, str) and key.casefold() == folded), None)


def _convert(target: str, value: Any, *, tz) -> Any:
    if target in ("published_at", "collected_at"):
        parsed = parse_datetime(value, tz=tz)
        return parsed.isoformat() if parsed else None
    if target.startswith("engagement.") or target == "author.followers":
        return parse_count(value)
    if target == "sentiment":
        return parse_sentiment(value)
    if target == "subjects":
        return [s.strip() for s in re.split(r"[,;]", str(value or "")) if s.strip()]
    if target == "source_type":
        text = str(value or "").strip().lower()
        if not text:
            return None
        if text in ("social", "соцсети", "соцсеть", "социальные сети"):
            return "social"
        if text in ("media", "сми", "news", "новости"):
            return "media"
        raise ValueError("Enter social or media.")
    if value is None:
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()
