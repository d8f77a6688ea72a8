"""The adversarial run, kept: schemathesis generates requests from the OpenAPI document and
sends them with each role's token; no answer may be a 5xx, and every answer must match the
document (issue 15). Bounded so that the suite stays fast: a few examples per operation and
role, positive data only (the hand-made bad input lives in the endpoints' own tests).
"""

import json
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from scrm.roles import Role
from scrm.wsgi import application
from tests.conftest import client_for
from tests.factories import SourceFactory, TrackedSubjectFactory, UserFactory
from tests.mentions.helpers import mention_payload

MAX_EXAMPLES = 4

_document = json.loads(
    OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
)
# Positive data, the fuzzing phase only (no coverage or stateful phase): a few cases per operation,
# NUL characters included (PostgreSQL cannot store them: every text field refuses them with a 400).
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {
            "mode": "positive",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "allow-x00": True,
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(_document, config=CONFIG)
schema.app = application
# The push door authenticates with a source's secret, not a user's token: its own tests cover it.
schema = schema.exclude(path="/api/v1/sources/{key}/push/")

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]


@contextmanager
def _keeping_the_test_connection():
    """The WSGI app is called directly, so each request fires `request_started` and
    `request_finished`, whose `close_old_connections` would close the test's own connection (in
    its transaction) on PostgreSQL. Django's test client disconnects it the same way, and
    reconnects it after each of its own requests: so this wraps each call, not the test."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db):
    """One token per role, and a small world for the generated ids and keys to find."""
    SourceFactory(key="tool")
    TrackedSubjectFactory(key="acme", aliases=["Acme"])
    seed = UserFactory(roles=[Role.INTEGRATION.value])
    client = client_for(seed)
    for n in range(3):
        client.post("/api/v1/mentions/", mention_payload(text=f"Acme номер {n}"), format="json")
    result = {}
    for role in Role:
        user = UserFactory(roles=[role.value])
        result[role] = client_for(user)._credentials["HTTP_AUTHORIZATION"]
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=str)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_answer_no_5xx_and_match_the_document(case, role, tokens):
    with _keeping_the_test_connection():
        response = case.call(headers={"Authorization": tokens[role]})
    case.validate_response(response, checks=CHECKS)
