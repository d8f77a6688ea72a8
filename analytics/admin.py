"""The managers' dashboard: every report's headline figures and charts on one admin page, with
a period, subject and platform picker and a CSV link under each chart (the same report from
the API, so the chart and its data never disagree). Read-only; managers only
(`analytics.view_dashboard`)."""

from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from analytics import charts
from analytics.models import Dashboard
from analytics.params import INTERVALS, report_params
from analytics.selectors import REPORTS
from mentions.models import Source, SourceType, TrackedSubject
from scrm.errors import InvalidInput
from scrm.platforms import Platform


class DashboardForm(forms.Form):
    """The picker. Validation is `analytics.params.report_params`, as for the API."""

    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    interval = forms.ChoiceField(choices=[(i, i) for i in INTERVALS], required=False)
    subject = forms.ChoiceField(required=False)
    platform = forms.ChoiceField(choices=[("", "all platforms"), *Platform.choices], required=False)
    source_type = forms.ChoiceField(
        choices=[("", "social and media"), *SourceType.choices], required=False
    )
    source = forms.ChoiceField(required=False)
    include_noise = forms.BooleanField(required=False, label="include noise")

    def __init__(self, *args, subjects=(), sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "all subjects")] + [
            (s.key, f"{s.name}{'' if s.is_own else ' (competitor)'}") for s in subjects
        ]
        self.fields["source"].choices = [("", "all sources")] + [(s.key, str(s)) for s in sources]


def _duration(seconds) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:  # a reply in 21 seconds is not "0 min"
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d {hours % 24} h"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _rated(block: dict) -> int:
    return block["positive"] + block["neutral"] + block["negative"]


def _net_tile(label: str, block: dict) -> dict:
    if not _rated(block):
        return {
            "label": label,
            "value": "—",
            "note": {"text": "no rated mentions in the period", "direction": "flat"},
        }
    return {
        "label": label,
        "value": f"{block['net']:+.0f}",
        "note": {
            "text": f"positive − negative, % of {_rated(block)} rated",
            "direction": "flat",
        },
        "tone": "good" if block["net"] > 0 else ("bad" if block["net"] < 0 else ""),
    }


def _change(current: float, previous: float) -> dict:
    """How a figure moved against the previous period of the same length."""
    if previous == current:
        return {"text": "same as before", "direction": "flat"}
    if not previous:
        return {"text": "none in the previous period", "direction": "up"}
    delta = (current - previous) * 100 / previous
    return {"text": f"{delta:+.0f}% vs previous period", "direction": "up" if delta > 0 else "down"}


