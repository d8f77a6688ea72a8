"""What a webhook's `data` holds for each event type: the event's facts and the object as the
API shows it at delivery time.

An outbox payload holds ids and the facts of the change (`scrm.event_types`), never copies of
personal data; a delivery renders the object when it is sent, with the API's own serializer, so
a receiver gets what `GET` on the object would answer at that moment (an author forgotten since
is sent forgotten). `data` is the payload plus the object under its name:

    {"type": "mention.claimed", "timestamp": "…", "data": {"mention_id": 7, "claimed_by": 3,
     "mention": {…as GET /api/v1/mentions/7/ lists it…}}}

The object is `null` when it no longer exists (an author absorbed by a merge).

Registering a type is one call, made where the app's serializers live is known (here, since
domain apps never import integrations):

    register("response.sent", "response", "response_id",
             api_renderer(response_list, ResponseSerializer))

A type with no renderer is sent with its payload alone, so that no event is held back.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

RenderMany = Callable[[list], dict]  # ids -> {id: representation}


@dataclass(frozen=True)
class Renderer:
    event_type: str
    object_name: str  # the key of the object in `data`, and of the ordering key
    id_field: str  # the payload field holding the object's id
    render_many: RenderMany


_renderers: dict[str, Renderer] = {}


def register(event_type: str, object_name: str, id_field: str, render_many: RenderMany) -> None:
    _renderers[event_type] = Renderer(event_type, object_name, id_field, render_many)


def renderer_for(event_type: str) -> Renderer | None:
    return _renderers.get(event_type)


def api_renderer(queryset: Callable[[], QuerySet], serializer_class) -> RenderMany:
    """A renderer from a selector (a queryset with what the serializer needs loaded) and the
    API's output serializer: one query (plus the selector's prefetches) per batch."""

    def render(ids: list) -> dict:
        objects = queryset().filter(pk__in=ids)
        return {obj.pk: serializer_class(obj).data for obj in objects}

    return render


def ordering_key(event_type: str, payload: dict, event_id) -> str:
    """The object an event is about (`mention:12`): one object's events reach an endpoint in
    order. An event about no known object orders by itself."""
    renderer = _renderers.get(event_type)
    if renderer is not None and payload.get(renderer.id_field) is not None:
        return f"{renderer.object_name}:{payload[renderer.id_field]}"[:100]
    return f"event:{event_id}"


def render_data(items: Iterable[tuple[str, dict]]) -> list[dict]:
    """`data` for each (event type, payload), rendering each type's objects in one batch."""
    items = list(items)
    wanted: dict[str, set] = {}
    for event_type, payload in items:
        renderer = _renderers.get(event_type)
        if renderer is not None and payload.get(renderer.id_field) is not None:
            wanted.setdefault(event_type, set()).add(payload[renderer.id_field])
    rendered = {
        event_type: _renderers[event_type].render_many(sorted(ids))
        for event_type, ids in wanted.items()
    }
    out = []
    for event_type, payload in items:
        renderer = _renderers.get(event_type)
        data = dict(payload)
        if renderer is not None:
            obj = rendered.get(event_type, {}).get(payload.get(renderer.id_field))
            data[renderer.object_name] = obj
        out.append(data)
    return out


def register_defaults() -> None:
    """The renderers of the domain apps this repository has."""
    from mentions.api.serializers import MentionSerializer
    from mentions.selectors import mention_list
    from profiles.api.serializers import AuthorListSerializer
    from profiles.selectors import author_list

    mentions = api_renderer(mention_list, MentionSerializer)
    for event_type in (
        "mention.created",
        "mention.processed",
        "mention.corrected",
        "mention.claimed",
        "mention.closed",
        "mention.answered",
    ):
        register(event_type, "mention", "mention_id", mentions)

    authors = api_renderer(author_list, AuthorListSerializer)
    for event_type in ("author.created", "author.updated", "author.merged", "author.anonymized"):
        register(event_type, "author", "author_id", authors)

    from knowledge_base.api.serializers import ArticleSerializer, ExpertRequestSerializer
    from knowledge_base.models import Article, ExpertRequest

    # The knowledge base's selectors take the caller (what a user may read); a webhook goes to
    # an integration, which reads published articles: the published ones are the event's.
    register(
        "article.published",
        "article",
        "article_id",
        api_renderer(
            lambda: Article.objects.select_related("owner").prefetch_related(
                "categories", "subjects"
            ),
            ArticleSerializer,
        ),
    )
    requests = api_renderer(
        lambda: ExpertRequest.objects.select_related(
            "expert", "team", "answered_by", "approved_by", "article"
        ).prefetch_related("links"),
        ExpertRequestSerializer,
    )
    for event_type in ("expert_request.created", "expert_request.answered"):
        register(event_type, "expert_request", "request_id", requests)

    from integrations.api.serializers import WebhookEndpointSerializer
    from integrations.models import WebhookEndpoint

    register(
        "webhook_endpoint.disabled",
        "endpoint",
        "endpoint_id",
        api_renderer(WebhookEndpoint.objects.all, WebhookEndpointSerializer),
    )
