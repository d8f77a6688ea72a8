"""Reply, archive, template and policy endpoints. Views validate, call one service, shape."""

import csv

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from responses import policy as policy_rules
from responses import selectors
from responses.api.serializers import (
    ArchivedReplySerializer,
    PolicyInSerializer,
    PolicyVersionSerializer,
    ReplyDetailSerializer,
    ReplyInSerializer,
    ReplyMarkSentInSerializer,
    ReplyPatchSerializer,
    ReplyPreviewSerializer,
    ReplyRejectInSerializer,
    ResponseTemplateInSerializer,
    ResponseTemplatePatchSerializer,
    ResponseTemplateSerializer,
)
from responses.filters import ArchiveFilter, ReplyFilter, TemplateFilter
from responses.models import PolicyVersion, Reply, ResponseTemplate
from responses.services import configuration, replies
from scrm.api.pagination import CursorPagination
from scrm.errors import NotFound
from scrm.roles import MANAGERS, WORKERS

R = Reply.Status


class ReplyPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class ArchivePagination(CursorPagination):
    ordering = ("-sent_at", "-id")


@extend_schema_view(
    list=extend_schema(summary="Replies; `mention`, `status`, `mine=true`"),
    retrieve=extend_schema(summary="One reply"),
)
class ReplyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    allowed_roles = {
        "list": WORKERS,
        "retrieve": WORKERS,
        "create": WORKERS,
        "partial_update": WORKERS,
        "preview": WORKERS,
        "submit": WORKERS,
        "approve": MANAGERS,
        "reject": MANAGERS,
        "mark_sent": WORKERS,
        "send": WORKERS,
    }
    serializer_class = ReplyDetailSerializer
    filterset_class = ReplyFilter
    pagination_class = ReplyPagination
    queryset = Reply.objects.none()

    def get_queryset(self):
        return selectors.reply_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "policy": configuration.current_policy()}

    def _detail(self, reply, code=status.HTTP_200_OK):
        fresh = selectors.reply_list().get(pk=reply.pk)
        return Response(
            ReplyDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def get_object(self):
        try:
            return selectors.reply_list().get(pk=int(self.kwargs["pk"]))
        except (Reply.DoesNotExist, ValueError) as exc:
            raise NotFound("No such reply.") from exc

    @extend_schema(
        summary="Write a reply: free text, from a template or from an article",
        request=ReplyInSerializer,
        responses={201: ReplyDetailSerializer},
    )
    def create(self, request):
        serializer = ReplyInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reply = replies.reply_create(
            mention_id=data["mention"],
            user=request.user,
            body=data.get("body"),
            template_key=data.get("template"),
            article_id=data.get("article"),
            signature=data["signature"],
            corrects_id=data.get("corrects"),
        )
        return self._detail(reply, status.HTTP_201_CREATED)

    @extend_schema(
        summary="See a reply rendered and checked, without saving it",
        request=ReplyInSerializer,
        responses={200: ReplyPreviewSerializer},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request):
        serializer = ReplyInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        mention = replies._mention(data["mention"])
        composed = replies.reply_compose(
            mention=mention,
            user=request.user,
            body=data.get("body"),
            template_key=data.get("template"),
            article_id=data.get("article"),
            signature=data["signature"],
        )
        return Response(
            {
                "body": composed.body,
                "text": composed.text,
                "origin": composed.origin,
                "signed_as": composed.signed_as,
                "needs_approval": composed.needs_approval,
                "approval_reasons": composed.approval_reasons,
                "policy_problems": composed.policy_problems,
                "length": len(composed.text),
                "max_length": policy_rules.max_length_for(mention.platform, composed.policy),
            }
        )

    @extend_schema(summary="Change a draft", request=ReplyPatchSerializer)
    def partial_update(self, request, pk=None):
        serializer = ReplyPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reply = replies.reply_update(
            reply_id=pk, user=request.user, fields=dict(serializer.validated_data)
        )
        return self._detail(reply)

    @extend_schema(
        summary="Submit: pending_approval, or approved when none is needed", request=None
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._detail(replies.reply_submit(reply_id=pk, user=request.user))

    @extend_schema(summary="Approve (a manager, never their own reply)", request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._detail(replies.reply_approve(reply_id=pk, user=request.user))

    @extend_schema(summary="Send back to its author with a reason", request=ReplyRejectInSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        serializer = ReplyRejectInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reply = replies.reply_reject(
            reply_id=pk, user=request.user, reason=serializer.validated_data["reason"]
        )
        return self._detail(reply)

    @extend_schema(
        summary="Record the link of a reply posted by hand; the mention is answered",
        request=ReplyMarkSentInSerializer,
    )
    @action(detail=True, methods=["post"], url_path="mark-sent")
    def mark_sent(self, request, pk=None):
        serializer = ReplyMarkSentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reply = replies.reply_mark_sent(
            reply_id=pk, user=request.user, external_url=serializer.validated_data["external_url"]
        )
        return self._detail(reply)

    @extend_schema(
        summary="Post through the platform's publisher (in the background)",
        request=None,
        responses={202: ReplyDetailSerializer, 200: ReplyDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        reply = replies.reply_send(reply_id=pk, user=request.user)
        fresh = selectors.reply_list().get(pk=reply.pk)
        code = status.HTTP_202_ACCEPTED if fresh.status == R.SENDING else status.HTTP_200_OK
        return self._detail(fresh, code)


class CSVRenderer(renderers.BaseRenderer):
    """Only lets `?format=csv` through content negotiation; the view streams the file."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else str(data or "").encode()


CSV_COLUMNS = (
    "id",
    "sent_at",
    "platform",
    "category",
    "subjects",
    "mention_id",
    "mention_url",
    "mention_text",
    "author_id",
    "author",
    "operator",
    "approver",
    "origin",
    "template",
    "article",
    "article_version",
    "reply",
    "reply_url",
    "response_seconds",
    "queue_response_seconds",
)


class _Echo:
    def write(self, value):
        return value


def _csv_rows(queryset):
    """The BOM and the header, then one line per reply, read in chunks: never all in memory."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for reply in queryset.iterator(chunk_size=1000):
        m = reply.mention
        version = reply.article_version
        yield writer.writerow(
            (
                reply.pk,
                reply.sent_at.isoformat() if reply.sent_at else "",
                m.platform,
                m.category.key if m.category_id else "",
                "|".join(link.subject.key for link in m.subject_links.all()),
                m.pk,
                m.url,
                m.text,
                m.author_id or "",
                m.author.display_name if m.author_id else "",
                reply.created_by.username,
                reply.approved_by.username if reply.approved_by_id else "",
                reply.origin,
                reply.template.key if reply.template_id else "",
                version.article_id if version else "",
                version.number if version else "",
                reply.text,
                reply.external_url,
                "" if reply.response_seconds is None else reply.response_seconds,
                "" if reply.queue_response_seconds is None else reply.queue_response_seconds,
            )
        )


@extend_schema(
    summary="The answer archive: sent replies, newest first (`?format=csv` for a file)",
    parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], required=False)],
)
class ArchiveView(generics.ListAPIView):
    allowed_roles = {"get": MANAGERS}
    serializer_class = ArchivedReplySerializer
    filterset_class = ArchiveFilter
    pagination_class = ArchivePagination
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]
    queryset = Reply.objects.none()

    def get_queryset(self):
        return selectors.archive()

    def handle_exception(self, exc):
        # Errors keep the API's JSON shape, `?format=csv` or not.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "csv":
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset()).order_by("-sent_at", "-id")
        response = StreamingHttpResponse(
            _csv_rows(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="answer-archive.csv"'
        return response


class TemplatePagination(CursorPagination):
    ordering = ("key",)


@extend_schema_view(
    list=extend_schema(summary="Reply templates; `category`, `sentiment`, `language`, `active`"),
    retrieve=extend_schema(summary="One template"),
)
class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    allowed_roles = {
        "list": WORKERS,
        "retrieve": WORKERS,
        "create": MANAGERS,
        "partial_update": MANAGERS,
    }
    serializer_class = ResponseTemplateSerializer
    filterset_class = TemplateFilter
    pagination_class = TemplatePagination
    lookup_field = "key"
    queryset = ResponseTemplate.objects.none()

    def get_queryset(self):
        return ResponseTemplate.objects.prefetch_related("categories")

    def _detail(self, template, code=status.HTTP_200_OK):
        return Response(
            ResponseTemplateSerializer(self.get_queryset().get(pk=template.pk)).data, status=code
        )

    @extend_schema(summary="Add a template", request=ResponseTemplateInSerializer)
    def create(self, request):
        serializer = ResponseTemplateInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = configuration.template_save(
            template=None, user=request.user, fields=dict(serializer.validated_data)
        )
        return self._detail(template, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a template (`active: false` retires it)",
        request=ResponseTemplatePatchSerializer,
    )
    def partial_update(self, request, key=None):
        template = self.get_object()
        serializer = ResponseTemplatePatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = configuration.template_save(
            template=template, user=request.user, fields=dict(serializer.validated_data)
        )
        return self._detail(template)


class PolicyView(APIView):
    allowed_roles = {"get": WORKERS, "put": MANAGERS}

    @extend_schema(summary="The communication policy in force", responses=PolicyVersionSerializer)
    def get(self, request):
        policy = configuration.current_policy()
        if policy is None:
            raise NotFound("No communication policy has been written yet.")
        return Response(PolicyVersionSerializer(policy).data)

    @extend_schema(
        summary="Publish a new version of the policy (fields left out stay as they are)",
        request=PolicyInSerializer,
        responses={201: PolicyVersionSerializer},
    )
    def put(self, request):
        serializer = PolicyInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = configuration.policy_update(
            user=request.user, fields=dict(serializer.validated_data)
        )
        return Response(PolicyVersionSerializer(policy).data, status=status.HTTP_201_CREATED)


class PolicyVersionsView(APIView):
    allowed_roles = {"get": WORKERS}

    @extend_schema(
        summary="Every version of the policy, newest first",
        responses=inline_serializer(
            "PolicyVersionList", {"results": PolicyVersionSerializer(many=True)}
        ),
        operation_id="policy_versions_list",
    )
    def get(self, request):
        versions = PolicyVersion.objects.select_related("created_by").order_by("-number")
        return Response({"results": PolicyVersionSerializer(versions, many=True).data})
