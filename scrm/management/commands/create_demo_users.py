from django.core.management.base import BaseCommand

from scrm.accounts import api_token_create, user_ensure
from scrm.roles import Role


class Command(BaseCommand):
    help = (
        "Create one demo user per role (password = username) and print a fresh API token for "
        "each. For local demos only; never run it in production."
    )

    def handle(self, *args, **options):
        lines = []
        for role in Role:
            username = f"demo-{role.value}"
            user = user_ensure(username=username, role=role, password=username)
            lines.append((role.value, username, api_token_create(user=user)))
        self.stdout.write(
            "Demo users (admin password = username; API: Authorization: Token <key>):"
        )
        for role, username, token in lines:
            self.stdout.write(f"  {role:<12} {username:<18} {token}")
