"""From the model's class probabilities to one consistent decision, and when to doubt it.

Two rules, both pure (categories come in as plain data, never as keys tested in code):

- **Category and sentiment agree.** A category of positive polarity (praise) never carries a
  negative sentiment, and one of negative polarity (a complaint, a departure) never a positive
  one: such a pair means one of the two is wrong. `decide` takes the most probable pair that
  agrees (the product of the two probabilities), so a confident sentiment can overturn a weak
  category and the other way round. A category decided by a keyword rule is certain: only the
  sentiment is chosen, among those that agree with it.
- **A doubt goes to a person.** A model's category below `threshold` that would keep the
  mention out of the queue (praise, noise: nothing to answer) queues it all the same, at the
  priority its category gives: `unsure_keeps_in_queue`. A missed complaint costs a customer; an
  extra queued mention costs an operator a glance. The threshold is measured on the dev corpus
  by `manage.py evaluate_classifier` (answerable mentions saved against extra ones queued).
"""

from collections.abc import Mapping
from dataclasses import dataclass

POSITIVE, NEGATIVE = "positive", "negative"


def agrees(polarity: str | None, sentiment: str) -> bool:
    """Whether a category of `polarity` may carry `sentiment`."""
    if polarity == POSITIVE:
        return sentiment != NEGATIVE
    if polarity == NEGATIVE:
        return sentiment != POSITIVE
    return True


@dataclass(frozen=True)
class Decision:
    category: str
    category_confidence: float
    sentiment: str
    sentiment_confidence: float


def decide(
    category_scores: Mapping[str, float],
    sentiment_scores: Mapping[str, float],
    polarity: Mapping[str, str],
    *,
    category: str | None = None,
) -> Decision:
    """The most probable agreeing (category, sentiment) pair.

    `polarity` maps a category key to its polarity (a key it lacks has none). With `category`
    given (a rule decided it), only the sentiment is chosen. Confidences stay the model's own
    probabilities of the chosen classes.
    """
    categories = {category: 1.0} if category is not None else category_scores
    best = None
    for cat, p_cat in categories.items():
        for sent, p_sent in sentiment_scores.items():
            if not agrees(polarity.get(cat), sent):
                continue
            score = p_cat * p_sent
            if best is None or score > best[0]:
                best = (score, cat, sent)
    if best is None:  # no sentiment agrees (a model with one sentiment class): keep the argmax
        sent = max(sentiment_scores, key=sentiment_scores.get)
        cat = category if category is not None else max(category_scores, key=category_scores.get)
        best = (0.0, cat, sent)
    _, cat, sent = best
    confidence = 1.0 if category is not None else category_scores[cat]
    return Decision(cat, confidence, sent, sentiment_scores[sent])


def unsure_keeps_in_queue(
    *, needs_response: bool, by_model: bool, confidence: float | None, threshold: float
) -> bool:
    """Whether a mention goes to the queue: its category needs a response, or the model chose a
    category that does not with a confidence below `threshold`."""
    if needs_response:
        return True
    return by_model and confidence is not None and confidence < threshold
