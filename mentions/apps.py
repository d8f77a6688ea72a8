from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "mentions"
    verbose_name = "Mentions"

    def ready(self) -> None:
        from mentions import subscribers

        subscribers.connect()
        _register_event_renderers()


def _register_event_renderers() -> None:
    """How outgoing events about a mention show it: as the mention list does."""
    from mentions.api.serializers import MentionSerializer
    from mentions.selectors import mention_list
    from scrm.event_renderers import api_renderer, register

    render = api_renderer(mention_list, MentionSerializer)
    for event_type in (
        "mention.created",
        "mention.processed",
        "mention.corrected",
        "mention.claimed",
        "mention.closed",
        "mention.answered",
    ):
        register(event_type, "mention", "mention_id", render)
