"""Writes on authors and their identities.

`authors` knows nothing of the apps that point at it: a merge moves every row that references
the absorbed author by walking `Author._meta.related_objects`, and anonymization calls the
erasers other apps registered in `authors.privacy`. Events (after commit, ids only):

- `authors.merged` {"author_id", "absorbed_author_id"}
- `authors.anonymized` {"author_id", "crm_external_id"} (the CRM link it had, for the connector)
- `authors.segment_unpinned` {"author_ids"}: a manager gave the segment back to the rules
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db import IntegrityError, models, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
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
    AuthorMerge,
    AuthorNote,
    Segment,
)
from authors.privacy import ERASED_TEXT, anonymized_name, registered_erasers
from scrm import outbox
from scrm.api.errors import Conflict, InvalidInput, NotFound
from scrm.db import (
    insert_objects,
    insert_rows,
    objects_matching,
    rows_matching,
    update_in_order,
)
from scrm.events import publish_on_commit


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


def _own_aliases(identity: AuthorIdentity) -> set[str]:
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
            gained = _own_aliases(identity) - _aliases_of(identity.platform, identity.key, before)
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


# --- Profile edits -----------------------------------------------------------------------------


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()  # "leave the segment as it is", as opposed to None, "unpin it"

MAX_LABELS = 50
MAX_LABEL_LENGTH = 64


def clean_labels(labels: Iterable[str]) -> list[str]:
    """Labels stripped, blanks dropped, duplicates (ignoring case) removed, order kept."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for label in labels:
        label = " ".join(str(label).split())
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            cleaned.append(label)
    return cleaned


def _get_locked(author_id: int) -> Author:
    try:
        return Author.objects.select_for_update().get(pk=author_id)
    except Author.DoesNotExist as exc:
        raise NotFound("No such author.") from exc


@transaction.atomic
def author_update(
    *,
    author_id: int,
    user,
    note: str | None = None,
    labels: Sequence[str] | None = None,
    segment: str | _Keep | None = KEEP,
    crm_external_id: str | None = None,
) -> Author:
    """Add a note, replace the labels, pin (a segment) or unpin (None) the segment, link or
    unlink ("") the CRM contact; each optional, all or nothing.

    A CRM contact already linked to another author is refused (409 `crm_link_conflict`): the
    two authors are one person and should be merged. Who may change what is the caller's
    business (the API and the admin check roles per field).
    """
    author = _get_locked(author_id)
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    unpinned = False
    if note is not None and not note.strip():
        errors["note"] = ["A note cannot be blank."]
    if labels is not None:
        cleaned = clean_labels(labels)
        if len(cleaned) > MAX_LABELS:
            errors["labels"] = [f"At most {MAX_LABELS} labels."]
        elif any(len(label) > MAX_LABEL_LENGTH for label in cleaned):
            errors["labels"] = [f"A label has at most {MAX_LABEL_LENGTH} characters."]
        author.labels = cleaned
    if segment is not KEEP:
        if segment is None:
            unpinned = author.segment_pinned
            author.segment_pinned = False
        elif segment not in Segment.values:
            errors["segment"] = [f"Choose one of: {', '.join(Segment.values)}."]
        else:
            author.segment, author.segment_pinned, author.segment_updated_at = segment, True, now
    if crm_external_id is not None:
        crm_external_id = crm_external_id.strip()
        taken = (
            Author.objects.filter(crm_external_id=crm_external_id)
            .exclude(pk=author.pk)
            .values_list("pk", flat=True)
            .first()
            if crm_external_id
            else None
        )
        if taken is not None:
            raise Conflict(
                f"Author #{taken} is already linked to this CRM contact; merge the two authors.",
                code="crm_link_conflict",
                errors={"crm_external_id": [f"Linked to author #{taken}."]},
            )
        author.crm_external_id = crm_external_id
    if errors:
        raise InvalidInput(errors=errors)
    if author.anonymized_at and (note is not None or crm_external_id):
        raise Conflict(
            "This author was anonymized: no note or CRM link identifies them again.",
            code="author_anonymized",
        )

    try:
        with transaction.atomic():
            author.save()
    except IntegrityError as exc:  # the same contact linked elsewhere a moment ago
        raise Conflict(
            "Another author was just linked to this CRM contact.", code="crm_link_conflict"
        ) from exc
    if note is not None:
        AuthorNote.objects.create(author=author, text=note.strip(), created_by=user)
    if unpinned:
        publish_on_commit("authors.segment_unpinned", {"author_ids": [author.pk]})
    return author


