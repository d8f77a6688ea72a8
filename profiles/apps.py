from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    """The author's profile and timeline: a read-only composition over the domain apps.

    It imports `authors` and `mentions` (and, as they land, `knowledge_base` and `responses`);
    nothing imports it. It owns no models: the author endpoints (`/api/v1/authors/…`) and the
    admin author page live here because both show the profile.
    """

    name = "profiles"
    verbose_name = "Author profiles"

    def ready(self) -> None:
        from profiles.api.serializers import AuthorListSerializer
        from profiles.selectors import author_list
        from scrm.event_renderers import api_renderer, register

        # How outgoing events about an author show it: as the author list does.
        render = api_renderer(author_list, AuthorListSerializer)
        for event_type in (
            "author.created",
            "author.updated",
            "author.merged",
            "author.anonymized",
        ):
            register(event_type, "author", "author_id", render)
