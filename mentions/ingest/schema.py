"""The generic mention schema: the one contract every door speaks.

`POST /api/v1/mentions/`, the bulk door, source pushes and file imports all end here: a monitoring
tool's adapter turns its own format into this shape, then `validate_mention` checks it. The models
are pydantic (fast, and they give every error with its field path); drf-spectacular publishes them
in the OpenAPI schema, so the documentation is this code.
"""

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from scrm.platforms import Platform

PlatformName = Literal[tuple(Platform.values)]  # type: ignore[valid-type]
SentimentName = Literal["positive", "neutral", "negative"]

# ISO 639-2 (three letters, as YouScan sends) to ISO 639-1.
_LANGUAGE_3_TO_2 = {
    "rus": "ru",
    "eng": "en",
    "kaz": "kk",
    "ukr": "uk",
    "bel": "be",
    "uzb": "uz",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "tur": "tr",
}

# What PostgreSQL cannot store, refused here so that every door refuses it the same way and
# nothing of the item is written: NUL (text and jsonb both refuse it), lone surrogates (not
# UTF-8), integers past a signed 64-bit column, instants outside the years 1-9999 once in UTC.
MAX_COUNTER = 2**63 - 1
# How far ahead of the server's clock a publication time may be: tools' clocks drift and time
# zones get mislabelled by hours, but a post from next week (or 2099) is a broken record.
MAX_FUTURE = timedelta(days=1)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def _clean_text(value: str) -> str:
    """Refuse what the database cannot store; normalise to NFC, so that one word typed on two
    keyboards (precomposed "й" or "и" + combining breve) is one external id and one search."""
    if not value.isascii():
        if _UNSTORABLE.search(value):
            raise ValueError("Contains a NUL character or an unpaired surrogate.")
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
    elif "\x00" in value:
        raise ValueError("Contains a NUL character or an unpaired surrogate.")
    return value


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("Enter a whole number, not true or false.")
    return value


def _text(max_length: int, min_length: int = 0):
    # The length constraints before the validator: after one, pydantic checks them in Python.
    return Annotated[
        str, Field(min_length=min_length, max_length=max_length), AfterValidator(_clean_text)
    ]


ShortText = _text(255)
ExternalId = _text(255, min_length=1)
UrlText = _text(2000)
TitleText = _text(1000)
BodyText = _text(100_000)
LanguageText = _text(8)
Counter = Annotated[int, BeforeValidator(_no_bool), Field(ge=0, le=MAX_COUNTER)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
    )


