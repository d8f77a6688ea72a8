"""`/api/v1/webhooks/`: managers register endpoints, read the delivery log, redeliver, replay."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.services import webhooks
from scrm import outbox
from scrm.roles import Role
from tests.integrations.conftest import pump

pytestmark = pytest.mark.django_db

PUBLIC = "https://93.184.215.14/hooks/scrm"  # a literal public address: no lookup needed


@pytest.fixture
def manager(make_client):
    return make_client(Role.MANAGER)


def _merged(author_id):
    with transaction.atomic():
        return outbox.record("author.merged", {"author_id": author_id, "absorbed_author_id": 0})


def test_create_answers_the_secret_once(manager):
    response = manager.post(
        "/api/v1/webhooks/endpoints/",
        {"url": PUBLIC, "description": "CRM", "event_types": ["mention.created", "author.updated"]},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert body["url"] == PUBLIC
    assert body["event_types"] == ["mention.created", "author.updated"]
    assert body["active"] is True
    assert body["secret_rotation_ends_at"] is None
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == body["secret"]
    assert endpoint.created_by == manager.user
    shown = manager.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/").json()
    assert "secret" not in shown
    assert shown["description"] == "CRM"


def test_rotate_secret_answers_the_new_one_and_the_old_keeps_signing(manager):
    endpoint = webhooks.endpoint_create(url=PUBLIC)

    response = manager.post(f"/api/v1/webhooks/endpoints/{endpoint.pk}/rotate-secret/")

    assert response.status_code == 200
    body = response.json()
    endpoint.refresh_from_db()
    assert body["secret"] == endpoint.secret != endpoint.previous_secret
    assert body["secret_rotation_ends_at"] is not None
    assert webhooks.signing_secrets(endpoint) == [endpoint.secret, endpoint.previous_secret]


def test_patch_changes_what_is_given_and_can_disable(manager):
    endpoint = webhooks.endpoint_create(url=PUBLIC, description="old")

    response = manager.patch(
        f"/api/v1/webhooks/endpoints/{endpoint.pk}/",
        {"description": "new", "active": False},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["description"], body["active"], body["url"]) == ("new", False, PUBLIC)
    assert body["disabled_reason"] == "Disabled by a manager."


def test_delete_removes_the_endpoint(manager):
    endpoint = webhooks.endpoint_create(url=PUBLIC)

    assert manager.delete(f"/api/v1/webhooks/endpoints/{endpoint.pk}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "url", "This field is required."),
        ({"url": "ftp://93.184.215.14/"}, "url", "Use an http:// or https:// URL."),
        ({"url": "https://user:pw@93.184.215.14/"}, "url", "Credentials in the URL"),
        ({"url": "http://127.0.0.1:8000/hook"}, "url", "127.0.0.1 is a loopback address"),
        ({"url": "http://10.0.0.5/hook"}, "url", "10.0.0.5 is a private address"),
        ({"url": "http://169.254.169.254/latest"}, "url", "169.254.169.254 is a link-local"),
        ({"url": "http://[::ffff:127.0.0.1]/"}, "url", "loopback address (inside ::ffff:7f00:1)"),
        ({"url": "http://[::1]/"}, "url", "::1 is a loopback address"),
        ({"url": "http://0.0.0.0/"}, "url", "0.0.0.0 is a"),
        ({"url": "http://224.0.0.1/"}, "url", "224.0.0.1 is a multicast address"),
        ({"url": "http://100.64.0.1/"}, "url", "100.64.0.1 is not a public address"),
        ({"url": "http://localhost:8000/hook"}, "url", "localhost resolves to 127.0.0.1"),
        ({"url": "http://no-such-host.invalid/"}, "url", "does not resolve"),
        ({"url": PUBLIC, "event_types": ["mention.nope"]}, "event_types.0", "not a valid choice"),
        ({"url": PUBLIC, "event_types": "mention.created"}, "event_types", "Expected a list"),
        ({"url": PUBLIC, "description": "x" * 501}, "description", "no more than 500"),
        ({"url": PUBLIC, "active": "maybe"}, "active", "Must be a valid boolean."),
    ],
)
def test_bad_input_is_a_400_naming_the_field(manager, settings, body, field, message):
    settings.SCRM_WEBHOOK_ALLOWED_NETWORKS = []

    response = manager.post("/api/v1/webhooks/endpoints/", body, format="json")

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert list(errors) == [field] or field in errors
    assert any(message in m for m in errors[field]), errors


def test_https_is_required_when_the_setting_says_so(manager, settings):
    settings.SCRM_WEBHOOK_REQUIRE_HTTPS = True

    response = manager.post(
        "/api/v1/webhooks/endpoints/", {"url": "http://93.184.215.14/"}, format="json"
    )

    assert response.status_code == 400
    assert "https://" in response.json()["errors"]["url"][0]


def test_a_patch_to_a_refused_url_is_a_400(manager, settings):
    endpoint = webhooks.endpoint_create(url=PUBLIC)
    settings.SCRM_WEBHOOK_ALLOWED_NETWORKS = []

    response = manager.patch(
        f"/api/v1/webhooks/endpoints/{endpoint.pk}/", {"url": "http://192.168.1.1/"}, format="json"
    )

    assert response.status_code == 400
    assert "192.168.1.1 is a private address" in response.json()["errors"]["url"][0]


def test_an_unknown_endpoint_is_a_404(manager):
    assert manager.get("/api/v1/webhooks/endpoints/999/").status_code == 404
    assert manager.get("/api/v1/webhooks/endpoints/abc/").status_code == 404
    assert manager.post("/api/v1/webhooks/deliveries/999/redeliver/").status_code == 404


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.EXPERT, Role.EDITOR, Role.INTEGRATION])
def test_other_roles_are_refused(make_client, role):
    endpoint = webhooks.endpoint_create(url=PUBLIC)
    client = make_client(role)

    for method, url in [
        ("get", "/api/v1/webhooks/endpoints/"),
        ("post", "/api/v1/webhooks/endpoints/"),
        ("get", f"/api/v1/webhooks/endpoints/{endpoint.pk}/"),
        ("post", f"/api/v1/webhooks/endpoints/{endpoint.pk}/rotate-secret/"),
        ("get", f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries/"),
    ]:
        response = getattr(client, method)(url, {"url": PUBLIC}, format="json")
        assert response.status_code == 403, (role, method, url)
    endpoint.refresh_from_db()


def test_the_endpoint_list_takes_a_fixed_number_of_queries(manager, django_assert_num_queries):
    for i in range(5):
        webhooks.endpoint_create(url=f"{PUBLIC}/{i}")

    # the token (with its user), the user's groups, the page
    with django_assert_num_queries(3):
        response = manager.get("/api/v1/webhooks/endpoints/")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 5


def test_the_delivery_log_shows_every_attempt_and_takes_a_fixed_number_of_queries(
    manager, receiver, django_assert_num_queries
):
    r = receiver(lambda n: (500, 0, b"try later") if n < 2 else (200, 0, b"thanks"))
    endpoint = webhooks.endpoint_create(url=r.url, event_types=["author.merged"])
    ids = [_merged(i) for i in range(4)]
    pump(rounds=2)

    # the token (with its user), the user's groups, the endpoint, the page, its attempts
    with django_assert_num_queries(5):
        response = manager.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert sorted(d["webhook_id"] for d in results) == sorted(str(i) for i in ids)
    assert {d["status"] for d in results} == {"delivered"}
    retried = [d for d in results if d["attempts"] == 2]
    assert retried
    log = retried[0]["attempt_log"]
    assert [a["status_code"] for a in log] == [500, 200]
    assert [a["response_body"] for a in log] == ["try later", "thanks"]
    assert log[0]["success"] is False and log[1]["success"] is True
    assert all(a["duration_ms"] >= 0 for a in log)
    assert retried[0]["next_attempt_at"] is None

    failed_only = manager.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries/?status=failed")
    assert failed_only.json()["results"] == []
    bad = manager.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries/?status=lost")
    assert bad.status_code == 400
    assert "status" in bad.json()["errors"]


def test_redeliver_makes_a_delivery_pending_again(manager, receiver):
    r = receiver()
    endpoint = webhooks.endpoint_create(url=r.url, event_types=["author.merged"])
    _merged(1)
    pump()
    delivery = WebhookDelivery.objects.get()

    response = manager.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver/")

    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert response.json()["attempts"] == 0
    assert len(response.json()["attempt_log"]) == 1
    webhooks.endpoint_update(endpoint_id=endpoint.pk, active=False)
    refused = manager.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "webhook_endpoint_disabled"


def test_replay_answers_how_many_deliveries_go_again(manager):
    endpoint = webhooks.endpoint_create(url=PUBLIC, event_types=["author.merged"])
    since = timezone.now() - timedelta(minutes=1)
    for i in range(3):
        _merged(i)
    with transaction.atomic():
        outbox.record("author.anonymized", {"author_id": 1})  # not a type it wants

    response = manager.post(
        f"/api/v1/webhooks/endpoints/{endpoint.pk}/replay/",
        {"since": since.isoformat()},
        format="json",
    )

    assert response.status_code == 202
    assert response.json() == {"deliveries": 3}
    assert WebhookDelivery.objects.filter(endpoint=endpoint, status="pending").count() == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2999-01-01T00:00:00Z"}, "since"),
    ],
)
def test_replay_bad_input_is_a_400_naming_the_field(manager, body, field):
    endpoint = webhooks.endpoint_create(url=PUBLIC)

    response = manager.post(
        f"/api/v1/webhooks/endpoints/{endpoint.pk}/replay/", body, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_openapi_document_describes_every_event_as_a_webhook(manager):
    from scrm.event_types import EVENT_TYPES

    schema = manager.get("/api/schema/?format=json").json()

    assert schema["openapi"].startswith("3.1")
    assert list(schema["webhooks"]) == list(EVENT_TYPES)
    claimed = schema["webhooks"]["mention.claimed"]["post"]
    assert [p["name"] for p in claimed["parameters"]] == [
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    ]
    ref = claimed["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert body["properties"]["type"] == {"type": "string", "const": "mention.claimed"}
    data = body["properties"]["data"]
    assert set(data["properties"]) == {"mention_id", "claimed_by", "mention"}
    assert data["properties"]["mention"]["oneOf"][0] == {"$ref": "#/components/schemas/Mention"}
    corrected = schema["components"]["schemas"]["WebhookMentionCorrectedEvent"]
    changes = corrected["properties"]["data"]["properties"]["changes"]
    assert changes["items"] == {"$ref": "#/components/schemas/WebhookFieldChange"}
    assert "WebhookFieldChange" in schema["components"]["schemas"]
    assert "WebhookEndpointDisabledEvent" in schema["components"]["schemas"]
