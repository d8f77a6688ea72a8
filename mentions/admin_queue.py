"""The operators' queue screen in the admin: claim next, read the mention with its author and
category, correct what processing decided, release, answer or close.

The changelist of the `QueueItem` proxy IS the queue (`queue_for(user)`, most urgent first);
each mention has a work page with one POST form per move. Every move calls exactly one service,
shows a refused move's `.detail` as a message and redirects back (post/redirect/get): the
admin answers with the same rules as the API, never with a 500.

Only operators and managers (superusers hold every role) with the `mentions.view_queueitem`
permission see these pages; everyone else gets a 403.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince, timeuntil

from mentions.models import (
    CLOSE_RESOLUTIONS,
    Category,
    Correction,
    Mention,
    MentionSubject,
    Priority,
    QueueEvent,
    QueueItem,
    Sentiment,
    Team,
)
from mentions.queue_rules import Move, moves_allowed, queue_for, user_team_ids
from mentions.services.corrections import mention_correct
from mentions.services.queue import (
    mention_claim,
    mention_claim_next,
    mention_close,
    mention_mark_answered,
    mention_release,
    mention_reopen,
)
from scrm.errors import ApplicationError, NotFound
from scrm.roles import WORKERS, user_roles

S = Mention.Status

# Links the apps above mentions add to the work page (a reply box, …) without mentions
# importing them: each is called with (request, mention) and gives (label, url, note) or None.
WORK_PAGE_LINKS: list = []


def register_work_page_link(link) -> None:
    if link not in WORK_PAGE_LINKS:
        WORK_PAGE_LINKS.append(link)


DO_NOT_CONTACT_WARNING = "Do not contact: the author asked to be forgotten."
OTHER_MENTIONS_SHOWN = 10
CORRECTIONS_SHOWN = 10
TEXT_PREVIEW = 140


def _subject_links():
    return Prefetch(
        "subject_links",
        queryset=MentionSubject.objects.select_related("subject").order_by("-is_main", "id"),
    )


def _safe_url(url: str) -> str:
    """The URL if it is a web address; never a `javascript:` link in an operator's admin."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def _followers(count: int | None) -> str:
    return "—" if count is None else f"{count:,}"


def _author_name(identity) -> str:
    if identity is None:
        return "—"
    return identity.display_name or identity.handle or identity.external_id or "—"


def _sla(due, *, now, done: bool = False):
    if due is None:
        return "—"
    local = timezone.localtime(due)
    # Today's deadlines by the clock alone: the date is noise in a queue worked all day.
    when = local.strftime("%H:%M" if local.date() == timezone.localdate(now) else "%Y-%m-%d %H:%M")
    if done:
        return when
    if due <= now:
        return format_html(
            '<strong class="queue-overdue" style="color:#ba2121">{} (overdue by {})</strong>',
            when,
            timesince(due, now, depth=1),
        )
    return format_html("{} (in {})", when, timeuntil(due, now, depth=1))


class CorrectionForm(forms.Form):
    """What the work page offers to correct; the service validates what is posted."""

    category = forms.ChoiceField(required=False)
    sentiment = forms.ChoiceField(required=False, choices=[("", "—"), *Sentiment.choices])
    priority = forms.ChoiceField(required=False, choices=[("", "—"), *Priority.choices])

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.key, str(c)) for c in categories]


class CloseForm(forms.Form):
    resolution = forms.ChoiceField(choices=CLOSE_RESOLUTIONS)


class ReopenForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.TextInput(attrs={"size": 40}))


