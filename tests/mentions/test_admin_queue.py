"""The operators' queue screen in the admin: the queue, claim next, the work page and its moves."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import mentions.admin_queue  # noqa: F401  (registers the queue; the real site imports it in admin.py)
from mentions.models import Category, Correction, Mention, MentionSubject, Priority, Team
from scrm.roles import Role
from tests.factories import TrackedSubjectFactory, UserFactory
from tests.mentions.queue_helpers import queued_mentions
from tests.mentions.states import claim

pytestmark = pytest.mark.django_db

QUEUE = "/admin/mentions/queueitem/"
CLAIM_NEXT = QUEUE + "claim-next/"


def work_url(mention) -> str:
    return f"{QUEUE}{mention.pk}/work/"


def action_url(mention, action: str) -> str:
    return f"{QUEUE}{mention.pk}/{action}/"


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def queue_permissions(db):
    """What `scrm.roles.ADMIN_PERMISSIONS` grants operators and managers."""
    view = Permission.objects.get(content_type__app_label="mentions", codename="view_queueitem")
    for role in (Role.OPERATOR, Role.MANAGER):
        Group.objects.get_or_create(name=role.value)[0].permissions.add(view)


@pytest.fixture
def team():
    return Team.objects.get(key="support")


@pytest.fixture
def login(db):
    def make(*roles: Role, team=None, **fields) -> Client:
        user = UserFactory(roles=[r.value for r in roles], is_staff=True, **fields)
        if team is not None:
            team.members.add(user)
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def operator(login, team):
    return login(Role.OPERATOR, team=team, username="olga")


@pytest.fixture
def other_operator(login, team):
    return login(Role.OPERATOR, team=team, username="petr")


# --- The queue ---------------------------------------------------------------------------------


def test_queue_lists_only_my_teams_queued_mentions_most_urgent_first(operator, team):
    low, urgent, normal = queued_mentions(
        3, team=team, priorities=[Priority.LOW, Priority.URGENT, Priority.NORMAL]
    )
    queued_mentions(1, team=Team.objects.create(key="vip", name="VIP"))
    claim(normal, UserFactory(username="holder", roles=[Role.MANAGER]))

    response = operator.get(QUEUE)

    assert response.status_code == 200
    assert [m.pk for m in response.context["cl"].result_list] == [urgent.pk, low.pk]
    content = response.content.decode()
    assert "Claim next" in content
    assert f'action="{CLAIM_NEXT}"' in content
    assert work_url(urgent) in content
    assert "Queue of Support" in content


def test_queue_shows_the_author_and_marks_an_overdue_sla_red(operator, team):
    late, on_time = queued_mentions(2, team=team)
    now = timezone.now()
    Mention.objects.filter(pk=late.pk).update(sla_due_at=now - timedelta(minutes=30))
    Mention.objects.filter(pk=on_time.pk).update(sla_due_at=now + timedelta(hours=2))

    content = operator.get(QUEUE).content.decode()

    assert content.count("queue-overdue") == 1
    assert "overdue by" in content
    assert late.author_identity.display_name in content
    assert "120 followers" in content


def test_manager_in_no_team_sees_every_teams_queue(login, team):
    manager = login(Role.MANAGER)
    mine = queued_mentions(1, team=team) + queued_mentions(
        1, team=Team.objects.create(key="vip", name="VIP")
    )

    response = manager.get(QUEUE)

    assert {m.pk for m in response.context["cl"].result_list} == {m.pk for m in mine}


def test_queue_page_runs_a_fixed_number_of_queries(operator, team):
    subject, other = TrackedSubjectFactory(), TrackedSubjectFactory()

    def arrange(n):
        for mention in queued_mentions(n, team=team):
            Mention.objects.filter(pk=mention.pk).update(
                category=Category.objects.get(key="support"), main_subject=subject
            )
            MentionSubject.objects.create(mention=mention, subject=subject, is_main=True)
            MentionSubject.objects.create(mention=mention, subject=other)

    arrange(2)
    operator.get(QUEUE)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert operator.get(QUEUE).status_code == 200
    arrange(20)

    with CaptureQueriesContext(connection) as many:
        response = operator.get(QUEUE)

    assert len(response.context["cl"].result_list) == 22
    assert len(many) == len(few) == 14  # the admin page, pinned: a new query is a choice


# --- Claim next ----------------------------------------------------------------------------------


def test_claim_next_redirects_to_the_work_page_of_the_mention_it_claimed(operator, team):
    _low, urgent = queued_mentions(2, team=team, priorities=[Priority.LOW, Priority.URGENT])

    response = operator.post(CLAIM_NEXT)

    assert response.status_code == 302
    assert response["Location"] == work_url(urgent)
    urgent.refresh_from_db()
    assert urgent.status == Mention.Status.CLAIMED
    assert urgent.claimed_by == operator.user
    page = operator.get(response["Location"])
    assert page.status_code == 200
    assert "Renew lease" in page.content.decode()
    assert "Mark answered" in page.content.decode()


def test_claim_next_on_an_empty_queue_says_so(operator):
    response = operator.post(CLAIM_NEXT, follow=True)

    assert response.redirect_chain == [(QUEUE, 302)]
    assert "The queue is empty." in texts(response)


def test_a_claim_next_by_get_is_refused(operator, team):
    queued_mentions(1, team=team)

    assert operator.get(CLAIM_NEXT).status_code == 405
    assert not Mention.objects.filter(status=Mention.Status.CLAIMED).exists()


def test_moves_need_the_csrf_token(team):
    (mention,) = queued_mentions(1, team=team)
    user = UserFactory(roles=[Role.OPERATOR.value], is_staff=True)
    team.members.add(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(CLAIM_NEXT).status_code == 403
    assert client.post(action_url(mention, "claim")).status_code == 403
    mention.refresh_from_db()
    assert mention.status == Mention.Status.QUEUED


# --- The work page ------------------------------------------------------------------------------


def test_work_page_shows_the_mention_its_author_and_their_other_mentions(operator, team):
    first, second = queued_mentions(2, team=team)
    Mention.objects.filter(pk=second.pk).update(
        author=first.author, author_identity=first.author_identity
    )
    Mention.objects.filter(pk=first.pk).update(
        category=Category.objects.get(key="support"),
        category_confidence=0.87,
        category_method="model",
        sentiment="negative",
    )

    response = operator.get(work_url(first))

    content = response.content.decode()
    assert response.status_code == 200
    assert first.text in content
    assert first.url in content
    assert first.author_identity.display_name in content
    assert first.author_identity.profile_url in content
    assert "1 other mention" in content
    assert work_url(second) in content
    their_mentions = operator.get(response.context["other_mentions_url"])
    assert their_mentions.status_code == 200
    assert {m.pk for m in their_mentions.context["cl"].result_list} == {first.pk, second.pk}
    assert "Support / Сопровождение" in content
    assert "Learned model, confidence 0.87" in content
    assert 'value="Claim"' in content
    assert "Renew lease" not in content


def test_work_page_of_a_missing_mention_is_a_404(operator):
    assert operator.get(f"{QUEUE}999999/work/").status_code == 404


def test_claiming_a_missing_mention_says_so_and_goes_back_to_the_queue(operator):
    response = operator.post(f"{QUEUE}999999/claim/", follow=True)

    assert response.redirect_chain == [(QUEUE, 302)]
    assert "No such mention." in texts(response)


def test_correct_category_creates_a_correction_and_changes_the_category(operator, team):
    (mention,) = queued_mentions(1, team=team)
    Mention.objects.filter(pk=mention.pk).update(
        category=Category.objects.get(key="support"), category_method="model", sentiment="neutral"
    )
    operator.post(action_url(mention, "claim"))

    response = operator.post(
        action_url(mention, "correct"),
        {"category": "negative", "sentiment": "neutral", "priority": mention.priority},
    )

    assert response.status_code == 302
    assert response["Location"] == work_url(mention)
    mention.refresh_from_db()
    assert mention.category.key == "negative"
    assert mention.category_method == "operator"
    corrections = list(Correction.objects.filter(mention=mention))
    assert [(c.field, c.old_value, c.new_value, c.created_by) for c in corrections] == [
        ("category", "support", "negative", operator.user)
    ]
    page = operator.get(work_url(mention))
    assert "Corrected category to negative." in texts(page)
    assert "Negative / Негатив" in page.content.decode()


def test_correct_with_nothing_changed_corrects_nothing(operator, team):
    (mention,) = queued_mentions(1, team=team)

    response = operator.post(action_url(mention, "correct"), {"priority": mention.priority})

    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_correct_to_an_unknown_category_shows_the_services_error(operator, team):
    (mention,) = queued_mentions(1, team=team)

    response = operator.post(action_url(mention, "correct"), {"category": "nope"}, follow=True)

    assert response.status_code == 200
    assert any("Unknown or inactive category 'nope'" in m for m in texts(response))
    assert not Correction.objects.exists()


def test_release_returns_the_mention_to_the_queue(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(CLAIM_NEXT)

    response = operator.post(action_url(mention, "release"), follow=True)

    assert response.redirect_chain == [(work_url(mention), 302)]
    mention.refresh_from_db()
    assert mention.status == Mention.Status.QUEUED
    assert mention.claimed_by is None
    assert "Released: the mention is back in the queue." in texts(response)


def test_close_with_a_resolution(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(CLAIM_NEXT)

    response = operator.post(action_url(mention, "close"), {"resolution": "spam"}, follow=True)

    mention.refresh_from_db()
    assert mention.status == Mention.Status.CLOSED
    assert mention.resolution == "spam"
    assert "Closed as spam." in texts(response)


def test_close_with_an_unknown_resolution_shows_the_error(operator, team):
    (mention,) = queued_mentions(1, team=team)

    response = operator.post(action_url(mention, "close"), {"resolution": "bored"}, follow=True)

    assert response.status_code == 200
    assert any("resolution: Choose one of" in m for m in texts(response))
    mention.refresh_from_db()
    assert mention.status == Mention.Status.QUEUED


def test_mark_answered(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(CLAIM_NEXT)

    response = operator.post(action_url(mention, "answered"), follow=True)

    mention.refresh_from_db()
    assert mention.status == Mention.Status.ANSWERED
    assert "Marked answered." in texts(response)


def test_a_mention_someone_else_holds_shows_a_message_not_a_500(operator, other_operator, team):
    (mention,) = queued_mentions(1, team=team)
    other_operator.post(action_url(mention, "claim"))

    claim = operator.post(action_url(mention, "claim"), follow=True)
    answered = operator.post(action_url(mention, "answered"), follow=True)
    release = operator.post(action_url(mention, "release"), follow=True)

    for response in (claim, answered, release):
        assert response.status_code == 200
        assert response.redirect_chain == [(work_url(mention), 302)]
        assert any("petr holds this mention" in m for m in texts(response))
    mention.refresh_from_db()
    assert mention.status == Mention.Status.CLAIMED
    assert mention.claimed_by == other_operator.user
    page = operator.get(work_url(mention)).content.decode()
    assert 'value="Claim"' not in page
    assert "Mark answered" not in page


def test_acting_after_the_lease_expired_is_refused_with_a_message(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(CLAIM_NEXT)
    Mention.objects.filter(pk=mention.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = operator.post(action_url(mention, "answered"), follow=True)

    assert response.status_code == 200
    assert any("expired" in m for m in texts(response))
    mention.refresh_from_db()
    assert mention.status == Mention.Status.CLAIMED


def test_another_teams_mention_cannot_be_claimed(operator):
    (mention,) = queued_mentions(1, team=Team.objects.create(key="vip", name="VIP"))

    response = operator.post(action_url(mention, "claim"), follow=True)

    assert response.status_code == 200
    assert any("team you are not a member of" in m for m in texts(response))


# --- Who may use it -----------------------------------------------------------------------------


def _pages(mention):
    return [
        ("get", QUEUE),
        ("get", work_url(mention)),
        ("post", CLAIM_NEXT),
        ("post", action_url(mention, "claim")),
        ("post", action_url(mention, "correct")),
    ]


@pytest.mark.parametrize("roles", [(Role.EXPERT,), (Role.INTEGRATION,), ()], ids=str)
def test_other_roles_get_403(login, team, roles):
    (mention,) = queued_mentions(1, team=team)
    client = login(*roles, team=team)

    for method, url in _pages(mention):
        assert getattr(client, method)(url).status_code == 403, url
    mention.refresh_from_db()
    assert mention.status == Mention.Status.QUEUED


def test_the_view_permission_alone_is_not_enough_without_a_role(login, team):
    (mention,) = queued_mentions(1, team=team)
    client = login(team=team)
    client.user.user_permissions.add(
        Permission.objects.get(content_type__app_label="mentions", codename="view_queueitem")
    )

    for method, url in _pages(mention):
        assert getattr(client, method)(url).status_code == 403, url


def test_an_operator_without_the_view_permission_gets_403(login, team):
    Group.objects.get(name=Role.OPERATOR.value).permissions.clear()
    client = login(Role.OPERATOR, team=team)

    assert client.get(QUEUE).status_code == 403


def test_superuser_may_use_the_queue(login, team):
    queued_mentions(1, team=team)
    client = login(is_superuser=True)

    assert client.get(QUEUE).status_code == 200
    assert client.post(CLAIM_NEXT).status_code == 302


# --- The buttons come from the queue's rules ------------------------------------------------


def _buttons(response) -> set[str]:
    content = response.content.decode()
    names = {
        "Claim": 'value="Claim"',
        "Renew lease": 'value="Renew lease"',
        "Mark answered": 'value="Mark answered"',
        "Release to the queue": 'value="Release to the queue"',
        "Close": 'value="Close"',
        "Reopen": 'value="Reopen"',
        "Save corrections": 'value="Save corrections"',
    }
    return {name for name, marker in names.items() if marker in content}


def test_an_operator_is_not_offered_close_on_a_mention_they_have_not_claimed(operator, team):
    (mention,) = queued_mentions(1, team=team)

    assert _buttons(operator.get(work_url(mention))) == {"Claim", "Save corrections"}


def test_a_manager_is_offered_close_and_release_on_a_mention_someone_holds(
    login, other_operator, team
):
    (mention,) = queued_mentions(1, team=team)
    other_operator.post(action_url(mention, "claim"))
    manager = login(Role.MANAGER)

    buttons = _buttons(manager.get(work_url(mention)))

    assert buttons == {"Release to the queue", "Close", "Save corrections"}


def test_an_operator_sees_no_move_on_a_mention_someone_else_holds(operator, other_operator, team):
    (mention,) = queued_mentions(1, team=team)
    other_operator.post(action_url(mention, "claim"))

    assert _buttons(operator.get(work_url(mention))) == set()


def test_a_manager_release_from_the_work_page_clears_the_holder(login, other_operator, team):
    (mention,) = queued_mentions(1, team=team)
    other_operator.post(action_url(mention, "claim"))
    manager = login(Role.MANAGER)

    manager.post(action_url(mention, "release"))

    mention.refresh_from_db()
    assert (mention.status, mention.claimed_by) == (Mention.Status.QUEUED, None)
    response = other_operator.post(action_url(mention, "answered"), follow=True)
    assert any("released your claim" in m for m in texts(response))


def test_a_closed_mention_offers_reopen_and_reopening_needs_a_reason(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(action_url(mention, "claim"))
    operator.post(action_url(mention, "close"), {"resolution": "spam"})
    assert _buttons(operator.get(work_url(mention))) == {"Reopen", "Save corrections"}

    refused = operator.post(action_url(mention, "reopen"), {"reason": ""}, follow=True)
    assert any("reason: Say why" in m for m in texts(refused))

    response = operator.post(
        action_url(mention, "reopen"), {"reason": "Клиент написал снова"}, follow=True
    )

    mention.refresh_from_db()
    assert mention.status == Mention.Status.QUEUED
    assert "Reopened: the mention is queued." in texts(response)
    assert "Клиент написал снова" in response.content.decode()


def test_a_do_not_contact_authors_mention_is_marked_wherever_it_is_shown(operator, team):
    from authors.models import Author

    first, second = queued_mentions(2, team=team)
    author = Author.objects.get(pk=first.author_id)
    Mention.objects.filter(pk=second.pk).update(author=author)  # two mentions, one author
    operator.post(action_url(first, "claim"))  # before: a do-not-contact mention is not claimed
    Author.objects.filter(pk=author.pk).update(do_not_contact=True)

    page = operator.get(work_url(first)).content.decode()
    queue = operator.get(QUEUE).content.decode()

    assert "Do not contact: the author asked to be forgotten." in page
    assert "do not contact" in page  # the other mention, listed on the work page
    assert "do not contact" in queue  # the held list and the queue
    assert "Do not contact: the author asked to be forgotten." in queue
