"""Every endpoint refuses anonymous callers (401) and roles it does not serve (403)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from integrations.models import WebhookDelivery
from integrations.services import webhooks
from knowledge_base import search
from mentions.classification.embeddings import HashingFallbackEmbedder
from mentions.models import Category, ClassificationRule, Mention, RoutingRule, Team
from mentions.services.configuration import config_object_save
from scrm import outbox
from scrm.roles import Role
from tests.factories import SourceFactory, TrackedSubjectFactory
from tests.knowledge_base.helpers import kb_world
from tests.mentions.helpers import mention_payload
from tests.mentions.states import process_as
from tests.responses.helpers import replies_world

pytestmark = pytest.mark.django_db

EVERY_ROLE = set(Role)  # the API root and one's own tokens
READ_ALL = {Role.OPERATOR, Role.EXPERT, Role.MANAGER, Role.INTEGRATION}
ANY_ROLE = set(Role)  # the API documentation serves every role
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
UNKNOWN_TOKEN = (404,)  # revoking a token that does not exist
UNKNOWN_USER = (400,)  # revoking the tokens of a user that does not exist
NOT_ASSIGNED = (409,)  # an expert request is answered by its assigned expert or team only
ACCEPTED = (202,)  # webhook replays and redeliveries are queued

# The knowledge base (issue 9).
KB_READ = {Role.OPERATOR, Role.EXPERT, Role.MANAGER, Role.EDITOR, Role.INTEGRATION}
KB_PROPOSE = {Role.OPERATOR, Role.EXPERT, Role.MANAGER, Role.EDITOR}
KB_EDIT = {Role.EDITOR, Role.MANAGER}
KB_SUGGEST = {Role.OPERATOR, Role.EXPERT, Role.MANAGER}
KB_REQUESTS = {Role.OPERATOR, Role.EXPERT, Role.MANAGER, Role.EDITOR}
KB_ANSWER = {Role.EXPERT, Role.MANAGER}

# The reports (issue 11).
REPORTS = {Role.MANAGER, Role.INTEGRATION}
# Replies (issue 10).
NOT_AUTHOR = (*OK, 403)  # an operator edits and submits only their own replies; managers any
SEND_UNCLAIMED = (409,)  # sending answers the mention: it needs the sender's live claim


def _endpoints():
    """(method, url, body, roles allowed[, answers for an allowed role])."""
    return [
        ("get", "/api/v1/", None, EVERY_ROLE),
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
        ("get", "/api/schema/?format=json", None, ANY_ROLE),
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
        ("put", "/api/v1/subjects/acme/", {"key": "acme", "name": "Acme", "kind": "brand"}, MANAGE),
        (
            "put",
            "/api/v1/sources/tool/",
            {"key": "tool", "name": "Tool", "kind": "generic"},
            MANAGE,
        ),
        ("get", "/api/v1/categories/", None, READ_ALL),
        ("get", "/api/v1/categories/negative/", None, READ_ALL),
        ("post", "/api/v1/categories/", {"key": "vip", "name_ru": "ВИП", "name_en": "VIP"}, MANAGE),
        ("patch", "/api/v1/categories/negative/", {"sla_minutes": 30}, MANAGE),
        (
            "put",
            "/api/v1/categories/own/",
            {"key": "own", "name_ru": "Своя", "name_en": "Own"},
            MANAGE,
        ),
        ("delete", "/api/v1/categories/own/", None, MANAGE),
        ("get", "/api/v1/teams/", None, READ_ALL),
        ("get", "/api/v1/teams/support/", None, READ_ALL),
        ("post", "/api/v1/teams/", {"key": "vip", "name": "VIP"}, MANAGE),
        ("patch", "/api/v1/teams/support/", {"name": "Support desk"}, MANAGE),
        ("put", "/api/v1/teams/night/", {"key": "night", "name": "Night shift"}, MANAGE),
        ("delete", "/api/v1/teams/night/", None, MANAGE),
        ("get", "/api/v1/routing-rules/", None, READ_ALL),
        ("get", "/api/v1/routing-rules/{routing_rule}/", None, READ_ALL),
        ("post", "/api/v1/routing-rules/", {"team": "support", "platform": "vk"}, MANAGE),
        ("patch", "/api/v1/routing-rules/{routing_rule}/", {"platform": "telegram"}, MANAGE),
        (
            "put",
            "/api/v1/routing-rules/{routing_rule}/",
            {"team": "support", "platform": "vk"},
            MANAGE,
        ),
        ("delete", "/api/v1/routing-rules/{routing_rule}/", None, MANAGE),
        ("get", "/api/v1/classification-rules/", None, READ_ALL),
        ("get", "/api/v1/classification-rules/{rule}/", None, READ_ALL),
        (
            "post",
            "/api/v1/classification-rules/",
            {"category": "noise", "phrases": ["казино"]},
            MANAGE,
        ),
        ("patch", "/api/v1/classification-rules/{rule}/", {"phrases": ["лото"]}, MANAGE),
        (
            "put",
            "/api/v1/classification-rules/{rule}/",
            {"category": "noise", "phrases": ["лото"]},
            MANAGE,
        ),
        ("delete", "/api/v1/classification-rules/{rule}/", None, MANAGE),
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
        ("get", "/api/v1/tokens/", None, EVERY_ROLE),
        ("delete", "/api/v1/tokens/scrm_unknown00/", None, EVERY_ROLE, UNKNOWN_TOKEN),
        ("post", "/api/v1/tokens/revoke/", {"user": "nobody"}, EVERY_ROLE, UNKNOWN_USER),
        ("get", "/api/v1/kb/articles/", None, KB_READ),
        ("get", "/api/v1/kb/articles/?q=роуминг&status=published", None, KB_READ),
        ("get", "/api/v1/kb/articles/{article}/", None, KB_READ),
        ("post", "/api/v1/kb/articles/", "article", KB_PROPOSE),
        ("patch", "/api/v1/kb/articles/{article}/", {"answer": "Новый ответ."}, KB_EDIT),
        ("post", "/api/v1/kb/articles/{article}/publish/", None, KB_EDIT),
        ("post", "/api/v1/kb/articles/{article}/archive/", None, KB_EDIT),
        ("get", "/api/v1/kb/articles/review/?owner=me", None, KB_EDIT),
        ("get", "/api/v1/kb/articles/{article}/versions/", None, KB_READ),
        ("get", "/api/v1/kb/articles/{article}/versions/1/", None, KB_READ),
        ("get", "/api/v1/mentions/{mention}/suggestions/", None, KB_SUGGEST),
        (
            "post",
            "/api/v1/mentions/{mention}/suggestions/{article}/feedback/",
            {"helpful": True},
            WORK,
        ),
        (
            "post",
            "/api/v1/mentions/{mention}/escalate/",
            {"question": "Можно ли перенести номер на юрлицо?", "team": "experts"},
            WORK,
        ),
        ("get", "/api/v1/kb/expert-requests/", None, KB_REQUESTS),
        ("get", "/api/v1/kb/expert-requests/?assigned=me&overdue=true", None, KB_REQUESTS),
        ("get", "/api/v1/kb/expert-requests/{open_request}/", None, KB_REQUESTS),
        (
            "post",
            "/api/v1/kb/expert-requests/{open_request}/answer/",
            {"answer": "Да, в любом салоне."},
            KB_ANSWER,
            NOT_ASSIGNED,
        ),
        ("post", "/api/v1/kb/expert-requests/{answered_request}/approve/", None, KB_EDIT),
        # What a CRM pulls, and outgoing webhooks (issue 12, webhooks for managers only).
        ("get", "/api/v1/crm/mentions/changes/?since=2026-01-01T00:00:00Z", None, READ_ALL),
        ("get", "/api/v1/webhooks/endpoints/", None, MANAGE),
        ("post", "/api/v1/webhooks/endpoints/", {"url": "https://93.184.215.14/hook"}, MANAGE),
        ("get", "/api/v1/webhooks/endpoints/{webhook_endpoint}/", None, MANAGE),
        (
            "patch",
            "/api/v1/webhooks/endpoints/{webhook_endpoint}/",
            {"description": "CRM"},
            MANAGE,
        ),
        ("delete", "/api/v1/webhooks/endpoints/{spare_webhook_endpoint}/", None, MANAGE),
        ("post", "/api/v1/webhooks/endpoints/{webhook_endpoint}/rotate-secret/", None, MANAGE),
        ("get", "/api/v1/webhooks/endpoints/{webhook_endpoint}/deliveries/", None, MANAGE),
        (
            "post",
            "/api/v1/webhooks/endpoints/{webhook_endpoint}/replay/",
            {"since": "2026-01-01T00:00:00Z"},
            MANAGE,
            ACCEPTED,
        ),
        (
            "post",
            "/api/v1/webhooks/deliveries/{webhook_delivery}/redeliver/",
            None,
            MANAGE,
            ACCEPTED,
        ),
        (
            "post",
            "/api/v1/kb/expert-requests/{answered_request}/reject/",
            {"comment": "Уточните сроки."},
            KB_EDIT,
        ),
        ("get", "/api/v1/reports/", None, REPORTS),
        ("get", "/api/v1/reports/share-of-voice/", None, REPORTS),
        ("get", "/api/v1/reports/share-of-voice/?weight=engagement&format=csv", None, REPORTS),
        ("get", "/api/v1/reports/sentiment/", None, REPORTS),
        ("get", "/api/v1/reports/engagement/?interval=week", None, REPORTS),
        ("get", "/api/v1/reports/consumer-cycle/", None, REPORTS),
        ("get", "/api/v1/reports/support/?format=xlsx", None, REPORTS),
        ("get", "/api/v1/reports/advocates/?interval=month", None, REPORTS),
        ("get", "/api/v1/responses/", None, WORK),
        ("get", "/api/v1/responses/?mention={mention}&status=draft", None, WORK),
        ("get", "/api/v1/responses/{draft_reply}/", None, WORK),
        ("post", "/api/v1/responses/", {"mention": "{mention}", "body": "Разберёмся."}, WORK),
        ("post", "/api/v1/responses/preview/", {"mention": "{mention}", "body": "Ок."}, WORK),
        ("patch", "/api/v1/responses/{draft_reply}/", {"body": "Уже чиним."}, WORK, NOT_AUTHOR),
        ("post", "/api/v1/responses/{draft_reply}/submit/", None, WORK, NOT_AUTHOR),
        ("post", "/api/v1/responses/{pending_reply}/approve/", None, MANAGE),
        ("post", "/api/v1/responses/{pending_reply}/reject/", {"reason": "Мягче."}, MANAGE),
        (
            "post",
            "/api/v1/responses/{approved_reply}/mark-sent/",
            {"external_url": "https://vk.com/wall-1_1"},
            WORK,
            SEND_UNCLAIMED,
        ),
        ("post", "/api/v1/responses/{approved_reply}/send/", None, WORK, SEND_UNCLAIMED),
        ("get", "/api/v1/responses/archive/", None, MANAGE),
        ("get", "/api/v1/responses/archive/?format=csv", None, MANAGE),
        ("get", "/api/v1/templates/", None, WORK),
        ("get", "/api/v1/templates/sorry/", None, WORK),
        ("post", "/api/v1/templates/", {"key": "new", "name": "N", "body": "Ок."}, MANAGE),
        ("patch", "/api/v1/templates/sorry/", {"active": False}, MANAGE),
        ("get", "/api/v1/policy/", None, WORK),
        ("put", "/api/v1/policy/", {"forbidden_phrases": ["гарантия"]}, MANAGE),
        ("get", "/api/v1/policy/versions/", None, WORK),
    ]


@pytest.fixture
def world(integration_client, monkeypatch):
    # Access, not search quality, is tested here: a small stateless embedder keeps it fast.
    monkeypatch.setattr(search, "_embedder", HashingFallbackEmbedder(dim=256))
    TrackedSubjectFactory(key="acme", name="Acme")
    SourceFactory(key="tool")
    response = integration_client.post("/api/v1/mentions/", mention_payload(), format="json")
    # A company category with no default team, and no default team configured: processing
    # queues the mention with no team, so that any operator may claim it.
    unrouted = {"key": "unrouted", "name_ru": "Без команды", "name_en": "Unrouted"}
    config_object_save(instance=Category(), fields=unrouted)
    with override_settings(SCRM_DEFAULT_TEAM_KEY="no-such-team"):
        process_as([response.data["id"]], category="unrouted")
    assert Mention.objects.get(pk=response.data["id"]).status == Mention.Status.QUEUED
    author = Mention.objects.get(pk=response.data["id"]).author_id
    support = Team.objects.get(key="support")
    config_object_save(instance=Category(), fields={"key": "own", "name_ru": "С", "name_en": "O"})
    config_object_save(instance=Team(), fields={"key": "night", "name": "Night"})
    routing_rule = config_object_save(instance=RoutingRule(), fields={"team": support})
    rule = config_object_save(
        instance=ClassificationRule(),
        fields={"category": Category.objects.get(key="noise"), "phrases": ["казино"]},
    )
    endpoint = webhooks.endpoint_create(url="https://93.184.215.14/hook")
    spare = webhooks.endpoint_create(url="https://93.184.215.14/spare")
    with transaction.atomic():
        event_id = outbox.record("author.merged", {"author_id": author, "absorbed_author_id": 0})
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=event_id,
        event_type="author.merged",
        ordering_key=f"author:{author}",
        event_created_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    return {
        "webhook_endpoint": endpoint.pk,
        "spare_webhook_endpoint": spare.pk,
        "webhook_delivery": delivery.pk,
        "mention": response.data["id"],
        "author": author,
        "routing_rule": routing_rule.pk,
        "rule": rule.pk,
        **kb_world(response.data["id"]),
        **replies_world(response.data["id"]),
    }


def _body(kind, world=None):
    if isinstance(kind, dict) and world is not None:
        return {k: (world[v[1:-1]] if v in ("{mention}",) else v) for k, v in kind.items()}
    if kind == "article":
        return {"question": "Как включить роуминг?", "answer": "В приложении.", "tags": ["x"]}
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
    response = getattr(APIClient(), method)(url.format(**world), _body(body, world), format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "url", "body", "roles"), [c[:4] for c in CASES[:: len(Role)]])
def test_users_without_a_role_get_403(world, norole_client, method, url, body, roles):
    response = getattr(norole_client, method)(
        url.format(**world), _body(body, world), format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(("method", "url", "body", "roles", "role", "answers"), CASES)
def test_each_role_is_allowed_or_refused(
    world, make_client, method, url, body, roles, role, answers
):
    client = make_client(role)

    response = getattr(client, method)(url.format(**world), _body(body, world), format="json")

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


# Routes a user token never calls, with the reason; every other API route is in the matrix.
NOT_IN_MATRIX = {
    ("source-push", "post"): "a monitoring tool authenticates with the source's secret",
}


def _api_routes():
    """Every (route name, HTTP method) the API serves under /api/v1/."""
    from django.urls import URLPattern, URLResolver, get_resolver

    routes = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and prefix.startswith("api/v1/"):
                callback = pattern.callback
                actions = getattr(callback, "actions", None)
                if actions:
                    methods = set(actions) - {"options", "head"}
                else:
                    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
                    methods = {
                        m
                        for m in getattr(view, "http_method_names", ())
                        if m not in ("options", "head") and hasattr(view, m)
                    }
                routes.update((pattern.name, method) for method in methods)

    walk(get_resolver().url_patterns, "")
    return routes


class _AnyId(dict):
    def __missing__(self, key):
        return 1


def test_every_api_route_is_in_the_role_matrix():
    from django.urls import resolve

    covered = set()
    for method, url, *_ in _endpoints():
        path = url.split("?")[0].format_map(_AnyId())
        covered.add((resolve(path).url_name, method))

    missing = _api_routes() - covered - set(NOT_IN_MATRIX)

    assert sorted(missing) == []
