"""Managers' rules: "a mention containing one of these phrases belongs to this category".

A phrase matches a text when its words appear in the text consecutively (punctuation, hashtags'
"#" and case do not matter, "ё" is "е"), each word in any inflected form: words are compared by
their Snowball stems (Russian for Cyrillic, English for Latin), so "отключить услугу" also
matches "Отключите услуги!". A word ending in "*" matches any word starting with what precedes the
star ("посовет*" matches "посоветуете", "посоветовать"), for forms a stem does not join.

Rules are tried in ascending `order` (ties keep the order given), the phrases of a rule in their
order; the first match wins. Rules are data: the caller builds them from whatever the company
configured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from mentions.matching import normalize, stem_word

__all__ = ["Rule", "apply_rules", "phrase_matches"]

# Letters and digits; "_" splits, so "#тариф_отключить" gives two words.
_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Rule:
    """Mentions containing any of `phrases` go to `category`; lower `order` is tried first."""

    category: str
    phrases: list[str] = field(default_factory=list)
    order: int = 0


def apply_rules(text: str, rules: Iterable[Rule]) -> tuple[str, str] | None:
    """(category, phrase) of the first rule with a phrase found in `text`, else None."""
    words = _text_words(text)
    for rule in sorted(rules, key=lambda rule: rule.order):  # sorted() is stable: ties keep order
        for phrase in rule.phrases:
            if _contains(words, _phrase_words(phrase)):
                return rule.category, phrase
    return None


def phrase_matches(phrase: str, text: str) -> bool:
    """Whether `phrase` occurs in `text` under the matching rules of this module."""
    return _contains(_text_words(text), _phrase_words(phrase))


def _text_words(text: str) -> list[tuple[str, str]]:
    """(normalized word, stem) for each word of the text."""
    return [(word, stem_word(word)) for word in map(normalize, _WORD_RE.findall(text or ""))]


def _phrase_words(phrase: str) -> list[tuple[str, bool]]:
    """(stem or prefix, is_prefix) per word; a blank phrase has none and never matches."""
    pattern = []
    for raw in phrase.split():
        pieces = [normalize(word) for word in _WORD_RE.findall(raw)]
        for i, word in enumerate(pieces):
            # Only the last piece of a starred token is a prefix ("е-мейл*": "е", then "мейл*").
            if raw.endswith("*") and i == len(pieces) - 1:
                pattern.append((word, True))
            else:
                pattern.append((stem_word(word), False))
    return pattern


def _contains(words: list[tuple[str, str]], pattern: list[tuple[str, bool]]) -> bool:
    if not pattern:
        return False
    for start in range(len(words) - len(pattern) + 1):
        if all(
            words[start + i][0].startswith(target) if is_prefix else words[start + i][1] == target
            for i, (target, is_prefix) in enumerate(pattern)
        ):
            return True
    return False
