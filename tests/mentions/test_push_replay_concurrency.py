"""Two workers receiving the same signed push at once accept it exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mentions.models import PushReceipt
from mentions.services.push import PushReplayed, push_receipt_record
from tests.conftest import requires_postgres
from tests.factories import SourceFactory

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_same_signature_recorded_at_once_by_two_threads_is_accepted_once():
    source = SourceFactory(key="race")
    signed_at = timezone.now()
    barrier = threading.Barrier(4)
    outcomes = []

    def record():
        try:
            barrier.wait()
            push_receipt_record(
                source=source,
                signature="c" * 64,
                signed_at=signed_at,
                tolerance=timedelta(seconds=300),
            )
            outcomes.append("accepted")
        except PushReplayed:
            outcomes.append("replayed")
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "replayed", "replayed", "replayed"]
    assert PushReceipt.objects.count() == 1
