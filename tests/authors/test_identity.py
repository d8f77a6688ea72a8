"""Identity resolution: one account on one platform is one identity, whatever form it is
reported in; different platforms and different platform ids stay apart."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authors.identity import identity_aliases, normalize_profile_url, platform_id
from authors.models import Author, AuthorIdentity, AuthorIdentityAlias
from authors.services.identities import IdentityData, author_identities_upsert
from mentions.models import Mention
from tests.authors.helpers import ingest


@pytest.mark.parametrize(
    "url",
    [
        "https://vk.com/durov",
        "http://vk.com/durov",
        "https://www.vk.com/durov/",
        "https://m.vk.com/Durov",
        "vk.com/DUROV/",
        "https://vk.com/durov?from=search#wall",
        "https://vkontakte.ru/durov",
    ],
)
def test_url_variants_normalise_to_one_profile(url):
    assert normalize_profile_url(url) == "vk.com/durov"


def test_twitter_and_x_are_one_site():
    assert normalize_profile_url("https://mobile.twitter.com/Jack/") == "x.com/jack"


def test_facebook_numeric_profiles_keep_their_id():
    assert normalize_profile_url("https://www.facebook.com/profile.php?id=42&ref=x") == (
        "facebook.com/profile.php?id=42"
    )
    assert normalize_profile_url("https://facebook.com/profile.php?id=43") != (
        normalize_profile_url("https://facebook.com/profile.php?id=42")
    )


def test_a_vk_id_url_spells_the_platform_id():
    assert platform_id(platform="vk", profile_url="https://m.vk.com/id123/") == "123"
    assert platform_id(platform="vk", external_id="id123") == "123"
    assert platform_id(platform="telegram", profile_url="https://t.me/id123") == ""


def test_aliases_name_the_id_handle_and_every_url_of_the_account():
    assert identity_aliases(
        platform="vk", external_id="123", handle="@Durov", profile_url="https://m.vk.com/durov"
    ) == {"id:123", "url:vk.com/id123", "handle:durov", "url:vk.com/durov"}


def _one(**fields) -> AuthorIdentity:
    data = IdentityData(platform=fields.pop("platform", "vk"), **fields)
    (identity,) = author_identities_upsert(identities=[data]).values()
    return identity


@pytest.mark.django_db
def test_url_variants_of_one_profile_become_one_identity():
    first = _one(profile_url="https://vk.com/durov")
    for url in ("http://m.vk.com/Durov/", "https://www.vk.com/durov?w=wall1", "vk.com/durov"):
        assert _one(profile_url=url).pk == first.pk

    assert AuthorIdentity.objects.count() == 1
    assert Author.objects.count() == 1


@pytest.mark.django_db
def test_an_id_report_and_a_url_report_of_one_account_are_one_identity():
    by_url = _one(profile_url="https://vk.com/durov", display_name="Павел")

    by_both = _one(external_id="1", profile_url="https://m.vk.com/durov/", followers=10)

    assert by_both.pk == by_url.pk
    by_both.refresh_from_db()
    assert (by_both.external_id, by_both.followers) == ("1", 10)
    assert _one(external_id="1").pk == by_url.pk  # the bare id finds it too
    assert AuthorIdentity.objects.count() == 1


@pytest.mark.django_db
def test_vk_id_url_and_vanity_url_resolve_to_the_identity_that_knows_both():
    known = _one(external_id="123", handle="durov", profile_url="https://vk.com/durov")

    assert _one(profile_url="https://vk.com/id123").pk == known.pk
    assert _one(profile_url="https://m.vk.com/durov/").pk == known.pk
    assert _one(handle="@Durov").pk == known.pk
    assert AuthorIdentity.objects.count() == 1


@pytest.mark.django_db
def test_an_id_url_reported_first_is_found_by_the_id_later():
    first = _one(profile_url="https://vk.com/id555")

    assert _one(external_id="555", handle="vanity").pk == first.pk
    assert _one(profile_url="https://vk.com/vanity").pk == first.pk


@pytest.mark.django_db
def test_different_platforms_with_the_same_handle_stay_apart():
    vk = _one(platform="vk", handle="ivan")
    telegram = _one(platform="telegram", handle="ivan")
    twitter = _one(platform="twitter", profile_url="https://x.com/ivan")

    assert len({vk.pk, telegram.pk, twitter.pk}) == 3
    assert len({vk.author_id, telegram.author_id, twitter.author_id}) == 3


@pytest.mark.django_db
def test_a_handle_that_passed_to_another_account_does_not_join_them():
    old = _one(external_id="1", handle="ivan")

    new = _one(external_id="2", handle="ivan")

    assert new.pk != old.pk
    old.refresh_from_db()
    assert old.external_id == "1"


@pytest.mark.django_db
def test_reports_of_one_new_account_in_one_batch_become_one_identity():
    found = author_identities_upsert(
        identities=[
            IdentityData(platform="vk", profile_url="https://m.vk.com/durov/"),
            IdentityData(platform="vk", external_id="1", profile_url="https://vk.com/durov"),
            IdentityData(platform="vk", handle="durov"),
        ]
    )

    assert len({identity.pk for identity in found.values()}) == 1
    assert AuthorIdentity.objects.count() == 1
    assert Author.objects.count() == 1  # the authors of the dropped duplicates are gone
    identity = AuthorIdentity.objects.get()
    assert identity.external_id == "1"
    assert set(AuthorIdentityAlias.objects.values_list("value", flat=True)) >= {
        "id:1",
        "url:vk.com/id1",
        "url:vk.com/durov",
        "handle:durov",
    }


@pytest.mark.django_db
def test_ingest_attaches_mentions_of_url_variants_to_one_author():
    first = ingest({"profile_url": "https://vk.com/durov", "name": "Павел"})
    second = ingest({"external_id": "1", "profile_url": "https://m.vk.com/Durov/"})
    third = ingest({"profile_url": "https://vk.com/id1"})

    assert first.author_id == second.author_id == third.author_id
    assert first.author_identity_id == second.author_identity_id == third.author_identity_id
    assert Mention.objects.filter(author_id=first.author_id).count() == 3


@pytest.mark.django_db
def test_upsert_runs_a_fixed_number_of_queries_for_known_accounts():
    small = [IdentityData(platform="vk", external_id=str(n)) for n in range(3)]
    large = [IdentityData(platform="vk", external_id=str(n)) for n in range(3, 60)]
    author_identities_upsert(identities=small)
    author_identities_upsert(identities=large)

    with CaptureQueriesContext(connection) as few:
        author_identities_upsert(identities=small)
    with CaptureQueriesContext(connection) as many:
        author_identities_upsert(identities=large)

    assert len(many) == len(few)


@pytest.mark.django_db
def test_upsert_of_new_accounts_runs_a_fixed_number_of_queries():
    with CaptureQueriesContext(connection) as few:
        author_identities_upsert(
            identities=[IdentityData(platform="vk", external_id=f"a{n}") for n in range(2)]
        )
    with CaptureQueriesContext(connection) as many:
        author_identities_upsert(
            identities=[IdentityData(platform="vk", external_id=f"b{n}") for n in range(50)]
        )

    assert len(many) == len(few)


@pytest.mark.django_db
def test_an_absurdly_long_profile_url_still_identifies_one_account():
    url = "https://vk.com/" + "ж" * 1500

    first, second = ingest({"profile_url": url}), ingest({"profile_url": url + "/"})

    assert first.author_identity_id == second.author_identity_id
    assert len(AuthorIdentity.objects.get().key) < 100


def test_erased_alias_digest_is_the_salted_hmac_stored_before_it_was_cached(settings):
    """Hashes already stored for forgotten people must still match a new report of them."""
    from django.utils.crypto import salted_hmac

    from authors.identity import erased_alias

    for secret in ("one-secret", "another-secret"):
        settings.SECRET_KEY = secret
        expected = salted_hmac(
            "authors.identity.erased_alias", "vk|handle:durov", algorithm="sha256"
        ).hexdigest()
        assert erased_alias("vk", "handle:durov") == f"erased:{expected}"
