from django.core.management.base import BaseCommand, CommandError

from scrm.accounts import api_token_create, user_ensure
from scrm.roles import STAFF_ROLES, Role


class Command(BaseCommand):
    help = (
        "Create USERNAME if needed, give it --role, and print a new API token "
        "(alone on the last line). The token is stored hashed and cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])

    def handle(self, *args, username: str, role: str, **options):
        username = username.strip()
        if not username:
            raise CommandError("USERNAME must not be blank.")
        user = user_ensure(username=username, role=Role(role))
        token = api_token_create(user=user)
        if Role(role) in STAFF_ROLES and not user.has_usable_password():
            self.stdout.write(
                f"{user.username} may use the admin once it has a password: "
                f"python manage.py changepassword {user.username}"
            )
        self.stdout.write(
            f"New token for {user.username} (role {role}); send it as "
            "'Authorization: Token <key>'. It is shown only once:"
        )
        self.stdout.write(token)
