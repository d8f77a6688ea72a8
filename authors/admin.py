from django.contrib import admin
from django.db.models import Count

from authors.models import Author, AuthorIdentity


class AuthorIdentityInline(admin.TabularInline):
    model = AuthorIdentity
    extra = 0
    can_delete = False
    fields = ("platform", "handle", "display_name", "external_id", "profile_url", "followers")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("id", "display_name", "identity_count", "mention_count", "created_at")
    search_fields = ("display_name", "identities__handle", "identities__profile_url")
    readonly_fields = ("display_name", "created_at", "updated_at")
    inlines = (AuthorIdentityInline,)
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

    @admin.display(description="identities", ordering="_identities")
    def identity_count(self, author) -> int:
        return author._identities

    @admin.display(description="mentions", ordering="_mentions")
    def mention_count(self, author) -> int:
        return author._mentions

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuthorIdentity)
class AuthorIdentityAdmin(admin.ModelAdmin):
    list_display = ("platform", "handle", "display_name", "followers", "author", "updated_at")
    list_filter = ("platform",)
    search_fields = ("handle", "display_name", "external_id", "profile_url")
    list_select_related = ("author",)
    readonly_fields = [f.name for f in AuthorIdentity._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
