"""How an author identity is recognised: the key that makes one person on one platform one row."""

from urllib.parse import urlsplit


def normalize_profile_url(url: str | None) -> str:
    """A profile URL reduced to what identifies the profile.

    Scheme, `www.`/`m.`/`mobile.` subdomains, a trailing slash, the query, the fragment and case
    are dropped: `https://m.VK.com/Durov/` and `http://vk.com/durov` both become `vk.com/durov`.
    """
    if not url:
        return ""
    raw = url.strip()
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    path = parts.path.rstrip("/").lower()
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
        return f"url:{url}"
    return ""
