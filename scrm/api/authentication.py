"""API authentication: per-user tokens stored hashed (django-rest-knox).

Clients send `Authorization: Token <key>`.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox token authentication; only the SHA-512 digest of a token is stored."""


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
