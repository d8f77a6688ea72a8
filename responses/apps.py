from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "responses"
    verbose_name = "Responses"

    def ready(self) -> None:
        from authors.privacy import register_eraser
        from responses.api.serializers import ReplyDetailSerializer
        from responses.privacy import replies_erase_author
        from responses.selectors import reply_list
        from scrm.event_renderers import api_renderer, register

        register_eraser(replies_erase_author)
        # How outgoing events (webhooks) show a reply: as GET /api/v1/responses/<id>/ does.
        render = api_renderer(reply_list, ReplyDetailSerializer)
        for event_type in ("response.submitted", "response.approved", "response.sent"):
            register(event_type, "response", "reply_id", render)
