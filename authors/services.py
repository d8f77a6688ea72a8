"""Writes on authors and their identities."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from authors.identity import identity_key, normalize_handle, normalize_profile_url
from authors.models import Author, AuthorIdentity


@dataclass(frozen=True)
class IdentityData:
    """What a monitoring tool told us about an account."""

    platform: str
    external_id: str = ""
    handle: str = ""
    profile_url: str = ""
    display_name: str = ""
    followers: int | None = None

    @property
    def key(self) -> str:
        return identity_key(
            external_id=self.external_id, handle=self.handle, profile_url=self.profile_url
        )


_UPDATABLE = ("external_id", "handle", "profile_url", "display_name", "followers")


def _changes(identity: AuthorIdentity, data: IdentityData) -> bool:
    """Copy newer facts onto `identity`; True if anything changed. Blank values never erase."""
    changed = False
    for field in _UPDATABLE:
        value = getattr(data, field)
        if field == "handle":
            value = value.lstrip("@")
        if value in ("", None) or getattr(identity, field) == value:
            continue
        setattr(identity, field, value)
        changed = True
    if changed:
        identity.profile_url_normalized = normalize_profile_url(identity.profile_url)
    return changed


def _new_identity(author: Author, data: IdentityData) -> AuthorIdentity:
    return AuthorIdentity(
        author=author,
        platform=data.platform,
        key=data.key,
        external_id=data.external_id,
        handle=data.handle.lstrip("@"),
        profile_url=data.profile_url,
        profile_url_normalized=normalize_profile_url(data.profile_url),
        display_name=data.display_name,
        followers=data.followers,
    )


@transaction.atomic
def author_identities_upsert(
    *, identities: Iterable[IdentityData]
) -> dict[tuple[str, str], AuthorIdentity]:
    """Find or create the identity (and its author) for each account, in a few queries.

    Guarantees one row per `(platform, key)` even when several processes ingest the same new
    account at once: inserts skip conflicts and the rows are read back, so every caller gets the
    winning row (an author created by a losing insert is deleted again). Newer non-blank facts
    (followers, handle, name, URL) overwrite older ones. Accounts with no identifying data are
    skipped. Returns `{(platform, key): identity}`.
    """
    wanted: dict[tuple[str, str], IdentityData] = {}
    for data in identities:
        if data.key:
            wanted[(data.platform, data.key)] = data  # the latest report of an account wins
    if not wanted:
        return {}

    found = _fetch(wanted)
    missing = sorted(pair for pair in wanted if pair not in found)  # one lock order for all
    if missing:
        authors = Author.objects.bulk_create(
            [Author(display_name=_display_name(wanted[pair])) for pair in missing]
        )
        AuthorIdentity.objects.bulk_create(
            [
                _new_identity(author, wanted[pair])
                for author, pair in zip(authors, missing, strict=True)
            ],
            ignore_conflicts=True,
        )
        found.update(_fetch({pair: wanted[pair] for pair in missing}))
        used = {found[pair].author_id for pair in missing}
        lost = [author.pk for author in authors if author.pk not in used]
        if lost:
            Author.objects.filter(pk__in=lost, identities__isnull=True).delete()

    stale = [found[pair] for pair in sorted(found) if _changes(found[pair], wanted[pair])]
    if stale:
        # One upsert rewrites every changed row (Django's bulk_update builds a CASE per row and
        # field, which costs more than the rest of the ingest). Rows go in key order, the same
        # lock order as every other batch, so concurrent batches queue instead of deadlocking.
        now = timezone.now()
        for identity in stale:
            identity.updated_at = now
        AuthorIdentity.objects.bulk_create(
            stale,
            update_conflicts=True,
            unique_fields=["platform", "key"],
            update_fields=[*_UPDATABLE, "profile_url_normalized", "updated_at"],
        )
    return found


def _fetch(pairs: dict[tuple[str, str], IdentityData]) -> dict[tuple[str, str], AuthorIdentity]:
    keys = {key for _, key in pairs}
    rows = AuthorIdentity.objects.filter(key__in=keys)
    return {(row.platform, row.key): row for row in rows if (row.platform, row.key) in pairs}


def _display_name(data: IdentityData) -> str:
    return data.display_name or normalize_handle(data.handle) or data.external_id
