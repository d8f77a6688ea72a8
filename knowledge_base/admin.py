"""The editors' and experts' screens. Every write calls a service; the rules (who may publish,
who may answer, no approving one's own answer) are the services' own."""

import difflib

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from knowledge_base import search, selectors, services
from knowledge_base.models import Article, ArticleVersion, ExpertRequest, ExpertRequestMention
from mentions.admin_queue import register_work_page_link
from mentions.models import Mention, Team
from scrm.errors import ApplicationError, InvalidInput
from scrm.roles import SUGGESTION_READERS, WORKERS, Role, user_roles


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    can_delete = False
    fields = ("number", "created_by", "created_at", "changed_fields", "diff")
    readonly_fields = fields
    ordering = ("-number",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Diff from the previous version")
    def diff(self, version):
        previous = (
            ArticleVersion.objects.filter(article=version.article_id, number__lt=version.number)
            .order_by("-number")
            .first()
        )
        if previous is None:
            return "—"
        lines = []
        for name in version.changed_fields:
            old, new = _text(getattr(previous, name)), _text(getattr(version, name))
            diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            lines += [f"{name}:", *list(diff)[2:]]
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", "\n".join(lines))


def _text(value) -> str:
    return "\n".join(value) if isinstance(value, list) else str(value)


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = (
            "question",
            "phrasings",
            "answer",
            "language",
            "categories",
            "subjects",
            "tags",
            "owner",
            "review_by",
            "external_id",
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ("question", "status", "version", "language", "owner", "review_by", "updated_at")
    list_filter = ("status", "language", "categories", "subjects")
    search_fields = ("question", "answer", "external_id")
    filter_horizontal = ("categories", "subjects")
    readonly_fields = ("status", "version", "published_at")
    inlines = (ArticleVersionInline,)
    actions = ("publish", "archive")

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        for name in ("categories", "subjects"):
            if name in data:
                data[name] = [o.key for o in data[name]]
        try:
            if change:
                services.article_update(article_id=obj.pk, user=request.user, fields=data)
            else:
                created = services.article_create(
                    user=request.user,
                    question=form.cleaned_data["question"],
                    answer=form.cleaned_data["answer"],
                    phrasings=form.cleaned_data["phrasings"],
                    language=form.cleaned_data["language"],
                    categories=[c.key for c in form.cleaned_data["categories"]],
                    subjects=[s.key for s in form.cleaned_data["subjects"]],
                    tags=form.cleaned_data["tags"],
                    review_by=form.cleaned_data["review_by"],
                    external_id=form.cleaned_data["external_id"],
                )
                obj.pk = created.pk
        except ApplicationError as exc:
            messages.error(request, f"{exc.detail} {exc.errors or ''}")

    def save_related(self, request, form, formsets, change):
        """M2M fields were saved by the service."""

    @admin.action(description="Publish (new version)")
    def publish(self, request, queryset):
        for article in queryset:
            services.article_publish(article_id=article.pk, user=request.user)

    @admin.action(description="Archive")
    def archive(self, request, queryset):
        for article in queryset:
            services.article_archive(article_id=article.pk, user=request.user)

    def has_delete_permission(self, request, obj=None):
        """Never: replies record the exact version they used; archive instead."""
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_change_article(request.user, obj))

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "suggestions/<int:mention_id>/",
                self.admin_site.admin_view(self.suggestions_view),
                name="knowledge_base_mention_suggestions",
            ),
            *super().get_urls(),
        ]

    def suggestions_view(self, request, mention_id):
        """The operator's view of one mention: suggested answers with scores, the operator's
        verdict on each, and escalation to an expert. Every POST redirects back (a reload never
        escalates twice)."""
        roles = user_roles(request.user)
        if not roles & SUGGESTION_READERS:
            raise PermissionDenied
        mention = get_object_or_404(Mention, pk=mention_id)
        if request.method == "POST":
            if not roles & WORKERS:
                raise PermissionDenied
            self._suggestions_post(request, mention)
            return redirect(request.path)
        experts = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.EXPERT)
            .order_by("username")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Suggested answers for mention #{mention.pk}",
            "mention": mention,
            "work_url": reverse("admin:mentions_queueitem_work", args=[mention.pk]),
            "can_act": bool(roles & WORKERS),
            "suggestions": selectors.suggestions_for_mention(mention=mention, limit=5),
            "teams": Team.objects.filter(active=True),
            "experts": experts,
            "threshold": search.threshold(),
        }
        return TemplateResponse(request, "admin/knowledge_base/suggestions.html", context)

    def _suggestions_post(self, request, mention) -> None:
        try:
            if "helpful" in request.POST:
                services.suggestion_feedback(
                    mention_id=mention.pk,
                    article_id=_int(request.POST.get("article"), "article"),
                    user=request.user,
                    helpful=request.POST["helpful"] == "yes",
                )
                messages.success(request, "Thank you: your verdict is counted for the article.")
                return
            expert = request.POST.get("expert")
            result = services.expert_request_escalate(
                mention_id=mention.pk,
                user=request.user,
                question=request.POST.get("question", ""),
                team_key=request.POST.get("team") or None,
                expert_id=_int(expert, "expert") if expert else None,
            )
            verb = "attached to" if result.attached else "escalated as"
            messages.success(request, f"The mention was {verb} request #{result.request.pk}.")
        except ApplicationError as exc:
            messages.error(request, f"{exc.detail} {exc.errors or ''}".strip())


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(errors={field: ["A number is required."]}) from exc


