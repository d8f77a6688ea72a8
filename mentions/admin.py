"""The operators' and managers' screens for mentions, subjects and sources.

Admin forms save through the same services as the API (`save_model` calls them), so validation
and side effects are identical whichever door a manager uses.
"""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils.html import format_html

from mentions import selectors
from mentions.models import (
    Category,
    ClassificationRule,
    ClassifierModel,
    Correction,
    Mention,
    MentionSubject,
    RoutingRule,
    Source,
    Team,
    TrackedSubject,
)
from mentions.services import configuration


@admin.register(TrackedSubject)
class TrackedSubjectAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "kind", "is_own", "alias_count", "active", "updated_at")
    list_filter = ("kind", "is_own", "active")
    search_fields = ("key", "name")
    prepopulated_fields = {"key": ("name",)}

    @admin.display(description="aliases")
    def alias_count(self, subject) -> int:
        return len(subject.aliases or ())

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in configuration.SUBJECT_FIELDS}
        if change:
            subject = TrackedSubject.objects.get(pk=obj.pk)
            saved = configuration.subject_update(subject=subject, **fields)
        else:
            saved = configuration.subject_create(**fields)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        # A subject that mentions name is deactivated, never deleted (the service's rule).
        if obj is not None and configuration.subject_has_mentions(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the rule above
        return actions

    def delete_model(self, request, obj):
        configuration.subject_delete(subject=obj)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "kind", "active", "push_url", "updated_at")
    list_filter = ("kind", "active")
    search_fields = ("key", "name")
    readonly_fields = ("masked_secret", "push_url", "created_at", "updated_at")
    fields = (
        "key",
        "name",
        "kind",
        "active",
        "masked_secret",
        "push_url",
        "created_at",
        "updated_at",
    )
    actions = ("rotate_secret",)

    @admin.display(description="push URL")
    def push_url(self, source) -> str:
        return f"/api/v1/sources/{source.key}/push/" if source.key else ""

    @admin.display(description="push secret")
    def masked_secret(self, source) -> str:
        return f"{source.secret[:4]}… (rotate to see a new one)" if source.secret else ""

    @admin.action(description="Rotate the push secret (shown once)")
    def rotate_secret(self, request, queryset):
        for source in queryset:
            rotated = configuration.source_rotate_secret(source=source)
            self.message_user(
                request, f"New secret for {rotated.key}: {rotated.secret}", messages.WARNING
            )

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in configuration.SOURCE_FIELDS}
        if change:
            saved = configuration.source_update(source=Source.objects.get(pk=obj.pk), **fields)
        else:
            saved = configuration.source_create(**fields)
            self.message_user(
                request, f"Push secret for {saved.key}: {saved.secret}", messages.WARNING
            )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        configuration.source_delete(source=obj)


