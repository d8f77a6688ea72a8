from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "responses"
    verbose_name = "Responses"

    def ready(self) -> None:
        from authors.privacy import register_eraser
        from responses.privacy import replies_erase_author

        register_eraser(replies_erase_author)
