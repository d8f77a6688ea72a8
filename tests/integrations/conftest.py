import pytest

from integrations.models import WebhookEndpoint
from integrations.services import webhooks
from scrm import outbox
from scrm.models import OutboxEvent
from tests.integrations.receivers import serve


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    # The test receivers listen on loopback, which the SSRF guard refuses by default.
    settings.SCRM_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.SCRM_WEBHOOK_RETRY_SCHEDULE = [0, 0, 0, 0, 0]
    settings.SCRM_WEBHOOK_RETRY_JITTER = 0
    settings.SCRM_WEBHOOK_CONNECT_TIMEOUT = 2.0
    settings.SCRM_WEBHOOK_READ_TIMEOUT = 2.0
    settings.SCRM_WEBHOOK_REQUIRE_HTTPS = False
    return settings


@pytest.fixture
def receiver():
    started = []

    def make(answer=None):
        r = serve(answer)
        started.append(r)
        return r

    yield make
    for r in started:
        r.stop()


@pytest.fixture
def endpoint(db):
    def make(url, **fields) -> WebhookEndpoint:
        return webhooks.endpoint_create(url=url, **fields)

    return make


def pump(rounds: int = 1) -> None:
    """What the workers do, in this process: dispatch every undone event that is due (the
    webhook fan-out among its handlers), then one delivery run per endpoint."""
    for _ in range(rounds):
        ids = list(OutboxEvent.objects.filter(done_at__isnull=True).values_list("id", flat=True))
        if ids:
            outbox.outbox_dispatch(event_ids=ids)
        for pk in WebhookEndpoint.objects.values_list("pk", flat=True):
            webhooks.endpoint_deliver(endpoint_id=pk)
