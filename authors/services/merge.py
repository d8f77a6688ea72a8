"""Merging two authors into one.

`authors` knows nothing of the apps that point at it: a merge moves every row that references
the absorbed author by walking `Author._meta.related_objects`.

Events: `authors.merged` {"author_id", "absorbed_author_id"}.
"""

from django.db import models, transaction
from django.utils import timezone

from authors.models import (
    Author,
    AuthorMerge,
)
from scrm import outbox
from scrm.errors import Conflict, InvalidInput, NotFound
from scrm.events import publish_on_commit
from scrm.text import unique_texts


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
    kept.labels = unique_texts([*labels_before, *(absorbed.labels or [])])
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
