"""Every endpoint refuses anonymous callers (401) and roles it does not serve (403)."""

import pytest
from django.core.management import call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from mentions.models import Mention
from scrm.roles import Role
from tests.factories import SourceFactory, TrackedSubjectFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db

READ_ALL = {Role.OPERATOR, Role.EXPERT, Role.MANAGER, Role.INTEGRATION}
INGEST = {Role.OPERATOR, Role.MANAGER, Role.INTEGRATION}
MANAGE = {Role.MANAGER}
WORK = {Role.OPERATOR, Role.MANAGER}


OK = (200, 201, 204)
# For an allowed role, what the call answers in the test world: success, except for actions
# whose precondition the world does not meet on purpose (they must still not be refused).
NEEDS_OWN_CLAIM = (409,)  # release and answered need the caller's own claim
CLOSE_UNCLAIMED = (*OK, 409)  # a manager closes an unclaimed mention, an operator claims first
NOT_DONE = (409,)  # reopen needs an answered or closed mention
UNKNOWN_OTHER = (400,)  # merge names an author that does not exist


def _endpoints():
    """(method, url, body, roles allowed[, answers for an allowed role])."""
    return [
        ("get", "/api/v1/mentions/", None, READ_ALL),
        ("get", "/api/v1/mentions/{mention}/", None, READ_ALL),
        ("post", "/api/v1/mentions/", "mention", INGEST),
        ("post", "/api/v1/mentions/bulk/", "bulk", INGEST),
        ("get", "/api/v1/subjects/", None, READ_ALL),
        ("get", "/api/v1/subjects/acme/", None, READ_ALL),
        ("post", "/api/v1/subjects/", "subject", MANAGE),
        ("patch", "/api/v1/subjects/acme/", {"name": "Acme Corp"}, MANAGE),
        ("delete", "/api/v1/subjects/acme/", None, MANAGE),
        ("get", "/api/v1/sources/", None, READ_ALL),
        ("get", "/api/v1/sources/tool/", None, READ_ALL),
        ("post", "/api/v1/sources/", "source", MANAGE),
        ("patch", "/api/v1/sources/tool/", {"name": "Tool"}, MANAGE),
        ("post", "/api/v1/sources/tool/rotate-secret/", None, MANAGE),
        ("delete", "/api/v1/sources/tool/", None, MANAGE),
        ("get", "/api/schema/?format=json", None, READ_ALL),
        ("patch", "/api/v1/mentions/{mention}/", {"sentiment": "negative"}, WORK),
        ("post", "/api/v1/mentions/{mention}/claim/", None, WORK),
        ("post", "/api/v1/mentions/{mention}/release/", None, WORK, NEEDS_OWN_CLAIM),
        (
            "post",
            "/api/v1/mentions/{mention}/close/",
            {"resolution": "spam"},
            WORK,
            CLOSE_UNCLAIMED,
        ),
        ("post", "/api/v1/mentions/{mention}/reopen/", {"reason": "wrote again"}, WORK, NOT_DONE),
        ("post", "/api/v1/mentions/{mention}/answered/", None, WORK, NEEDS_OWN_CLAIM),
        ("get", "/api/v1/queue/", None, WORK),
        ("post", "/api/v1/queue/claim-next/", None, WORK),
        ("get", "/api/v1/categories/", None, READ_ALL),
        ("patch", "/api/v1/categories/negative/", {"sla_minutes": 30}, MANAGE),
        ("get", "/api/v1/teams/", None, READ_ALL),
        ("post", "/api/v1/teams/", {"key": "vip", "name": "VIP"}, MANAGE),
        ("get", "/api/v1/routing-rules/", None, READ_ALL),
        ("post", "/api/v1/routing-rules/", {"team": "support", "platform": "vk"}, MANAGE),
        ("get", "/api/v1/classification-rules/", None, READ_ALL),
        (
            "post",
            "/api/v1/classification-rules/",
            {"category": "noise", "phrases": ["казино"]},
            MANAGE,
        ),
        ("get", "/api/v1/authors/", None, READ_ALL),
        ("get", "/api/v1/authors/?q=user", None, READ_ALL),
        ("get", "/api/v1/authors/{author}/", None, READ_ALL),
        ("get", "/api/v1/authors/{author}/timeline/", None, READ_ALL),
        ("patch", "/api/v1/authors/{author}/", {"note": "Звонить после 18:00"}, WORK),
        ("patch", "/api/v1/authors/{author}/", {"labels": ["vip"]}, WORK),
        ("patch", "/api/v1/authors/{author}/", {"segment": "advocate"}, MANAGE),
        ("patch", "/api/v1/authors/{author}/", {"crm_external_id": "CRM-1"}, {Role.INTEGRATION}),
        ("post", "/api/v1/authors/{author}/merge/", {"other_id": 999999}, WORK, UNKNOWN_OTHER),
        ("post", "/api/v1/authors/{author}/anonymize/", {"confirm": True}, MANAGE),
    ]


