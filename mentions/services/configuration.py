"""Writes on what managers configure: tracked subjects and sources."""

from django.db import transaction
from django.db.models import ProtectedError

from mentions.models import Mention, MentionSubject, Source, TrackedSubject, new_source_secret
from scrm.errors import Conflict
from scrm.text import unique_texts

SUBJECT_FIELDS = ("key", "name", "kind", "is_own", "aliases", "active")
SOURCE_FIELDS = ("key", "name", "kind", "active")


@transaction.atomic
def subject_create(**fields) -> TrackedSubject:
    """Create a tracked subject; new mentions are matched against it at once."""
    subject = TrackedSubject(**{k: v for k, v in fields.items() if k in SUBJECT_FIELDS})
    subject.aliases = unique_texts(subject.aliases)
    subject.full_clean()
    subject.save()
    return subject


@transaction.atomic
def subject_update(*, subject: TrackedSubject, **fields) -> TrackedSubject:
    for name, value in fields.items():
        if name in SUBJECT_FIELDS:
            setattr(subject, name, value)
    subject.aliases = unique_texts(subject.aliases)
    subject.full_clean()
    subject.save()
    return subject


@transaction.atomic
def subject_has_mentions(subject: TrackedSubject) -> bool:
    """Whether any mention names `subject` (then it may be deactivated, never deleted)."""
    return (
        MentionSubject.objects.filter(subject=subject).exists()
        or Mention.objects.filter(main_subject=subject).exists()
    )


def subject_delete(*, subject: TrackedSubject) -> None:
    """Delete a subject no mention names; one with mentions can only be deactivated, so that
    past mentions keep their subjects (the same rule as sources)."""
    if subject_has_mentions(subject):
        raise Conflict(
            "This subject has mentions; deactivate it instead of deleting it.",
            code="subject_has_mentions",
        )
    subject.delete()


@transaction.atomic
def source_create(**fields) -> Source:
    source = Source(**{k: v for k, v in fields.items() if k in SOURCE_FIELDS})
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_update(*, source: Source, **fields) -> Source:
    for name, value in fields.items():
        if name in SOURCE_FIELDS:
            setattr(source, name, value)
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_rotate_secret(*, source: Source) -> Source:
    """Give the source a new push secret; the old one stops working at once."""
    source.secret = new_source_secret()
    source.save(update_fields=["secret", "updated_at"])
    return source


@transaction.atomic
def source_delete(*, source: Source) -> None:
    """Delete a source that has no mentions; one with mentions can only be deactivated."""
    try:
        source.delete()
    except ProtectedError as exc:
        raise Conflict(
            "This source has mentions; deactivate it instead of deleting it.",
            code="source_has_mentions",
        ) from exc


@transaction.atomic
def config_object_save(*, instance, fields: dict, m2m: dict | None = None):
    """Create or update a configuration row (category, team, routing or classification rule):
    set the fields, validate the model, save, then set many-to-many relations."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def config_object_delete(*, instance) -> None:
    """Delete a configuration row; one still in use by mentions can only be deactivated."""
    try:
        instance.delete()
    except ProtectedError as exc:
        raise Conflict(
            f"This {instance._meta.verbose_name} is in use; deactivate it instead of deleting it.",
            code="in_use",
        ) from exc
