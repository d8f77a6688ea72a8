import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from mentions.models import Team

pytestmark = pytest.mark.django_db


def _tokens(out: str) -> dict[str, str]:
    lines = out.strip().splitlines()[1:]
    return {line.split()[1]: line.split()[2] for line in lines if line.startswith("  ")}


def _works(token: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/tokens/").status_code == 200  # every role may list its own


def test_demo_users_have_tokens_and_the_operator_works_the_support_queue(capsys):
    call_command("create_demo_users")

    lines = capsys.readouterr().out.strip().splitlines()[1:]
    assert [line.split()[:2] for line in lines] == [
        ["operator", "demo-operator"],
        ["expert", "demo-expert"],
        ["manager", "demo-manager"],
        ["integration", "demo-integration"],
        ["editor", "demo-editor"],
        ["superuser", "demo-admin"],
    ]
    assert all(line.split()[2].startswith("scrm_") for line in lines)
    members = set(Team.objects.get(key="support").members.values_list("username", flat=True))
    assert members == {"demo-operator", "demo-manager"}


def test_a_demo_superuser_can_log_into_the_admin(capsys, client):
    call_command("create_demo_users")
    capsys.readouterr()

    admin = get_user_model().objects.get(username="demo-admin")
    assert (admin.is_superuser, admin.is_staff) == (True, True)
    assert client.login(username="demo-admin", password="demo-admin")
    assert client.get("/admin/auth/user/").status_code == 200


def test_running_it_again_revokes_the_first_tokens_and_says_so(capsys):
    call_command("create_demo_users")
    first = _tokens(capsys.readouterr().out)

    call_command("create_demo_users")
    out = capsys.readouterr().out
    second = _tokens(out)

    assert out.strip().splitlines()[-1] == (
        "Revoked the 6 demo token(s) issued before: only the tokens above work."
    )
    assert [_works(t) for t in first.values()] == [False] * 6
    assert [_works(t) for t in second.values()] == [True] * 6


def test_the_first_run_revokes_nothing_and_says_nothing_of_it(capsys):
    call_command("create_demo_users")

    assert "Revoked" not in capsys.readouterr().out
