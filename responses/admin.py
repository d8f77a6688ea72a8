"""The reply screens: the operator's reply page (from the queue's work page), a reply's own page
with its moves, the managers' approvals and answer archive, templates, the policy, responders
and publisher accounts.

Every move calls one service and shows a refused move's error as a message (post/redirect/get),
as the queue's work page does; the API and these screens share the services' rules.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from authors.segments import suggested_tone
from knowledge_base.selectors import suggestions_for_mention
from mentions.admin_queue import register_work_page_link
from mentions.models import Mention, MentionSubject, SourceType
from mentions.queue_rules import Move, moves_allowed
from mentions.selectors import negative_q, recent_since
from responses import placeholders
from responses import policy as policy_rules
from responses.models import (
    ArchivedReply,
    PendingReply,
    PolicyVersion,
    PublisherAccount,
    Reply,
    Responder,
    ResponseTemplate,
)
from responses.selectors import replies_of_mention
from responses.services import configuration, replies
from scrm.errors import ApplicationError
from scrm.roles import MANAGERS, WORKERS, Role, user_roles

R = Reply.Status
SUGGESTIONS_SHOWN = 5


def _is_worker(user) -> bool:
    return bool(user_roles(user) & WORKERS)


def _is_manager(user) -> bool:
    return bool(user_roles(user) & MANAGERS)


def _safe_url(url: str) -> str:
    return url if (url or "").lower().startswith(("https://", "http://")) else ""


# --- The reply screens (on the Reply admin) -----------------------------------------------


class ReplyBoxForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 9, "style": "width: 100%; font-size: 1rem"}),
        required=False,
    )
    signature = forms.ChoiceField(choices=Reply.Signature.choices)
    template = forms.CharField(required=False, widget=forms.HiddenInput)
    article = forms.IntegerField(required=False, widget=forms.HiddenInput)


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    """All replies (operators see them; the archive and approvals are the proxies below), and
    the custom pages: compose for a mention, and one reply's page with its moves."""

    compose_template = "admin/responses/reply/compose.html"
    detail_template = "admin/responses/reply/detail.html"
    list_display = ("id", "status_label", "mention_link", "created_by", "created_at", "sent_at")
    list_filter = ("status", "origin")
    list_select_related = ("mention", "created_by")
    search_fields = ("body",)
    ordering = ("-created_at", "-id")
    actions = None

    def has_view_permission(self, request, obj=None):
        return _is_worker(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="status", ordering="status")
    def status_label(self, reply):
        return _status(reply)

    @admin.display(description="mention")
    def mention_link(self, reply):
        return format_html(
            '<a href="{}">#{} · {}</a>',
            reverse("admin:mentions_queueitem_work", args=[reply.mention_id]),
            reply.mention_id,
            (reply.mention.text or "")[:80],
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        mine = [
            path(
                "compose/<int:mention_id>/", wrap(self.compose_view), name="responses_reply_compose"
            ),
            path("<int:reply_id>/work/", wrap(self.detail_view), name="responses_reply_work"),
            path(
                "<int:reply_id>/move/<str:move>/", wrap(self.move_view), name="responses_reply_move"
            ),
        ]
        return mine + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:responses_reply_work", reply_id=object_id)

    def _require(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    # The operator's reply page: everything needed to answer one mention on one screen.
    def compose_view(self, request, mention_id):
        self._require(request)
        mention = get_object_or_404(
            Mention.objects.select_related(
                "author", "author_identity", "category", "main_subject", "claimed_by", "team"
            ),
            pk=mention_id,
        )
        form = ReplyBoxForm(request.POST or None, initial=_initial(request, mention))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                reply = replies.reply_create(
                    mention_id=mention.pk,
                    user=request.user,
                    body=data["body"],
                    template_key=data["template"] or None,
                    article_id=data["article"],
                    signature=data["signature"],
                )
            except ApplicationError as exc:
                messages.error(request, exc.as_text())
            else:
                if "_submit" in request.POST:
                    try:
                        reply = replies.reply_submit(reply_id=reply.pk, user=request.user)
                    except ApplicationError as exc:
                        # The draft is kept: the operator fixes it on its page.
                        messages.error(request, f"Saved as a draft, not submitted: {exc.as_text()}")
                        return redirect("admin:responses_reply_work", reply_id=reply.pk)
                messages.success(request, _saved_message(reply))
                return redirect("admin:responses_reply_work", reply_id=reply.pk)
        return TemplateResponse(
            request, self.compose_template, self._compose_context(request, mention, form)
        )

    def _compose_context(self, request, mention, form):
        policy = configuration.current_policy()
        now = timezone.now()
        author = mention.author
        identity = mention.author_identity
        tone = None
        if author is not None:
            stats = Mention.objects.filter(author_id=author.pk).aggregate(
                total=Count("id"),
                media=Count("id", filter=Q(source_type=SourceType.MEDIA)),
                negatives=Count("id", filter=negative_q() & Q(published_at__gte=recent_since())),
            )
            tone = suggested_tone(
                do_not_contact=author.do_not_contact,
                segment=author.segment,
                recent_negatives=stats["negatives"],
                media_mentions=stats["media"],
                mentions=stats["total"],
            )
        try:
            suggestions = suggestions_for_mention(mention=mention, limit=SUGGESTIONS_SHOWN)
        except Exception:
            suggestions = []
        templates = list(
            ResponseTemplate.objects.filter(active=True).prefetch_related("categories")
        )
        suiting = [
            t
            for t in templates
            if (not t.categories.all() or mention.category_id in {c.pk for c in t.categories.all()})
            and (not t.sentiments or mention.sentiment in t.sentiments)
        ]
        values = placeholders.values_for(
            mention=mention,
            brand=policy.brand if policy else "",
            operator_name=replies.public_name_of(request.user),
        )
        moves = moves_allowed(mention, request.user, now=now)
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reply to mention #{mention.pk}",
            "mention": mention,
            "mention_url": _safe_url(mention.url),
            "subjects": list(
                MentionSubject.objects.filter(mention=mention).select_related("subject")
            ),
            "author": author,
            "identity": identity,
            "tone": tone,
            "suggestions": suggestions,
            "templates": suiting,
            "other_templates": [t for t in templates if t not in suiting],
            "policy": policy,
            "placeholders": placeholders.PLACEHOLDERS,
            "values": {k: v for k, v in values.items() if v},
            "max_length": policy_rules.max_length_for(mention.platform, policy),
            "approval_reasons": replies.approval_reasons(mention, request.user),
            "form": form,
            "replies": list(replies_of_mention(mention.pk)),
            "holds_it": Move.ANSWER in moves,
            "can_claim": Move.CLAIM in moves and mention.claimed_by_id != request.user.pk,
            "work_url": reverse("admin:mentions_queueitem_work", args=[mention.pk]),
            "claim_url": reverse("admin:mentions_queueitem_claim", args=[mention.pk]),
            "preview_url": reverse("response-preview"),
            "do_not_contact": bool(author and author.do_not_contact),
        }

    # One reply: its text, history and the moves it can make now.
    def detail_view(self, request, reply_id):
        self._require(request)
        reply = get_object_or_404(
            Reply.objects.select_related(
                "mention__author",
                "mention__author_identity",
                "mention__category",
                "template",
                "article_version",
                "created_by",
                "approved_by",
                "sent_by",
                "corrects",
            ),
            pk=reply_id,
        )
        user = request.user
        mine = reply.created_by_id == user.pk
        manager = Role.MANAGER in user_roles(user)
        status = reply.status
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reply #{reply.pk}",
            "reply": reply,
            "status": _status(reply),
            "mention": reply.mention,
            "mention_url": _safe_url(reply.mention.url),
            "external_url": _safe_url(reply.external_url),
            "can_edit": status in (R.DRAFT, R.REJECTED) and (mine or manager),
            "can_submit": status in (R.DRAFT, R.REJECTED) and (mine or manager),
            "can_approve": status == R.PENDING_APPROVAL and manager and not mine,
            "own_pending": status == R.PENDING_APPROVAL and mine,
            "can_reject": status == R.PENDING_APPROVAL and manager,
            "can_send": status in (R.APPROVED, R.FAILED),
            "can_correct": status == R.SENT,
            "policy_problems": policy_rules.problems(
                text=reply.text,
                platform=reply.mention.platform,
                policy=configuration.current_policy(),
            )
            if status in (R.DRAFT, R.REJECTED)
            else {},
            "edit_form": ReplyBoxForm(initial={"body": reply.body, "signature": reply.signature}),
            "compose_url": reverse("admin:responses_reply_compose", args=[reply.mention_id]),
            "work_url": reverse("admin:mentions_queueitem_work", args=[reply.mention_id]),
            "move_urls": {
                m.replace("-", "_"): reverse("admin:responses_reply_move", args=[reply.pk, m])
                for m in ("edit", "submit", "approve", "reject", "send", "mark-sent", "correct")
            },
            "approvals_url": reverse("admin:responses_pendingreply_changelist"),
        }
        return TemplateResponse(request, self.detail_template, context)

    def move_view(self, request, reply_id, move):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._require(request)
        user, post = request.user, request.POST
        calls = {
            "edit": lambda: replies.reply_update(
                reply_id=reply_id,
                user=user,
                fields={"body": post.get("body", ""), "signature": post.get("signature", "")},
            ),
            "submit": lambda: replies.reply_submit(reply_id=reply_id, user=user),
            "approve": lambda: replies.reply_approve(reply_id=reply_id, user=user),
            "reject": lambda: replies.reply_reject(
                reply_id=reply_id, user=user, reason=post.get("reason", "")
            ),
            "send": lambda: replies.reply_send(reply_id=reply_id, user=user),
            "mark-sent": lambda: replies.reply_mark_sent(
                reply_id=reply_id, user=user, external_url=post.get("external_url", "")
            ),
            "correct": lambda: replies.reply_create(
                mention_id=Reply.objects.get(pk=reply_id).mention_id,
                user=user,
                body=post.get("body", ""),
                signature=post.get("signature", Reply.Signature.OFFICIAL),
                corrects_id=reply_id,
            ),
        }
        if move not in calls:
            raise PermissionDenied
        try:
            reply = calls[move]()
        except ApplicationError as exc:
            messages.error(request, exc.as_text())
            return redirect("admin:responses_reply_work", reply_id=reply_id)
        reply.refresh_from_db()
        messages.success(request, _saved_message(reply))
        if move in ("approve", "reject") and "_next" in post:
            return redirect("admin:responses_pendingreply_changelist")
        return redirect("admin:responses_reply_work", reply_id=reply.pk)


