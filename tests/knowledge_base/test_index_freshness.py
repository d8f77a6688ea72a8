"""A large base is re-read in the background after a change; searches meanwhile go on with the
previous index, so no request waits for a big base to load."""

import time

import pytest

from knowledge_base import search
from tests.knowledge_base.helpers import publish_article


def _wait_for_the_rebuild(seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while search._rebuilding.is_set() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not search._rebuilding.is_set(), "the background rebuild did not finish"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_large_base_is_re_read_in_the_background_while_the_old_index_serves(settings):
    settings.SCRM_KB_SYNC_REBUILD_MAX = 1  # every base counts as large
    first = publish_article(question="Как включить роуминг?")
    old = search.current_index()
    assert old.article_ids == [first.pk]

    second = publish_article(question="Как сменить тариф?")
    served = search.current_index()

    assert served is old  # the request did not wait
    _wait_for_the_rebuild()
    assert search.current_index().article_ids == [first.pk, second.pk]


@pytest.mark.django_db
def test_a_small_base_is_re_read_at_the_next_search(settings):
    first = publish_article(question="Как включить роуминг?")
    assert search.current_index().article_ids == [first.pk]

    second = publish_article(question="Как сменить тариф?")

    assert search.current_index().article_ids == [first.pk, second.pk]


@pytest.mark.django_db
def test_the_freshness_check_is_one_query(django_assert_num_queries):
    publish_article(question="Как включить роуминг?")
    search.current_index()

    with django_assert_num_queries(1):
        search.current_index()
