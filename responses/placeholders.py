"""Placeholders in templates, article answers and replies: `{author_name}` and the like.

`render(text, values)` fills every placeholder or refuses: an unknown name, or one that has no
value for this mention, is an error naming it, so no reply ever goes out with `{author_name}`
in it. The values come from the mention, the policy and the operator (`values_for`).
"""

import re

from scrm.errors import InvalidInput

PLACEHOLDER_RE = re.compile(r"\{([^{}\s]{1,64})\}")

# name -> what it is (the README and the reply screen show this list).
PLACEHOLDERS: dict[str, str] = {
    "author_name": "the author's name as the platform shows it",
    "author_handle": "the author's handle, with @",
    "brand": "the company's name (the communication policy's `brand`)",
    "operator_name": "the replying employee's public name",
    "article_answer": "the answer of the knowledge-base article version the reply uses",
    "mention_url": "the link to the post answered",
    "subject": "the main tracked subject the post names",
    "platform": "the platform's name (VK, Telegram, …)",
}


def names_in(text: str) -> list[str]:
    """The placeholder names in `text`, in order, each once."""
    return list(dict.fromkeys(PLACEHOLDER_RE.findall(text or "")))


def problems(text: str, values: dict[str, str]) -> list[str]:
    """Why `text` cannot be filled: one message per unknown or unfilled placeholder."""
    found = []
    for name in names_in(text):
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + n + "}" for n in PLACEHOLDERS)
            found.append(f"Unknown placeholder {{{name}}}; the known ones are {known}.")
        elif not (values.get(name) or "").strip():
            found.append(f"Placeholder {{{name}}} has no value for this mention.")
    return found


def render(text: str, values: dict[str, str], *, field: str) -> str:
    """`text` with every placeholder filled; InvalidInput naming `field` and each bad
    placeholder otherwise."""
    messages = problems(text, values)
    if messages:
        raise InvalidInput(
            "The reply has placeholders that cannot be filled.", errors={field: messages}
        )
    return PLACEHOLDER_RE.sub(lambda m: values[m.group(1)].strip(), text)


def values_for(*, mention, brand: str, operator_name: str, article_answer: str = "") -> dict:
    """The placeholder values for a reply to `mention`."""
    identity = mention.author_identity
    author = mention.author
    name = ""
    if author is not None and author.anonymized_at is None:
        name = (identity.display_name if identity else "") or author.display_name
    handle = identity.handle if identity and identity.handle else ""
    return {
        "author_name": name,
        "author_handle": f"@{handle.lstrip('@')}" if handle else "",
        "brand": brand,
        "operator_name": operator_name,
        "article_answer": article_answer,
        "mention_url": mention.url,
        "subject": mention.main_subject.name if mention.main_subject_id else "",
        "platform": mention.get_platform_display(),
    }
