"""The admin's frame and its API-token screen."""

from django.contrib import admin
from knox.models import AuthToken

from scrm import accounts

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
