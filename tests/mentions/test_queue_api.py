from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentions.models import Category, Correction, Mention, Priority, Team
from scrm.roles import Role
from tests.mentions.queue_helpers import queued_mentions

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return Team.objects.get(key="support")


@pytest.fixture
def operator(make_client, team):
    client = make_client(Role.OPERATOR, username="olga")
    team.members.add(client.user)
    return client


@pytest.fixture
def other_operator(make_client, team):
    client = make_client(Role.OPERATOR, username="petr")
    team.members.add(client.user)
    return client


def test_queue_lists_my_teams_unclaimed_mentions_most_urgent_first(operator, team):
    low, urgent = queued_mentions(2, team=team, priorities=[Priority.LOW, Priority.URGENT])
    queued_mentions(1, team=Team.objects.create(key="vip", name="VIP"))

    response = operator.get("/api/v1/queue/")

    assert response.status_code == 200
    assert [m["id"] for m in response.json()["results"]] == [urgent.pk, low.pk]
    assert response.json()["results"][0]["priority"] == "urgent"


def test_queue_runs_a_fixed_number_of_queries(operator, team):
    queued_mentions(3, team=team)
    with CaptureQueriesContext(connection) as few:
        operator.get("/api/v1/queue/")
    queued_mentions(30, team=team)

    with CaptureQueriesContext(connection) as many:
        operator.get("/api/v1/queue/")

    assert len(many) == len(few) == 2 + 3  # token+user, roles; the page


def test_claim_next_returns_the_claimed_mention_and_204_when_empty(operator, team):
    (mention,) = queued_mentions(1, team=team)

    first = operator.post("/api/v1/queue/claim-next/")
    second = operator.post("/api/v1/queue/claim-next/")

    assert first.status_code == 200
    assert first.json()["id"] == mention.pk
    assert first.json()["status"] == "claimed"
    assert first.json()["claimed_by"] == "olga"
    assert first.json()["lease_expires_at"] is not None
    assert second.status_code == 204


def test_claim_someone_elses_mention_is_a_409(operator, other_operator, team):
    (mention,) = queued_mentions(1, team=team)
    other_operator.post(f"/api/v1/mentions/{mention.pk}/claim/")

    response = operator.post(f"/api/v1/mentions/{mention.pk}/claim/")

    assert response.status_code == 409
    assert response.json()["code"] == "claimed_by_other"
    assert "petr holds this mention" in response.json()["detail"]


def test_claim_release_close_cycle(operator, team):
    (mention,) = queued_mentions(1, team=team)

    assert operator.post(f"/api/v1/mentions/{mention.pk}/claim/").json()["status"] == "claimed"
    assert operator.post(f"/api/v1/mentions/{mention.pk}/release/").json()["status"] == "queued"
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")
    closed = operator.post(f"/api/v1/mentions/{mention.pk}/close/", {"resolution": "duplicate"})

    assert closed.json()["status"] == "closed"
    assert closed.json()["resolution"] == "duplicate"


