"""Author identities: recognise an account by any of its identifiers, create what is new,
keep the facts monitoring tools report."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db import transaction
from django.utils import timezone

from authors.identity import (
    MAX_ALIAS_LENGTH,
    alias_kind,
    erased_alias,
    identity_aliases,
    identity_key,
    normalize_handle,
    normalize_profile_url,
    platform_id,
)
from authors.models import (
    Author,
    AuthorIdentity,
    AuthorIdentityAlias,
)
from scrm import outbox
from scrm.db import (
    insert_objects,
    insert_rows,
    objects_matching,
    rows_matching,
    update_in_order,
)


@dataclass(frozen=True)
class IdentityData:
    """What a monitoring tool told us about an account."""

    platform: str
    external_id: str = ""
    handle: str = ""
    profile_url: str = ""
    display_name: str = ""
    followers: int | None = None
    verified: bool | None = None

    @cached_property  # computed once per report: the upsert asks for it many times
    def key(self) -> str:
        return identity_key(
            external_id=self.external_id, handle=self.handle, profile_url=self.profile_url
        )

    @cached_property
    def aliases(self) -> set[str]:
        return {
            *_short(self.key),
            *identity_aliases(
                platform=self.platform,
                external_id=self.external_id,
                handle=self.handle,
                profile_url=self.profile_url,
            ),
        }


_UPDATABLE = ("external_id", "handle", "profile_url", "display_name", "followers", "verified")


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


def _new_identity(author_id: int, data: IdentityData) -> AuthorIdentity:
    return AuthorIdentity(
        author_id=author_id,
        platform=data.platform,
        key=data.key,
        external_id=data.external_id,
        handle=data.handle.lstrip("@"),
        profile_url=data.profile_url,
        profile_url_normalized=normalize_profile_url(data.profile_url),
        display_name=data.display_name,
        followers=data.followers,
        verified=bool(data.verified),
    )


def _short(alias: str) -> tuple[str, ...]:
    return (alias,) if len(alias) <= MAX_ALIAS_LENGTH else ()


def own_aliases(identity: AuthorIdentity) -> set[str]:
    return _aliases_of(
        identity.platform,
        identity.key,
        (identity.external_id, identity.handle, identity.profile_url),
    )


def _identifiers(identity: AuthorIdentity) -> tuple[str, str, str]:
    return (identity.external_id, identity.handle, identity.profile_url)


def _aliases_of(platform: str, key: str, identifiers: tuple[str, str, str]) -> set[str]:
    external_id, handle, profile_url = identifiers
    return {
        *_short(key),
        *identity_aliases(
            platform=platform, external_id=external_id, handle=handle, profile_url=profile_url
        ),
    }


def _account_id(platform: str, *, external_id: str, profile_url: str) -> str:
    return platform_id(platform=platform, external_id=external_id, profile_url=profile_url)


def _compatible(identity: AuthorIdentity, data: IdentityData) -> bool:
    """False when both carry a platform id and the ids differ: a handle or URL that passed from
    one account to another does not make them one."""
    if identity.erased:
        return True  # its id is gone; an id alias of it matched only if the id was the same
    theirs = _account_id(
        identity.platform, external_id=identity.external_id, profile_url=identity.profile_url
    )
    ours = _account_id(data.platform, external_id=data.external_id, profile_url=data.profile_url)
    return not (theirs and ours and theirs != ours)


_ALIAS_RANK = {"id": 0, "url": 1, "handle": 2}


@dataclass
class _AliasOwners:
    """Who owns which alias of the reports in a batch: `(platform, alias) -> identity`, an erased
    identity's hashed alias standing for the alias it hashes."""

    owners: dict[tuple[str, str], AuthorIdentity]

    def best_match(self, data: IdentityData, aliases: set[str]) -> AuthorIdentity | None:
        candidates = []
        for alias in aliases:
            owner = self.owners.get((data.platform, alias))
            if owner is not None and _compatible(owner, data):
                candidates.append((_ALIAS_RANK.get(alias_kind(alias), 3), owner.pk, owner))
        return min(candidates, key=lambda c: c[:2])[2] if candidates else None


def _alias_owners(wanted: Mapping[tuple[str, str], IdentityData]) -> _AliasOwners:
    if not wanted:
        return _AliasOwners(owners={})
    lookups: dict[tuple[str, str], str] = {}  # (platform, stored value) -> alias it stands for
    for (platform, _), data in wanted.items():
        for alias in data.aliases:
            lookups[(platform, alias)] = alias
            lookups[(platform, erased_alias(platform, alias))] = alias
    # Plain tuples, then each owning identity once: an account has several aliases, and building
    # a model instance per alias row was most of the cost of a 1,000-mention batch.
    rows = rows_matching(
        AuthorIdentityAlias, ("platform", "value"), lookups, ("platform", "value", "identity")
    )
    identities = {
        i.pk: i for i in objects_matching(AuthorIdentity, ("id",), {(row[2],) for row in rows})
    }
    owners: dict[tuple[str, str], AuthorIdentity] = {}
    for platform, value, identity_id in rows:
        alias = lookups.get((platform, value))
        if alias is not None and identity_id in identities:
            owners.setdefault((platform, alias), identities[identity_id])
    return _AliasOwners(owners=owners)


