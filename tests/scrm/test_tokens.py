"""`/api/v1/tokens/` and the admin's token screen: who may see and revoke whose tokens."""

import pytest
from django.core.management import call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from scrm.roles import Role, ensure_role_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> set[str]:
    return {t["id"] for t in response.json()["results"]}


def _works(token: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/subjects/").status_code == 200


def _token(user) -> tuple[str, str]:
    """(id, token) of a new token for `user`."""
    _, token = AuthToken.objects.create(user=user, expiry=None)
    return token[:15], token


@pytest.fixture
def people():
    return {
        role: UserFactory(username=f"u-{role.value}", roles=[role.value])
        for role in (Role.OPERATOR, Role.EXPERT, Role.INTEGRATION, Role.MANAGER)
    } | {"other-manager": UserFactory(username="u-manager-2", roles=[Role.MANAGER.value])}


def test_the_list_shows_id_user_and_dates_but_never_the_token(operator_client):
    response = operator_client.get("/api/v1/tokens/")

    assert response.status_code == 200
    [token] = response.json()["results"]
    stored = AuthToken.objects.get(user=operator_client.user)
    assert token == {
        "id": stored.token_key,
        "user": operator_client.user.username,
        "created": stored.created.isoformat().replace("+00:00", "Z"),
        "expiry": None,
    }


def test_an_operator_sees_only_their_own_tokens(operator_client, people):
    _token(people[Role.EXPERT])

    response = operator_client.get("/api/v1/tokens/")

    assert {t["user"] for t in response.json()["results"]} == {operator_client.user.username}


def test_a_manager_sees_their_own_and_their_users_tokens_not_other_managers(manager_client, people):
    for user in people.values():
        _token(user)
    admin = UserFactory(username="root", is_superuser=True)
    _token(admin)

    response = manager_client.get("/api/v1/tokens/")

    assert {t["user"] for t in response.json()["results"]} == {
        manager_client.user.username,
        "u-operator",
        "u-expert",
        "u-integration",
    }


def test_the_list_filters_by_user(manager_client, people):
    token_id, _ = _token(people[Role.OPERATOR])
    _token(people[Role.EXPERT])

    response = manager_client.get("/api/v1/tokens/?user=u-operator")

    assert _ids(response) == {token_id}


def test_a_manager_revokes_an_operators_token(manager_client, people):
    token_id, token = _token(people[Role.OPERATOR])

    response = manager_client.delete(f"/api/v1/tokens/{token_id}/")

    assert response.status_code == 204
    assert not _works(token)


def test_a_user_revokes_their_own_token(make_client):
    client = make_client(Role.INTEGRATION)
    token_id = AuthToken.objects.get(user=client.user).token_key

    response = client.delete(f"/api/v1/tokens/{token_id}/")

    assert response.status_code == 204
    assert client.get("/api/v1/subjects/").status_code == 401


@pytest.mark.parametrize("caller", [Role.OPERATOR, Role.EXPERT, Role.INTEGRATION])
def test_others_tokens_are_not_found_for_non_managers(make_client, people, caller):
    client = make_client(caller)
    token_id, token = _token(people[Role.MANAGER])

    response = client.delete(f"/api/v1/tokens/{token_id}/")

    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "detail": "No token with this id that you may revoke.",
    }
    assert _works(token)


def test_a_manager_cannot_revoke_another_managers_token(manager_client, people):
    token_id, token = _token(people["other-manager"])

    response = manager_client.delete(f"/api/v1/tokens/{token_id}/")

    assert response.status_code == 404
    assert _works(token)


def test_a_superuser_revokes_anyones_token(make_client, people):
    client = make_client(is_superuser=True)
    token_id, token = _token(people[Role.MANAGER])

    assert client.delete(f"/api/v1/tokens/{token_id}/").status_code == 204
    assert not _works(token)


def test_a_manager_revokes_every_token_of_a_user(manager_client, people):
    tokens = [_token(people[Role.INTEGRATION])[1] for _ in range(3)]
    kept = _token(people[Role.OPERATOR])[1]

    response = manager_client.post(
        "/api/v1/tokens/revoke/", {"user": "u-integration"}, format="json"
    )

    assert (response.status_code, response.json()) == (200, {"revoked": 3})
    assert [_works(t) for t in tokens] == [False, False, False]
    assert _works(kept)


