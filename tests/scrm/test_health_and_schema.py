import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_healthz_is_degraded_when_the_broker_is_unreachable(client, settings):
    from scrm.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unavailable"}


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (a real Redis)")
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_healthz_reports_a_reachable_broker(client):
    from scrm.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = settings.REDIS_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original

    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_schema_is_served_to_api_users(operator_client):
    response = operator_client.get("/api/schema/?format=json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/mentions/bulk/" in paths
    assert "/api/v1/sources/{key}/push/" in paths


def test_docs_page_is_served(operator_client):
    assert operator_client.get("/api/docs/").status_code == 200


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))


# Commands whose whole meaning is in the URL: they take no body.
BODYLESS_ACTIONS = (
    "rotate-secret/",
    "/claim/",
    "/release/",
    "/answered/",
    "/claim-next/",
    "/publish/",
    "/archive/",
    "/redeliver/",
    "/submit/",
    "/approve/",
    "/send/",
)


def test_every_operation_documents_its_responses(operator_client):
    paths = operator_client.get("/api/schema/?format=json").json()["paths"]

    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("responses"), f"{method.upper()} {path} has no response schema"
            if method in ("post", "put", "patch") and not path.endswith(BODYLESS_ACTIONS):
                assert "requestBody" in operation, f"{method.upper()} {path} has no request schema"


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="about the default in-memory broker")
def test_the_default_broker_names_its_host_so_kombu_does_not_warn(caplog):
    from kombu import Connection

    with caplog.at_level("WARNING", logger="kombu.connection"):
        Connection(settings.CELERY_BROKER_URL).clone()

    assert [r.getMessage() for r in caplog.records if r.name == "kombu.connection"] == []
