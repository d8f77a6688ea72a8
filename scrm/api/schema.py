"""How the OpenAPI document describes the ingest's pydantic models.

drf-spectacular's own pydantic support names the component after the class but lets pydantic's
titles through, and it registers nested models under their bare names in both directions. A
client generator names classes after `title`, so `MentionInRequest` (titled `MentionIn`) and the
nested `MentionIn` of the bulk body became two classes of one name. Here every request schema is
pydantic's *validation* schema, its nested models are `<Model>Request` components like the
outer one, and no schema carries a title of its own: the component name is the only name.
"""

from drf_spectacular.contrib.pydantic import PydanticExtension
from drf_spectacular.plumbing import ResolvedComponent
from pydantic.json_schema import model_json_schema

# JSON Schema keywords whose value is a mapping of names to schemas (not itself a schema).
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def _untitled(node):
    if isinstance(node, list):
        return [_untitled(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "title":
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: _untitled(schema) for name, schema in value.items()}
        else:
            out[key] = _untitled(value)
    return out


class PydanticComponents(PydanticExtension):
    priority = 1  # before drf-spectacular's own PydanticExtension

    def map_serializer(self, auto_schema, direction):
        suffix = "Request" if direction == "request" else ""
        schema = model_json_schema(
            self.target,
            ref_template="#/components/schemas/{model}" + suffix,
            mode="validation" if direction == "request" else "serialization",
        )
        for sub_name, sub_schema in schema.pop("$defs", {}).items():
            auto_schema.registry.register_on_missing(
                ResolvedComponent(
                    name=sub_name + suffix,
                    type=ResolvedComponent.SCHEMA,
                    object=sub_name + suffix,
                    schema=_untitled(sub_schema),
                )
            )
        return _untitled(schema)


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: a stable machine-readable `code`, a `detail` for people, and "
    "for bad input `errors` naming each field (nested fields dotted).",
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "detail"],
}


def postprocess_error_responses(result, generator, request, public):
    """Every operation may answer an error (400, 401, 403, 404, 409, 413, 429) in the one error
    shape: the document says so with a `default` response."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {
        "description": "An error, in the one error shape.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("default", error)
    return result
