"""Bringing mentions into a state through the services that produce it in production.

Tests that need a processed, queued, claimed or answered mention get there the way a mention
does: `mentions_process` (with a classifier that says what the test wants, and optionally one
team's queue), then the queue services. No raw UPDATE of a status: a state the services could
never produce would test a world that does not exist.
"""

from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from unittest import mock

from mentions.classification.model import Prediction
from mentions.models import Mention, RoutingRule, Team
from mentions.services import queue, triage
from mentions.services.corrections import mention_correct
from mentions.services.triage import Routing, mentions_process
from scrm.roles import Role
from tests.factories import UserFactory


class _Decided:
    """A classifier that says the same thing about every text."""

    version = "test-decided"

    def __init__(self, category: str, sentiment: str) -> None:
        self._category, self._sentiment = category, sentiment

    def predict(self, texts, polarity=None):
        return [
            Prediction(
                category=self._category,
                category_confidence=0.9,
                sentiment=self._sentiment,
                sentiment_confidence=0.9,
                model_version=self.version,
            )
            for _ in texts
        ]

    def predict_with_clauses(self, texts, clauses, polarity=None):
        return self.predict(texts, polarity), [_with_scores(self._sentiment, 0.9) for _ in clauses]


def _with_scores(sentiment: str, confidence: float) -> tuple[str, float, dict[str, float]]:
    """A clause's reading as the model gives it: the sentiment, its probability and every
    class's (the rest shared by the other two)."""
    rest = round((1 - confidence) / 2, 4)
    scores = {s: rest for s in ("negative", "neutral", "positive")} | {sentiment: confidence}
    return sentiment, confidence, scores


PRAISE, BLAME = "отлично", "ужасно"


def _reading(text: str) -> tuple[str, float]:
    """The stub's sentiment of a text: praise and blame together read neutral."""
    praise, blame = PRAISE in text, BLAME in text
    if praise == blame:
        return "neutral", 0.6
    return ("positive", 0.8) if praise else ("negative", 0.7)


class WordClassifier:
    """Reads sentiment from two words (whole texts and the clauses around subjects alike), and
    records what it was asked to embed."""

    version = "words-1"

    def __init__(self):
        self.calls: list[tuple[list[str], list[str]]] = []

    def _prediction(self, text):
        sentiment, confidence = _reading(text)
        return Prediction("product_request", 0.9, sentiment, confidence, self.version)

    def predict(self, texts, polarity=None):
        self.calls.append((list(texts), []))
        return [self._prediction(t) for t in texts]

    def predict_with_clauses(self, texts, clauses, polarity=None):
        self.calls.append((list(texts), list(clauses)))
        return [self._prediction(t) for t in texts], [_with_scores(*_reading(c)) for c in clauses]


def process_as(
    mention_ids: Iterable[int],
    *,
    category: str | None,
    sentiment: str = "neutral",
    team: Team | None = None,
) -> None:
    """Process still-`new` mentions as if the model said `category` and `sentiment`.

    The queue they land in (or not) is decided by the real routing; `team` makes it the only
    destination, as a routing table with that one team would. `category=None` is a prediction
    of a category the company does not have.
    """
    ids = list(mention_ids)
    decided = _Decided(category or "-", sentiment)
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(triage, "active_classifier", return_value=decided))
        # Keyword rules are the company's; what the test decides is the model's answer.
        stack.enter_context(mock.patch.object(triage, "apply_rules", return_value=None))
        if team is not None:
            stack.enter_context(routed_to(team))
        done = mentions_process(mention_ids=ids)
    assert done == len(ids), f"{len(ids) - done} of the mentions were not new"


@contextmanager
def routed_to(team: Team) -> Iterator[None]:
    """Routing as a company whose one routing rule sends everything to `team` has it."""
    only = Routing(rules=[RoutingRule(team=team)], default_team=team)
    with mock.patch.object(Routing, "load", return_value=only):
        yield


@contextmanager
def at_time(moment: datetime | None) -> Iterator[None]:
    """Run the services as if it were `moment` (nothing changes when it is None)."""
    if moment is None:
        yield
        return
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def pin_priority(mention: Mention, priority: str) -> None:
    """An operator's priority correction, the only way a priority is pinned."""
    mention_correct(mention=mention, user=_manager(), priority=priority)


def claim(mention: Mention, user, *, at: datetime | None = None) -> Mention:
    with at_time(at):
        return queue.mention_claim(mention_id=mention.pk, user=user)


def answer(mention: Mention, user, *, at: datetime | None = None) -> Mention:
    """Claimed by `user` and answered by them, at `at` (a queued mention only)."""
    with at_time(at):
        queue.mention_claim(mention_id=mention.pk, user=user)
        return queue.mention_mark_answered(mention_id=mention.pk, user=user)


def _manager():
    return UserFactory(username="states-manager", roles=[Role.MANAGER])
