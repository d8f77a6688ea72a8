"""Authentication and rate limits of monitoring-tool pushes, by the source's secret.

Tools differ in what they can send, so these ways are accepted, all compared in constant time:
- `Authorization: Basic <base64(any-user:secret)>` — YouScan's only option (credentials in the
  webhook URL, `https://scrm:SECRET@host/api/v1/sources/<key>/push/`);
- `X-Scrm-Secret: <secret>`;
- a timestamped signature, the scheme of Standard Webhooks: `X-Scrm-Timestamp: <Unix seconds>`,
  optionally `X-Scrm-Id: <message id>`, and `X-Scrm-Signature: sha256=<hex HMAC-SHA256>` keyed by
  the secret over `<timestamp>.<body>` (or `<id>.<timestamp>.<body>` when an id is sent). The
  timestamp must be within `SCRM_PUSH_TOLERANCE_SECONDS` of our clock, and each signature is
  accepted once (the view records it, `mentions.services.push`), so a captured push cannot be
  replayed, neither now nor later;
- the older `X-Scrm-Signature` over the body alone, only while `SCRM_PUSH_ACCEPT_BODY_SIGNATURE`
  is on (a migration aid: such a push can be replayed at any time).

Two throttles: one bucket per source for accepted pushes, and a stricter one per source and
client address for failed authentication, consulted before the secret is checked, so that a
guesser is locked out even when a guess is right.
"""

import base64
import binascii
import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from mentions.models import Source

FAILURE_SCOPE = "source_push_auth_failure"


@dataclass(frozen=True)
class SignedPush:
    """What a timestamp-signed push proved: recorded once it passes the rate limit."""

    signature: str
    signed_at: datetime


class SourcePrincipal(AnonymousUser):
    """The caller of a push: no user, only the source whose secret it knew."""

    def __init__(self, source: Source, signed: SignedPush | None = None):
        super().__init__()
        self.source = source
        self.signed = signed

    @property
    def is_authenticated(self) -> bool:
        return True


def _basic_password(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[2] or None


def _hmac_hex(secret: str, content: bytes) -> str:
    return hmac.new(secret.encode(), content, hashlib.sha256).hexdigest()


def _signed_timestamp(meta) -> int:
    raw = meta.get("HTTP_X_SCRM_TIMESTAMP", "").strip()
    if not raw.isascii() or not raw.isdigit():
        raise exceptions.AuthenticationFailed("X-Scrm-Timestamp must be Unix time in seconds.")
    return int(raw)


def _verify(request, secret: str) -> SignedPush | None:
    """None when a plain secret matched; the signed push when a timestamped signature did.

    Raises AuthenticationFailed when nothing matched.
    """
    meta = request.META
    given = meta.get("HTTP_X_SCRM_SECRET")
    if given is None:
        given = _basic_password(meta.get("HTTP_AUTHORIZATION", ""))
    if given is not None:
        if hmac.compare_digest(given.encode(), secret.encode()):
            return None
        raise exceptions.AuthenticationFailed("Invalid source or secret.")
    signature = meta.get("HTTP_X_SCRM_SIGNATURE", "")
    if not signature.startswith("sha256="):
        raise exceptions.AuthenticationFailed("Invalid source or secret.")
    signature = signature.removeprefix("sha256=").strip().lower()
    if "HTTP_X_SCRM_TIMESTAMP" not in meta:
        if settings.SCRM_PUSH_ACCEPT_BODY_SIGNATURE and hmac.compare_digest(
            signature, _hmac_hex(secret, request.body)
        ):
            return None
        raise exceptions.AuthenticationFailed(
            "Sign the push with a timestamp: X-Scrm-Timestamp and X-Scrm-Signature over "
            "'<timestamp>.<body>'."
        )
    timestamp = _signed_timestamp(meta)
    message_id = meta.get("HTTP_X_SCRM_ID")
    prefix = f"{timestamp}." if message_id is None else f"{message_id}.{timestamp}."
    if not hmac.compare_digest(signature, _hmac_hex(secret, prefix.encode() + request.body)):
        raise exceptions.AuthenticationFailed("Invalid source or secret.")
    tolerance = settings.SCRM_PUSH_TOLERANCE_SECONDS
    if abs(time.time() - timestamp) > tolerance:
        raise exceptions.AuthenticationFailed(
            f"X-Scrm-Timestamp is more than {tolerance} seconds from the server's clock."
        )
    return SignedPush(signature=signature, signed_at=datetime.fromtimestamp(timestamp, tz=UTC))


def _has_credentials(request) -> bool:
    meta = request.META
    return bool(
        meta.get("HTTP_X_SCRM_SECRET")
        or meta.get("HTTP_X_SCRM_SIGNATURE")
        or meta.get("HTTP_AUTHORIZATION", "").lower().startswith("basic ")
    )


class _FailureBucket:
    """Failed push authentications per source key and client address (DRF's sliding window)."""

    def __init__(self, request, key: str):
        throttle = SimpleRateThrottle.__new__(SimpleRateThrottle)  # only for its helpers
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(FAILURE_SCOPE)
        self.num_requests, self.duration = throttle.parse_rate(rate)
        self.cache_key = f"throttle_{FAILURE_SCOPE}_{key}_{throttle.get_ident(request)}"

    def _history(self, now: float) -> list[float]:
        if self.num_requests is None:
            return []
        return [t for t in cache.get(self.cache_key, []) if t > now - self.duration]

    def refuse_if_full(self) -> None:
        now = time.time()
        history = self._history(now)
        if self.num_requests is not None and len(history) >= self.num_requests:
            raise exceptions.Throttled(wait=history[0] + self.duration - now)

    def add(self) -> None:
        if self.num_requests is None:
            return
        now = time.time()
        cache.set(self.cache_key, [*self._history(now), now], self.duration)


class SourceSecretAuthentication(BaseAuthentication):
    def authenticate(self, request):
        if not _has_credentials(request):
            return None
        key = request.parser_context["kwargs"].get("key")
        failures = _FailureBucket(request, key)
        failures.refuse_if_full()
        source = Source.objects.filter(key=key).first()
        try:
            if source is None:
                raise exceptions.AuthenticationFailed("Invalid source or secret.")
            signed = _verify(request._request, source.secret)
        except exceptions.AuthenticationFailed:
            failures.add()
            raise
        if not source.active:
            raise exceptions.AuthenticationFailed("This source is inactive.")
        return SourcePrincipal(source, signed), source

    def authenticate_header(self, request):
        return 'Basic realm="scrm source push"'


class SourcePushThrottle(SimpleRateThrottle):
    """One bucket per source: a flood into one source never locks out another."""

    scope = "source_push"

    def get_rate(self):
        # Read at call time: DRF binds THROTTLE_RATES when the class is defined.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        source = getattr(request.user, "source", None)
        if source is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": source.key}
