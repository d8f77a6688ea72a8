from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "mentions"
    verbose_name = "Mentions"

    def ready(self) -> None:
        from mentions import author_segments, privacy

        # Mentions serve authors through hooks, so that authors never imports mentions: the
        # eraser an anonymization calls, and segments recomputed when mentions change.
        privacy.connect()
        author_segments.connect()