def test_revoking_for_a_user_out_of_reach_is_a_400_naming_the_field(operator_client, people):
    _, token = _token(people[Role.EXPERT])

    response = operator_client.post("/api/v1/tokens/revoke/", {"user": "u-expert"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "user": ["No user 'u-expert' whose tokens you may revoke."]
    }
    assert _works(token)


def test_revoking_for_no_user_is_a_400_naming_the_field(manager_client):
    response = manager_client.post("/api/v1/tokens/revoke/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"user": ["This field is required."]}


# --- The admin ---------------------------------------------------------------------------------


def _admin_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_manager_sees_the_token_list_in_the_admin_with_their_users_only(people):
    ensure_role_groups()  # the role groups with their admin permissions
    for user in people.values():
        _token(user)
    manager = people[Role.MANAGER]
    manager.is_staff = True
    manager.save()

    response = _admin_client(manager).get("/admin/knox/authtoken/")

    assert response.status_code == 200
    shown = {token.user.username for token in response.context["cl"].result_list}
    assert shown == {"u-manager", "u-operator", "u-expert", "u-integration"}


def test_a_manager_revokes_a_token_in_the_admin(people):
    ensure_role_groups()
    manager = people[Role.MANAGER]
    manager.is_staff = True
    manager.save()
    _, token = _token(people[Role.OPERATOR])
    digest = AuthToken.objects.get(user=people[Role.OPERATOR]).digest

    response = _admin_client(manager).post(
        "/admin/knox/authtoken/",
        {"action": "delete_selected", "_selected_action": [digest], "post": "yes"},
    )

    assert response.status_code == 302
    assert not _works(token)


def test_another_managers_token_is_not_reachable_in_the_admin(people):
    ensure_role_groups()
    manager = people[Role.MANAGER]
    manager.is_staff = True
    manager.save()
    _, token = _token(people["other-manager"])
    digest = AuthToken.objects.get(user=people["other-manager"]).digest

    _admin_client(manager).post(
        "/admin/knox/authtoken/",
        {"action": "delete_selected", "_selected_action": [digest], "post": "yes"},
    )

    assert _works(token)


def test_the_view_site_link_leads_to_the_api_docs(people):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)

    response = _admin_client(admin).get("/admin/")

    assert response.context["site_url"] == "/api/docs/"
    assert _admin_client(admin).get("/api/docs/").status_code == 200


def test_create_api_token_for_a_staff_role_says_how_to_set_a_password(capsys):
    call_command("create_api_token", "olga", "--role", "operator")

    assert (
        "olga may use the admin once it has a password: python manage.py changepassword olga"
        in capsys.readouterr().out
    )


def test_create_api_token_for_an_integration_mentions_no_password(capsys):
    call_command("create_api_token", "crm-bot", "--role", "integration")

    assert "changepassword" not in capsys.readouterr().out


def test_a_request_reads_its_own_token_only_however_many_the_user_holds(db):
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from knox.models import AuthToken

    from tests.conftest import client_for
    from tests.factories import UserFactory

    user = UserFactory(roles=["integration"])
    client = client_for(user)
    for _ in range(5):
        AuthToken.objects.create(user=user, expiry=timedelta(days=1))
    AuthToken.objects.filter(user=user, expiry__isnull=False).update(
        expiry=timezone.now() - timedelta(seconds=1)
    )

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/tokens/")

    assert response.status_code == 200
    token_reads = [q["sql"] for q in queries.captured_queries if "knox_authtoken" in q["sql"]]
    assert len(token_reads) == 2  # the presented token with its user; the list itself
    assert AuthToken.objects.filter(user=user).count() == 6  # others' expiry is not this call's


def test_an_expired_token_is_refused_and_deleted(db):
    from datetime import timedelta

    from django.utils import timezone
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    from tests.factories import UserFactory

    user = UserFactory(roles=["integration"])
    instance, token = AuthToken.objects.create(user=user, expiry=timedelta(days=1))
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get("/api/v1/mentions/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert not AuthToken.objects.filter(pk=instance.pk).exists()