def test_close_without_a_valid_resolution_is_a_400_naming_it(operator, team):
    (mention,) = queued_mentions(1, team=team)

    response = operator.post(f"/api/v1/mentions/{mention.pk}/close/", {"resolution": "bored"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["resolution"]


def test_illegal_move_is_a_409_that_says_why(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")  # an operator closes what they hold
    operator.post(f"/api/v1/mentions/{mention.pk}/close/", {"resolution": "spam"})

    response = operator.post(f"/api/v1/mentions/{mention.pk}/claim/")

    assert response.status_code == 409
    assert response.json() == {
        "code": "illegal_transition",
        "detail": "A closed mention cannot become claimed; from closed it can become: queued.",
    }


def test_late_answer_after_the_lease_expired_is_refused_clearly(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")
    Mention.objects.filter(pk=mention.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=5)
    )

    response = operator.post(f"/api/v1/mentions/{mention.pk}/answered/")

    assert response.status_code == 409
    assert response.json()["code"] == "lease_expired"
    assert "claim it again" in response.json()["detail"]


def test_answered_by_the_holder(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")

    response = operator.post(f"/api/v1/mentions/{mention.pk}/answered/")

    assert response.json()["status"] == "answered"


def test_unknown_mention_actions_are_404(operator):
    assert operator.post("/api/v1/mentions/424242/claim/").status_code == 404
    assert operator.post("/api/v1/mentions/abc/claim/").status_code == 404


def test_patch_corrects_category_and_sentiment_and_stores_labels(operator, team):
    (mention,) = queued_mentions(1, team=team)

    response = operator.patch(
        f"/api/v1/mentions/{mention.pk}/",
        {"category": "noise", "sentiment": "negative"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["category"], body["category_method"]) == ("noise", "operator")
    assert (body["sentiment"], body["sentiment_method"]) == ("negative", "operator")
    assert body["status"] == "processed"  # noise needs no response: out of the queue
    labels = Correction.objects.filter(mention=mention).order_by("field")
    assert [(c.field, c.new_value, c.created_by.username) for c in labels] == [
        ("category", "noise", "olga"),
        ("sentiment", "negative", "olga"),
    ]


def test_patch_into_a_category_that_needs_a_response_queues_it(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.patch(f"/api/v1/mentions/{mention.pk}/", {"category": "noise"}, format="json")

    response = operator.patch(
        f"/api/v1/mentions/{mention.pk}/", {"category": "negative"}, format="json"
    )

    body = response.json()
    assert (body["status"], body["team"], body["needs_response"]) == ("queued", "support", True)
    assert body["sla_due_at"] is not None


def test_patch_priority_pins_it(operator, team):
    (mention,) = queued_mentions(1, team=team)

    response = operator.patch(
        f"/api/v1/mentions/{mention.pk}/", {"priority": "urgent"}, format="json"
    )
    operator.patch(f"/api/v1/mentions/{mention.pk}/", {"category": "support"}, format="json")

    assert response.json()["priority"] == "urgent"
    assert Mention.objects.get(pk=mention.pk).priority == "urgent"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "nonsense"}, "category"),
        ({"sentiment": "angry"}, "sentiment"),
        ({"priority": "asap"}, "priority"),
        ({}, "non_field_errors"),
    ],
)
def test_patch_bad_input_is_a_400_naming_the_field(operator, team, body, field):
    (mention,) = queued_mentions(1, team=team)

    response = operator.patch(f"/api/v1/mentions/{mention.pk}/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_mentions_list_filters_by_category_sentiment_priority_team_and_holder(operator, team):
    first, second = queued_mentions(2, team=team, priorities=[Priority.HIGH, Priority.LOW])
    operator.patch(
        f"/api/v1/mentions/{first.pk}/",
        {"category": "product_request", "sentiment": "negative"},
        format="json",
    )
    operator.post(f"/api/v1/mentions/{first.pk}/claim/")

    def ids(query):
        return [m["id"] for m in operator.get(f"/api/v1/mentions/?{query}").json()["results"]]

    assert ids("category=product_request") == [first.pk]
    assert ids("sentiment=negative") == [first.pk]
    assert ids("priority=low") == [second.pk]
    assert sorted(ids("team=support")) == sorted([first.pk, second.pk])
    assert ids("claimed_by=olga") == [first.pk]


def test_manager_configures_categories_teams_and_rules(manager_client):
    response = manager_client.patch(
        "/api/v1/categories/negative/", {"sla_minutes": 30, "needs_approval": True}, format="json"
    )
    assert response.status_code == 200
    assert Category.objects.get(key="negative").sla_minutes == 30

    team = manager_client.post(
        "/api/v1/teams/",
        {"key": "vip", "name": "VIP", "members": [manager_client.user.username]},
        format="json",
    )
    assert team.status_code == 201
    assert team.json()["members"] == [manager_client.user.username]

    rule = manager_client.post(
        "/api/v1/routing-rules/",
        {"category": "negative", "platform": "twitter", "team": "vip"},
        format="json",
    )
    assert rule.status_code == 201

    phrases = manager_client.post(
        "/api/v1/classification-rules/", {"category": "noise", "phrases": ["казино"]}, format="json"
    )
    assert phrases.status_code == 201


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/teams/", {"key": "bad key", "name": "X"}, "key"),
        ("/api/v1/routing-rules/", {"team": "nope"}, "team"),
        ("/api/v1/routing-rules/", {"team": "support", "platform": "myspace"}, "platform"),
        ("/api/v1/classification-rules/", {"category": "noise", "phrases": []}, "phrases"),
        ("/api/v1/categories/", {"key": "x", "name_ru": "x"}, "name_en"),
    ],
)
def test_configuration_bad_input_is_a_400_naming_the_field(manager_client, url, body, field):
    response = manager_client.post(url, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_category_in_use_cannot_be_deleted(manager_client, operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.patch(f"/api/v1/mentions/{mention.pk}/", {"category": "support"}, format="json")

    response = manager_client.delete("/api/v1/categories/support/")

    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
