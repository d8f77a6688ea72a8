"""The push door's credentials in the OpenAPI document: the three ways a tool proves it knows
the source's secret (`mentions.api.push_auth`), any one of which is enough."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SourceSecretScheme(OpenApiAuthenticationExtension):
    target_class = "mentions.api.push_auth.SourceSecretAuthentication"
    name = ["basicAuth", "scrmSecret", "scrmSignature"]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "http",
                "scheme": "basic",
                "description": "Any user name, the source's secret as the password (YouScan: "
                "`https://scrm:SECRET@host/api/v1/sources/<key>/push/`).",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-Scrm-Secret",
                "description": "The source's secret, as shown when the source was created or "
                "its secret rotated.",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-Scrm-Signature",
                "description": "`sha256=<hex HMAC-SHA256 of the raw request body, keyed by the "
                "source's secret>`: the secret itself never travels.",
            },
        ]

    def get_security_requirement(self, auto_schema):
        return [{name: []} for name in self.name]