@dataclass
class ResolvedIdentities:
    """The identities of a batch's accounts, found or created (`by_pair`: `(platform, key) ->
    identity`), and those whose newer facts are set in memory but not yet written (`stale`,
    in key order): `author_identities_write_facts` writes them."""

    by_pair: dict[tuple[str, str], AuthorIdentity]
    stale: list[AuthorIdentity]


@transaction.atomic
def author_identities_upsert(
    *, identities: Iterable[IdentityData]
) -> dict[tuple[str, str], AuthorIdentity]:
    """Find or create the identity (and its author) for each account and write the newer facts
    the reports carry; returns `{(platform, key): identity}`. See `author_identities_resolve`."""
    resolved = author_identities_resolve(identities=identities)
    author_identities_write_facts(identities=resolved.stale)
    return resolved.by_pair


@transaction.atomic
def author_identities_resolve(*, identities: Iterable[IdentityData]) -> ResolvedIdentities:
    """Find or create the identity (and its author) for each account, in a few queries.

    An account is found by its key or by any of its aliases on that platform (its id, handle,
    normalised profile URL and the URLs derived from them), so `vk.com/id123`, the vanity URL of
    the same account and the bare id 123 resolve to one identity once one report has tied them
    together. Reports with different platform ids are never one account.

    Guarantees one row per `(platform, key)` even when several processes ingest the same new
    account at once: inserts skip conflicts and the rows are read back, so every caller gets the
    winning row (an author created by a losing insert is deleted again). An identity created here
    that turns out to be an account another batch created at the same moment under another key
    (the alias insert lost) is dropped for that one. An account's aliases are recorded when it
    is created and when a report brings it a new identifier (an alias another account holds
    stays that account's). Newer non-blank facts (followers, handle, name, URL) are set on the
    returned identities and listed as `stale`, except on an erased identity (a forgotten
    person's): the caller writes them with `author_identities_write_facts`, as late in its
    transaction as it can, since those row locks are what concurrent batches wait on. Accounts
    with no identifying data are skipped.
    """
    wanted: dict[tuple[str, str], IdentityData] = {}
    for data in identities:
        if data.key:
            wanted[(data.platform, data.key)] = data  # the latest report of an account wins
    if not wanted:
        return ResolvedIdentities(by_pair={}, stale=[])

    found = _fetch(wanted)
    # Only accounts not found by their key are looked up by alias: most reports are of
    # accounts seen before, under the same key.
    aliases = _alias_owners({pair: data for pair, data in wanted.items() if pair not in found})
    for pair in sorted(wanted):
        if pair not in found:
            match = aliases.best_match(wanted[pair], wanted[pair].aliases)
            if match is not None:
                found[pair] = match

    missing = sorted(pair for pair in wanted if pair not in found)  # one lock order for all
    if missing:
        _create_missing(wanted, missing, found, aliases)

    # One object per row, so that two reports of one account update it once.
    by_pk: dict[int, AuthorIdentity] = {}
    for pair in sorted(found):
        found[pair] = by_pk.setdefault(found[pair].pk, found[pair])

    stale: dict[int, AuthorIdentity] = {}
    new_alias_rows: dict[tuple[str, str], AuthorIdentity] = {}
    for pair in sorted(found):
        identity = found[pair]
        if identity.erased:
            continue
        before = _identifiers(identity)
        if not _changes(identity, wanted[pair]):
            continue
        stale[identity.pk] = identity
        if _identifiers(identity) != before:
            gained = own_aliases(identity) - _aliases_of(identity.platform, identity.key, before)
            for alias in sorted(wanted[pair].aliases & gained):
                new_alias_rows.setdefault((pair[0], alias), identity)
    _insert_aliases(new_alias_rows)  # an alias another account holds stays with it
    rows = sorted(stale.values(), key=lambda i: (i.platform, i.key))
    return ResolvedIdentities(by_pair=found, stale=rows)


