"""What managers keep: reply templates, the communication policy (a new version per edit) and
how each employee replies (public name, review)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from mentions.models import Category, Sentiment
from responses import placeholders
from responses.models import PolicyVersion, Reply, Responder, ResponseTemplate, Tone
from scrm.errors import InvalidInput, NotFound
from scrm.platforms import Platform

TEMPLATE_FIELDS = ("key", "name", "body", "categories", "sentiments", "language", "tone", "active")
POLICY_FIELDS = (
    "text",
    "brand",
    "forbidden_phrases",
    "max_length",
    "default_max_length",
    "signatures",
    "official_signature",
    "employee_signature",
)


def current_policy() -> PolicyVersion | None:
    """The communication policy in force: its latest version (None before the first)."""
    return PolicyVersion.objects.order_by("-number").first()


def check_placeholders(text: str, field: str) -> None:
    unknown = [n for n in placeholders.names_in(text) if n not in placeholders.PLACEHOLDERS]
    if unknown:
        known = ", ".join("{" + n + "}" for n in placeholders.PLACEHOLDERS)
        raise InvalidInput(
            errors={
                field: [
                    f"Unknown placeholder {{{n}}}; the known ones are {known}." for n in unknown
                ]
            }
        )


def _categories(keys) -> list[Category]:
    keys = list(dict.fromkeys(keys or ()))
    found = {c.key: c for c in Category.objects.filter(key__in=keys)}
    missing = [k for k in keys if k not in found]
    if missing:
        raise InvalidInput(errors={"categories": [f"No such category: {', '.join(missing)}."]})
    return [found[k] for k in keys]


@transaction.atomic
def template_save(*, template: ResponseTemplate | None, user, fields: dict) -> ResponseTemplate:
    """Create a template (`template=None`) or change one; `fields` are those given. An
    unknown placeholder in the body, an unknown category or sentiment is a 400 naming it."""
    template = template or ResponseTemplate(created_by=user)
    if "body" in fields:
        if not fields["body"].strip():
            raise InvalidInput(errors={"body": ["A template needs a body."]})
        check_placeholders(fields["body"], "body")
    if "sentiments" in fields:
        bad = [s for s in fields["sentiments"] if s not in Sentiment.values]
        if bad:
            raise InvalidInput(
                errors={"sentiments": [f"Choose from {', '.join(Sentiment.values)}; not {bad}."]}
            )
    if "tone" in fields and fields["tone"] not in Tone.values:
        raise InvalidInput(errors={"tone": [f"Choose one of: {', '.join(Tone.values)}."]})
    if (
        "key" in fields
        and fields["key"] != template.key
        and ResponseTemplate.objects.filter(key=fields["key"]).exclude(pk=template.pk).exists()
    ):
        raise InvalidInput(errors={"key": ["A template with this key exists."]})
    categories = _categories(fields["categories"]) if "categories" in fields else None
    for name in TEMPLATE_FIELDS:
        if name in fields and name != "categories":
            setattr(template, name, fields[name])
    if template._state.adding and not template.key:
        raise InvalidInput(errors={"key": ["A template needs a key."]})
    template.save()
    if categories is not None:
        template.categories.set(categories)
    return template


def check_policy(fields: dict) -> None:
    signatures = fields.get("signatures") or []
    bad = [s for s in signatures if s not in Reply.Signature.values]
    if not signatures or bad:
        raise InvalidInput(
            errors={"signatures": [f"One or more of: {', '.join(Reply.Signature.values)}."]}
        )
    lengths = fields.get("max_length") or {}
    if not isinstance(lengths, dict):
        raise InvalidInput(errors={"max_length": ["An object: platform -> characters."]})
    for platform, limit in lengths.items():
        if platform not in Platform.values:
            raise InvalidInput(errors={f"max_length.{platform}": ["Not a platform."]})
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInput(errors={f"max_length.{platform}": ["A whole number from 1."]})
    phrases = fields.get("forbidden_phrases") or []
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise InvalidInput(errors={"forbidden_phrases": ["A list of phrases."]})
    if not (fields.get("brand") or "").strip():
        raise InvalidInput(errors={"brand": ["The company's name is needed for {brand}."]})
    for name in ("official_signature", "employee_signature"):
        unknown = [
            n for n in placeholders.names_in(fields.get(name) or "") if n not in ("brand", "name")
        ]
        if unknown:
            raise InvalidInput(
                errors={name: [f"Only {{name}} and {{brand}}; not {{{unknown[0]}}}."]}
            )


@transaction.atomic
def policy_update(*, user, fields: dict) -> PolicyVersion:
    """Publish a new version of the communication policy: the fields given change, the others
    are those of the version in force. Earlier versions stay as they were."""
    current = PolicyVersion.objects.select_for_update().order_by("-number").first()
    merged = (
        {name: getattr(current, name) for name in POLICY_FIELDS}
        if current
        else {
            "signatures": list(Reply.Signature.values),
            "default_max_length": 4000,
        }
    )
    merged.update({k: v for k, v in fields.items() if k in POLICY_FIELDS})
    merged["forbidden_phrases"] = [
        p.strip() for p in dict.fromkeys(merged.get("forbidden_phrases") or []) if p.strip()
    ]
    check_policy(merged)
    return PolicyVersion.objects.create(
        number=(current.number + 1) if current else 1, created_by=user, **merged
    )


@transaction.atomic
def responder_set(*, user_id: int, public_name: str | None = None, needs_review=None) -> Responder:
    """How an employee replies: the public name they sign with, whether they are reviewed."""
    if not get_user_model().objects.filter(pk=user_id).exists():
        raise NotFound("No such user.")
    responder, _ = Responder.objects.get_or_create(user_id=user_id)
    if public_name is not None:
        responder.public_name = public_name.strip()
    if needs_review is not None:
        responder.needs_review = bool(needs_review)
    responder.save()
    return responder
