"""The operators' author screens: who the author is (identities), what happened with them (the
timeline), what operators know (notes, labels) and the segment managers may pin.

Every change goes through `authors.services`, with the same per-role rules as the API:
operators and managers add notes and labels and merge authors; only managers pin a segment and
anonymize. It lives in `profiles` because it shows the author's timeline, read through
`profiles.selectors` like the API's.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from authors.field_rules import author_fields_editable
from authors.models import Author, AuthorIdentity, AuthorNote, Segment
from authors.services.anonymize import author_anonymize
from authors.services.merge import author_merge
from authors.services.profile import MAX_LABEL_LENGTH, MAX_LABELS, author_update
from profiles.selectors import author_timeline
from scrm.errors import ApplicationError
from scrm.roles import MANAGERS, WORKERS, user_roles
from scrm.text import unique_texts

TIMELINE_SHOWN = 50
COMPUTED = ""
# The form's fields and the author fields they change (whose roles `authors.field_rules` rules).
FORM_FIELDS = {"labels_text": "labels", "add_note": "note", "pinned_segment": "segment"}


def _roles(request) -> frozenset:
    return user_roles(request.user)


class AuthorIdentityInline(admin.TabularInline):
    model = AuthorIdentity
    extra = 0
    can_delete = False
    fields = (
        "platform",
        "handle",
        "display_name",
        "external_id",
        "profile_url",
        "followers",
        "verified",
        "erased",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AuthorNoteInline(admin.TabularInline):
    model = AuthorNote
    extra = 0
    can_delete = False
    fields = ("created_at", "created_by", "text")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    verbose_name_plural = "notes"

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("authors.view_author")  # whoever sees the author

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # notes are added with the "add a note" field, through the service

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AuthorForm(forms.ModelForm):
    pinned_segment = forms.ChoiceField(
        choices=[(COMPUTED, "— computed from the mentions —"), *Segment.choices],
        required=False,
        label="pinned segment",
        help_text="Managers only. A pinned segment is never recomputed.",
    )
    labels_text = forms.CharField(
        required=False, label="labels", help_text="Comma-separated, e.g. vip, journalist."
    )
    add_note = forms.CharField(
        required=False,
        label="add a note",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        max_length=5000,
    )

    class Meta:
        model = Author
        fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A field the user's role may not change is read-only, hence not in the form.
        author = self.instance
        if "pinned_segment" in self.fields:
            self.fields["pinned_segment"].initial = author.segment if author.segment_pinned else ""
        if "labels_text" in self.fields:
            self.fields["labels_text"].initial = ", ".join(author.labels or [])

    def clean_labels_text(self) -> list[str]:
        labels = unique_texts(self.cleaned_data["labels_text"].split(","))
        if len(labels) > MAX_LABELS:
            raise forms.ValidationError(f"At most {MAX_LABELS} labels.")
        if any(len(label) > MAX_LABEL_LENGTH for label in labels):
            raise forms.ValidationError(f"A label has at most {MAX_LABEL_LENGTH} characters.")
        return labels


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorForm
    list_display = (
        "id",
        "display_name",
        "segment",
        "segment_pinned",
        "do_not_contact",
        "crm_external_id",
        "identity_count",
        "mention_count",
        "created_at",
    )
    list_filter = ("segment", "segment_pinned", "do_not_contact")
    search_fields = (
        "display_name",
        "crm_external_id",
        "identities__handle",
        "identities__profile_url_normalized",
    )
    readonly_fields = (
        "display_name",
        "segment",
        "segment_updated_at",
        "crm_external_id",
        "do_not_contact",
        "anonymized_at",
        "created_at",
        "updated_at",
        "timeline",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "display_name",
                    ("segment", "segment_updated_at"),
                    "pinned_segment",
                    "labels_text",
                    "crm_external_id",
                    ("do_not_contact", "anonymized_at"),
                    ("created_at", "updated_at"),
                )
            },
        ),
        ("Add a note", {"fields": ("add_note",)}),
        ("Timeline (latest 50)", {"fields": ("timeline",)}),
    )
    inlines = (AuthorIdentityInline, AuthorNoteInline)
    actions = ("merge_into_oldest", "anonymize")
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _identities=Count("identities", distinct=True),
                _mentions=Count("mentions", distinct=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        editable = author_fields_editable(request.user)
        fields += [form_field for form_field, name in FORM_FIELDS.items() if name not in editable]
        return fields

    @admin.display(description="identities", ordering="_identities")
    def identity_count(self, author) -> int:
        return author._identities

    @admin.display(description="mentions", ordering="_mentions")
    def mention_count(self, author) -> int:
        return author._mentions

    @admin.display(description="pinned segment")
    def pinned_segment(self, author) -> str:
        return author.get_segment_display() if author.segment_pinned else "— computed —"

    @admin.display(description="labels")
    def labels_text(self, author) -> str:
        return ", ".join(author.labels or []) or "—"

    @admin.display(description="add a note")
    def add_note(self, author) -> str:
        return "—"

    @admin.display(description="timeline")
    def timeline(self, author):
        if author.pk is None:
            return "—"
        page = author_timeline(author.pk, limit=TIMELINE_SHOWN)
        if not page.entries:
            return "Nothing yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (entry.at.strftime("%Y-%m-%d %H:%M"), entry.kind, _describe(entry))
                for entry in page.entries
            ),
        )
        return format_html(
            "<table><thead><tr><th>when</th><th>what</th><th></th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )

    def has_add_permission(self, request) -> bool:
        return False  # authors arrive with their mentions

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # merge or anonymize instead: history is never dropped

    def has_change_permission(self, request, obj=None) -> bool:
        return bool(_roles(request) & WORKERS)

    def has_merge_permission(self, request) -> bool:
        return bool(_roles(request) & WORKERS)

    def has_anonymize_permission(self, request) -> bool:
        return bool(_roles(request) & MANAGERS)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        editable = author_fields_editable(request.user)
        changes: dict = {}
        if "labels_text" in form.changed_data and "labels" in editable:
            changes["labels"] = data["labels_text"]
        if data.get("add_note", "").strip() and "note" in editable:
            changes["note"] = data["add_note"]
        if "pinned_segment" in form.changed_data and "segment" in editable:
            changes["segment"] = data["pinned_segment"] or None
        if not changes:
            return
        try:
            author_update(author_id=obj.pk, user=request.user, **changes)
        except ApplicationError as exc:
            self.message_user(request, exc.as_text(), messages.ERROR)

    @admin.action(
        description="Merge the selected authors into the oldest of them", permissions=["merge"]
    )
    def merge_into_oldest(self, request, queryset):
        ids = sorted(queryset.values_list("pk", flat=True))
        if len(ids) < 2:
            self.message_user(request, "Select at least two authors to merge.", messages.WARNING)
            return
        kept, merged = ids[0], []
        for other in ids[1:]:
            try:
                author_merge(author_id=kept, other_id=other, user=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"#{other}: {exc.as_text()}", messages.ERROR)
            else:
                merged.append(other)
        if merged:
            self.message_user(
                request,
                f"Merged {', '.join(f'#{i}' for i in merged)} into author #{kept}.",
                messages.SUCCESS,
            )

    @admin.action(
        description="Anonymize the selected authors (cannot be undone)", permissions=["anonymize"]
    )
    def anonymize(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/authors/author/anonymize_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Anonymize authors?",
                    "opts": self.model._meta,
                    "authors": list(queryset),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        for author in queryset:
            author_anonymize(author_id=author.pk, user=request.user)
        self.message_user(
            request, f"Anonymized {queryset.count()} author(s); they are not to be contacted."
        )


def _describe(entry) -> str:
    data = entry.data
    if entry.kind in ("mention", "reply"):
        url = reverse("admin:mentions_mention_change", args=[data["mention_id"]])
        if entry.kind == "reply":
            return format_html(
                'answered <a href="{}">mention #{}</a>{}',
                url,
                data["mention_id"],
                f" by {data['by']}" if data["by"] else "",
            )
        return format_html(
            '<a href="{}">#{}</a> {} · {} · {} · {}',
            url,
            data["mention_id"],
            data["platform"],
            data["category"] or "unclassified",
            data["sentiment"] or "—",
            data["status"],
        ) + format_html("<br>{}", data["text"])
    if entry.kind == "note":
        return format_html("{}: {}", data["by"] or "?", data["text"])
    return format_html(
        "merged author #{} ({}){}",
        data["absorbed_author_id"],
        data["absorbed_display_name"] or "no name",
        f" by {data['by']}" if data["by"] else "",
    )