@transaction.atomic
def author_segment_set(*, segments: Mapping[int, str]) -> int:
    """Store recomputed segments (`{author_id: segment}`); returns how many changed.

    A segment a manager pinned is never overridden; an unchanged one is not rewritten. One
    UPDATE per distinct segment.
    """
    by_segment: dict[str, list[int]] = defaultdict(list)
    for author_id, segment in segments.items():
        if segment not in Segment.values:
            raise InvalidInput(errors={"segment": [f"Unknown segment '{segment}'."]})
        by_segment[segment].append(author_id)
    now = timezone.now()
    changed = 0
    for segment, author_ids in sorted(by_segment.items()):
        changed += (
            Author.objects.filter(pk__in=author_ids, segment_pinned=False)
            .exclude(segment=segment)
            .update(segment=segment, segment_updated_at=now, updated_at=now)
        )
    return changed


# --- Merge -------------------------------------------------------------------------------------


@transaction.atomic
def author_merge(*, author_id: int, other_id: int, user) -> AuthorMerge:
    """Merge author `other_id` into `author_id`; returns the merge record.

    Every row of every app that points at the absorbed author (identities, mentions, notes,
    earlier merge records, and whatever later apps add) is moved to the kept author; a row that
    would duplicate one the kept author has under a uniqueness rule is dropped and counted.
    Labels are united; the kept author's name, CRM link and pinned segment win, the absorbed
    author's fill what the kept one lacks; "do not contact" holds if either had it. The merge is
    recorded (who, when, what moved) and the absorbed author deleted. Both rows are locked in id
    order, so concurrent merges of overlapping pairs queue instead of deadlocking. An
    anonymized author cannot be merged (409 `author_anonymized`).
    """
    if other_id == author_id:
        raise InvalidInput(errors={"other_id": ["An author cannot be merged with itself."]})
    locked = {
        a.pk: a
        for a in Author.objects.select_for_update()
        .filter(pk__in=[author_id, other_id])
        .order_by("pk")
    }
    if author_id not in locked:
        raise NotFound("No such author.")
    if other_id not in locked:
        raise InvalidInput(errors={"other_id": [f"No author with id {other_id}."]})
    kept, absorbed = locked[author_id], locked[other_id]
    if kept.anonymized_at or absorbed.anonymized_at:
        raise Conflict(
            "An anonymized author cannot be merged: their data is not to be linked again.",
            code="author_anonymized",
        )

    identity_ids = list(absorbed.identities.values_list("pk", flat=True))
    moved, dropped = _move_related_rows(absorbed=absorbed, kept=kept)

    labels_before = list(kept.labels or [])
    kept.labels = clean_labels([*labels_before, *(absorbed.labels or [])])
    kept.display_name = kept.display_name or absorbed.display_name
    kept.do_not_contact = kept.do_not_contact or absorbed.do_not_contact
    if absorbed.segment_pinned and not kept.segment_pinned:
        kept.segment, kept.segment_pinned = absorbed.segment, True
        kept.segment_updated_at = timezone.now()
    absorbed_crm = absorbed.crm_external_id
    if absorbed_crm:
        # Freed first: one contact links one author at a time.
        Author.objects.filter(pk=absorbed.pk).update(crm_external_id="")
        kept.crm_external_id = kept.crm_external_id or absorbed_crm
    kept.save()

    record = AuthorMerge.objects.create(
        author=kept,
        absorbed_author_id=absorbed.pk,
        absorbed_display_name=absorbed.display_name,
        merged_by=user if getattr(user, "pk", None) else None,
        details={
            "moved": moved,
            "dropped_duplicates": dropped,
            "identity_ids": identity_ids,
            "labels_added": [label for label in kept.labels if label not in labels_before],
            "crm_external_id": absorbed_crm,
            "segment": absorbed.segment,
            "segment_pinned": absorbed.segment_pinned,
            "absorbed_created_at": absorbed.created_at.isoformat(),
        },
    )
    Author.objects.filter(pk=absorbed.pk).delete()
    publish_on_commit(
        "authors.merged", {"author_id": kept.pk, "absorbed_author_id": record.absorbed_author_id}
    )
    outbox.record(
        "author.merged", {"author_id": kept.pk, "absorbed_author_id": record.absorbed_author_id}
    )
    return record


def _relations_to_author() -> list[tuple[type[models.Model], models.Field]]:
    """(model, foreign key to Author) for every relation any installed app has to authors."""
    relations = []
    for relation in Author._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            if not through._meta.auto_created:
                continue  # an explicit through model's own foreign key is listed by itself
            name = relation.field.m2m_reverse_field_name()
            relations.append((through, through._meta.get_field(name)))
        else:
            relations.append((relation.related_model, relation.field))
    return relations