class MentionSubjectInline(admin.TabularInline):
    model = MentionSubject
    verbose_name = "subject"
    verbose_name_plural = "subjects: the author's sentiment towards each"
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "subject",
        "is_main",
        "sentiment",
        "sentiment_confidence",
        "sentiment_method",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # The links are part of the mention: whoever may see the mention sees its subjects and
        # the author's sentiment towards each (no role holds a permission on the link model).
        return request.user.has_perm("mentions.view_mention")


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = (
        "published_at",
        "platform",
        "short_text",
        "author_name",
        "main_subject",
        "engagement",
        "status",
    )
    list_filter = (
        "status",
        "platform",
        "source_type",
        "source",
        "main_subject",
        "source_sentiment",
    )
    search_fields = ("text", "title", "external_id", "author_identity__handle")
    date_hierarchy = "published_at"
    list_select_related = ("author_identity", "main_subject")
    show_full_result_count = False  # no COUNT(*) over a large table on every page
    list_per_page = 50
    inlines = (MentionSubjectInline,)
    readonly_fields = [f.name for f in Mention._meta.concrete_fields] + [
        "author_link",
        "author_summary",
        "raw_json",
    ]
    exclude = ("raw", "subjects")
    fieldsets = (
        (None, {"fields": ("source", "external_id", "url", "platform", "source_type", "status")}),
        ("Content", {"fields": ("title", "text", "language", "published_at", "collected_at")}),
        ("Author", {"fields": ("author_link", "author_summary", "author_identity")}),
        ("Engagement", {"fields": ("likes", "comments", "reposts", "views", "reach")}),
        ("Thread", {"fields": ("parent_external_id", "discussion_id")}),
        (
            "Processing",
            {
                "fields": (
                    "main_subject",
                    "category",
                    "sentiment",
                    "priority",
                    "team",
                    "source_sentiment",
                    "processing_enqueued_at",
                    "processing_attempts",
                    "processed_at",
                )
            },
        ),
        ("Raw payload", {"classes": ("collapse",), "fields": ("raw_json",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("subject_links", queryset=MentionSubject.objects.select_related("subject"))
            )
        )

    def has_add_permission(self, request) -> bool:
        return False  # mentions arrive through the ingest doors

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="text")
    def short_text(self, mention) -> str:
        text = mention.title or mention.text
        return text[:120] + ("…" if len(text) > 120 else "")

    @admin.display(description="author")
    def author_name(self, mention) -> str:
        identity = mention.author_identity
        if identity is None:
            return "—"
        return identity.display_name or identity.handle or identity.external_id

    @admin.display(description="engagement")
    def engagement(self, mention) -> int:
        return mention.engagement_total

    @admin.display(description="author")
    def author_link(self, mention):
        if mention.author_id is None:
            return "—"
        return format_html(
            '<a href="/admin/authors/author/{}/change/">{}</a>',
            mention.author_id,
            self.author_name(mention),
        )

    @admin.display(description="author at a glance")
    def author_summary(self, mention):
        summary = selectors.author_summary(mention.author_id) if mention.author_id else None
        if summary is None:
            return "—"
        last = summary["last_contact_at"]
        return format_html(
            "{}{} · {} mentions, {} open · last contact {}",
            summary["segment"],
            " · DO NOT CONTACT" if summary["do_not_contact"] else "",
            summary["mentions_count"],
            summary["open_mentions"],
            last.strftime("%Y-%m-%d %H:%M") if last else "—",
        )

    @admin.display(description="raw payload")
    def raw_json(self, mention):
        import json

        return format_html(
            "<pre style='white-space:pre-wrap;max-width:60em'>{}</pre>",
            json.dumps(mention.raw, ensure_ascii=False, indent=2),
        )


class ConfigAdmin(admin.ModelAdmin):
    """Configuration rows save through the same service as the API."""

    def save_model(self, request, obj, form, change):
        fields = {
            f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields if not f.primary_key
        }
        configuration.config_object_save(instance=obj, fields=fields)

    def delete_model(self, request, obj):
        configuration.config_object_delete(instance=obj)


@admin.register(Category)
class CategoryAdmin(ConfigAdmin):
    list_display = (
        "key",
        "name_en",
        "name_ru",
        "needs_response",
        "needs_approval",
        "sla_minutes",
        "default_team",
        "polarity",
        "is_question",
        "customers_only",
        "is_noise",
        "order",
        "active",
    )
    list_editable = ("order",)
    list_filter = ("needs_response", "needs_approval", "polarity", "is_noise", "active")
    search_fields = ("key", "name_en", "name_ru")


@admin.register(ClassificationRule)
class ClassificationRuleAdmin(ConfigAdmin):
    list_display = ("order", "category", "phrase_list", "description", "active")
    list_display_links = ("phrase_list",)
    list_filter = ("category", "active")
    list_select_related = ("category",)

    @admin.display(description="phrases")
    def phrase_list(self, rule) -> str:
        return ", ".join(rule.phrases)


class TeamMembersInline(admin.TabularInline):
    model = Team.members.through
    extra = 1
    verbose_name = "member"
    verbose_name_plural = "members"


@admin.register(Team)
class TeamAdmin(ConfigAdmin):
    list_display = ("key", "name", "member_count", "active")
    search_fields = ("key", "name")
    exclude = ("members",)
    inlines = (TeamMembersInline,)

    @admin.display(description="members")
    def member_count(self, team) -> int:
        return team.members.count()


@admin.register(RoutingRule)
class RoutingRuleAdmin(ConfigAdmin):
    list_display = ("order", "category", "subject", "platform", "language", "team", "active")
    list_editable = ("active",)
    list_select_related = ("category", "subject", "team")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "mention", "field", "old_value", "new_value", "created_by")
    list_filter = ("field",)
    list_select_related = ("mention", "created_by")
    readonly_fields = [f.name for f in Correction._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = ("version", "active", "created_at")
    readonly_fields = ("version", "metrics", "trained_on", "active", "created_at")
    exclude = ("artifact",)

    def has_add_permission(self, request) -> bool:
        return False


# The operators' queue screen (a proxy model's admin) lives in its own module.
from mentions import admin_queue  # noqa: E402,F401
