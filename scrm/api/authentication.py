"""API authentication: per-user tokens stored hashed (django-rest-knox).

Clients send `Authorization: Token <key>`.
"""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox token authentication; only the SHA-512 digest of a token is stored.

    Knox, on every request, also loaded every other token of the caller to delete the expired
    ones: one query more per request and a model object per token the user holds (issue 14).
    Here a request looks at its own token only: an expired token is still refused and deleted
    when it is presented, and an expired token never authenticates whether deleted or not.
    """

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "scrm.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; create one with `manage.py create_api_token`.",
        }
