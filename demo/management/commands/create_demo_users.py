from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from demo.services import demo_replies_answer
from mentions.models import Team
from mentions.services.configuration import config_object_save
from scrm.accounts import api_token_create, api_tokens_revoke_all, user_ensure
from scrm.roles import WORKERS, Role

SUPERUSER = "demo-admin"


class Command(BaseCommand):
    help = (
        "Create one demo user per role and a demo superuser `demo-admin` (password = username), "
        "put the operator and the manager in the support team, revoke the demo users' earlier "
        "tokens and print a fresh API token for each. For local demos only; never in production."
    )

    def handle(self, *args, **options):
        team = Team.objects.filter(key="support").first()
        lines = []
        revoked = 0
        users = {}
        for role in Role:
            username = f"demo-{role.value}"
            user = user_ensure(username=username, role=role, password=username)
            users[role] = user
            # Operators see the queues of their teams: the demo operator and manager work one.
            if team is not None and role in WORKERS:
                members = {*team.members.all(), user}
                config_object_save(instance=team, fields={}, m2m={"members": members})
            revoked += api_tokens_revoke_all(user=user)
            lines.append((role.value, username, api_token_create(user=user)))
        replies = demo_replies_answer(operator=users[Role.OPERATOR], manager=users[Role.MANAGER])
        superuser = _superuser_ensure()
        revoked += api_tokens_revoke_all(user=superuser)
        lines.append(("superuser", SUPERUSER, api_token_create(user=superuser)))
        self.stdout.write(
            "Demo users (admin password = username; API: Authorization: Token <key>):"
        )
        for role, username, token in lines:
            self.stdout.write(f"  {role:<12} {username:<18} {token}")
        if revoked:
            self.stdout.write(
                f"Revoked the {revoked} demo token(s) issued before: only the tokens above work."
            )
        if replies:
            self.stdout.write(f"Demo replies: {replies} (see Responses › Answer archive).")


def _superuser_ensure():
    """Every role, and the admin's users, groups and tokens screens (to set passwords)."""
    User = get_user_model()
    user = User.objects.filter(username=SUPERUSER).first()
    if user is None:
        user = User.objects.create_superuser(username=SUPERUSER, email="", password=SUPERUSER)
    return user
