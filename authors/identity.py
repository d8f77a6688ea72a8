"""How an author identity is recognised on its platform.

An identity has one `key` (`identity_key`: the first identifier a tool reported, the platform's
own id winning) and a set of aliases (`identity_aliases`): every identifier it is known by —
`id:<platform id>`, `handle:<handle>`, `url:<normalised profile URL>` — including the URLs a
platform derives from the id or the handle (`vk.com/id123`, `vk.com/durov` for the handle
`durov`). Two reports on one platform that share an alias are one account, unless both carry a
platform id and the ids differ (a vanity name or URL can pass to another account; an id cannot).

Aliases are stored (`AuthorIdentityAlias`): a change to the normalisation here needs a data
migration that recomputes them, as `authors/migrations/0002_...` does.
"""

import functools
import hashlib
import hmac
import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from scrm.platforms import Platform

# One site under several names: the canonical name first.
_HOST_ALIASES = {
    "twitter.com": "x.com",
    "vkontakte.ru": "vk.com",
    "vk.ru": "vk.com",
    "telegram.me": "t.me",
    "fb.com": "facebook.com",
}
_MOBILE_PREFIXES = ("www.", "m.", "mobile.")

# The profile URL a platform gives a handle, and the one it gives a numeric id.
_URL_BY_HANDLE = {
    Platform.VK: "vk.com/{}",
    Platform.TELEGRAM: "t.me/{}",
    Platform.TWITTER: "x.com/{}",
    Platform.INSTAGRAM: "instagram.com/{}",
    Platform.FACEBOOK: "facebook.com/{}",
    Platform.YOUTUBE: "youtube.com/@{}",
}
_URL_BY_ID = {
    Platform.VK: "vk.com/id{}",
    Platform.FACEBOOK: "facebook.com/profile.php?id={}",
    Platform.TWITTER: "x.com/i/user/{}",
}
_ID_IN_URL = {
    Platform.VK: re.compile(r"^vk\.com/id(\d+)$"),
    Platform.FACEBOOK: re.compile(r"^facebook\.com/profile\.php\?id=(\d+)$"),
    Platform.TWITTER: re.compile(r"^x\.com/i/user/(\d+)$"),
}
_VK_ID = re.compile(r"^id(\d+)$")

# Longer identifiers are not profile addresses; they are not indexed as aliases (a B-tree entry
# must stay well under PostgreSQL's ~2.7 kB limit, whatever the characters).
MAX_ALIAS_LENGTH = 500


@functools.lru_cache(maxsize=4096)  # a batch reports one account's URL in several places
def normalize_profile_url(url: str | None) -> str:
    """A profile URL reduced to what identifies the profile.

    Scheme, `www.`/`m.`/`mobile.` subdomains, a trailing slash, the query, the fragment and case
    are dropped, and a site's other names become its canonical one: `https://m.VK.com/Durov/`
    and `http://vkontakte.ru/durov` both become `vk.com/durov`. Facebook's numeric profiles keep
    their id (`facebook.com/profile.php?id=4`): without it every such profile is one URL.
    """
    if not url:
        return ""
    raw = url.strip()
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ""
    for prefix in _MOBILE_PREFIXES:
        host = host.removeprefix(prefix)
    host = _HOST_ALIASES.get(host, host)
    path = parts.path.rstrip("/").lower()
    if path == "/profile.php":
        profile_id = parse_qs(parts.query).get("id", [""])[0].strip()
        if profile_id:
            path = f"{path}?id={profile_id}"
    return f"{host}{path}" if host else ""


def normalize_handle(handle: str | None) -> str:
    return (handle or "").strip().lstrip("@").lower()


def identity_key(*, external_id: str = "", handle: str = "", profile_url: str = "") -> str:
    """The dedup key of an identity on its platform, or "" when nothing identifies it.

    The platform's own id wins; then the handle; then the normalised profile URL. A bare
    display name identifies nobody (two "Дмитрий В." on a forum are not one person).
    """
    if external_id and external_id.strip():
        return f"id:{external_id.strip()}"
    if normalize_handle(handle):
        return f"handle:{normalize_handle(handle)}"
    url = normalize_profile_url(profile_url)
    if url:
        # `AuthorIdentity.key` holds 512 characters; an absurdly long URL is keyed by its hash.
        return (
            f"url:{url}"
            if len(url) <= 500
            else f"urlsha256:{hashlib.sha256(url.encode()).hexdigest()}"
        )
    return ""


def platform_id(*, platform: str, external_id: str = "", profile_url: str = "") -> str:
    """The account's id on its platform: the reported one, or the one its URL spells out.

    `vk.com/id123` is the VK account 123, and so is an external id of `id123`.
    """
    external_id = (external_id or "").strip()
    if platform == Platform.VK and (match := _VK_ID.match(external_id)):
        external_id = match.group(1)
    if external_id:
        return external_id
    pattern = _ID_IN_URL.get(platform)
    match = pattern.match(normalize_profile_url(profile_url)) if pattern else None
    return match.group(1) if match else ""


def identity_aliases(
    *, platform: str, external_id: str = "", handle: str = "", profile_url: str = ""
) -> set[str]:
    """Every identifier of an account: its id, handle and profile URL, and the URLs the
    platform derives from the id and the handle."""
    aliases: set[str] = set()
    account_id = platform_id(platform=platform, external_id=external_id, profile_url=profile_url)
    if account_id:
        aliases.add(f"id:{account_id}")
        if account_id.isdigit() and platform in _URL_BY_ID:
            aliases.add(f"url:{_URL_BY_ID[platform].format(account_id)}")
    name = normalize_handle(handle)
    if name:
        aliases.add(f"handle:{name}")
        if platform in _URL_BY_HANDLE and "/" not in name:
            aliases.add(f"url:{_URL_BY_HANDLE[platform].format(name)}")
    url = normalize_profile_url(profile_url)
    if url:
        aliases.add(f"url:{url}")
    return {alias for alias in aliases if len(alias) <= MAX_ALIAS_LENGTH}


def alias_kind(alias: str) -> str:
    """`id`, `url`, `handle` (or `erased`)."""
    return alias.split(":", 1)[0]


def erased_alias(platform: str, alias: str) -> str:
    """What is kept of an alias of a forgotten person: a keyed hash, so that the account, if
    reported again, is recognised as the author marked "do not contact" without the handle or
    URL being stored anywhere."""
    message = f"{platform}|{alias}".encode()
    digest = hmac.new(_erased_alias_key(settings.SECRET_KEY), message, hashlib.sha256).hexdigest()
    return f"erased:{digest}"


_ERASED_ALIAS_SALT = "authors.identity.erased_alias"


@functools.lru_cache(maxsize=4)
def _erased_alias_key(secret: str) -> bytes:
    """The key `salted_hmac(_ERASED_ALIAS_SALT, …, algorithm="sha256")` derives, derived once
    (an ingest hashes thousands of aliases) rather than per alias: the digests are the same."""
    return hashlib.sha256((_ERASED_ALIAS_SALT + secret).encode()).digest()
