from django.core.management.base import BaseCommand

from mentions.models import Team
from mentions.services.configuration import config_object_save
from scrm.accounts import api_token_create, user_ensure
from scrm.roles import WORKERS, Role


class Command(BaseCommand):
    help = (
        "Create one demo user per role (password = username), put the operator and the manager "
        "in the support team, and print a fresh API token for each. For local demos only; never "
        "run it in production."
    )

    def handle(self, *args, **options):
        team = Team.objects.filter(key="support").first()
        lines = []
        for role in Role:
            username = f"demo-{role.value}"
            user = user_ensure(username=username, role=role, password=username)
            # Operators see the queues of their teams: the demo operator and manager work one.
            if team is not None and role in WORKERS:
                members = {*team.members.all(), user}
                config_object_save(instance=team, fields={}, m2m={"members": members})
            lines.append((role.value, username, api_token_create(user=user)))
        self.stdout.write(
            "Demo users (admin password = username; API: Authorization: Token <key>):"
        )
        for role, username, token in lines:
            self.stdout.write(f"  {role:<12} {username:<18} {token}")
