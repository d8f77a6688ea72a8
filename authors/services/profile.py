"""Profile edits: notes, labels, the pinned segment, the CRM link; segments stored by the
recompute.

Events (after commit, ids only): `authors.segment_unpinned` {"author_ids"}: a manager gave the
segment back to the rules.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from authors.models import (
    Author,
    AuthorNote,
    Segment,
)
from scrm import outbox
from scrm.errors import Conflict, InvalidInput, NotFound
from scrm.events import publish_on_commit
from scrm.text import unique_texts


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()  # "leave the segment as it is", as opposed to None, "unpin it"

MAX_LABELS = 50
MAX_LABEL_LENGTH = 64


def locked_author(author_id: int) -> Author:
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
    author = locked_author(author_id)
    before = {field: getattr(author, field) for field in _EVENT_FIELDS}
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    unpinned = False
    if note is not None and not note.strip():
        errors["note"] = ["A note cannot be blank."]
    if labels is not None:
        cleaned = unique_texts(labels)
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
    changed = [field for field in _EVENT_FIELDS if getattr(author, field) != before[field]]
    if note is not None:
        changed.append("notes")
    if changed:
        outbox.record("author.updated", {"author_id": author.pk, "fields": changed})
    return author


# What an edit can change, as `author.updated` names it.
_EVENT_FIELDS = ("labels", "segment", "segment_pinned", "crm_external_id")


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