class AuthorIn(_Strict):
    """Who wrote it. Any of `external_id`, `handle`, `profile_url` identifies the account."""

    external_id: ShortText = ""
    handle: ShortText = ""
    name: ShortText = ""
    profile_url: UrlText = ""
    followers: Counter | None = None

    @field_validator("profile_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return _check_http_url(value)


class EngagementIn(_Strict):
    """Counters as the tool last saw them. A counter left out is unknown, not zero: a known
    mention keeps its stored value."""

    likes: Counter = 0
    comments: Counter = 0
    reposts: Counter = 0
    views: Counter = 0
    reach: Counter = 0


class MentionIn(_Strict):
    """One mention in the generic schema. Unknown fields are ignored (and kept in `raw`)."""

    external_id: ExternalId
    url: UrlText = ""
    platform: PlatformName = "other"
    source_type: Literal["social", "media"] | None = Field(
        default=None, description="Defaults to `media` for the `news` platform, else `social`."
    )
    text: BodyText = ""
    title: TitleText = ""
    language: LanguageText = Field(
        default="", description="ISO 639-1 (or 639-2, translated), optionally with a region."
    )
    published_at: datetime = Field(
        description="ISO 8601; a time without an offset is UTC. At most a day ahead of now."
    )
    collected_at: datetime | None = None
    source: ShortText | None = Field(
        default=None, description="Key of the source; the caller's default source if omitted."
    )
    author: AuthorIn | None = None
    engagement: EngagementIn | None = None
    sentiment: SentimentName | None = Field(
        default=None, description="The monitoring tool's own sentiment, kept beside ours."
    )
    parent_external_id: ShortText = ""
    discussion_id: ShortText = ""
    subjects: list[ShortText] = Field(
        default_factory=list,
        max_length=50,
        description="Keys of tracked subjects the tool already matched; text matching adds more.",
    )
    extra: dict | None = Field(
        default=None,
        description="Anything else, kept in the raw payload (at most 254 levels deep).",
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return _check_http_url(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        value = value.lower().replace("_", "-")
        value = _LANGUAGE_3_TO_2.get(value, value)
        if value and not _LANGUAGE.match(value):
            raise ValueError("Enter a language code such as ru, en or pt-br.")
        return value

    @field_validator("published_at", "collected_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        try:
            value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError(
                "Out of range: the time must fall within the years 1-9999 in UTC."
            ) from exc
        return value

    @field_validator("published_at")
    @classmethod
    def _not_far_ahead(cls, value: datetime) -> datetime:
        if value > datetime.now(UTC) + MAX_FUTURE:
            raise ValueError("More than a day in the future: check the date and its time zone.")
        return value

    @model_validator(mode="after")
    def _defaults(self) -> "MentionIn":
        if self.source_type is None:
            self.source_type = "media" if self.platform == "news" else "social"
        return self


class BulkMentionsIn(BaseModel):
    """`POST /api/v1/mentions/bulk/`: up to `SCRM_BULK_MAX_ITEMS` mentions."""

    mentions: list[MentionIn]


class BulkItemResult(BaseModel):
    index: int
    status: Literal["created", "duplicate", "failed"]
    id: int | None = None
    errors: dict[str, list[str]] | None = None


class BulkMentionsOut(BaseModel):
    created: int
    duplicates: int
    failed: int
    results: list[BulkItemResult]


def _check_http_url(value: str) -> str:
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValueError("Enter an http(s) URL.")
    return value


_DATETIME_MESSAGE = "Enter an ISO 8601 date and time, e.g. 2026-03-14T09:41:07+05:00."
_MESSAGES = {
    "missing": "This field is required.",
    "datetime_parsing": _DATETIME_MESSAGE,
    "datetime_from_date_parsing": _DATETIME_MESSAGE,
    "datetime_type": _DATETIME_MESSAGE,
    "datetime_object_invalid": _DATETIME_MESSAGE,
}


def errors_from_pydantic(exc: ValidationError) -> dict[str, list[str]]:
    """pydantic errors as {"dotted.field": [messages]}, the API's error shape."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"]) or "non_field_errors"
        message = _MESSAGES.get(error["type"]) or error["msg"]
        errors.setdefault(field, []).append(message.removeprefix("Value error, "))
    return errors


def validate_mention(data) -> tuple[MentionIn | None, dict[str, list[str]] | None]:
    """Validate one item: `(mention, None)` or `(None, {"field": [messages]})`. The raw payload
    kept with it is checked by `payload_json`."""
    if not isinstance(data, dict):
        return None, {"non_field_errors": ["Expected a JSON object."]}
    try:
        return MentionIn.model_validate(data), None
    except ValidationError as exc:
        return None, errors_from_pydantic(exc)


MAX_PAYLOAD_DEPTH = 254  # orjson's limit: nested containers, the outermost counted
_PAYLOAD_MESSAGE = "Contains a NUL character, an unpaired surrogate or a non-string key."


def payload_json(payload) -> tuple[bytes | None, dict[str, list[str]] | None]:
    """A raw payload as the JSON stored in the database, or the errors that keep it out.

    One orjson pass does the common case (it refuses surrogates, integers past 64 bits and
    nesting past its own limit); only a payload that fails it, or carries an escaped NUL, is
    walked to name the field. jsonb refuses NUL even escaped, so it is refused here."""
    try:
        dumped = orjson.dumps(payload)
    except (orjson.JSONEncodeError, TypeError):
        dumped = None
    if dumped is not None and b"\\u0000" not in dumped:
        return dumped, None
    path, problem = _find_problem(payload, (), 0)
    if path is None:
        if dumped is not None:
            return dumped, None
        path, problem = ("non_field_errors",), "Cannot be stored as JSON."
    field = ".".join(path[:8]) + (".…" if len(path) > 8 else "")
    return None, {field or "non_field_errors": [problem]}


def _find_problem(value, path: tuple[str, ...], depth: int) -> tuple[tuple | None, str]:
    if isinstance(value, dict | list | tuple) and depth >= MAX_PAYLOAD_DEPTH:
        return path, f"Nested more than {MAX_PAYLOAD_DEPTH} levels deep."
    if isinstance(value, str):
        return (path, _PAYLOAD_MESSAGE) if _UNSTORABLE.search(value) else (None, "")
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return None, ""
    if isinstance(value, int):
        if not -(2**63) <= value < 2**64:
            return path, "A number too large to store."
        return None, ""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or _UNSTORABLE.search(key):
                return (*path, str(key).replace("\x00", "\\u0000")), _PAYLOAD_MESSAGE
            found = _find_problem(item, (*path, key), depth + 1)
            if found[0] is not None:
                return found
        return None, ""
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = _find_problem(item, (*path, str(i)), depth + 1)
            if found[0] is not None:
                return found
        return None, ""
    return None, ""
