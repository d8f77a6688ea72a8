"""Several processes reporting the same new accounts, each in another form, at once."""

import multiprocessing
import random
from unittest import mock

import pytest
from django.db import connections

from authors.models import Author, AuthorIdentity
from tests.conftest import requires_postgres

# serialized_rollback: the flush after each test then leaves the database empty instead of
# re-running post_migrate, as the other serialized transactional tests expect.
pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _no_processing():
    """Identity resolution is under test, not processing (forked children inherit this)."""
    with mock.patch("mentions.services.ingest.mentions_enqueue_processing"):
        yield


ACCOUNTS = 20


def _forms(n: int) -> list[dict]:
    """The ways monitoring tools report VK account n."""
    return [
        {"external_id": str(1000 + n), "profile_url": f"https://vk.com/user{n}"},
        {"profile_url": f"https://m.vk.com/User{n}/"},
        {"handle": f"user{n}"},
        {"profile_url": f"https://vk.com/id{1000 + n}"},
    ]


def _ingest_in_child(seed: int) -> int:
    from mentions.services.ingest import mentions_ingest

    rng = random.Random(seed)
    failed = 0
    for batch in range(4):
        items = []
        for n in rng.sample(range(ACCOUNTS), k=ACCOUNTS):
            items.append(
                {
                    "external_id": f"s{seed}-b{batch}-{n}",
                    "platform": "vk",
                    "text": "hello",
                    "published_at": "2026-11-20T10:00:00Z",
                    "author": rng.choice(_forms(n)),
                }
            )
        failed += mentions_ingest(items=items).failed
    connections.close_all()
    return failed


def test_concurrent_reports_of_one_account_in_different_forms_end_as_one_identity():
    # Every account is first told whole (id + vanity URL), so that every later form can be tied
    # to it; then six processes report the accounts in random forms at once.
    from mentions.services.ingest import mentions_ingest

    mentions_ingest(
        items=[
            {
                "external_id": f"seed-{n}",
                "platform": "vk",
                "published_at": "2026-11-20T10:00:00Z",
                "author": {**_forms(n)[0], "handle": f"user{n}"},
            }
            for n in range(ACCOUNTS)
        ]
    )
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(6) as pool:
        failures = pool.map(_ingest_in_child, range(6))

    assert sum(failures) == 0
    assert AuthorIdentity.objects.count() == ACCOUNTS
    assert Author.objects.count() == ACCOUNTS


def _new_accounts_in_child(seed: int) -> int:
    from mentions.services.ingest import mentions_ingest

    rng = random.Random(seed)
    forms = [
        {"external_id": "77", "profile_url": "https://vk.com/newcomer"},
        {"profile_url": "https://m.vk.com/Newcomer/"},
        {"handle": "newcomer"},
    ]
    result = mentions_ingest(
        items=[
            {
                "external_id": f"new-{seed}",
                "platform": "vk",
                "published_at": "2026-11-20T10:00:00Z",
                "author": rng.choice(forms),
            }
        ]
    )
    connections.close_all()
    return result.failed


def test_a_new_account_reported_in_different_forms_at_once_ends_as_one_identity():
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(6) as pool:
        failures = pool.map(_new_accounts_in_child, range(12))

    assert sum(failures) == 0
    assert AuthorIdentity.objects.count() == 1
    assert Author.objects.count() == 1
