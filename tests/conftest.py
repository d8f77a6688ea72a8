import pytest
from django.db import connection
from rest_framework.test import APIClient

from scrm.roles import Role
from tests.factories import UserFactory


def _token_for(user) -> str:
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=user, expiry=None)
    return token


def client_for(user) -> APIClient:
    """An API client authenticated by a real hashed token, the way integrators call."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token_for(user)}")
    return client


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def make_client(db):
    def make(*roles: Role, **user_fields) -> APIClient:
        user = UserFactory(roles=[r.value for r in roles], **user_fields)
        client = client_for(user)
        client.user = user
        return client

    return make


@pytest.fixture
def operator_client(make_client):
    return make_client(Role.OPERATOR)


@pytest.fixture
def expert_client(make_client):
    return make_client(Role.EXPERT)


@pytest.fixture
def manager_client(make_client):
    return make_client(Role.MANAGER)


@pytest.fixture
def integration_client(make_client):
    return make_client(Role.INTEGRATION)


@pytest.fixture
def norole_client(make_client):
    return make_client()


requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle buckets live in the cache: each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
