"""The identities screen (read-only). The author page, which shows the profile and timeline,
is in `profiles.admin`."""

from django.contrib import admin

from authors.models import AuthorIdentity


@admin.register(AuthorIdentity)
class AuthorIdentityAdmin(admin.ModelAdmin):
    list_display = ("platform", "handle", "display_name", "followers", "author", "updated_at")
    list_filter = ("platform", "verified", "erased")
    search_fields = ("handle", "display_name", "external_id", "profile_url")
    list_select_related = ("author",)
    readonly_fields = [f.name for f in AuthorIdentity._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
