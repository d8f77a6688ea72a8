"""The OpenAPI 3.1 `webhooks` of the schema: one per durable event type, with its body.

A postprocessing hook (SPECTACULAR_SETTINGS): every type in `scrm.event_types.EVENT_TYPES`
becomes a webhook whose body is `{"type", "timestamp", "data"}`, `data` being the event's
payload (its pydantic schema) plus the object as the API shows it (the API's own component), so
a type another app adds is documented without a line here; its renderer names the object.
"""

from pydantic.json_schema import model_json_schema

from scrm.api.schema import _untitled
from scrm.event_renderers import renderer_for
from scrm.event_types import EVENT_TYPES

# The component of the API's serializer that renders each object.
OBJECT_COMPONENTS = {
    "mention": "Mention",
    "author": "AuthorList",
    "article": "Article",
    "expert_request": "ExpertRequest",
    "response": "ReplyDetail",
    "endpoint": "WebhookEndpoint",
}

SIGNING = (
    "Signed as the Standard Webhooks specification says: `webhook-signature` is "
    '`v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` with the '
    "endpoint's secret (base64-decoded after `whsec_`); during a secret rotation two signatures "
    "are sent, space-separated. `webhook-id` is the event's id, the same on every retry: drop "
    "duplicates by it. Answer 2xx within 15 s; anything else is retried with backoff for about "
    "three days; 410 disables the endpoint."
)

HEADERS = [
    ("webhook-id", "The event's id (UUID), stable across retries: the idempotency key."),
    ("webhook-timestamp", "Unix seconds of this attempt; reject one far from your clock."),
    ("webhook-signature", "`v1,<base64>`, space-separated when more than one secret signs."),
]


def _component_name(event_type: str) -> str:
    words = "".join(p.title() for p in event_type.replace("_", ".").split("."))
    return (words if words.startswith("Webhook") else "Webhook" + words) + "Event"


def postprocess_webhooks(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    webhooks = {}
    for event_type, model in EVENT_TYPES.items():
        payload = model_json_schema(
            model, ref_template="#/components/schemas/Webhook{model}", mode="serialization"
        )
        for sub_name, sub_schema in payload.pop("$defs", {}).items():
            schemas.setdefault(f"Webhook{sub_name}", _untitled(sub_schema))
        data = _untitled(payload)
        data.pop("description", None)
        data.pop("additionalProperties", None)  # fields may be added; receivers ignore them
        renderer = renderer_for(event_type)
        if renderer is not None:
            component = OBJECT_COMPONENTS.get(renderer.object_name)
            shown = (
                {"$ref": f"#/components/schemas/{component}"}
                if component in schemas
                else {"type": "object", "additionalProperties": True}
            )
            data.setdefault("properties", {})[renderer.object_name] = {
                "oneOf": [shown, {"type": "null"}],
                "description": "The object as the API shows it when the event is delivered; "
                "null if it no longer exists.",
            }
            data.setdefault("required", []).append(renderer.object_name)
        name = _component_name(event_type)
        doc = " ".join((model.__doc__ or "").split())
        schemas[name] = {
            "type": "object",
            "description": doc,
            "properties": {
                "type": {"type": "string", "const": event_type},
                "timestamp": {
                    "type": "string",
                    "format": "date-time",
                    "description": "When the event happened (UTC).",
                },
                "data": data,
            },
            "required": ["type", "timestamp", "data"],
        }
        webhooks[event_type] = {
            "post": {
                "operationId": "webhook_" + event_type.replace(".", "_"),
                "summary": doc.split(". ")[0].rstrip("."),
                "description": f"{doc}\n\n{SIGNING}",
                "tags": ["webhooks"],
                "parameters": [
                    {
                        "name": header,
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": text,
                    }
                    for header, text in HEADERS
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                },
                "responses": {
                    "2XX": {"description": "Received."},
                    "410": {"description": "Gone: the endpoint is disabled, nothing more is sent."},
                },
            }
        }
    result["webhooks"] = webhooks
    return result
