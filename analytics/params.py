"""The parameters every report takes, validated once for the API and the dashboard.

`report_params(query)` reads a mapping of strings (a request's query) and returns a
`ReportParams`, or raises `InvalidInput` naming every bad parameter. Nothing here knows HTTP.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from mentions.models import Source, SourceType, TrackedSubject
from scrm.errors import InvalidInput
from scrm.platforms import Platform

INTERVALS = ("day", "week", "month")
WEIGHTS = ("mentions", "engagement", "reach")
DEFAULT_DAYS = 30
# The parameters every report reads; a report may add its own (share of voice: `weight`).
COMMON = (
    "date_from",
    "date_to",
    "interval",
    "tz",
    "subject",
    "platform",
    "source_type",
    "source",
    "include_noise",
)


@dataclass(frozen=True)
class ReportParams:
    """What a report covers: mentions published from `date_from` 00:00 to `date_to` 24:00 in
    `zone` (both dates inclusive), cut into `interval` buckets, optionally narrowed."""

    date_from: date
    date_to: date
    interval: str = "day"
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(settings.SCRM_REPORT_TIME_ZONE))
    subject: TrackedSubject | None = None
    platform: str = ""
    source_type: str = ""
    source: Source | None = None
    include_noise: bool = False
    weight: str = "mentions"

    @property
    def start(self) -> datetime:
        """The first instant covered (midnight of `date_from` in the report's zone)."""
        return datetime.combine(self.date_from, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the range (midnight after `date_to`), exclusive."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=self.zone)

    @property
    def tz_name(self) -> str:
        return self.zone.key

    def periods(self) -> list[date]:
        """The start of every bucket in the range, empty ones included: days; weeks from the
        Monday on or before `date_from` (ISO weeks); months from the first of the month."""
        return bucket_starts(self.date_from, self.date_to, self.interval)

    def as_query(self) -> dict[str, str]:
        """The parameters as a query string would carry them (links, CSV downloads)."""
        query = {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "interval": self.interval,
            "tz": self.tz_name,
        }
        if self.subject is not None:
            query["subject"] = self.subject.key
        if self.platform:
            query["platform"] = self.platform
        if self.source_type:
            query["source_type"] = self.source_type
        if self.source is not None:
            query["source"] = self.source.key
        if self.include_noise:
            query["include_noise"] = "true"
        return query


def bucket_start(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def bucket_starts(first: date, last: date, interval: str) -> list[date]:
    starts = []
    current = bucket_start(first, interval)
    while current <= last:
        starts.append(current)
        if interval == "day":
            current += timedelta(days=1)
        elif interval == "week":
            current += timedelta(days=7)
        else:
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return starts


def _date(value: str, name: str, errors: dict) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = [f"Enter a date as YYYY-MM-DD, e.g. 2026-03-01; got {value!r}."]
        return None


def _choice(value: str, name: str, choices, errors: dict) -> str:
    if value and value not in choices:
        errors[name] = [f"Choose one of: {', '.join(choices)}; got {value!r}."]
        return ""
    return value


def report_params(query, *, extra: tuple[str, ...] = ()) -> ReportParams:
    """Validate a report's query. Every parameter is optional: the range defaults to the last
    30 days up to today in the report's time zone, the interval to `day`.

    Raises `InvalidInput` naming each bad parameter; an unknown parameter is refused too, so a
    misspelt filter (`platfrom=vk`) never silently reports everything. At most three queries
    (the subject and the source looked up by key).
    """
    errors: dict[str, list[str]] = {}
    allowed = set(COMMON) | set(extra) | {"format"}
    for name in query:
        if name not in allowed:
            errors[name] = [f"Unknown parameter. Reports take: {', '.join(sorted(allowed))}."]

    def get(name: str) -> str:
        value = query.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    zone_name = get("tz") or settings.SCRM_REPORT_TIME_ZONE
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        errors["tz"] = [f"Unknown time zone {zone_name!r}; use an IANA name such as Europe/Moscow."]
        zone = ZoneInfo("UTC")

    today = timezone.now().astimezone(zone).date()
    date_to = _date(get("date_to"), "date_to", errors) if get("date_to") else today
    if get("date_from"):
        date_from = _date(get("date_from"), "date_from", errors)
    else:
        date_from = (date_to or today) - timedelta(days=DEFAULT_DAYS - 1)
    if date_from and date_to:
        if date_from > date_to:
            errors["date_to"] = ["Must be on or after date_from."]
        elif (date_to - date_from).days + 1 > settings.SCRM_REPORT_MAX_DAYS:
            errors["date_to"] = [
                f"The range covers {(date_to - date_from).days + 1} days; at most "
                f"{settings.SCRM_REPORT_MAX_DAYS} (SCRM_REPORT_MAX_DAYS) per report."
            ]

    interval = _choice(get("interval"), "interval", INTERVALS, errors) or "day"
    platform = _choice(get("platform"), "platform", Platform.values, errors)
    source_type = _choice(get("source_type"), "source_type", SourceType.values, errors)
    weight = "mentions"
    if "weight" in extra:
        weight = _choice(get("weight"), "weight", WEIGHTS, errors) or "mentions"

    include_noise = False
    raw_noise = get("include_noise").lower()
    if raw_noise in ("true", "1"):
        include_noise = True
    elif raw_noise not in ("", "false", "0"):
        errors["include_noise"] = ["Enter true or false."]

    subject = None
    if get("subject"):
        subject = TrackedSubject.objects.filter(key=get("subject")).first()
        if subject is None:
            errors["subject"] = [f"No tracked subject with the key {get('subject')!r}."]
    source = None
    if get("source"):
        source = Source.objects.filter(key=get("source")).first()
        if source is None:
            errors["source"] = [f"No source with the key {get('source')!r}."]

    if errors:
        raise InvalidInput("Invalid report parameters.", errors=errors)
    return ReportParams(
        date_from=date_from,
        date_to=date_to,
        interval=interval,
        zone=zone,
        subject=subject,
        platform=platform,
        source_type=source_type,
        source=source,
        include_noise=include_noise,
        weight=weight,
    )
