"""`GET /api/v1/`: the API root, a map of the collections (the browsable API's home page)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from scrm.roles import Role

# (name in the answer, URL name): every collection of /api/v1/, in the README's order.
ENDPOINTS = (
    ("mentions", "mention-list"),
    ("mentions_bulk", "mention-bulk"),
    ("queue", "queue-list"),
    ("queue_claim_next", "queue-claim-next"),
    ("authors", "author-list"),
    ("subjects", "subject-list"),
    ("sources", "source-list"),
    ("categories", "category-list"),
    ("teams", "team-list"),
    ("routing_rules", "routing-rule-list"),
    ("classification_rules", "classification-rule-list"),
    ("reports", "report-index"),
    ("responses", "response-list"),
    ("responses_archive", "response-archive"),
    ("templates", "template-list"),
    ("policy", "policy"),
    ("tokens", "token-list"),
    ("schema", "schema"),
    ("docs", "api-docs"),
)


class APIRootView(APIView):
    allowed_roles = {"get": frozenset(Role)}

    @extend_schema(
        summary="The API root: a link to every collection",
        responses={200: {"type": "object", "additionalProperties": {"type": "string"}}},
    )
    def get(self, request):
        return Response({name: reverse(url_name, request=request) for name, url_name in ENDPOINTS})
