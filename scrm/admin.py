"""The outbox in the admin: read-only, with a retry for events left undone."""

from django.contrib import admin, messages

from scrm.models import OutboxDelivery, OutboxEvent
from scrm.outbox import outbox_events_retry


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
