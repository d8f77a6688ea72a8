"""The README says what the code does: its examples run against the demo data, and its list of
stable error codes is the list of codes the code can raise (issue 15)."""

import ast
import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from scrm.api.errors import _STATUS_CODES
from scrm.roles import Role

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
APPS = (
    "scrm",
    "authors",
    "mentions",
    "knowledge_base",
    "responses",
    "analytics",
    "profiles",
    "profiles",
    "integrations",
    "demo",
)


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def _curl_commands() -> list[str]:
    commands = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            if line.strip().startswith("curl "):
                commands.append(line.split(" | ")[0].strip())
    return commands


def _parse_curl(command: str) -> tuple[str, str, dict, str | None]:
    words = shlex.split(command)[1:]
    method, headers, body, url = "GET", {}, None, None
    while words:
        word = words.pop(0)
        if word == "-X":
            method = words.pop(0)
        elif word == "-H":
            name, _, value = words.pop(0).partition(": ")
            headers[name] = value
        elif word in ("-d", "--data"):
            body = words.pop(0)
        elif word.startswith("http"):
            url = word
    parts = urlsplit(url)
    return method, parts.path + (f"?{parts.query}" if parts.query else ""), headers, body


def test_the_readme_has_curl_examples():
    assert len(_curl_commands()) >= 4


@pytest.mark.django_db
def test_every_readme_example_runs_against_the_demo_data(make_client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = make_client(Role.INTEGRATION)

    for command in _curl_commands():
        method, path, headers, body = _parse_curl(command)
        assert headers.get("Authorization") == "Token $TOKEN", command
        response = client.generic(
            method, path, body or "", content_type=headers.get("Content-Type", "application/json")
        )
        assert response.status_code == 200, (command, response.content)
        assert response.json(), command

    single, bulk_answer, error = _mention_examples()
    created = client.post("/api/v1/mentions/", single, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["source"] == single["source"]
    assert client.post("/api/v1/mentions/", single, format="json").status_code == 200
    bulk = client.post("/api/v1/mentions/bulk/", {"mentions": [single]}, format="json").json()
    assert set(bulk) == set(bulk_answer)
    assert set(bulk["results"][0]) == set(bulk_answer["results"][0])
    bad = client.post("/api/v1/mentions/", {"external_id": "x"}, format="json").json()
    assert set(bad) == set(error)


def _mention_examples():
    documents = []
    for block in _blocks("json"):
        try:
            documents.append(json.loads(block))
        except json.JSONDecodeError:
            continue
    single = next(d for d in documents if "external_id" in d and "published_at" in d)
    bulk_answer = next(d for d in documents if "results" in d)
    error = next(d for d in documents if "code" in d)
    return single, bulk_answer, error


def _readme_codes() -> set[str]:
    paragraph = README.split("`code` is stable and machine-readable", 1)[1].split("`errors`")[0]
    return set(re.findall(r"`([a-z_]+)`", paragraph))


def _raised_codes() -> set[str]:
    """Every `code` an error can carry: ApplicationError subclasses' `code` and DRF exceptions'
    `default_code`, `code="..."` given where an error is raised, the handler's own codes."""
    codes = set(_STATUS_CODES.values()) | {"invalid", "server_error"}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    for statement in node.body:
                        if (
                            isinstance(statement, ast.Assign)
                            and any(
                                getattr(t, "id", None) in ("code", "default_code")
                                for t in statement.targets
                            )
                            and isinstance(statement.value, ast.Constant)
                        ):
                            codes.add(statement.value.value)
                elif isinstance(node, ast.Call):
                    if (
                        getattr(node.func, "id", None) == "error_body"
                        and node.args
                        and isinstance(node.args[0], ast.Constant)
                    ):
                        codes.add(node.args[0].value)  # answers written outside DRF
                    for keyword in node.keywords:
                        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                            codes.add(keyword.value.value)
    return codes


def test_the_readme_lists_every_error_code_the_code_can_raise_and_no_other():
    assert _readme_codes() == _raised_codes()


def test_the_readme_documents_every_broker_state_healthz_answers():
    source = (ROOT / "scrm" / "health.py").read_text()
    states = set(re.findall(r'return "([a-z]+)"', source))

    assert states == {"eager", "ok", "unavailable"}
    for state in states:
        assert f'"{state}"' in README.split("Health: `GET /healthz`")[1].split("\n\n")[0]
