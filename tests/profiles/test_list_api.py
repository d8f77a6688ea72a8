"""GET /api/v1/authors/: find authors by name, handle or profile URL; filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authors.models import Author
from tests.authors.helpers import account, classify, ingest
from tests.conftest import requires_postgres

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [a["id"] for a in response.json()["results"]]


@pytest.fixture
def people():
    durov = ingest(
        {
            "external_id": "1",
            "handle": "durov",
            "name": "Павел Дуров",
            "profile_url": "https://vk.com/durov",
            "followers": 9000,
        }
    )
    anna = ingest({"handle": "anna_tg", "name": "Анна"}, platform="telegram")
    ivan = ingest({"profile_url": "https://x.com/ivan_k", "name": "Ivan K"}, platform="twitter")
    Author.objects.filter(pk=anna.author_id).update(crm_external_id="CRM-7", segment="customer")
    return {"durov": durov.author_id, "anna": anna.author_id, "ivan": ivan.author_id}


def test_list_shows_authors_newest_first_with_identities_and_counts(operator_client, people):
    mention = ingest({"external_id": "1"})
    classify(mention, category="support", status="queued")

    body = operator_client.get("/api/v1/authors/").json()

    assert [a["id"] for a in body["results"]] == [people["ivan"], people["anna"], people["durov"]]
    durov = body["results"][2]
    assert durov["display_name"] == "Павел Дуров"
    assert durov["followers"] == 9000
    assert durov["mentions_count"] == 2
    assert durov["open_mentions"] == 1
    assert durov["last_contact_at"] == "2026-11-20T07:00:00Z"
    assert [(i["platform"], i["handle"]) for i in durov["identities"]] == [("vk", "durov")]


@pytest.mark.parametrize(
    ("q", "who"),
    [
        ("Дуров", "durov"),
        # SQLite folds the case of ASCII letters only.
        pytest.param("павел", "durov", marks=requires_postgres),
        ("@Durov", "durov"),
        ("https://m.vk.com/Durov/", "durov"),
        ("vk.com/id1", "durov"),  # the numeric form of the profile known by its vanity URL
        ("anna_tg", "anna"),
        ("twitter.com/ivan_k", "ivan"),  # the site's old name
    ],
)
def test_q_finds_authors_by_name_handle_or_profile_url(operator_client, people, q, who):
    assert _ids(operator_client.get("/api/v1/authors/", {"q": q})) == [people[who]]


def test_filters_by_segment_platform_and_crm_link(integration_client, people):
    def ids(**params):
        return set(_ids(integration_client.get("/api/v1/authors/", params)))

    assert ids(segment="customer") == {people["anna"]}
    assert ids(platform="vk") == {people["durov"]}
    assert ids(platform=["vk", "twitter"]) == {people["durov"], people["ivan"]}
    assert ids(has_crm_link="true") == {people["anna"]}
    assert ids(has_crm_link="false") == {people["durov"], people["ivan"]}
    assert ids(crm_external_id="CRM-7") == {people["anna"]}
    assert ids(do_not_contact="false") == set(people.values())


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("segment", "vip"),
        ("platform", "myspace"),
        ("has_crm_link", "maybe"),
        ("do_not_contact", "1"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(operator_client, param, value):
    response = operator_client.get("/api/v1/authors/", {param: value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [param]


def test_list_runs_a_fixed_number_of_queries_however_many_authors(expert_client):
    for _ in range(2):
        ingest(account())
    expert_client.get("/api/v1/authors/")
    with CaptureQueriesContext(connection) as few:
        expert_client.get("/api/v1/authors/")
    for _ in range(15):
        who = account()
        ingest(who)
        ingest(who)

    with CaptureQueriesContext(connection) as many:
        response = expert_client.get("/api/v1/authors/")

    assert len(response.json()["results"]) == 17
    assert len(many) == len(few) == 2 + 2  # token+user, roles; the page, its identities
    assert not any("COUNT(*)" in q["sql"].upper() for q in many.captured_queries)


def test_the_lists_fast_path_answers_byte_for_byte_what_the_serializer_answers(people):
    from django.utils import timezone
    from rest_framework.renderers import JSONRenderer

    from profiles.api.serializers import AuthorListSerializer, author_list_data
    from profiles.selectors import author_list, author_list_identities, author_list_rows

    mention = ingest({"external_id": "1"})
    classify(mention, category="support", status="queued")
    Author.objects.filter(pk=people["ivan"]).update(
        anonymized_at=timezone.now(), labels=["vip", "пресса"], do_not_contact=True
    )
    authors = list(author_list().order_by("-id"))
    rows = list(author_list_rows().order_by("-id"))

    assert any(a.identities.all() for a in authors)
    assert any(a.anonymized_at and a.last_mention_at for a in authors)
    assert JSONRenderer().render(
        author_list_data(rows, author_list_identities(rows))
    ) == JSONRenderer().render(AuthorListSerializer(authors, many=True).data)