@admin.register(QueueItem)
class QueueItemAdmin(admin.ModelAdmin):
    change_list_template = "admin/mentions/queue/change_list.html"
    work_template = "admin/mentions/queue/work.html"

    list_display = (
        "priority_label",
        "sla_due",
        "platform",
        "text_link",
        "author_info",
        "category_name",
        "sentiment",
        "subject_list",
    )
    list_display_links = None
    list_select_related = ("author", "author_identity", "category", "main_subject")
    list_filter = ("platform", "category", "sentiment", "priority")
    search_fields = ("text", "title", "author_identity__handle", "author_identity__display_name")
    sortable_by = ("priority_label", "sla_due", "platform")
    ordering = ("priority_rank", "sla_due_at", "id")  # the queue's order, as queue_for sorts
    list_per_page = 50
    actions = None
    empty_value_display = "—"

    # --- Who may use the queue -------------------------------------------------------------

    def has_view_permission(self, request, obj=None) -> bool:
        return bool(user_roles(request.user) & WORKERS) and super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # mentions change through the work page's services only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _require_access(self, request) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    # --- The queue (changelist) ------------------------------------------------------------

    def get_queryset(self, request):
        return (
            queue_for(request.user)
            .select_related("author", "author_identity", "category", "main_subject")
            .prefetch_related(_subject_links())
        )

    def changelist_view(self, request, extra_context=None):
        context = {"title": "Queue"}
        if self.has_view_permission(request):
            team_ids = user_team_ids(request.user)
            context.update(
                teams=list(Team.objects.filter(pk__in=team_ids).values_list("name", flat=True)),
                held=list(
                    Mention.objects.filter(Mention.in_status(S.CLAIMED), claimed_by=request.user)
                    .select_related("author", "author_identity")
                    .order_by("lease_expires_at", "id")
                ),
                now=timezone.now(),
            )
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A queue item opens on its work page; there is no form that edits a mention."""
        self._require_access(request)
        return redirect(self._work_url(object_id))

    @admin.display(description="priority", ordering="priority_rank")
    def priority_label(self, mention):
        label = mention.get_priority_display() or "—"
        if mention.priority in (Priority.URGENT, Priority.HIGH):
            return format_html("<strong>{}</strong>", label)
        return label

    @admin.display(description="SLA due", ordering="sla_due_at")
    def sla_due(self, mention):
        return _sla(mention.sla_due_at, now=timezone.now())

    @admin.display(description="text")
    def text_link(self, mention):
        text = (mention.title or mention.text).strip() or "(no text)"
        if len(text) > TEXT_PREVIEW:
            text = text[:TEXT_PREVIEW] + "…"
        return format_html('<a href="{}">{}</a>', self._work_url(mention.pk), text)

    @admin.display(description="author")
    def author_info(self, mention):
        identity = mention.author_identity
        warning = _do_not_contact(mention)
        if identity is None:
            return warning or "—"
        return format_html(
            "{}<br><small>{} followers</small>{}",
            _author_name(identity),
            _followers(identity.followers),
            format_html("<br>{}", warning) if warning else "",
        )

    @admin.display(description="category")
    def category_name(self, mention) -> str:
        return mention.category.name_en if mention.category else "—"

    @admin.display(description="subjects")
    def subject_list(self, mention):
        links = list(mention.subject_links.all())
        if not links:
            return "—"
        return format_html_join(
            ", ",
            "{}",
            (
                (
                    format_html("<strong>{}</strong>", link.subject)
                    if link.is_main
                    else link.subject,
                )
                for link in links
            ),
        )

    # --- URLs --------------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        mine = [
            path("claim-next/", wrap(self.claim_next_view), name=f"{name}_claim_next"),
            path("<int:mention_id>/work/", wrap(self.work_view), name=f"{name}_work"),
            path("<int:mention_id>/claim/", wrap(self.claim_view), name=f"{name}_claim"),
            path("<int:mention_id>/release/", wrap(self.release_view), name=f"{name}_release"),
            path("<int:mention_id>/close/", wrap(self.close_view), name=f"{name}_close"),
            path("<int:mention_id>/answered/", wrap(self.answered_view), name=f"{name}_answered"),
            path("<int:mention_id>/correct/", wrap(self.correct_view), name=f"{name}_correct"),
            path("<int:mention_id>/reopen/", wrap(self.reopen_view), name=f"{name}_reopen"),
        ]
        return mine + super().get_urls()  # before the default `<path:object_id>/` catch-all

    def _url(self, action: str, *args) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{action}",
            args=args,
            current_app=self.admin_site.name,
        )

    def _work_url(self, mention_id) -> str:
        return self._url("work", mention_id)

    # --- The moves: POST, one service each, redirect back ----------------------------------

    def _move(self, request, mention_id, call, success: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._require_access(request)
        try:
            message = call() or success
        except NotFound as exc:
            messages.error(request, exc.detail)
            return redirect(self._url("changelist"))
        except ApplicationError as exc:
            messages.error(request, exc.as_text())
        else:
            messages.success(request, message)
        return redirect(self._work_url(mention_id))

    def claim_next_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._require_access(request)
        try:
            mention = mention_claim_next(user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.as_text())
            return redirect(self._url("changelist"))
        if mention is None:
            messages.info(request, "The queue is empty.")
            return redirect(self._url("changelist"))
        messages.success(request, f"You hold this mention until {_time(mention.lease_expires_at)}.")
        return redirect(self._work_url(mention.pk))

    def claim_view(self, request, mention_id):
        def call():
            mention = mention_claim(mention_id=mention_id, user=request.user)
            return f"You hold this mention until {_time(mention.lease_expires_at)}."

        return self._move(request, mention_id, call, "")

    def release_view(self, request, mention_id):
        def call():
            mention_release(mention_id=mention_id, user=request.user)

        return self._move(request, mention_id, call, "Released: the mention is back in the queue.")

    def close_view(self, request, mention_id):
        resolution = request.POST.get("resolution", "")

        def call():
            mention = mention_close(mention_id=mention_id, user=request.user, resolution=resolution)
            return f"Closed as {mention.get_resolution_display().lower()}."

        return self._move(request, mention_id, call, "")

    def answered_view(self, request, mention_id):
        def call():
            mention_mark_answered(mention_id=mention_id, user=request.user)

        return self._move(request, mention_id, call, "Marked answered.")

    def reopen_view(self, request, mention_id):
        reason = request.POST.get("reason", "")

        def call():
            mention = mention_reopen(mention_id=mention_id, user=request.user, reason=reason)
            return f"Reopened: the mention is {mention.get_status_display().lower()}."

        return self._move(request, mention_id, call, "")

    def correct_view(self, request, mention_id):
        """Correct category, sentiment and priority: only the fields the operator changed become
        corrections (training labels); a select left as it was corrects nothing."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._require_access(request)
        mention = get_object_or_404(Mention.objects.select_related("category"), pk=mention_id)
        current = {
            "category": mention.category.key if mention.category else "",
            "sentiment": mention.sentiment,
            "priority": mention.priority,
        }
        changes = {
            field: value
            for field in current
            if (value := request.POST.get(field, "").strip()) and value != current[field]
        }
        if not changes:
            messages.info(request, "Nothing to correct: every value is as it was.")
            return redirect(self._work_url(mention_id))

        def call():
            mention_correct(mention=mention, user=request.user, **changes)
            return "Corrected " + ", ".join(f"{f} to {v}" for f, v in changes.items()) + "."

        return self._move(request, mention_id, call, "")

    # --- The work page ---------------------------------------------------------------------

    def work_view(self, request, mention_id):
        self._require_access(request)
        mention = get_object_or_404(
            Mention.objects.select_related(
                "author", "author_identity", "category", "main_subject", "team", "claimed_by"
            ).prefetch_related(_subject_links()),
            pk=mention_id,
        )
        user = request.user
        now = timezone.now()
        claimed = mention.status == S.CLAIMED
        mine = claimed and mention.claimed_by_id == user.pk
        lease_over = bool(claimed and mention.lease_expires_at and mention.lease_expires_at <= now)
        done = mention.status in (S.ANSWERED, S.CLOSED)
        moves = moves_allowed(mention, user, now=now)

        if mention.author_id:
            others = Mention.objects.filter(author_id=mention.author_id)
        elif mention.author_identity_id:
            others = Mention.objects.filter(author_identity_id=mention.author_identity_id)
        else:
            others = Mention.objects.none()
        others = others.exclude(pk=mention.pk)
        other_count = others.count()
        identity = mention.author_identity

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": mention.title or f"Mention #{mention.pk}",
            "mention": mention,
            "now": now,
            "url": _safe_url(mention.url),
            "identity": identity,
            "author_name": _author_name(identity),
            "followers": _followers(identity.followers) if identity else "—",
            "profile_url": _safe_url(identity.profile_url) if identity else "",
            "other_count": other_count,
            "other_mentions": list(
                others.select_related("author").order_by("-published_at", "-id")[
                    :OTHER_MENTIONS_SHOWN
                ]
            )
            if other_count
            else [],
            "other_mentions_url": (
                reverse("admin:mentions_mention_changelist")
                + (
                    f"?author__id__exact={mention.author_id}"
                    if mention.author_id
                    else f"?author_identity__id__exact={mention.author_identity_id}"
                )
            ),
            "subject_links": list(mention.subject_links.all()),
            "sla": _sla(mention.sla_due_at, now=now, done=done),
            "lease_over": lease_over,
            "mine": mine,
            # The buttons are the moves `mentions.queue_rules` allows: the services' own rules.
            "can_claim": Move.CLAIM in moves and not mine,
            "can_renew": Move.CLAIM in moves and mine,
            "can_release": Move.RELEASE in moves,
            "can_answer": Move.ANSWER in moves,
            "can_close": Move.CLOSE in moves,
            "can_reopen": Move.REOPEN in moves,
            "can_correct": Move.CORRECT in moves,
            "do_not_contact": _do_not_contact(mention),
            "reopen_form": ReopenForm(),
            "reopens": list(
                QueueEvent.objects.filter(mention=mention, kind=QueueEvent.Kind.REOPENED)
                .select_related("actor")
                .order_by("-created_at", "-id")[:CORRECTIONS_SHOWN]
            ),
            "correction_form": CorrectionForm(
                categories=Category.objects.filter(active=True),
                initial={
                    "category": mention.category.key if mention.category else "",
                    "sentiment": mention.sentiment,
                    "priority": mention.priority,
                },
            ),
            "close_form": CloseForm(),
            "corrections": list(
                Correction.objects.filter(mention=mention).select_related("created_by")[
                    :CORRECTIONS_SHOWN
                ]
            ),
            "urls": {
                action: self._url(action, mention.pk)
                for action in ("claim", "release", "close", "answered", "correct", "reopen")
            },
            "claim_next_url": self._url("claim_next"),
            "queue_url": self._url("changelist"),
            "extra_links": [
                found for link in WORK_PAGE_LINKS if (found := link(request, mention)) is not None
            ],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.work_template, context)


def _do_not_contact(mention) -> str:
    """The warning an operator sees wherever a mention of a do-not-contact author is shown."""
    if mention.author_id and mention.author.do_not_contact:
        return format_html('<strong class="queue-warning">{}</strong>', DO_NOT_CONTACT_WARNING)
    return ""


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else "—"