@pytest.fixture
def world(integration_client):
    TrackedSubjectFactory(key="acme", name="Acme")
    SourceFactory(key="tool")
    response = integration_client.post("/api/v1/mentions/", mention_payload(), format="json")
    # In a queue with no team, so that any operator may claim it.
    Mention.objects.filter(pk=response.data["id"]).update(status=Mention.Status.QUEUED)
    author = Mention.objects.get(pk=response.data["id"]).author_id
    return {"mention": response.data["id"], "author": author}


def _body(kind):
    if kind == "mention":
        return mention_payload()
    if kind == "bulk":
        return {"mentions": [mention_payload()]}
    if kind == "subject":
        return {"key": "new-subject", "name": "New", "kind": "brand"}
    if kind == "source":
        return {"key": "new-source", "kind": "generic"}
    return kind


CASES = [
    (m, u, b, roles, role, answers)
    for m, u, b, roles, *rest in _endpoints()
    for answers in [rest[0] if rest else OK]
    for role in Role
]


@pytest.mark.parametrize(("method", "url", "body", "roles"), [c[:4] for c in CASES[:: len(Role)]])
def test_anonymous_callers_get_401(world, method, url, body, roles):
    response = getattr(APIClient(), method)(url.format(**world), _body(body), format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "url", "body", "roles"), [c[:4] for c in CASES[:: len(Role)]])
def test_users_without_a_role_get_403(world, norole_client, method, url, body, roles):
    response = getattr(norole_client, method)(url.format(**world), _body(body), format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(("method", "url", "body", "roles", "role", "answers"), CASES)
def test_each_role_is_allowed_or_refused(
    world, make_client, method, url, body, roles, role, answers
):
    client = make_client(role)

    response = getattr(client, method)(url.format(**world), _body(body), format="json")

    if role in roles:
        assert response.status_code in answers, response.content
    else:
        assert response.status_code == 403
        assert response.json() == {
            "code": "permission_denied",
            "detail": "Your role does not allow this action.",
        }


def test_superuser_holds_every_role(world, make_client):
    client = make_client(is_superuser=True)

    assert client.post("/api/v1/sources/", _body("source"), format="json").status_code == 201


def test_wrong_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token scrm_notarealtoken0000000000")

    response = client.get("/api/v1/mentions/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_inactive_user_token_is_refused(make_client):
    client = make_client(Role.OPERATOR)
    client.user.is_active = False
    client.user.save()

    assert client.get("/api/v1/mentions/").status_code == 401


def test_create_api_token_prints_a_working_token_alone_on_the_last_line(capsys):
    call_command("create_api_token", "crm-bot", "--role", "integration")

    token = capsys.readouterr().out.strip().splitlines()[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/mentions/").status_code == 200
    stored = AuthToken.objects.get(user__username="crm-bot")
    assert token not in (stored.digest, stored.token_key)  # only a digest is stored
    assert not stored.user.is_staff


def test_create_api_token_for_staff_roles_gives_admin_access(capsys):
    call_command("create_api_token", "olga", "--role", "operator")

    capsys.readouterr()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="olga")
    assert user.is_staff
    assert user.has_perm("mentions.view_mention")
    assert not user.has_perm("mentions.change_source")


def test_session_login_works_for_the_browsable_api(make_client):
    client = make_client(Role.MANAGER)
    session = APIClient()
    session.force_login(client.user)

    assert session.get("/api/v1/sources/").status_code == 200
