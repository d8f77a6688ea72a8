"""The batch helpers behave like the ORM calls they replace, on PostgreSQL and on SQLite."""

import pytest
from django.db import connection

from authors.models import Author, AuthorIdentity, AuthorIdentityAlias
from scrm.db import insert_objects, insert_rows, objects_matching, rows_matching, update_in_order

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


def _identity(author_id: int, platform: str, key: str, **fields) -> AuthorIdentity:
    return AuthorIdentity(author_id=author_id, platform=platform, key=key, **fields)


def test_insert_rows_fills_defaults_and_returns_what_was_asked():
    (first, second) = insert_rows(
        Author, ["display_name"], [("Анна",), ("Bob",)], returning=["id", "display_name"]
    )

    assert [first[1], second[1]] == ["Анна", "Bob"]
    anna = Author.objects.get(pk=first[0])
    assert (anna.segment, anna.labels, anna.do_not_contact) == ("unknown", [], False)
    assert anna.created_at is not None and anna.updated_at is not None


def test_insert_rows_skips_conflicts_and_says_which_rows_went_in():
    author = Author.objects.create(display_name="a")
    identity = AuthorIdentity.objects.create(author=author, platform="vk", key="id:1")
    AuthorIdentityAlias.objects.create(identity=identity, platform="vk", value="id:1")

    inserted = insert_rows(
        AuthorIdentityAlias,
        ("identity", "platform", "value"),
        [(identity.pk, "vk", "id:1"), (identity.pk, "vk", "handle:a")],
        ignore_conflicts=True,
        returning=("platform", "value"),
    )

    assert AuthorIdentityAlias.objects.filter(identity=identity).count() == 2
    if ON_POSTGRESQL:
        assert inserted == [("vk", "handle:a")]
    else:
        assert inserted is None


def test_insert_objects_gives_keys_and_matches_inserted_rows_to_their_instances():
    author = Author.objects.create(display_name="a")
    AuthorIdentity.objects.create(author=author, platform="vk", key="id:1")
    fresh = _identity(author.pk, "vk", "id:2", handle="b")
    taken = _identity(author.pk, "vk", "id:1", handle="someone else")

    inserted = insert_objects([taken, fresh], ignore_conflicts=True, unique=("platform", "key"))

    stored = AuthorIdentity.objects.get(platform="vk", key="id:2")
    assert stored.handle == "b"
    if ON_POSTGRESQL:
        assert inserted == [fresh]
        assert fresh.pk == stored.pk and taken.pk is None
    else:
        assert inserted is None


def test_rows_matching_returns_exact_key_pairs_only():
    author = Author.objects.create(display_name="a")
    for platform in ("vk", "telegram"):
        for key in ("id:1", "id:2"):
            AuthorIdentity.objects.create(author=author, platform=platform, key=key)

    rows = rows_matching(
        AuthorIdentity, ("platform", "key"), [("vk", "id:1"), ("telegram", "id:2")], ("key",)
    )
    objects = objects_matching(AuthorIdentity, ("platform", "key"), [("vk", "id:1")])

    assert sorted(rows) == [("id:1",), ("id:2",)]
    assert [(o.platform, o.key) for o in objects] == [("vk", "id:1")]
    assert objects[0].author_id == author.pk
    assert rows_matching(AuthorIdentity, ("platform", "key"), [], ("key",)) == []


def test_update_in_order_writes_the_fields_named():
    author = Author.objects.create(display_name="a")
    first = AuthorIdentity.objects.create(author=author, platform="vk", key="id:1", followers=1)
    second = AuthorIdentity.objects.create(author=author, platform="vk", key="id:2")
    first.followers, first.handle = 10, "ignored"
    second.followers = None

    update_in_order([first, second], ["followers"])

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.followers, first.handle, second.followers) == (10, "", None)


def test_a_database_error_comes_out_as_djangos_with_the_driver_error_as_cause():
    """The ingest retries a deadlock victim by catching django.db.OperationalError: errors from
    these statements must come out as Django's, as from the ORM's own cursors."""
    from django.db import IntegrityError, transaction

    author = Author.objects.create(display_name="a")
    identity = AuthorIdentity.objects.create(author=author, platform="vk", key="id:1")
    AuthorIdentityAlias.objects.create(identity=identity, platform="vk", value="id:1")

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        insert_rows(
            AuthorIdentityAlias, ("identity", "platform", "value"), [(identity.pk, "vk", "id:1")]
        )

    assert caught.value.__cause__ is not None
    assert insert_rows(Author, ["display_name"], [("b",)]) == []