def _short(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _initial(request, mention) -> dict:
    initial = {"signature": Reply.Signature.OFFICIAL}
    if request.GET.get("template"):
        template = ResponseTemplate.objects.filter(key=request.GET["template"], active=True).first()
        if template:
            initial.update(template=template.key, body=template.body)
    if request.GET.get("article", "").isdigit():
        from knowledge_base.models import Article

        article = Article.objects.filter(
            pk=int(request.GET["article"]), status=Article.Status.PUBLISHED
        ).first()
        if article:
            initial["article"] = article.pk
            if "body" not in initial:
                initial["body"] = article.answer
    return initial


def _saved_message(reply: Reply) -> str:
    return {
        R.DRAFT: "Draft saved. Submit it when it is ready.",
        R.PENDING_APPROVAL: "Submitted: a manager approves it before it is sent.",
        R.APPROVED: "Approved: send it, or post it yourself and record its link.",
        R.REJECTED: "Sent back to its author with your reason.",
        R.SENDING: "Handed to the publisher; it is being posted.",
        R.SENT: "Sent: the mention is answered.",
        R.FAILED: f"Posting failed: {reply.last_error}",
    }[reply.status]


_STATUS_COLOURS = {
    R.PENDING_APPROVAL: "#b36b00",
    R.REJECTED: "#ba2121",
    R.FAILED: "#ba2121",
    R.APPROVED: "#1f6f43",
    R.SENT: "#1f6f43",
}


def _status(reply):
    colour = _STATUS_COLOURS.get(reply.status, "inherit")
    return format_html('<strong style="color:{}">{}</strong>', colour, reply.get_status_display())


# --- The queue's work page links to the reply page ----------------------------------------


def _reply_link(request, mention):
    if not _is_worker(request.user):
        return None
    answer = (
        Reply.objects.filter(mention=mention)
        .exclude(status=R.SENT, corrects__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )
    note = f"reply #{answer.pk}: {answer.get_status_display().lower()}" if answer else ""
    return ("Write a reply", reverse("admin:responses_reply_compose", args=[mention.pk]), note)


register_work_page_link(_reply_link)


# --- Managers: approvals and the answer archive --------------------------------------------


class _ManagersOnly:
    def has_view_permission(self, request, obj=None):
        return _is_manager(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:responses_reply_work", reply_id=object_id)


@admin.register(PendingReply)
class PendingReplyAdmin(_ManagersOnly, admin.ModelAdmin):
    """Replies waiting for a manager, oldest first: open one, approve or reject it."""

    list_display = ("open_link", "mention_text", "reply_text", "created_by", "reasons", "waiting")
    list_display_links = None
    list_select_related = ("mention", "created_by")
    actions = None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=R.PENDING_APPROVAL)
            .order_by("submitted_at", "id")
        )

    def changelist_view(self, request, extra_context=None):
        context = {"title": "Approvals: replies waiting for a manager, oldest first"}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    @admin.display(description="reply")
    def open_link(self, reply):
        return format_html(
            '<a href="{}"><strong>Review&nbsp;#{}</strong></a>',
            reverse("admin:responses_reply_work", args=[reply.pk]),
            reply.pk,
        )

    @admin.display(description="mention")
    def mention_text(self, reply):
        return _short(reply.mention.text, 140)

    @admin.display(description="text")
    def reply_text(self, reply):
        return _short(reply.body, 200)

    @admin.display(description="why approval")
    def reasons(self, reply):
        return " ".join(reply.approval_reasons)

    @admin.display(description="waiting", ordering="submitted_at")
    def waiting(self, reply):
        if not reply.submitted_at:
            return "—"
        return timesince(reply.submitted_at, timezone.now(), depth=1)


class OperatorFilter(admin.SimpleListFilter):
    title = "operator"
    parameter_name = "operator"

    def lookups(self, request, model_admin):
        from django.contrib.auth import get_user_model

        users = (
            get_user_model().objects.filter(replies__status=R.SENT).distinct().order_by("username")
        )
        return [(u.username, u.username) for u in users]

    def queryset(self, request, queryset):
        return queryset.filter(created_by__username=self.value()) if self.value() else queryset


class ApproverFilter(admin.SimpleListFilter):
    title = "approver"
    parameter_name = "approver"

    def lookups(self, request, model_admin):
        from django.contrib.auth import get_user_model

        users = (
            get_user_model()
            .objects.filter(pk__in=Reply.objects.filter(status=R.SENT).values("approved_by"))
            .order_by("username")
        )
        return [(u.username, u.username) for u in users]

    def queryset(self, request, queryset):
        return queryset.filter(approved_by__username=self.value()) if self.value() else queryset


@admin.register(ArchivedReply)
class ArchivedReplyAdmin(_ManagersOnly, admin.ModelAdmin):
    """The answer archive: every sent reply, with the same filters as the API's archive."""

    change_list_template = "admin/responses/archivedreply/change_list.html"
    list_display = (
        "sent",
        "where",
        "mention_text",
        "reply_text",
        "people",
        "used",
        "response_time",
    )
    list_display_links = None
    list_filter = (
        ("sent_at", admin.DateFieldListFilter),
        "mention__platform",
        "mention__category",
        OperatorFilter,
        ApproverFilter,
        "origin",
        ("mention__subject_links__subject", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("body", "mention__text", "mention__title")
    list_select_related = (
        "mention__category",
        "created_by",
        "approved_by",
        "template",
        "article_version",
    )
    date_hierarchy = "sent_at"
    show_full_result_count = False
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=R.SENT).order_by("-sent_at", "-id")

    # The admin's filter parameters that the API's archive takes too, under its own names.
    CSV_PARAMETERS = {
        "mention__platform__exact": "platform",
        "operator": "operator",
        "approver": "approver",
        "q": "q",
    }

    def changelist_view(self, request, extra_context=None):
        from urllib.parse import urlencode

        params = {
            api: request.GET[name]
            for name, api in self.CSV_PARAMETERS.items()
            if request.GET.get(name)
        }
        context = {
            "title": "Answer archive: every sent reply, newest first",
            "csv_url": reverse("response-archive") + "?format=csv",
            "query": urlencode(params),
        }
        return super().changelist_view(request, {**context, **(extra_context or {})})

    @admin.display(description="sent", ordering="sent_at")
    def sent(self, reply):
        return timezone.localtime(reply.sent_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description="platform · category", ordering="mention__platform")
    def where(self, reply):
        category = reply.mention.category.name_en if reply.mention.category_id else "—"
        return format_html(
            "{}<br><small>{}</small>", reply.mention.get_platform_display(), category
        )

    @admin.display(description="operator / approver")
    def people(self, reply):
        approver = reply.approved_by.username if reply.approved_by_id else "no approval needed"
        return format_html("{}<br><small>{}</small>", reply.created_by.username, approver)

    @admin.display(description="mention")
    def mention_text(self, reply):
        return _short(reply.mention.text, 90)

    @admin.display(description="reply")
    def reply_text(self, reply):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:responses_reply_work", args=[reply.pk]),
            _short(reply.body, 110),
        )

    @admin.display(description="from")
    def used(self, reply):
        if reply.template_id:
            return f"template {reply.template.key}"
        if reply.article_version_id:
            return f"article {reply.article_version.article_id} v{reply.article_version.number}"
        return "free text"

    @admin.display(description="first response", ordering="response_seconds")
    def response_time(self, reply):
        if reply.response_seconds is None:
            return "correction" if reply.corrects_id else "—"
        minutes = reply.response_seconds // 60
        return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


# --- Managers: templates, the policy, responders, publisher accounts ----------------------


class TemplateForm(forms.ModelForm):
    sentiments = forms.MultipleChoiceField(
        choices=[(s, s) for s in ("positive", "neutral", "negative")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ResponseTemplate
        fields = ("key", "name", "body", "categories", "sentiments", "language", "tone", "active")
        help_texts = {
            "body": "Placeholders: " + ", ".join("{" + n + "}" for n in placeholders.PLACEHOLDERS)
        }

    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            configuration.check_placeholders(body, "body")
        except ApplicationError as exc:
            raise forms.ValidationError(" ".join(exc.errors.get("body", [exc.detail]))) from exc
        return body


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    form = TemplateForm
    list_display = ("key", "name", "language", "tone", "active", "updated_at")
    list_filter = ("active", "tone", "language", "categories")
    search_fields = ("key", "name", "body")
    filter_horizontal = ("categories",)

    def save_model(self, request, obj, form, change):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "categories"}
        fields["categories"] = [c.key for c in form.cleaned_data["categories"]]
        saved = configuration.template_save(
            template=ResponseTemplate.objects.get(pk=obj.pk) if change else None,
            user=request.user,
            fields=fields,
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass  # the service set the categories


def _policy_fields(data: dict) -> dict:
    fields = dict(data)
    fields["forbidden_phrases"] = [
        line.strip() for line in (fields.get("forbidden_phrases") or "").splitlines()
    ]
    fields["max_length"] = fields.get("max_length") or {}
    return fields


class PolicyForm(forms.ModelForm):
    forbidden_phrases = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="One phrase a line; inflected forms are refused too.",
    )
    max_length = forms.JSONField(required=False, help_text='e.g. {"twitter": 280, "vk": 4000}')
    signatures = forms.MultipleChoiceField(
        choices=Reply.Signature.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PolicyVersion
        fields = (
            "text",
            "brand",
            "forbidden_phrases",
            "max_length",
            "default_max_length",
            "signatures",
            "official_signature",
            "employee_signature",
        )

    def clean(self):
        data = super().clean()
        try:
            configuration.check_policy(_policy_fields(data))
        except ApplicationError as exc:
            for field, errors in exc.errors.items():
                name = field.split(".")[0]
                self.add_error(name if name in self.fields else None, " ".join(errors))
        return data


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Every version of the communication policy; *Add* publishes a new one, starting from the
    version in force. Versions are never changed."""

    form = PolicyForm
    list_display = ("number", "brand", "created_by", "created_at")
    ordering = ("-number",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        current = configuration.current_policy()
        if current is None:
            return {"signatures": list(Reply.Signature.values), "default_max_length": 4000}
        data = {name: getattr(current, name) for name in configuration.POLICY_FIELDS}
        data["forbidden_phrases"] = "\n".join(current.forbidden_phrases)
        return data

    def save_model(self, request, obj, form, change):
        saved = configuration.policy_update(
            user=request.user, fields=_policy_fields(form.cleaned_data)
        )
        obj.pk = saved.pk


@admin.register(Responder)
class ResponderAdmin(admin.ModelAdmin):
    list_display = ("user", "public_name", "needs_review", "updated_at")
    list_filter = ("needs_review",)
    search_fields = ("user__username", "public_name")
    autocomplete_fields = ()
    raw_id_fields = ("user",)

    def save_model(self, request, obj, form, change):
        configuration.responder_set(
            user_id=obj.user_id,
            public_name=form.cleaned_data["public_name"],
            needs_review=form.cleaned_data["needs_review"],
        )
        obj.pk = Responder.objects.get(user_id=obj.user_id).pk


class PublisherAccountForm(forms.ModelForm):
    token = forms.CharField(widget=forms.PasswordInput(render_value=True), max_length=500)

    class Meta:
        model = PublisherAccount
        fields = ("name", "kind", "source", "token", "api_base_url", "group_id", "active")


@admin.register(PublisherAccount)
class PublisherAccountAdmin(admin.ModelAdmin):
    form = PublisherAccountForm
    list_display = ("name", "kind", "source", "active")
    list_filter = ("kind", "active")
