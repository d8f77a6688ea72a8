"""The admin's frame, its API-token screen, and the outbox (read-only, with a retry for events
left undone)."""

from django.contrib import admin, messages
from knox.models import AuthToken

from scrm import accounts
from scrm.models import OutboxDelivery, OutboxEvent
from scrm.outbox import outbox_events_retry

# "View site" leads to the API's documentation (the project has no public site; a debug 404 was
# all the default "/" gave).
admin.site.site_url = "/api/docs/"


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by `manage.py create_api_token` (shown once); here they are revoked.

    Each user sees the tokens `scrm.accounts` lets them revoke: their own, and a manager also
    those of operators, experts and integrations.
    """

    list_display = ("token_key", "user", "created", "expiry")
    search_fields = ("token_key", "user__username")
    list_select_related = ("user",)
    fields = ("token_key", "user", "created", "expiry")
    readonly_fields = fields

    def get_queryset(self, request):
        return accounts.api_tokens_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        accounts.api_token_revoke(actor=request.user, token_id=obj.token_key)

    def delete_queryset(self, request, queryset):
        for token in queryset:
            accounts.api_token_revoke(actor=request.user, token_id=token.token_key)


class OutboxDeliveryInline(admin.TabularInline):
    model = OutboxDelivery
    fields = ("handler", "attempts", "last_attempt_at", "done_at", "last_error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "type", "id", "done_at", "attempts", "next_attempt_at")
    list_filter = ("type", ("done_at", admin.EmptyFieldListFilter))
    search_fields = ("=id",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "id",
        "type",
        "payload",
        "created_at",
        "dispatched_at",
        "attempts",
        "next_attempt_at",
        "done_at",
        "last_error",
    )
    fields = readonly_fields
    inlines = [OutboxDeliveryInline]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(description="Retry the selected undone events now", permissions=["retry"])
    def retry(self, request, queryset):
        count = outbox_events_retry(event_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"{count} events handed over again.", messages.SUCCESS)