def _move_related_rows(*, absorbed: Author, kept: Author) -> tuple[dict, dict]:
    """Point every row referencing `absorbed` at `kept`; returns (moved, dropped) counts keyed
    by `app_label.Model.field`."""
    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for model, field in _relations_to_author():
        label = f"{model._meta.label}.{field.name}"
        manager = model._base_manager
        duplicates = _duplicates(model, field, absorbed=absorbed, kept=kept)
        if duplicates:
            manager.filter(pk__in=duplicates).delete()
            dropped[label] = len(duplicates)
        count = manager.filter(**{field.attname: absorbed.pk}).update(**{field.attname: kept.pk})
        if count:
            moved[label] = count
    return moved, dropped


def _unique_field_sets(model, field) -> list[tuple[str, ...]]:
    sets = [tuple(c.fields) for c in model._meta.total_unique_constraints]
    sets += [tuple(together) for together in model._meta.unique_together]
    if field.unique:
        sets.append((field.name,))
    return [s for s in sets if field.name in s]


def _duplicates(model, field, *, absorbed: Author, kept: Author) -> list:
    """Ids of the absorbed author's rows that a uniqueness rule would refuse next to the kept
    author's (e.g. a label both have, a one-to-one both fill)."""
    manager = model._base_manager
    ids: set = set()
    for fields in _unique_field_sets(model, field):
        others = [model._meta.get_field(name).attname for name in fields if name != field.name]
        if not others:
            if manager.filter(**{field.attname: kept.pk}).exists():
                ids.update(
                    manager.filter(**{field.attname: absorbed.pk}).values_list("pk", flat=True)
                )
            continue
        taken = set(manager.filter(**{field.attname: kept.pk}).values_list(*others))
        if not taken:
            continue
        for pk, *values in manager.filter(**{field.attname: absorbed.pk}).values_list(
            "pk", *others
        ):
            if tuple(values) in taken:
                ids.add(pk)
    return sorted(ids)


# --- Anonymization -----------------------------------------------------------------------------


@transaction.atomic
def author_anonymize(*, author_id: int, user) -> Author:
    """Forget the person behind an author, keeping what reports count; returns the author.

    Names, handles, profile URLs, platform ids, notes and the CRM link are replaced by
    placeholders, in this app and — through the erasers other apps registered in
    `authors.privacy` — in theirs (mentions' texts, titles, URLs and raw payloads), all in this
    one transaction. Identities keep their platform and followers; of their identifiers only
    keyed hashes remain, so that the account, if reported again, is recognised as this author,
    marked "do not contact". Safe to run twice.
    """
    author = _get_locked(author_id)
    identities = list(AuthorIdentity.objects.select_for_update().filter(author=author))
    stored = defaultdict(set)
    for row in AuthorIdentityAlias.objects.filter(identity__author=author).exclude(
        value__startswith="erased:"
    ):
        stored[row.identity_id].add(row.value)
    hashed: list[AuthorIdentityAlias] = []
    for identity in identities:
        if identity.erased:
            continue
        values = stored[identity.pk] | _own_aliases(identity)
        if any(alias_kind(v) == "id" for v in values):
            # A handle or URL can pass to someone else; an id stays with this account.
            values = {v for v in values if alias_kind(v) == "id"}
        hashed += [
            AuthorIdentityAlias(
                identity=identity,
                platform=identity.platform,
                value=erased_alias(identity.platform, v),
            )
            for v in sorted(values)
        ]
    AuthorIdentityAlias.objects.filter(identity__author=author).exclude(
        value__startswith="erased:"
    ).delete()
    AuthorIdentityAlias.objects.bulk_create(hashed, ignore_conflicts=True)
    AuthorIdentity.objects.filter(author=author).update(
        key=Concat(Value("erased:"), Cast(F("id"), CharField())),
        external_id="",
        handle="",
        profile_url="",
        profile_url_normalized="",
        display_name="",
        erased=True,
        updated_at=timezone.now(),
    )
    AuthorNote.objects.filter(author=author).update(text=ERASED_TEXT)
    for merge in AuthorMerge.objects.filter(author=author):
        merge.absorbed_display_name = ""
        merge.details = {**merge.details, "crm_external_id": "", "labels_added": []}
        merge.save(update_fields=["absorbed_display_name", "details"])

    crm_external_id = author.crm_external_id
    author.display_name = anonymized_name(author.pk)
    author.crm_external_id = ""
    author.do_not_contact = True
    if author.anonymized_at is None:
        author.anonymized_at = timezone.now()
        author.anonymized_by = user if getattr(user, "pk", None) else None
    author.save()
    for eraser in registered_erasers():
        eraser(author.pk)
    publish_on_commit(
        "authors.anonymized", {"author_id": author.pk, "crm_external_id": crm_external_id}
    )
    outbox.record("author.anonymized", {"author_id": author.pk})
    return author
