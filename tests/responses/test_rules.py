"""What a reply may not do: each refusal is a clear error and leaves nothing behind."""

import pytest

from authors.models import Author
from mentions.models import Mention
from responses.models import Reply
from responses.services import configuration
from tests.conftest import client_for
from tests.responses import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    h.policy()
    olga, marina = h.operator(), h.manager()
    return {
        "olga": olga,
        "marina": marina,
        "op": client_for(olga),
        "mgr": client_for(marina),
        "mention": h.mention(claimed_by=olga),
    }


def _draft(client, mention, body="Разберёмся, {author_name}.", **extra):
    response = client.post(
        "/api/v1/responses/", {"mention": mention.pk, "body": body, **extra}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def _approved(w, **extra):
    reply = _draft(w["op"], w["mention"], **extra)
    w["op"].post(f"/api/v1/responses/{reply['id']}/submit/")
    w["mgr"].post(f"/api/v1/responses/{reply['id']}/approve/")
    return reply


def test_nobody_approves_their_own_reply(w):
    mgr = w["mgr"]
    m = h.mention(claimed_by=w["marina"])
    reply = _draft(mgr, m)
    mgr.post(f"/api/v1/responses/{reply['id']}/submit/")

    response = mgr.post(f"/api/v1/responses/{reply['id']}/approve/")

    assert response.status_code == 409
    assert response.json()["code"] == "own_reply"
    assert Reply.objects.get(pk=reply["id"]).status == "pending_approval"


def test_a_sent_reply_is_never_edited(w):
    reply = _approved(w)
    w["op"].post(
        f"/api/v1/responses/{reply['id']}/mark-sent/",
        {"external_url": "https://vk.com/wall-1_1"},
        format="json",
    )

    response = w["op"].patch(f"/api/v1/responses/{reply['id']}/", {"body": "x"}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "code": "illegal_transition",
        "detail": "A sent reply is never changed; to correct it, create a new reply with "
        f'"corrects": {reply["id"]}.',
    }


def test_an_unapproved_reply_that_needs_approval_is_not_sent(w):
    reply = _draft(w["op"], w["mention"])
    w["op"].post(f"/api/v1/responses/{reply['id']}/submit/")

    response = w["op"].post(
        f"/api/v1/responses/{reply['id']}/mark-sent/",
        {"external_url": "https://vk.com/wall-1_1"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "A pending_approval reply cannot mark-sent; it can become: approved (by approve); "
        "rejected (by reject)."
    )
    assert Mention.objects.get(pk=w["mention"].pk).status == Mention.Status.CLAIMED


@pytest.mark.parametrize(
    "body",
    ["Даём гарантию: заработает.", "Гарантии нет, но мы стараемся.", "Дарим бесплатного интернета"],
)
def test_a_banned_phrase_in_any_form_refuses_the_submit_naming_it(w, body):
    reply = _draft(w["op"], w["mention"], body=body)
    assert reply["policy_problems"]["body"]  # the reply box shows it before submitting

    response = w["op"].post(f"/api/v1/responses/{reply['id']}/submit/")

    assert response.status_code == 400
    message = response.json()["errors"]["body"][0]
    assert "«гарантия»" in message or "«бесплатный интернет»" in message
    assert Reply.objects.get(pk=reply["id"]).status == "draft"


def test_a_word_that_only_looks_like_a_banned_one_passes(w):
    reply = _draft(w["op"], w["mention"], body="Гарантируем только честный ответ.")

    assert reply["policy_problems"] == {}


def test_an_unknown_placeholder_is_a_400_naming_it_and_nothing_is_saved(w):
    response = w["op"].post(
        "/api/v1/responses/",
        {"mention": w["mention"].pk, "body": "Привет, {nickname}!"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["body"][0].startswith("Unknown placeholder {nickname};")
    assert not Reply.objects.exists()


def test_a_placeholder_with_no_value_is_a_400_naming_it(w):
    h.template(key="thanks", body="{author_name}, спасибо!")
    nameless = h.mention(
        author={"external_id": "42", "handle": "", "name": ""}, claimed_by=w["olga"]
    )
    Author.objects.filter(pk=nameless.author_id).update(display_name="")

    response = w["op"].post(
        "/api/v1/responses/", {"mention": nameless.pk, "template": "thanks"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "template": ["Placeholder {author_name} has no value for this mention."]
    }
    assert not Reply.objects.exists()


def test_the_length_limit_of_the_platform_counts_the_signature(w):
    tweet = h.mention(platform="twitter", url="https://x.com/a/status/1", claimed_by=w["olga"])
    reply = _draft(w["op"], tweet, body="а" * 260)

    response = w["op"].post(f"/api/v1/responses/{reply['id']}/submit/")

    assert response.status_code == 400
    assert response.json()["errors"]["body"] == [
        "At most 280 characters on twitter with the signature; this reply has 286."
    ]


def test_an_employee_signature_needs_a_public_name(w):
    configuration.responder_set(user_id=w["olga"].pk, public_name="")

    response = w["op"].post(
        "/api/v1/responses/",
        {"mention": w["mention"].pk, "body": "Ок.", "signature": "employee"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["signature"]


def test_two_replies_racing_for_one_mention_one_wins(w):
    first, second = _approved(w), _approved(w)
    url = "https://vk.com/wall-1_1"

    won = w["op"].post(
        f"/api/v1/responses/{first['id']}/mark-sent/", {"external_url": url}, format="json"
    )
    lost = w["op"].post(
        f"/api/v1/responses/{second['id']}/mark-sent/", {"external_url": url}, format="json"
    )

    assert won.status_code == 200
    assert lost.status_code == 409
    assert lost.json()["code"] == "already_answered"
    assert Reply.objects.get(pk=second["id"]).status == "approved"


def test_sending_needs_the_live_claim_of_the_sender(w):
    reply = _approved(w)
    other = client_for(h.operator("oleg"))

    response = other.post(
        f"/api/v1/responses/{reply['id']}/mark-sent/",
        {"external_url": "https://vk.com/wall-1_1"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "claimed_by_other"


def test_a_platform_without_a_publisher_says_to_post_by_hand(w):
    reply = _approved(w)

    response = w["op"].post(f"/api/v1/responses/{reply['id']}/send/")

    assert response.status_code == 409
    assert response.json()["code"] == "no_publisher"
    assert "mark-sent" in response.json()["detail"]


@pytest.mark.parametrize(
    ("segment", "source_type", "needs_review", "reason"),
    [
        ("influencer", "social", False, "The author is an influencer."),
        ("unknown", "media", False, "The post is in the media."),
        ("unknown", "social", True, "Your replies are reviewed."),
    ],
)
def test_approval_is_needed_for_influencers_media_and_reviewed_operators(
    w, segment, source_type, needs_review, reason
):
    m = h.mention(category="praise", claimed_by=w["olga"])
    Author.objects.filter(pk=m.author_id).update(segment=segment)
    Mention.objects.filter(pk=m.pk).update(source_type=source_type)
    configuration.responder_set(user_id=w["olga"].pk, needs_review=needs_review)

    reply = _draft(w["op"], m)

    assert reply["needs_approval"] is True
    assert reply["approval_reasons"] == [reason]


def test_a_do_not_contact_author_gets_no_reply(w):
    Author.objects.filter(pk=w["mention"].author_id).update(do_not_contact=True)

    response = w["op"].post(
        "/api/v1/responses/", {"mention": w["mention"].pk, "body": "Ок."}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "author_do_not_contact"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": "Ок."}, "mention"),
        ({"mention": 999999, "body": "Ок."}, "mention"),
        ({"mention": "abc", "body": "Ок."}, "mention"),
        ({"mention": "{m}"}, "body"),
        ({"mention": "{m}", "body": "Ок.", "signature": "ceo"}, "signature"),
        ({"mention": "{m}", "template": "nope"}, "template"),
        ({"mention": "{m}", "article": 999999}, "article"),
        ({"mention": "{m}", "body": "Ок.", "corrects": 999999}, "corrects"),
        ({"mention": "{m}", "body": ["Ок."]}, "body"),
    ],
)
def test_bad_input_to_create_is_a_400_naming_the_field(w, body, field):
    body = {k: (w["mention"].pk if v == "{m}" else v) for k, v in body.items()}

    response = w["op"].post("/api/v1/responses/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("reject", {}, "reason"),
        ("reject", {"reason": "   "}, "reason"),
        ("mark-sent", {}, "external_url"),
        ("mark-sent", {"external_url": "javascript:alert(1)"}, "external_url"),
    ],
)
def test_bad_input_to_moves_is_a_400_naming_the_field(w, action, body, field):
    reply = _draft(w["op"], w["mention"])
    w["op"].post(f"/api/v1/responses/{reply['id']}/submit/")
    if action == "mark-sent":
        w["mgr"].post(f"/api/v1/responses/{reply['id']}/approve/")
    client = w["mgr"] if action == "reject" else w["op"]

    response = client.post(f"/api/v1/responses/{reply['id']}/{action}/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_an_unknown_reply_is_a_404(w):
    assert w["op"].get("/api/v1/responses/999999/").status_code == 404
    assert w["op"].post("/api/v1/responses/abc/submit/").status_code == 404


def test_list_filters_by_mention_and_status_with_fixed_queries(w, django_assert_num_queries):
    first = _draft(w["op"], w["mention"])
    _approved(w)
    other = h.mention(claimed_by=w["olga"])
    _draft(w["op"], other)

    url = f"/api/v1/responses/?mention={w['mention'].pk}&status=draft"
    with django_assert_num_queries(4):
        response = w["op"].get(url)

    assert [r["id"] for r in response.json()["results"]] == [first["id"]]
    assert w["op"].get("/api/v1/responses/?status=nope").status_code == 400
