"""Forgetting a person: anonymization here and, through the erasers other apps registered in
`authors.privacy`, in theirs.

Events: `authors.anonymized` {"author_id", "crm_external_id"} (the CRM link it had, for the
connector).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from authors.identity import (
    alias_kind,
    erased_alias,
)
from authors.models import (
    Author,
    AuthorIdentity,
    AuthorIdentityAlias,
    AuthorMerge,
    AuthorNote,
)
from authors.privacy import ERASED_TEXT, anonymized_name, registered_erasers
from authors.services.identities import own_aliases
from authors.services.profile import locked_author
from scrm import outbox
from scrm.events import publish_on_commit


@transaction.atomic
def author_anonymize(*, author_id: int, user) -> Author:
    """Forget the person behind an author, keeping what reports count; returns the author.

    Names, handles, profile URLs, platform ids, notes, labels and the CRM link are replaced by
    placeholders, in this app and — through the erasers other apps registered in
    `authors.privacy` — in theirs (mentions' texts, titles, URLs and raw payloads), all in this
    one transaction. Identities keep their platform and followers; of their identifiers only
    keyed hashes remain, so that the account, if reported again, is recognised as this author,
    marked "do not contact". Safe to run twice.
    """
    author = locked_author(author_id)
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
        values = stored[identity.pk] | own_aliases(identity)
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
    author.labels = []  # operators' words about the person identify them as much as a name
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
