"""The machine-checked parts of the communication policy: phrases a reply must never hold, the
longest reply per platform, and how a reply may be signed.

Forbidden phrases are found the way tracked subjects are (`mentions.matching.SubjectMatcher`,
the same normalisation and Russian morphology): "гарантия" also forbids "гарантии",
"гарантией"; a phrase of several words matches them in a row, each in any form. The matcher is
built once per policy version and kept.
"""

from functools import lru_cache

from mentions.matching import SubjectAliases, SubjectMatcher
from responses.models import PolicyVersion, Reply


@lru_cache(maxsize=16)
def _matcher(phrases: tuple[str, ...]) -> SubjectMatcher:
    return SubjectMatcher(SubjectAliases(key=p, name=p, aliases=()) for p in phrases)


def forbidden_in(text: str, policy: PolicyVersion | None) -> list[str]:
    """The policy's forbidden phrases found in `text`, in the order they occur."""
    phrases = tuple(p.strip() for p in (policy.forbidden_phrases if policy else ()) if p.strip())
    if not phrases or not text:
        return []
    return _matcher(phrases).match(text)


def max_length_for(platform: str, policy: PolicyVersion | None) -> int | None:
    if policy is None:
        return None
    return int((policy.max_length or {}).get(platform) or policy.default_max_length or 0) or None


def signature_line(
    signature: str, *, policy: PolicyVersion | None, public_name: str
) -> tuple[str | None, str]:
    """(error, line): the signature line for `signature`, or why it may not be used."""
    allowed = list(policy.signatures) if policy and policy.signatures else list(Reply.Signature)
    if signature not in allowed:
        return f"The policy allows signing as: {', '.join(allowed)}.", ""
    brand = policy.brand if policy else ""
    if signature == Reply.Signature.EMPLOYEE:
        if not public_name.strip():
            return (
                "An employee signature needs your public name (Responses › Responders); "
                "sign as the official account or ask a manager to set it.",
                "",
            )
        pattern = (policy.employee_signature if policy else "") or "— {name}, {brand}"
        return None, pattern.replace("{name}", public_name.strip()).replace("{brand}", brand)
    pattern = (policy.official_signature if policy else "") or ""
    return None, pattern.replace("{brand}", brand)


def problems(*, text: str, platform: str, policy: PolicyVersion | None) -> dict[str, list[str]]:
    """What the policy refuses in `text` (the body with its signature) for `platform`, by
    field: `body` for forbidden phrases and length."""
    found: dict[str, list[str]] = {}
    for phrase in forbidden_in(text, policy):
        found.setdefault("body", []).append(
            f"The communication policy forbids the phrase «{phrase}» (in any of its forms)."
        )
    limit = max_length_for(platform, policy)
    if limit is not None and len(text) > limit:
        found.setdefault("body", []).append(
            f"At most {limit} characters on {platform} with the signature; this reply has "
            f"{len(text)}."
        )
    return found
