"""One interface for every CRM connector, and what they share: JSON calls through the SSRF
guard with timeouts, the vendor's rate limit, and the errors a job runner retries."""

import time
from dataclasses import dataclass

import orjson
from django.conf import settings
from django.core.cache import cache

from integrations import http


class CrmError(Exception):
    """A call failed; `retry_after` (seconds) when the vendor said when to come back."""

    def __init__(self, message: str, *, retry_after: float | None = None, permanent=False):
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class RemoteNotFound(CrmError):
    """The remote object (a contact deleted in the CRM) no longer exists."""


@dataclass
class Person:
    """What we know of an author that a CRM can match a contact on."""

    author_id: int
    name: str
    crm_external_id: str
    profile_urls: list[str]
    handles: list[tuple[str, str]]  # (platform, handle)


@dataclass
class Interaction:
    mention_id: int
    kind: str  # mention | reply
    text: str
    at: str = ""  # ISO 8601 UTC: when it happened


class Connector:
    """Find or create a contact, add an interaction to its timeline, delete it."""

    def __init__(self, config):
        self.config = config

    def find_contact(self, person: Person) -> str | None:
        raise NotImplementedError

    def create_contact(self, person: Person) -> str:
        raise NotImplementedError

    def add_note(self, contact_id: str, interaction: Interaction) -> str:
        raise NotImplementedError

    def delete_contact(self, contact_id: str) -> None:
        raise NotImplementedError

    # -- shared plumbing -------------------------------------------------------------------

    def throttle(self) -> None:
        """At most `rate_per_second` calls a second per connector, across processes (the
        cache is Redis in production)."""
        rate = max(self.config.rate_per_second, 1)
        while True:
            second = int(time.time())
            key = f"crm-rate:{self.config.pk}:{second}"
            cache.add(key, 0, timeout=5)
            try:
                used = cache.incr(key)
            except ValueError:
                used = 1
            if used <= rate:
                return
            time.sleep(max(second + 1 - time.time(), 0.01))

    def call(
        self, url: str, body: dict | None, *, method: str = "POST", headers=None
    ) -> tuple[int, dict]:
        self.throttle()
        answer = http.post(
            url,
            orjson.dumps(body) if body is not None else b"",
            {"content-type": "application/json", "accept": "application/json", **(headers or {})},
            connect_timeout=settings.SCRM_WEBHOOK_CONNECT_TIMEOUT,
            read_timeout=settings.SCRM_CRM_READ_TIMEOUT,
            method=method,
        )
        if answer.status is None:
            raise CrmError(answer.error or "No answer.")
        try:
            data = orjson.loads(answer.body) if answer.body.strip() else {}
        except orjson.JSONDecodeError:
            data = {"raw": answer.body[:200]}
        if answer.status == 429:
            raise CrmError("HTTP 429", retry_after=_seconds(answer.header("retry-after")))
        return answer.status, data if isinstance(data, dict) else {"result": data}


def _seconds(value) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
