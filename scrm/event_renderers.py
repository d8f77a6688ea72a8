"""What an outgoing event's `data` holds (a webhook's, a CRM's): the event's facts and the
object as the API shows it at delivery time.

An outbox payload holds ids and the facts of the change (`scrm.event_types`), never copies of
personal data; a delivery renders the object when it is sent, with the API's own serializer, so
a receiver gets what `GET` on the object would answer at that moment (an author forgotten since
is sent forgotten). `data` is the payload plus the object under its name:

    {"type": "mention.claimed", "timestamp": "…", "data": {"mention_id": 7, "claimed_by": 3,
     "mention": {…as GET /api/v1/mentions/7/ lists it…}}}

The object is `null` when it no longer exists (an author absorbed by a merge).

The registry lives here, at the bottom of the layers, so that the app that owns an object's
API registers how it is shown, in its `AppConfig.ready`, without importing `integrations`
(nothing imports it). Registering a type is one call:

    register("response.sent", "response", "response_id",
             api_renderer(response_list, ResponseSerializer))

Registered today: `mention.*` (mentions), `author.*` (profiles, whose API shows authors),
`article.published` and `expert_request.*` (knowledge_base), `webhook_endpoint.disabled`
(integrations).

A type with no renderer is sent with its payload alone, so that no event is held back.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

logger = logging.getLogger(__name__)

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
    rendered = {}
    for event_type, ids in wanted.items():
        try:
            rendered[event_type] = _renderers[event_type].render_many(sorted(ids))
        except Exception:
            # A renderer that breaks must not hold the events back: they go with their
            # payload, and the object is null.
            logger.exception("Rendering %s failed; sent without the object", event_type)
    out = []
    for event_type, payload in items:
        renderer = _renderers.get(event_type)
        data = dict(payload)
        if renderer is not None:
            obj = rendered.get(event_type, {}).get(payload.get(renderer.id_field))
            data[renderer.object_name] = obj
        out.append(data)
    return out
