"""Where people write. Shared by authors (identities) and mentions."""

from django.db import models


class Platform(models.TextChoices):
    VK = "vk", "VK"
    TELEGRAM = "telegram", "Telegram"
    TWITTER = "twitter", "X / Twitter"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    YOUTUBE = "youtube", "YouTube"
    FORUM = "forum", "Forum"
    REVIEW_SITE = "review_site", "Review site"
    NEWS = "news", "News"
    OTHER = "other", "Other"


# Domains monitoring tools send instead of a platform name.
PLATFORM_BY_DOMAIN = {
    "vk.com": Platform.VK,
    "m.vk.com": Platform.VK,
    "vkontakte.ru": Platform.VK,
    "t.me": Platform.TELEGRAM,
    "telegram.org": Platform.TELEGRAM,
    "telegram.me": Platform.TELEGRAM,
    "twitter.com": Platform.TWITTER,
    "x.com": Platform.TWITTER,
    "instagram.com": Platform.INSTAGRAM,
    "facebook.com": Platform.FACEBOOK,
    "fb.com": Platform.FACEBOOK,
    "youtube.com": Platform.YOUTUBE,
    "youtu.be": Platform.YOUTUBE,
}


def platform_from_domain(domain: str | None) -> str | None:
    """The platform a domain belongs to (`www.` and `m.` ignored), or None if unknown."""
    if not domain:
        return None
    host = domain.lower().strip().removeprefix("https://").removeprefix("http://").split("/")[0]
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    return PLATFORM_BY_DOMAIN.get(host)
