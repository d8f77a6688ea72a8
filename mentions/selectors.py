"""Reads on mentions: querysets with what they need loaded, and the compiled subject matcher."""

import threading
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, QuerySet

from mentions.filters import MentionFilter
from mentions.matching import SubjectAliases, SubjectMatcher
from mentions.models import Mention, MentionSubject, TrackedSubject


@dataclass
class CompiledSubjects:
    """The active tracked subjects with their matcher, rebuilt when a subject changes."""

    version: tuple
    matcher: SubjectMatcher
    subjects_by_key: dict[str, TrackedSubject]

    def match(self, text: str) -> list[str]:
        return self.matcher.match(text) if text else []

    def order_main_first(self, keys: list[str]) -> list[str]:
        """Known keys only, the main subject first: the first-named of our own, else the first."""
        known = [key for key in keys if key in self.subjects_by_key]
        own = [key for key in known if self.subjects_by_key[key].is_own]
        if own and known and known[0] != own[0]:
            known.remove(own[0])
            known.insert(0, own[0])
        return known


_compiled: CompiledSubjects | None = None
_lock = threading.Lock()


def subject_matcher() -> CompiledSubjects:
    """The matcher for the active subjects; one cheap query checks it is still current."""
    global _compiled
    version = tuple(
        TrackedSubject.objects.aggregate(count=Count("id"), changed=Max("updated_at")).values()
    )
    compiled = _compiled
    if compiled is not None and compiled.version == version:
        return compiled
    with _lock:
        subjects = list(TrackedSubject.objects.filter(active=True))
        matcher = SubjectMatcher(
            SubjectAliases(key=s.key, name=s.name, aliases=tuple(s.aliases or ()), is_own=s.is_own)
            for s in subjects
        )
        _compiled = CompiledSubjects(
            version=version, matcher=matcher, subjects_by_key={s.key: s for s in subjects}
        )
        return _compiled


def mention_list(
    *, filters: dict | None = None, queryset: QuerySet[Mention] | None = None
) -> QuerySet[Mention]:
    """Mentions with source, author, subjects, category, team and holder loaded (no N+1 when
    serialised); `filters` are MentionFilter's."""
    queryset = (
        (queryset if queryset is not None else Mention.objects.all())
        .select_related(
            "source", "author_identity", "main_subject", "category", "team", "claimed_by"
        )
        .prefetch_related(
            Prefetch(
                "subject_links",
                queryset=MentionSubject.objects.select_related("subject").order_by(
                    "-is_main", "id"
                ),
            )
        )
    )
    return MentionFilter(filters, queryset=queryset).qs if filters else queryset
