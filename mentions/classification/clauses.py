"""The text around one subject of a mention that names several: what its sentiment is read from.

A post praising one bank while attacking another says two things; the whole text gives both
subjects one sentiment. Measured on the SentiRuEval-2016 tweets that name several operators
(leave one operator out, `manage.py evaluate_classifier`), the **clause** naming the subject
(the sentences, between sentence marks, that name it) predicts the author's attitude to it
better than the whole text, and better than the text cut at the other subjects' names.
Processing (`mentions.services.triage`) and the evaluation both cut the clause here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["cut_at_others", "subject_clause"]

# A sentence ends at ".", "!", "?" or "…" (any run of them) followed by a space or the end, and
# at a line break. A dot inside a link or a number ("t.co/x", "2.5") ends nothing.
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n")


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, its closing marks included."""
    bounds, start = [], 0
    for mark in _SENTENCE_END.finditer(text):
        bounds.append((start, mark.end()))
        start = mark.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def subject_clause(text: str, spans: Sequence[tuple[int, int]]) -> str | None:
    """The sentences of `text` that name the subject (at `spans`, as
    `SubjectMatcher.match_spans` gives them), in order, joined by a space.

    None when there is nothing better to read than the whole text: the subject is not named in
    it (a subject the monitoring tool gave), or every sentence names it.
    """
    if not spans:
        return None
    chosen = [
        text[start:end].strip()
        for start, end in _sentences(text)
        if any(span_start < end and span_end > start for span_start, span_end in spans)
    ]
    clause = " ".join(part for part in chosen if part)
    if not clause or clause == " ".join(text.split()) or clause == text.strip():
        return None
    return clause


def cut_at_others(
    text: str, spans: Sequence[tuple[int, int]], others: Sequence[tuple[int, int]]
) -> str | None:
    """The text from the end of the other subjects' name before the subject's first mention to
    the start of the next one after its last (a variant the evaluation compares; not shipped).
    None as for `subject_clause`."""
    if not spans:
        return None
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    start = max((e for s, e in others if e <= first), default=0)
    end = min((s for s, e in others if s >= last), default=len(text))
    cut = text[start:end].strip()
    return cut if cut and cut != text.strip() else None
