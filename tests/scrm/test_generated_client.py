"""An integrator's view: a Python client generated from `/api/schema/` by openapi-python-client
drives the main calls against the demo data on a live server (issue 15).

The client is generated offline, from the schema file, into the test's temporary directory.
"""

import importlib
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from scrm.roles import Role

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PACKAGE = "scrm_generated_client"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """The generated package, imported."""
    root = tmp_path_factory.mktemp("client")
    schema = root / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(schema))
    config = root / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run: nothing outside the venv
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(root / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def _client(api, live_server, make_client, role):
    from knox.models import AuthToken

    user = make_client(role).user
    _, token = AuthToken.objects.create(user=user, expiry=None)
    return api.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")


def _ok(response, status=200):
    assert response.status_code == status, response.content
    assert response.parsed is not None
    return response.parsed


def test_the_generated_client_covers_every_operation(api):
    for name in (
        "v1_mentions_create",
        "v1_mentions_bulk_create",
        "v1_mentions_list",
        "v1_mentions_retrieve",
        "v1_authors_list",
        "v1_authors_partial_update",
        "v1_queue_list",
        "v1_sources_push_create",
    ):
        assert hasattr(_module(f"api.v1.{name}"), "sync_detailed"), name


def test_an_integrator_drives_the_main_calls_through_the_generated_client(
    api, live_server, make_client
):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = _client(api, live_server, make_client, Role.INTEGRATION)
    models = _module("models")
    v1 = "api.v1."

    # Ingest one.
    one = {
        "external_id": "client-1",
        "platform": "vk",
        "text": "Подскажите, а в Ладоге есть тариф без абонентки?",
        "published_at": "2026-03-14T09:41:07+05:00",
        "author": {"external_id": "555", "handle": "client.user", "name": "Client User"},
    }
    created = _ok(
        _module(v1 + "v1_mentions_create").sync_detailed(
            client=client, body=models.MentionInRequest.from_dict(one)
        ),
        201,
    )
    assert created.external_id == "client-1"
    assert created.url is None

    # A bulk: one new, one known, one bad.
    bulk = models.BulkMentionsInRequest.from_dict(
        {
            "mentions": [
                {**one, "external_id": "client-2"},
                one,
                {"external_id": "client-3", "published_at": "2026-03-14T09:41:07+05:00"},
            ]
        }
    )
    answer = _ok(_module(v1 + "v1_mentions_bulk_create").sync_detailed(client=client, body=bulk))
    assert [r.status.value for r in answer.results] == ["created", "duplicate", "created"]

    # List with filters: the README's example, then every demo mention, page by page.
    listing = _module(v1 + "v1_mentions_list")
    twitter = _module("models.v1_mentions_list_platform_item").V1MentionsListPlatformItem.TWITTER
    page = _ok(listing.sync_detailed(client=client, subject="priboy", platform=[twitter]))
    assert page.results
    assert all("priboy" in m.subjects and m.platform.value == "twitter" for m in page.results)
    seen = 0
    cursor = api.types.UNSET
    while True:
        page = _ok(listing.sync_detailed(client=client, page_size=100, cursor=cursor))
        seen += len(page.results)
        if not page.next_:
            break
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    assert seen == 363

    # Detail.
    detail = _ok(_module(v1 + "v1_mentions_retrieve").sync_detailed(id=created.id, client=client))
    assert detail.raw["external_id"] == "client-1"
    author_id = detail.author.id

    # Link the author to a CRM contact, then find them by it.
    patch = models.PatchedAuthorUpdateRequest.from_dict({"crm_external_id": "CRM-42"})
    _ok(
        _module(v1 + "v1_authors_partial_update").sync_detailed(
            id=author_id, client=client, body=patch
        )
    )
    authors = _ok(
        _module(v1 + "v1_authors_list").sync_detailed(client=client, crm_external_id="CRM-42")
    )
    assert [a.id for a in authors.results] == [author_id]

    # The operators' queue, as a manager sees it (every team's).
    manager = _client(api, live_server, make_client, Role.MANAGER)
    queue = _ok(_module(v1 + "v1_queue_list").sync_detailed(client=manager, page_size=500))
    assert all(m.status.value == "queued" for m in queue.results)
