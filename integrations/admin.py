"""The operators' screens for webhooks: endpoints (why one is disabled, at a glance), and the
delivery log with a redelivery action. Writes go through `integrations.services`."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html

from integrations.models import (
    CrmConnector,
    CrmJob,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from integrations.services import webhooks
from scrm.errors import ApplicationError
from scrm.event_types import EVENT_TYPES


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"style": "width: 40em"}),
        help_text="Checked against the SSRF guard: public addresses only.",
    )
    event_types = forms.MultipleChoiceField(
        choices=[(t, t) for t in sorted(EVENT_TYPES)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every event type, including those added later.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "description", "event_types", "active")

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("url")
        if url and (self.instance.pk is None or url != self.instance.url):
            try:
                webhooks.ssrf.check_url(url)
            except ApplicationError as exc:
                self.add_error("url", " ".join(exc.errors.get("url", [exc.detail])))
        return cleaned


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = (
        "url",
        "state",
        "event_list",
        "pending",
        "failed",
        "failing_since",
        "created_at",
    )
    list_filter = ("active",)
    search_fields = ("url", "description")
    readonly_fields = (
        "state",
        "masked_secret",
        "disabled_reason",
        "disabled_at",
        "failing_since",
        "previous_secret_expires_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("url", "description", "event_types", "active")}),
        (
            "State",
            {
                "fields": (
                    "state",
                    "disabled_reason",
                    "disabled_at",
                    "failing_since",
                    "masked_secret",
                    "previous_secret_expires_at",
                    "created_by",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    actions = ("enable", "disable", "rotate_secret", "send_now")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                pending_count=Count("deliveries", filter=Q(deliveries__status="pending")),
                failed_count=Count("deliveries", filter=Q(deliveries__status="failed")),
            )
        )

    @admin.display(description="state", ordering="active")
    def state(self, endpoint) -> str:
        if endpoint.active and endpoint.failing_since:
            return format_html(
                '<b style="color:#b25e00;white-space:nowrap">failing since {}</b>',
                f"{endpoint.failing_since:%d.%m %H:%M}",
            )
        if endpoint.active:
            return format_html('<span style="color:#2a7a2a">active</span>')
        return format_html(
            '<b style="color:#ba2121">disabled</b><br>{}', endpoint.disabled_reason or ""
        )

    @admin.display(description="events")
    def event_list(self, endpoint) -> str:
        return ", ".join(endpoint.event_types) if endpoint.event_types else "all"

    @admin.display(description="pending", ordering="pending_count")
    def pending(self, endpoint) -> int:
        return getattr(endpoint, "pending_count", 0)

    @admin.display(description="failed", ordering="failed_count")
    def failed(self, endpoint) -> int:
        return getattr(endpoint, "failed_count", 0)

    @admin.display(description="secret")
    def masked_secret(self, endpoint) -> str:
        return f"{endpoint.secret[:10]}… (rotate to see a new one)" if endpoint.secret else ""

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        try:
            if change:
                saved = webhooks.endpoint_update(endpoint_id=obj.pk, **data)
            else:
                saved = webhooks.endpoint_create(user=request.user, **data)
                self.message_user(
                    request,
                    f"Secret of {saved.url} (shown once): {saved.secret}",
                    messages.WARNING,
                )
        except ApplicationError as exc:
            self.message_user(request, exc.as_text(), messages.ERROR)
            return
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        webhooks.endpoint_delete(endpoint_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for endpoint in queryset:
            webhooks.endpoint_delete(endpoint_id=endpoint.pk)

    @admin.action(description="Enable (send what is pending now)")
    def enable(self, request, queryset):
        for endpoint in queryset:
            webhooks.endpoint_update(endpoint_id=endpoint.pk, active=True)
        self.message_user(request, f"{queryset.count()} endpoint(s) enabled.")

    @admin.action(description="Disable")
    def disable(self, request, queryset):
        for endpoint in queryset:
            webhooks.endpoint_update(endpoint_id=endpoint.pk, active=False)
        self.message_user(request, f"{queryset.count()} endpoint(s) disabled.")

    @admin.action(description="Rotate the secret (the old one signs for a while too)")
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            rotated = webhooks.endpoint_rotate_secret(endpoint_id=endpoint.pk)
            self.message_user(
                request, f"New secret of {rotated.url}: {rotated.secret}", messages.WARNING
            )

    @admin.action(description="Send the pending deliveries now")
    def send_now(self, request, queryset):
        sent = webhooks.endpoints_enqueue(endpoint_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Delivery runs enqueued for {sent} endpoint(s).")


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("attempted_at", "status_code", "duration_ms", "success", "error", "response_body")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-id",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "endpoint",
        "event_type",
        "event_created_at",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "short_error",
    )
    list_filter = ("status", "event_type", "endpoint")
    list_select_related = ("endpoint",)
    search_fields = ("=event__id",)
    date_hierarchy = "event_created_at"
    fields = (
        "endpoint",
        "event",
        "event_type",
        "ordering_key",
        "event_created_at",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
    )
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ("redeliver",)

    @admin.display(description="last error")
    def short_error(self, delivery) -> str:
        return delivery.last_error[:80]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Redeliver (same webhook-id)")
    def redeliver(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                webhooks.delivery_redeliver(delivery_id=delivery.pk)
            except ApplicationError as exc:
                self.message_user(request, f"#{delivery.pk}: {exc.as_text()}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} delivery(ies) will be sent again.")


class CrmConnectorForm(forms.ModelForm):
    base_url = forms.URLField(
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"style": "width: 40em"}),
        help_text="Bitrix24: the incoming-webhook URL, https://PORTAL/rest/USER_ID/CODE/ "
        "(scope: crm). It is the credential: keep it secret. HubSpot: https://api.hubapi.com",
    )
    token = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"style": "width: 40em"}),
        help_text="HubSpot: the private app's access token (scopes: crm.objects.contacts); "
        "amoCRM: the OAuth access token. Left empty, the stored one is kept.",
    )
    categories = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The mention categories that go to the CRM; none ticked: all.",
    )

    class Meta:
        model = CrmConnector
        fields = (
            "name",
            "kind",
            "base_url",
            "token",
            "oauth",
            "categories",
            "rate_per_second",
            "active",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from mentions.models import Category

        self.fields["categories"].choices = [
            (c.key, c.name_en or c.key) for c in Category.objects.order_by("key")
        ]

    def clean_token(self):
        return self.cleaned_data.get("token") or self.instance.token

    def clean_base_url(self):
        url = self.cleaned_data["base_url"]
        try:
            webhooks.ssrf.check_url(url, field="base_url")
        except ApplicationError as exc:
            raise forms.ValidationError(
                " ".join(exc.errors.get("base_url", [exc.detail]))
            ) from None
        return url


@admin.register(CrmConnector)
class CrmConnectorAdmin(admin.ModelAdmin):
    form = CrmConnectorForm
    list_display = ("name", "kind", "active", "category_list", "pending", "failed")
    list_filter = ("kind", "active")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                pending_count=Count("jobs", filter=Q(jobs__status="pending")),
                failed_count=Count("jobs", filter=Q(jobs__status="failed")),
            )
        )

    @admin.display(description="categories")
    def category_list(self, connector) -> str:
        return ", ".join(connector.categories) if connector.categories else "all"

    @admin.display(description="pending jobs", ordering="pending_count")
    def pending(self, connector) -> int:
        return getattr(connector, "pending_count", 0)

    @admin.display(description="failed jobs", ordering="failed_count")
    def failed(self, connector) -> int:
        return getattr(connector, "failed_count", 0)


@admin.register(CrmJob)
class CrmJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "connector",
        "action",
        "object_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    )
    list_filter = ("status", "action", "connector")
    list_select_related = ("connector",)
    readonly_fields = (
        "connector",
        "event",
        "action",
        "object_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "done_at",
        "created_at",
    )
    fields = readonly_fields
    actions = ("retry_now",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Retry now")
    def retry_now(self, request, queryset):
        from django.utils import timezone

        from integrations.services import crm

        ids = list(queryset.exclude(status="done").values_list("pk", flat=True))
        CrmJob.objects.filter(pk__in=ids).update(
            status="pending", attempts=0, next_attempt_at=timezone.now()
        )
        crm.crm_jobs_enqueue(job_ids=ids)
        self.message_user(request, f"{len(ids)} job(s) will run again.")
