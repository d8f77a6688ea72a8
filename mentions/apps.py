from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "mentions"
    verbose_name = "Mentions"

    def ready(self) -> None:
        from mentions import subscribers

        subscribers.connect()
