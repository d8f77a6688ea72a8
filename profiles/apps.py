from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    """The author's profile and timeline: a read-only composition over the domain apps.

    It imports `authors` and `mentions` (and, as they land, `knowledge_base` and `responses`);
    nothing imports it. It owns no models: the author endpoints (`/api/v1/authors/…`) and the
    admin author page live here because both show the profile.
    """

    name = "profiles"
    verbose_name = "Author profiles"