def author_identities_write_facts(*, identities: Sequence[AuthorIdentity]) -> None:
    """Write the facts `author_identities_resolve` set on `identities` (its `stale` list).

    Rows are locked in the order given — key order, the same for every batch — so concurrent
    batches queue instead of deadlocking.
    """
    now = timezone.now()
    for identity in identities:
        identity.updated_at = now
    update_in_order(identities, [*_UPDATABLE, "profile_url_normalized", "updated_at"])


def _create_missing(wanted, missing, found, aliases: _AliasOwners) -> None:
    author_ids = [
        author_id
        for (author_id,) in insert_rows(
            Author,
            ["display_name"],
            [(_display_name(wanted[pair]),) for pair in missing],
            returning=["id"],
        )
    ]
    inserted = insert_objects(
        [
            _new_identity(author_id, wanted[pair])
            for author_id, pair in zip(author_ids, missing, strict=True)
        ],
        ignore_conflicts=True,
        unique=("platform", "key"),
    )
    if inserted is not None:
        found.update({(identity.platform, identity.key): identity for identity in inserted})
    # The rest lost their insert to another batch's, which is the row to use.
    found.update(_fetch({pair: wanted[pair] for pair in missing if pair not in found}))
    ours = set(author_ids)
    created = {pair: found[pair] for pair in missing if found[pair].author_id in ours}
    if created:
        # The lowest key of a batch claims an alias its reports share (the insert keeps the
        # first row of a conflict), so that within a batch the others give way to it.
        rows: dict[tuple[str, str], AuthorIdentity] = {}
        for pair, identity in sorted(created.items()):
            for alias in wanted[pair].aliases:
                if (pair[0], alias) not in aliases.owners:
                    rows.setdefault((pair[0], alias), identity)
        stored = _insert_aliases(rows)
        replaced = _give_way(wanted, _contested(wanted, created, rows, stored, aliases))
        for pair in missing:
            target, seen = found[pair], set()
            while target.pk in replaced and target.pk not in seen:
                seen.add(target.pk)
                target = replaced[target.pk]
            found[pair] = target
        if replaced:
            AuthorIdentity.objects.filter(pk__in=list(replaced)).delete()
    used = {identity.author_id for identity in found.values()}
    lost = [author_id for author_id in author_ids if author_id not in used]
    if lost:
        Author.objects.filter(pk__in=lost, identities__isnull=True).delete()
    kept = [author_id for author_id in author_ids if author_id in used]
    outbox.record_many("author.created", [{"author_id": author_id} for author_id in kept])


def _contested(wanted, created, rows, inserted, aliases: _AliasOwners):
    """The identities just created that may have to give way: those with an alias that another
    report of the batch claimed first or whose insert lost to another batch. With `inserted`
    unknown (not PostgreSQL), all of them."""
    if inserted is None:
        return created
    contested = {}
    for pair, identity in created.items():
        for alias in wanted[pair].aliases:
            key = (pair[0], alias)
            if key in aliases.owners:
                continue  # held before, by an account these reports are not (incompatible)
            if rows.get(key) is not identity or key not in inserted:
                contested[pair] = identity
                break
    return contested


def _give_way(wanted, created) -> dict[int, AuthorIdentity]:
    """Identities just created whose account another report stored first under another key (an
    alias of theirs went to another identity, in this batch or a concurrent one): `{pk: the
    identity to use instead}`."""
    owners = _alias_owners({pair: wanted[pair] for pair in created})
    replaced: dict[int, AuthorIdentity] = {}
    for pair, identity in sorted(created.items()):
        theirs = {
            alias
            for alias in wanted[pair].aliases
            if (owner := owners.owners.get((pair[0], alias))) is not None
            and owner.pk != identity.pk
        }
        other = owners.best_match(wanted[pair], theirs) if theirs else None
        if other is not None and getattr(replaced.get(other.pk), "pk", None) != identity.pk:
            replaced[identity.pk] = other
    return replaced


def _insert_aliases(rows: Mapping[tuple[str, str], AuthorIdentity]) -> set[tuple[str, str]] | None:
    """Store the aliases that no account holds yet; returns the `(platform, value)` pairs this
    call inserted (None where the database cannot say)."""
    inserted = insert_rows(
        AuthorIdentityAlias,
        ("identity", "platform", "value"),
        [(owner.pk, platform, value) for (platform, value), owner in sorted(rows.items())],
        ignore_conflicts=True,
        returning=("platform", "value"),
    )
    return None if inserted is None else set(inserted)


def _fetch(pairs: Mapping[tuple[str, str], IdentityData]) -> dict[tuple[str, str], AuthorIdentity]:
    if not pairs:
        return {}
    rows = objects_matching(AuthorIdentity, ("platform", "key"), pairs)
    return {(row.platform, row.key): row for row in rows}


def _display_name(data: IdentityData) -> str:
    return data.display_name or normalize_handle(data.handle) or data.external_id