@admin.register(Dashboard)
class DashboardAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = {k: v for k, v in request.GET.items() if v != ""}
        if query.get("include_noise") == "on":
            query["include_noise"] = "true"
        errors = {}
        try:
            params = report_params(query)
        except InvalidInput as exc:
            errors = exc.errors
            params = report_params({})
        reports = {name: build(params) for name, build in REPORTS.items()}
        length = (params.date_to - params.date_from).days + 1
        previous = report_params(
            {
                **params.as_query(),
                "date_from": (params.date_from - timedelta(days=length)).isoformat(),
                "date_to": (params.date_from - timedelta(days=1)).isoformat(),
            }
        )
        before = {
            "engagement": REPORTS["engagement"](previous),
            "support": REPORTS["support"](previous),
        }
        subjects = list(TrackedSubject.objects.order_by("-is_own", "name"))
        sources = list(Source.objects.order_by("key"))
        form = DashboardForm(
            initial={**params.as_query(), "include_noise": params.include_noise},
            subjects=subjects,
            sources=sources,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Dashboard",
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "params": params,
            "length": length,
            "previous": previous,
            "tiles": self._tiles(reports, before),
            "charts": self._charts(reports),
            "csv": self._csv_links(params),
            "reports": reports,
            "top": self._top(reports["advocates"]["top"]),
            "support_rows": [
                {
                    **c,
                    "median": _duration(c["first_response_median_seconds"]),
                    "p90": _duration(c["first_response_p90_seconds"]),
                }
                for c in reports["support"]["categories"]
            ],
            "operator_rows": [
                {
                    **o,
                    "median": _duration(o["first_response_median_seconds"]),
                    "p90": _duration(o["first_response_p90_seconds"]),
                }
                for o in reports["support"]["operators"]
            ],
            "transitions": reports["consumer-cycle"]["transitions"][:10],
            "engagement_views": _number(reports["engagement"]["views"]),
            "engagement_reach": _number(reports["engagement"]["reach"]),
            "platform_label": dict(Platform.choices).get(params.platform, params.platform),
            "presets": self._presets(params),
        }
        return TemplateResponse(request, "admin/analytics/dashboard.html", context)

    @staticmethod
    def _tiles(reports: dict, before: dict) -> list[dict]:
        sov = reports["share-of-voice"]
        ours = sum(s["share_percent"] for s in sov["subjects"] if s["is_own"])
        sentiment = reports["sentiment"]["all"]
        engagement = reports["engagement"]
        support = reports["support"]
        advocates = reports["advocates"]
        return [
            {
                "label": "Mentions",
                "value": _number(engagement["mentions"]),
                "note": _change(engagement["mentions"], before["engagement"]["mentions"]),
            },
            {
                "label": "Our Share of Voice",
                "value": f"{ours:.1f}%" if sov["total"] else "—",
                "note": {
                    "text": "of the industry's tracked mentions"
                    if sov["total"]
                    else "no mention names a tracked subject",
                    "direction": "flat",
                },
            },
            _net_tile("Net sentiment, social", sentiment["social"]),
            _net_tile("Net sentiment, press", sentiment["media"]),
            {
                "label": "Engagement",
                "value": _number(engagement["engagement"]),
                "note": _change(engagement["engagement"], before["engagement"]["engagement"]),
            },
            {
                "label": "Questions answered",
                "value": f"{support['answered_percent']:.0f}%",
                "note": {
                    "text": f"{support['answered']} of {support['received']} received",
                    "direction": "flat",
                },
            },
            {
                "label": "Median first response",
                "value": _duration(support["first_response_median_seconds"]),
                "note": {
                    "text": f"90% within {_duration(support['first_response_p90_seconds'])}"
                    if support["answered"]
                    else "no question answered in the period",
                    "direction": "flat",
                },
            },
            {
                "label": "SLA breaches",
                "value": str(support["sla_breaches"]),
                "note": {
                    "text": f"{support['sla_breach_percent']:.0f}% of questions",
                    "direction": "flat",
                },
                "tone": "bad" if support["sla_breaches"] else "good",
            },
            {
                "label": "Advocates / detractors",
                "value": f"{advocates['advocates']['now']} / {advocates['detractors']['now']}",
                "note": {
                    "text": f"+{advocates['advocates']['growth']} / "
                    f"+{advocates['detractors']['growth']} in the period",
                    "direction": "flat",
                },
            },
        ]

    @staticmethod
    def _charts(reports: dict) -> dict:
        """Each chart, or None where there is nothing to draw (the page says why instead)."""
        sov = reports["share-of-voice"]["total"]
        tone = reports["sentiment"]["all"]
        loyal = reports["advocates"]
        charts_ = {
            "sov_bar": charts.share_of_voice_bar(reports["share-of-voice"]),
            "sov_time": charts.share_of_voice_over_time(reports["share-of-voice"]),
            "sentiment_social": charts.sentiment_over_time(reports["sentiment"], "social"),
            "sentiment_media": charts.sentiment_over_time(reports["sentiment"], "media"),
            "engagement": charts.engagement_over_time(reports["engagement"]),
            "cycle": charts.consumer_cycle_mix(reports["consumer-cycle"]),
            "support": charts.support_against_sla(reports["support"]),
            "advocates": charts.advocates_over_time(reports["advocates"]),
        }
        empty = {
            "sov_bar": not sov,
            "sov_time": not sov,
            "sentiment_social": not _rated(tone["social"]),
            "sentiment_media": not _rated(tone["media"]),
            "engagement": not reports["engagement"]["engagement"],
            "cycle": not reports["consumer-cycle"]["total"],
            "support": not reports["support"]["answered"],
            "advocates": not (loyal["advocates"]["now"] or loyal["detractors"]["now"]),
        }
        return {name: None if empty[name] else chart for name, chart in charts_.items()}

    @staticmethod
    def _presets(params) -> list[dict]:
        """The periods people ask for, keeping the other choices."""
        today = timezone.now().astimezone(params.zone).date()
        keep = {k: v for k, v in params.as_query().items() if k not in ("date_from", "date_to")}
        presets = []
        for label, days, interval in (
            ("last 7 days", 7, "day"),
            ("last 30 days", 30, "day"),
            ("last 90 days", 90, "week"),
            ("last 12 months", 365, "month"),
        ):
            query = {
                **keep,
                "interval": interval,
                "date_from": (today - timedelta(days=days - 1)).isoformat(),
                "date_to": today.isoformat(),
            }
            presets.append({"label": label, "query": urlencode(query)})
        return presets

    @staticmethod
    def _csv_links(params) -> dict:
        query = urlencode({**params.as_query(), "format": "csv"})
        return {name.replace("-", "_"): f"{reverse(f'report-{name}')}?{query}" for name in REPORTS}

    @staticmethod
    def _top(top: dict) -> list[dict]:
        titles = {
            "advocates": ("Advocates", "positive", "positive mentions"),
            "detractors": ("Detractors", "negative", "negative mentions"),
            "influencers": ("Influencers", "reach", "reach"),
        }
        groups = []
        for key, (title, figure, figure_label) in titles.items():
            groups.append(
                {
                    "title": title,
                    "figure_label": figure_label,
                    "authors": [
                        {
                            **a,
                            "figure": a[figure],
                            "url": reverse("admin:authors_author_change", args=[a["author_id"]]),
                        }
                        for a in top[key]
                    ],
                }
            )
        return groups