class ExpertRequestAnswerForm(forms.ModelForm):
    new_answer = forms.CharField(widget=forms.Textarea, required=False, label="Your answer")

    class Meta:
        model = ExpertRequest
        fields = ()


class WaitingMentionInline(admin.TabularInline):
    model = ExpertRequestMention
    extra = 0
    can_delete = False
    fields = ("mention", "text", "attached", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Post")
    def text(self, link):
        return link.mention.full_text[:300]


@admin.register(ExpertRequest)
class ExpertRequestAdmin(admin.ModelAdmin):
    """Experts see what is assigned to them (filter "assigned to me") and answer in the box."""

    form = ExpertRequestAnswerForm
    list_display = ("question", "status", "expert", "team", "due_at", "overdue")
    list_filter = ("status", "team")
    search_fields = ("question", "answer")
    readonly_fields = (
        "question",
        "status",
        "expert",
        "team",
        "due_at",
        "answer",
        "answered_by",
        "reject_comment",
        "approved_by",
        "article",
    )
    inlines = (WaitingMentionInline,)
    actions = ("approve",)

    def get_queryset(self, request):
        qs = selectors.expert_request_list(user=request.user)
        if request.GET.get("mine") == "1":
            from django.db.models import Q

            qs = qs.filter(Q(expert=request.user) | Q(team__members=request.user)).distinct()
        return qs

    @admin.display(boolean=True)
    def overdue(self, obj):
        from django.utils import timezone

        return obj.status != ExpertRequest.Status.APPROVED and obj.due_at < timezone.now()

    def save_model(self, request, obj, form, change):
        answer = form.cleaned_data.get("new_answer")
        if not answer:
            return
        try:
            services.expert_request_answer(request_id=obj.pk, user=request.user, answer=answer)
        except ApplicationError as exc:
            messages.error(request, exc.detail)

    def save_related(self, request, form, formsets, change):
        """Nothing else is edited here."""

    @admin.action(description="Approve into the knowledge base")
    def approve(self, request, queryset):
        for obj in queryset:
            try:
                services.expert_request_approve(request_id=obj.pk, user=request.user)
            except ApplicationError as exc:
                messages.error(request, f"{obj}: {exc.detail}")

    def has_add_permission(self, request):
        return False


def _suggestions_link(request, mention):
    """The work page's way to the approved answers and to an expert."""
    if not user_roles(request.user) & SUGGESTION_READERS:
        return None
    return (
        "Suggested answers / ask an expert",
        reverse("admin:knowledge_base_mention_suggestions", args=[mention.pk]),
        "",
    )


register_work_page_link(_suggestions_link)
