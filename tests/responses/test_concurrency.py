"""Two replies racing to answer one mention, in real concurrent transactions (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from responses.models import Reply
from responses.services import replies
from scrm.errors import ApplicationError
from tests.conftest import requires_postgres
from tests.responses import helpers as h

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_of_two_replies_sent_at_once_one_wins_and_the_other_gets_409():
    h.policy()
    olga, marina = h.operator(), h.manager()
    mention = h.mention(category="praise", claimed_by=olga)
    ids = []
    for text in ("Спасибо!", "Благодарим!"):
        reply = replies.reply_create(mention_id=mention.pk, user=olga, body=text)
        replies.reply_submit(reply_id=reply.pk, user=olga)
        ids.append(reply.pk)
    barrier = threading.Barrier(2)
    outcomes = []

    def send(reply_id):
        try:
            barrier.wait()
            replies.reply_mark_sent(
                reply_id=reply_id, user=olga, external_url=f"https://vk.com/wall-1_{reply_id}"
            )
            outcomes.append("sent")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["already_answered", "sent"]
    assert Reply.objects.filter(status="sent").count() == 1
    assert marina.pk  # a manager exists, no approval was needed for praise
