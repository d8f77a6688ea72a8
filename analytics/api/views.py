"""`GET /api/v1/reports/<report>/`: thin views over `analytics.selectors`, for managers and the
integration role. JSON by default; `?format=csv` and `?format=xlsx` download the report as one
table (`analytics.tables`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from analytics.api.renderers import CSVRenderer, XLSXRenderer
from analytics.params import INTERVALS, WEIGHTS, report_params
from analytics.selectors import REPORTS
from analytics.tables import report_table
from mentions.models import SourceType
from scrm.errors import InvalidInput
from scrm.platforms import Platform
from scrm.roles import REPORT_READERS

FORMATS = ("json", "csv", "xlsx")

COMMON_PARAMETERS = [
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description="First day, inclusive (default: 29 days ago)."
    ),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day, inclusive (today)."),
    OpenApiParameter("interval", str, enum=list(INTERVALS), description="Bucket size (day)."),
    OpenApiParameter(
        "tz", str, description="IANA time zone of the buckets (SCRM_REPORT_TIME_ZONE)."
    ),
    OpenApiParameter("subject", str, description="Only mentions naming this subject (its key)."),
    OpenApiParameter("platform", str, enum=Platform.values),
    OpenApiParameter("source_type", str, enum=SourceType.values),
    OpenApiParameter("source", str, description="A source's key."),
    OpenApiParameter("include_noise", bool, description="Count noise too (false)."),
    OpenApiParameter("format", str, enum=list(FORMATS), description="json, csv or xlsx."),
]


class _Negotiation:
    def perform_content_negotiation(self, request, force=False):
        if force:  # answering an error: always JSON
            return JSONRenderer(), JSONRenderer.media_type
        fmt = request.query_params.get("format")
        if fmt is not None and fmt not in (*FORMATS, "api"):
            raise InvalidInput(
                "Invalid report parameters.",
                errors={"format": [f"Choose one of: {', '.join(FORMATS)}; got {fmt!r}."]},
            )
        return super().perform_content_negotiation(request, force)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(response, Response):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


class ReportView(_Negotiation, APIView):
    allowed_roles = {"get": REPORT_READERS}
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, XLSXRenderer]
    report = ""
    extra: tuple[str, ...] = ()

    def get(self, request):
        params = report_params(request.query_params, extra=self.extra)
        data = REPORTS[self.report](params)
        fmt = request.accepted_renderer.format
        if fmt not in ("csv", "xlsx"):
            return Response(data)
        header, rows = report_table(self.report, data)
        response = Response({"header": header, "rows": rows})
        name = f"{self.report}_{params.date_from}_{params.date_to}_{params.interval}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_renderer_context(self):
        return {**super().get_renderer_context(), "sheet": self.report}


def _report(name: str, summary: str, description: str, extra=()):
    parameters = list(COMMON_PARAMETERS)
    if "weight" in extra:
        parameters.append(
            OpenApiParameter(
                "weight", str, enum=list(WEIGHTS), description="What a mention weighs."
            )
        )
    view = type(
        f"{name.title().replace('-', '')}ReportView",
        (ReportView,),
        {"report": name, "extra": extra, "__doc__": description},
    )
    view.get = extend_schema(
        summary=summary,
        description=description,
        parameters=parameters,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The report.")},
        filters=False,
    )(view.get)
    return view


ShareOfVoiceView = _report(
    "share-of-voice",
    "Share of Voice: each subject's share of the industry's mentions",
    "SoV(%) = mentions of the subject / mentions of all tracked subjects (ours and the "
    "competitors') × 100, in total and per period; a mention naming two subjects counts once "
    "for each. `weight=engagement|reach` weighs each mention by its engagement or reach.",
    extra=("weight",),
)
SentimentView = _report(
    "sentiment",
    "Sentiment of reviews and posts (social) and of the press (media), per subject",
    "Positive, neutral and negative counts and net = (positive − negative) / rated × 100.",
)
EngagementView = _report(
    "engagement",
    "Engagement (likes + comments + reposts), views and reach per period, platform, subject",
    "Sums over the mentions published in the range.",
)
ConsumerCycleView = _report(
    "consumer-cycle",
    "Mentions per consumer-cycle category, and the authors' moves between stages",
    "Per category and period; `transitions` counts the steps of the authors' paths made in "
    "the range (e.g. first_review -> support, negative -> abandonment).",
)
SupportView = _report(
    "support",
    "Support KPIs: questions received vs processed, share answered, response times, SLA",
    "Over the mentions that need a response; median and 90th percentile of the time to "
    "first response in seconds; by period, category, team and operator.",
)
AdvocatesView = _report(
    "advocates",
    "Advocates and detractors now, their growth per period, and the top authors",
    "Growth counts today's advocates and detractors by when each first wrote.",
)


class ReportIndexView(APIView):
    """`GET /api/v1/reports/`: a link to every report."""

    allowed_roles = {"get": REPORT_READERS}

    @extend_schema(
        summary="The reports: a link to each",
        responses={200: {"type": "object", "additionalProperties": {"type": "string"}}},
    )
    def get(self, request):
        return Response(
            {name.replace("-", "_"): reverse(f"report-{name}", request=request) for name in REPORTS}
        )
