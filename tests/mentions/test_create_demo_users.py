import pytest
from django.core.management import call_command

from mentions.models import Team

pytestmark = pytest.mark.django_db


def test_demo_users_have_tokens_and_the_operator_works_the_support_queue(capsys):
    call_command("create_demo_users")

    lines = capsys.readouterr().out.strip().splitlines()[1:]
    assert [line.split()[:2] for line in lines] == [
        ["operator", "demo-operator"],
        ["expert", "demo-expert"],
        ["manager", "demo-manager"],
        ["integration", "demo-integration"],
        ["editor", "demo-editor"],
    ]
    assert all(line.split()[2].startswith("scrm_") for line in lines)
    members = set(Team.objects.get(key="support").members.values_list("username", flat=True))
    assert members == {"demo-operator", "demo-manager"}
