"""The hot lists never run `SELECT DISTINCT`, and never repeat a row.

django-filter makes every MultipleChoiceFilter `distinct=True`; on a million mentions the
`SELECT DISTINCT` over every selected column sorted the whole table before the `LIMIT` (issue
14: 2.8 s for `?platform=vk`). The filters here stay on the filtered row or on rows it points to
(to-one), or find their ids in a subquery, so there is nothing to make distinct. These tests fail
if a DISTINCT comes back, and if a filter that crosses a to-many relation ever repeats a row.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authors.filters import AuthorFilter
from mentions.filters import MentionFilter
from mentions.models import Mention, MentionSubject, Team
from tests.authors.helpers import account, ingest
from tests.factories import TrackedSubjectFactory
from tests.mentions.queue_helpers import queued_mentions

pytestmark = pytest.mark.django_db

# Filters that cross a to-many relation, each with why it cannot repeat a row.
TO_MANY_WITHOUT_DUPLICATES = {
    # One link per (mention, subject): `mention_subject_unique`.
    (MentionFilter, "subject"): "subject_links__subject",
}


def _hops(model, path: str):
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except Exception:
            return  # a lookup (`__gte`), not a relation
        yield field
        if not field.is_relation:
            return
        model = field.related_model


@pytest.mark.parametrize("filterset", [MentionFilter, AuthorFilter])
def test_no_filter_asks_for_distinct_and_none_crosses_a_to_many_relation_unsaid(filterset):
    for name, flt in filterset.base_filters.items():
        assert flt.distinct is False, f"{filterset.__name__}.{name} would add SELECT DISTINCT"
        if flt.method:
            continue  # custom filters: checked by the requests below
        to_many = [
            f.name
            for f in _hops(filterset._meta.model, flt.field_name)
            if f.one_to_many or f.many_to_many
        ]
        if to_many:
            assert TO_MANY_WITHOUT_DUPLICATES.get((filterset, name)) == flt.field_name, (
                f"{filterset.__name__}.{name} crosses {to_many}: find the ids in a subquery"
            )


def test_a_subject_link_is_unique_per_mention_and_subject():
    constraints = {c.name: c for c in MentionSubject._meta.constraints}
    assert constraints["mention_subject_unique"].fields == ("mention", "subject")


def _get(client, path, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()["results"], [q["sql"] for q in queries.captured_queries]


def _assert_no_distinct(sqls):
    offending = [sql for sql in sqls if "DISTINCT" in sql.upper()]
    assert not offending, offending


@pytest.fixture
def busy_author():
    """One author with three identities on two platforms, and mentions that each name two
    subjects: every to-many relation a filter could cross has several rows."""
    TrackedSubjectFactory(key="acme", name="Acme")
    TrackedSubjectFactory(key="globex", name="Globex")
    first = ingest(account(name="Марина Веселова", handle="marina_v"), text="Acme и Globex")
    author_id = first.author_id
    for platform, handle in (("vk", "marina_v2"), ("telegram", "marina_tg")):
        other = ingest(
            account(name="Марина Веселова", handle=handle),
            platform=platform,
            text="Acme и Globex снова",
        )
        Mention.objects.filter(author_id=other.author_id).update(author_id=author_id)
        other.author_identity.author_id = author_id
        other.author_identity.save(update_fields=["author_id"])
    return author_id


MENTION_PARAMS = {
    "subject": "acme",
    "source": "api",
    "platform": ["vk", "telegram"],
    "source_type": "social",
    "status": ["new", "queued"],
    "source_sentiment": "negative",
    "author_id": None,  # the busy author's
    "external_id": "nope",
    "published_after": "2000-01-01T00:00:00Z",
    "published_before": "2100-01-01T00:00:00Z",
    "category": "support",
    "sentiment": ["positive", "negative"],
    "priority": ["high", "urgent"],
    "team": "support",
    "claimed_by": "nobody",
    "claimed_by_id": 1,
    "needs_response": "false",
    "q": "Acme",
}


def test_every_mention_filter_runs_without_distinct_and_repeats_no_mention(
    operator_client, busy_author
):
    Team.objects.get_or_create(key="support", defaults={"name": "Support"})
    assert set(MENTION_PARAMS) == set(MentionFilter.base_filters), "add the new filter here"
    params = {**MENTION_PARAMS, "author_id": busy_author}
    for name, value in params.items():
        results, sqls = _get(operator_client, "/api/v1/mentions/", {name: value})
        _assert_no_distinct(sqls)
        ids = [m["id"] for m in results]
        assert len(ids) == len(set(ids)), (name, ids)
    results, sqls = _get(operator_client, "/api/v1/mentions/", params)
    _assert_no_distinct(sqls)

    everything, _ = _get(
        operator_client,
        "/api/v1/mentions/",
        {"subject": "acme", "platform": ["vk", "telegram"], "q": "Globex", "status": "new"},
    )
    assert sorted(m["id"] for m in everything) == sorted(
        Mention.objects.filter(author_id=busy_author).values_list("id", flat=True)
    )


AUTHOR_PARAMS = {
    "q": "Марина",
    "segment": ["unknown", "detractor"],
    "platform": ["vk", "telegram"],
    "has_crm_link": "false",
    "crm_external_id": "nope",
    "do_not_contact": "false",
}


def test_every_author_filter_runs_without_distinct_and_repeats_no_author(
    operator_client, busy_author
):
    assert set(AUTHOR_PARAMS) == set(AuthorFilter.base_filters), "add the new filter here"
    for name, value in AUTHOR_PARAMS.items():
        results, sqls = _get(operator_client, "/api/v1/authors/", {name: value})
        _assert_no_distinct(sqls)
        ids = [a["id"] for a in results]
        assert len(ids) == len(set(ids)), (name, ids)
    for q in ("Марина", "marina", "vk.com/person", "@marina_tg"):
        results, _ = _get(operator_client, "/api/v1/authors/", {"q": q, "platform": ["vk"]})
        assert [a["id"] for a in results] == [busy_author], q


def test_the_queue_runs_without_distinct(make_client):
    from scrm.roles import Role

    team = Team.objects.create(key="care", name="Care")
    client = make_client(Role.OPERATOR)
    team.members.add(client.user)
    queued_mentions(3, team=team)

    results, sqls = _get(client, "/api/v1/queue/", {})

    assert len(results) == 3
    _assert_no_distinct(sqls)
