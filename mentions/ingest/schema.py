"""The generic mention schema: the one contract every door speaks.

`POST /api/v1/mentions/`, the bulk door, source pushes and file imports all end here: a monitoring
tool's adapter turns its own format into this shape, then `validate_mention` checks it. The models
are pydantic (fast, and they give every error with its field path); drf-spectacular publishes them
in the OpenAPI schema, so the documentation is this code.
"""

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
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

ShortText = Annotated[str, Field(max_length=255)]


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
    profile_url: Annotated[str, Field(max_length=2000)] = ""
    followers: NonNegativeInt | None = None

    @field_validator("profile_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return _check_http_url(value)


class EngagementIn(_Strict):
    likes: NonNegativeInt = 0
    comments: NonNegativeInt = 0
    reposts: NonNegativeInt = 0
    views: NonNegativeInt = 0
    reach: NonNegativeInt = 0


class MentionIn(_Strict):
    """One mention in the generic schema. Unknown fields are ignored (and kept in `raw`)."""

    external_id: Annotated[str, Field(min_length=1, max_length=255)]
    url: Annotated[str, Field(max_length=2000)] = ""
    platform: PlatformName = "other"
    source_type: Literal["social", "media"] | None = Field(
        default=None, description="Defaults to `media` for the `news` platform, else `social`."
    )
    text: Annotated[str, Field(max_length=100_000)] = ""
    title: Annotated[str, Field(max_length=1000)] = ""
    language: Annotated[str, Field(max_length=8)] = ""
    published_at: datetime = Field(description="ISO 8601; a time without an offset is UTC.")
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
    extra: dict | None = Field(default=None, description="Anything else, kept in the raw payload.")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return _check_http_url(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        value = value.lower().replace("_", "-")
        return _LANGUAGE_3_TO_2.get(value, value)

    @field_validator("published_at", "collected_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
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
    """Validate one item: `(mention, None)` or `(None, {"field": [messages]})`."""
    if not isinstance(data, dict):
        return None, {"non_field_errors": ["Expected a JSON object."]}
    try:
        return MentionIn.model_validate(data), None
    except ValidationError as exc:
        return None, errors_from_pydantic(exc)
