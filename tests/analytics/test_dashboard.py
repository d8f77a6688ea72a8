"""The managers' dashboard in the admin: who sees it, what it shows, and that it loads nothing
from the internet."""

import re

import pytest
from django.test import Client

from scrm.roles import Role
from tests.analytics.world import build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/analytics/dashboard/"
JAN = "?date_from=2026-01-01&date_to=2026-01-31&interval=week"


@pytest.fixture
def login(db):
    def make(*roles: Role) -> Client:
        user = UserFactory(roles=[r.value for r in roles], is_staff=True)
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def world():
    return build_world()


def test_a_manager_sees_the_figures_and_the_charts(world, login):
    response = login(Role.MANAGER).get(URL + JAN)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<div class="chart"><svg') == 8
    for heading in (
        "Share of Voice: us against each competitor",
        "Sentiment of posts and reviews (social)",
        "Sentiment of the press (media)",
        "Engagement over time",
        "Consumer-cycle mix",
        "Support against the SLA",
        "Advocates and detractors",
        "Top authors in the period",
    ):
        assert heading in page
    assert "71.4%" in page  # acme's share of voice in January
    assert "1 Jan 2026 – 31 Jan 2026 (31 days, by week, Europe/Moscow time)" in page
    # Top authors link to their pages.
    anna = world["authors"]["anna"]
    assert f'href="/admin/authors/author/{anna.pk}/change/"' in page


def test_the_page_loads_nothing_from_the_internet(world, login):
    page = login(Role.MANAGER).get(URL + JAN).content.decode()

    external = re.findall(r"""(?:src|href)=["'](?:https?:)?//[^"']+""", page)
    assert external == []
    charts = re.findall(r'<div class="chart">(<svg.*?</svg>)</div>', page, flags=re.S)
    assert len(charts) == 8
    assert "<script" not in "".join(charts)
    assert "kozea.github.io" not in page


def test_each_chart_links_its_data_as_csv(world, login):
    page = login(Role.MANAGER).get(URL + JAN).content.decode()

    links = set(re.findall(r'href="(/api/v1/reports/[^"]+format=csv[^"]*)"', page))
    assert len(links) == 6
    client = login(Role.MANAGER)
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert response["Content-Type"].startswith("text/csv")


def test_the_picker_narrows_the_figures(world, login):
    page = login(Role.MANAGER).get(URL + JAN + "&subject=rival&platform=vk").content.decode()

    assert "mentions of <strong>Rival</strong>, on VK" in page


def test_a_bad_choice_is_explained_and_the_default_period_shown(world, login):
    response = login(Role.MANAGER).get(URL + "?date_from=2026-02-30")

    assert response.status_code == 200
    assert "<strong>date_from</strong>" in response.content.decode()
    assert "Showing the last 30 days instead." in response.content.decode()


def test_the_dashboard_shows_an_empty_period_without_failing(login):
    response = login(Role.MANAGER).get(URL + JAN)

    assert response.status_code == 200
    page = response.content.decode()
    assert "No question was answered in this period yet" in page
    assert "No mention in this period names a tracked subject" in page
    assert '<div class="chart">' not in page  # no empty chart drawn


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.EXPERT, Role.EDITOR])
def test_other_roles_do_not_see_the_dashboard(login, role):
    client = login(role)

    assert client.get(URL).status_code == 403
    assert "Dashboard" not in client.get("/admin/").content.decode()


def test_the_dashboard_is_in_the_admin_index_and_under_a_short_address(login):
    client = login(Role.MANAGER)

    assert 'href="/admin/analytics/dashboard/"' in client.get("/admin/").content.decode()
    response = client.get("/admin/dashboard/?interval=week")
    assert response.status_code == 302
    assert response["Location"] == "/admin/analytics/dashboard/?interval=week"


def test_response_times_read_in_seconds_minutes_hours_and_days():
    from analytics.admin import _duration

    assert [_duration(v) for v in (None, 21.2, 59.4, 90, 3600, 49 * 3600)] == [
        "—",
        "21 s",
        "59 s",
        "2 min",
        "1 h 00 min",
        "2 d 1 h",
    ]
