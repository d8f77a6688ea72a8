"""Authentication of monitoring-tool pushes by the source's secret.

Tools differ in what they can send, so three ways are accepted, all compared in constant time:
- `Authorization: Basic <base64(any-user:secret)>` — YouScan's only option (credentials in the
  webhook URL, `https://scrm:SECRET@host/api/v1/sources/<key>/push/`);
- `X-Scrm-Secret: <secret>`;
- `X-Scrm-Signature: sha256=<hex HMAC-SHA256 of the raw body keyed by the secret>`.
"""

import base64
import binascii
import hashlib
import hmac

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from mentions.models import Source


class SourcePrincipal(AnonymousUser):
    """The caller of a push: no user, only the source whose secret it knew."""

    def __init__(self, source: Source):
        super().__init__()
        self.source = source

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


def _secret_matches(request, secret: str) -> bool:
    given = request.META.get("HTTP_X_SCRM_SECRET")
    if given is None:
        given = _basic_password(request.META.get("HTTP_AUTHORIZATION", ""))
    if given is not None:
        return hmac.compare_digest(given.encode(), secret.encode())
    signature = request.META.get("HTTP_X_SCRM_SIGNATURE", "")
    if signature.startswith("sha256="):
        expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(signature.removeprefix("sha256="), expected)
    return False


def _has_credentials(request) -> bool:
    meta = request.META
    return bool(
        meta.get("HTTP_X_SCRM_SECRET")
        or meta.get("HTTP_X_SCRM_SIGNATURE")
        or meta.get("HTTP_AUTHORIZATION", "").lower().startswith("basic ")
    )


class SourceSecretAuthentication(BaseAuthentication):
    def authenticate(self, request):
        if not _has_credentials(request):
            return None
        key = request.parser_context["kwargs"].get("key")
        source = Source.objects.filter(key=key).first()
        if source is None or not _secret_matches(request._request, source.secret):
            raise exceptions.AuthenticationFailed("Invalid source or secret.")
        if not source.active:
            raise exceptions.AuthenticationFailed("This source is inactive.")
        return SourcePrincipal(source), source

    def authenticate_header(self, request):
        return 'Basic realm="scrm source push"'
