"""The one thing analytics sends: the weekly digest to managers."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone

from analytics.params import report_params
from analytics.selectors import advocates, engagement, sentiment, share_of_voice, support
from scrm.roles import Role


def _week_figures(first: date) -> dict:
    params = report_params(
        {
            "date_from": first.isoformat(),
            "date_to": (first + timedelta(6)).isoformat(),
            "interval": "week",
        }
    )
    sov = share_of_voice(params)
    tone = sentiment(params)["all"]
    reach = engagement(params)
    answers = support(params)
    loyal = advocates(params)
    return {
        "mentions": reach["mentions"],
        "our_share_percent": round(
            sum(s["share_percent"] for s in sov["subjects"] if s["is_own"]), 2
        ),
        "net_social": tone["social"]["net"],
        "net_media": tone["media"]["net"],
        "engagement": reach["engagement"],
        "questions": answers["received"],
        "answered_percent": answers["answered_percent"],
        "median_minutes": None
        if answers["first_response_median_seconds"] is None
        else round(answers["first_response_median_seconds"] / 60),
        "sla_breaches": answers["sla_breaches"],
        "advocates": loyal["advocates"]["now"],
        "detractors": loyal["detractors"]["now"],
    }


LINES = (
    ("mentions", "Mentions", ""),
    ("our_share_percent", "Our Share of Voice", "%"),
    ("net_social", "Net sentiment, social", ""),
    ("net_media", "Net sentiment, press", ""),
    ("engagement", "Engagement (likes + comments + reposts)", ""),
    ("questions", "Questions received", ""),
    ("answered_percent", "Questions answered", "%"),
    ("median_minutes", "Median first response, minutes", ""),
    ("sla_breaches", "SLA breaches", ""),
    ("advocates", "Advocates", ""),
    ("detractors", "Detractors", ""),
)


def weekly_digest_text(*, today: date | None = None) -> tuple[str, str]:
    """The subject and body of the digest: the last full week (Monday to Sunday in the report
    time zone) against the week before, with the dashboard's link for that week."""
    zone = report_params({}).zone
    today = today or timezone.now().astimezone(zone).date()
    this_monday = today - timedelta(days=today.weekday())
    week = this_monday - timedelta(days=7)
    before = week - timedelta(days=7)
    current, previous = _week_figures(week), _week_figures(before)
    lines = [
        f"scrm: the week of {week:%d.%m.%Y} – {week + timedelta(6):%d.%m.%Y} "
        "against the week before.",
        "",
    ]
    for key, label, unit in LINES:
        now, then = current[key], previous[key]
        shown_now = "—" if now is None else f"{now}{unit}"
        shown_then = "—" if then is None else f"{then}{unit}"
        lines.append(f"{label}: {shown_now} (week before: {shown_then})")
    query = urlencode(
        {
            "date_from": week.isoformat(),
            "date_to": (week + timedelta(6)).isoformat(),
            "interval": "day",
        }
    )
    page = reverse("admin:analytics_dashboard_changelist")
    link = f"{settings.SCRM_PUBLIC_URL.rstrip('/')}{page}?{query}"
    lines += ["", f"The dashboard for the week: {link}"]
    return f"scrm weekly report, {week:%d.%m} – {week + timedelta(6):%d.%m.%Y}", "\n".join(lines)


def weekly_digest_send(*, today: date | None = None) -> int:
    """E-mail the digest to every active manager with an address; returns how many. One message
    per manager (no one sees the others' addresses). Running it twice sends it twice: beat runs
    it once a week."""
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.MANAGER.value)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    subject, body = weekly_digest_text(today=today)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    return send_mass_mail(messages, fail_silently=False)
