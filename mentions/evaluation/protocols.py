"""Measuring the classifier: per-class precision/recall/F1, confusion matrix, macro figures.

The measures:
* category: macro-F1 over the categories present in the test labels;
* sentiment on SentiRuEval-2016: F-macro, the mean F1 of the positive and the negative class
  (the evaluation's official measure; neutral counts only through their precision and recall).

Every function takes a model and data it is to be tested on; keeping training data out is the
caller's job, and `cross_validate` does it fold by fold. For the SentiRuEval tweets, which the
shipped model learns from, `sentirueval_cross_validate` and `sentirueval_chronological` train and
test fold by fold, keeping a tweet and its retweets and near-duplicates on one side
(`near_duplicate_groups`): a retweet in training would give its original's label away.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from mentions.adapters.sentirueval import SentiRuEvalTweet, iter_tweets
from mentions.classification.clauses import cut_at_others, subject_clause
from mentions.classification.embeddings import Embedder
from mentions.classification.model import CATEGORIES, SENTIMENTS, MentionClassifier
from mentions.classification.training import (
    SENTIRUEVAL_PATH,
    LabelledText,
    head_options,
    load_sentirueval,
    train,
    tweet_pairs,
    tweet_records,
)
from mentions.matching import SubjectMatcher
from mentions.subject_catalogs import TELECOM_OPERATORS

__all__ = [
    "ClassScores",
    "HeldOutSentiment",
    "Report",
    "cross_validate",
    "duplicate_key",
    "evaluate_category",
    "evaluate_sentiment",
    "evaluate_sentiment_sentirueval",
    "near_duplicate_groups",
    "report",
    "sentirueval_chronological",
    "sentirueval_cross_validate",
]

# Two tweets are near-duplicates when their words (see `duplicate_key`) overlap this much:
# Jaccard, or containment of the shorter in the longer (a retweet cut short with "…").
DUPLICATE_JACCARD = 0.5
DUPLICATE_CONTAINMENT = 0.8
DUPLICATE_CONTAINMENT_MIN_WORDS = 5

_RETWEET_RE = re.compile(r"\bRT\s+@?\w+:?", re.IGNORECASE)
_URL_RE = re.compile(r"https?://\S+|\bhttps?\S*…")
_HANDLE_RE = re.compile(r"@\w+")
_NON_WORD_RE = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    """Scores of one task on one test set.

    `score` is the task's headline figure (macro-F1 for categories, F-macro for SentiRuEval
    sentiment); `confusion[i][j]` counts items of true class `labels[i]` predicted `labels[j]`.
    """

    measure: str
    score: float
    accuracy: float
    labels: tuple[str, ...]
    per_class: dict[str, ClassScores]
    confusion: list[list[int]]
    n: int

    def format(self) -> str:
        """A plain-text table: per-class scores, then the confusion matrix."""
        width = max(len(label) for label in self.labels)
        head = f"{self.measure} = {self.score:.4f}   accuracy = {self.accuracy:.4f}   n = {self.n}"
        lines = [head]
        lines.append(f"  {'':{width}}  precision  recall     f1  support")
        for label in self.labels:
            s = self.per_class[label]
            scores = f"{s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.support:7d}"
            lines.append(f"  {label:{width}}  {scores}")
        short = [label[:6] for label in self.labels]
        lines.append(f"  confusion (rows true, columns predicted): {' '.join(short)}")
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(f"  {label:{width}}  " + " ".join(f"{count:6d}" for count in row))
        return "\n".join(lines)


def report(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    labels: Sequence[str] | None = None,
    averaged: Sequence[str] | None = None,
    measure: str = "macro-F1",
) -> Report:
    """Scores of `y_pred` against `y_true`; `score` is the mean F1 of the `averaged` classes.

    `labels` (default: the classes seen in either list, sorted) orders the table; `averaged`
    defaults to the classes present in `y_true`, so a class never in the test set does not drag
    the macro figure down.
    """
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    averaged = list(averaged) if averaged is not None else [lab for lab in labels if lab in y_true]
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    per_class = {
        label: ClassScores(float(p), float(r), float(f), int(s))
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    score = float(np.mean([per_class[label].f1 for label in averaged]))
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    accuracy = float(np.mean(np.asarray(y_true) == np.asarray(y_pred))) if len(y_true) else 0.0
    return Report(measure, score, accuracy, tuple(labels), per_class, matrix.tolist(), len(y_true))


def evaluate_category(
    model: MentionClassifier, records: Sequence[LabelledText], *, polarity=None
) -> Report:
    """Category macro-F1 of `model` on the records that have a category (with `polarity`, as
    processing decides it: agreeing with the sentiment)."""
    records = [record for record in records if record.category is not None]
    predictions = model.predict([record.text for record in records], polarity=polarity)
    y_true = [record.category for record in records]
    return report(y_true, [p.category for p in predictions], _ordered(model.categories, y_true))


def evaluate_sentiment(
    model: MentionClassifier, records: Sequence[LabelledText], *, polarity=None
) -> Report:
    """Sentiment F-macro (mean F1 of positive and negative) on records that have a sentiment.

    Identical texts are embedded once, so SentiRuEval "pairs" (a tweet once per operator) cost
    no more than the tweets.
    """
    records = [record for record in records if record.sentiment is not None]
    return _sentiment_report(
        [record.sentiment for record in records],
        _predict_sentiments(model, records, polarity=polarity),
    )


def _predict_sentiments(
    model: MentionClassifier, records: Sequence[LabelledText], *, polarity=None
) -> list[str]:
    """The predicted sentiment of each record, each distinct text embedded once."""
    unique = list(dict.fromkeys(record.text for record in records))
    by_text = dict(zip(unique, model.predict(unique, polarity=polarity), strict=True))
    return [by_text[record.text].sentiment for record in records]


def evaluate_sentiment_sentirueval(
    model: MentionClassifier, path=None, mode: str = "pairs"
) -> Report:
    """F-macro on SentiRuEval-2016 telecom tweets (see `training.load_sentirueval` for `mode`).

    "pairs" scores each (tweet, operator) label, as the official evaluation does; the model gives
    one sentiment per tweet, so a tweet praising one operator and scolding another is half wrong
    whatever it says. "agree" scores only tweets whose labels agree.
    """
    return evaluate_sentiment(model, load_sentirueval(path or SENTIRUEVAL_PATH, mode=mode))


def cross_validate(
    records: Sequence[LabelledText],
    embedder: Embedder,
    folds: int = 5,
    seed: int = 0,
    make_model: Callable[[Embedder], MentionClassifier] | None = None,
) -> tuple[Report, Report]:
    """Stratified k-fold cross-validation (by category) of both tasks on `records`.

    Every record is predicted by a model that did not see it; the predictions of all folds are
    pooled into one category report (macro-F1) and one sentiment report (F-macro). Texts are
    embedded once. Records need both labels. `make_model` builds an untrained model for an
    embedder (default: the shipped options, `training.head_options`).
    """
    make_model = make_model or _shipped_kind_of_model
    texts = [record.text for record in records]
    categories = np.array([record.category for record in records], dtype=object)
    sentiments = np.array([record.sentiment for record in records], dtype=object)
    vectors = embedder.embed(texts)
    cat_pred = np.empty(len(records), dtype=object)
    sent_pred = np.empty(len(records), dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(vectors, categories.astype(str)):
        model = make_model(embedder)
        model.fit_vectors(vectors[train_idx], categories[train_idx], sentiments[train_idx])
        for i, prediction in zip(test_idx, model.predict_vectors(vectors[test_idx]), strict=True):
            cat_pred[i], sent_pred[i] = prediction.category, prediction.sentiment
    cat_report = report(list(categories), list(cat_pred), _ordered(CATEGORIES, categories))
    return cat_report, _sentiment_report(list(sentiments), list(sent_pred))


def duplicate_key(text: str) -> str:
    """The words of a text as a retweet or a repost keeps them: without "RT @user:", links and
    @handles, lower-cased, "ё" as "е", punctuation and spacing dropped."""
    text = _HANDLE_RE.sub(" ", _URL_RE.sub(" ", _RETWEET_RE.sub(" ", text)))
    return " ".join(_NON_WORD_RE.sub(" ", text.casefold().replace("ё", "е")).split())


def near_duplicate_groups(
    texts: Sequence[str],
    *,
    jaccard: float = DUPLICATE_JACCARD,
    containment: float = DUPLICATE_CONTAINMENT,
    min_words: int = DUPLICATE_CONTAINMENT_MIN_WORDS,
) -> np.ndarray:
    """A group number per text; near-duplicates, and chains of them, share a group.

    Texts are near-duplicates when their `duplicate_key`s are equal, or their word sets overlap
    by `jaccard` (shared / all words) or, both having `min_words` words, by `containment`
    (shared / the smaller set's words). On SentiRuEval it joins the retweets of a tweet and the
    same news retold by several outlets (2,247 tweets in 1,867 groups); erring towards joining
    only makes a held-out figure harder.
    """
    keys = [duplicate_key(text) for text in texts]
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, key in enumerate(keys):
        for word in set(key.split()):
            rows.append(row)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    words = csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(texts), max(len(vocabulary), 1))
    )
    sizes = np.asarray(words.sum(axis=1)).ravel()
    shared = (words @ words.T).tocoo()
    left, right, common = shared.row, shared.col, shared.data
    smaller = np.minimum(sizes[left], sizes[right])
    linked = (common >= jaccard * (sizes[left] + sizes[right] - common)) | (
        (smaller >= min_words) & (common >= containment * smaller)
    )
    pairs = [(int(a), int(b)) for a, b in zip(left[linked], right[linked], strict=True)]
    first_with_key: dict[str, int] = {}
    for row, key in enumerate(keys):  # equal keys, the empty one included
        pairs.append((row, first_with_key.setdefault(key, row)))
    a, b = zip(*pairs, strict=True) if pairs else ((), ())
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(texts), len(texts)))
    _count, labels = connected_components(graph, directed=False)
    return labels


@dataclass(frozen=True)
class HeldOutSentiment:
    """Sentiment of SentiRuEval (tweet, operator) labels predicted by models that never saw the
    tweet nor any near-duplicate of it. `protocol` says how (for the printed figure)."""

    protocol: str
    report: Report
    records: tuple[LabelledText, ...]  # the scored (tweet, operator) labels
    predicted: tuple[str, ...]

    def score_where(self, keep: Callable[[LabelledText], bool]) -> float:
        """F-macro on the labels `keep` selects (e.g. rows no tuning ever looked at)."""
        chosen = [i for i, record in enumerate(self.records) if keep(record)]
        return _sentiment_report(
            [self.records[i].sentiment for i in chosen], [self.predicted[i] for i in chosen]
        ).score


def sentirueval_cross_validate(
    base: Sequence[LabelledText],
    embedder: Embedder,
    *,
    tweets: Sequence[SentiRuEvalTweet] | None = None,
    folds: int = 5,
    seed: int = 0,
    weights: dict[str, float] | None = None,
) -> HeldOutSentiment:
    """Grouped k-fold cross-validation on the tweets: each fold's labels are predicted by a model
    trained on `base` plus the other folds' tweets (through `train`, at its source `weights`).

    Folds never split a near-duplicate group and keep the tweets' share of each sentiment.
    """
    tweets = list(tweets if tweets is not None else iter_tweets(SENTIRUEVAL_PATH))
    groups = near_duplicate_groups([tweet.text for tweet in tweets])
    strata = [Counter(tweet.labels.values()).most_common(1)[0][0] for tweet in tweets]
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    records, predicted = [], []
    for train_idx, test_idx in splitter.split(np.zeros(len(tweets)), strata, groups):
        fold_records, fold_predicted = _train_and_predict(
            base, embedder, [tweets[i] for i in train_idx], [tweets[i] for i in test_idx], weights
        )
        records += fold_records
        predicted += fold_predicted
    protocol = (
        f"{folds}-fold cross-validation on the tweets, grouped by near-duplicates "
        f"({len(set(groups))} groups); trained on {len(base)} mentions + the other "
        f"{folds - 1} folds' tweets"
    )
    return _held_out(protocol, records, predicted)


def sentirueval_chronological(
    base: Sequence[LabelledText],
    embedder: Embedder,
    *,
    tweets: Sequence[SentiRuEvalTweet] | None = None,
    test_share: float = 0.5,
    weights: dict[str, float] | None = None,
) -> HeldOutSentiment:
    """Trained on `base` plus the earlier tweets, tested on the later `test_share` by date.

    Harder than `sentirueval_cross_validate`: topics and news change over weeks, as between the
    2016 evaluation's training and test collections. An earlier tweet with a near-duplicate among
    the later ones is left out of training.
    """
    tweets = sorted(
        tweets if tweets is not None else iter_tweets(SENTIRUEVAL_PATH),
        key=lambda tweet: (tweet.published_at, int(tweet.row_id)),
    )
    groups = near_duplicate_groups([tweet.text for tweet in tweets])
    cut = len(tweets) - round(len(tweets) * test_share)
    later_groups = set(groups[cut:])
    earlier = [t for t, g in zip(tweets[:cut], groups[:cut], strict=True) if g not in later_groups]
    records, predicted = _train_and_predict(base, embedder, earlier, tweets[cut:], weights)
    protocol = (
        f"chronological: trained on {len(base)} mentions + the {len(earlier)} tweets before "
        f"{tweets[cut].published_at:%Y-%m-%d %H:%M}, tested on the {len(tweets) - cut} after"
    )
    return _held_out(protocol, records, predicted)


def _train_and_predict(base, embedder, train_tweets, test_tweets, weights):
    model = train(list(base) + tweet_records(train_tweets), embedder, weights=weights)
    records = tweet_pairs(test_tweets)
    return records, _predict_sentiments(model, records)


def _held_out(protocol, records, predicted) -> HeldOutSentiment:
    y_true = [record.sentiment for record in records]
    return HeldOutSentiment(
        protocol, _sentiment_report(y_true, predicted), tuple(records), tuple(predicted)
    )


def _sentiment_report(y_true: Sequence[str], y_pred: Sequence[str]) -> Report:
    return report(
        y_true,
        y_pred,
        labels=_ordered(SENTIMENTS, set(y_true) | set(y_pred)),
        averaged=["positive", "negative"],
        measure="F-macro(pos,neg)",
    )


def _shipped_kind_of_model(embedder: Embedder) -> MentionClassifier:
    return MentionClassifier(embedder, *head_options(embedder))


def _ordered(known: Sequence[str], seen) -> list[str]:
    """`known` classes first in their order, then any other seen class alphabetically."""
    seen = set(seen)
    return list(known) + sorted(seen - set(known))


# --- across brands and industries ---------------------------------------------------------------

NEUTRAL_SHIFTS = tuple(round(x, 2) for x in np.arange(-1.5, 1.51, 0.25))


# How the sentiment towards the held-out operator is read in a tweet naming several operators:
# the whole text, the clause naming it (`clauses.subject_clause`: shipped), the text cut at the
# other operators' names (`clauses.cut_at_others`). A tweet naming one is read whole whatever
# the variant, as processing reads a mention with one subject.
SUBJECT_VARIANTS = ("whole", "clause", "cut")
SHIPPED_SUBJECT_VARIANT = "clause"


@dataclass(frozen=True)
class BrandHeldOut:
    """Sentiment of the (tweet, operator) labels of one operator, predicted by a model that never
    saw a tweet naming it nor a near-duplicate of one.

    `log_probabilities` are read from the whole text; `multi` marks the labels on tweets that
    name several operators, and `variants[name]` holds their rows read as that variant says
    (`SUBJECT_VARIANTS`; "whole" is the whole text)."""

    brand: str
    labels: tuple[str, ...]
    log_probabilities: np.ndarray  # (labels, sentiments) in `sentiments` order
    sentiments: tuple[str, ...]
    multi: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    variants: dict[str, np.ndarray] = field(default_factory=dict)

    def score(self, neutral_shift: float = 0.0, variant: str = "whole") -> float:
        """F-macro with `neutral_shift` added to the log-odds of neutral (more neutral above 0),
        the multi-operator tweets read as `variant` says."""
        return _sentiment_report(self.labels, self.predict(neutral_shift, variant)).score

    def predict(self, neutral_shift: float = 0.0, variant: str = "whole") -> list[str]:
        scores = self.log_probabilities.copy()
        if variant != "whole" and self.multi.any():
            scores[self.multi] = self.variants[variant]
        if "neutral" in self.sentiments:
            scores[:, self.sentiments.index("neutral")] += neutral_shift
        return [self.sentiments[i] for i in scores.argmax(axis=1)]

    def multi_labels(self) -> tuple[str, ...]:
        return tuple(label for label, multi in zip(self.labels, self.multi, strict=True) if multi)

    def multi_predict(self, variant: str, neutral_shift: float = 0.0) -> list[str]:
        predicted = self.predict(neutral_shift, variant)
        return [p for p, multi in zip(predicted, self.multi, strict=True) if multi]


@dataclass(frozen=True)
class LeaveOneBrandOut:
    brands: tuple[BrandHeldOut, ...]

    def mean(self, neutral_shift: float = 0.0, variant: str = "whole") -> float:
        """The mean over brands of each held-out brand's F-macro."""
        return float(np.mean([brand.score(neutral_shift, variant) for brand in self.brands]))

    def calibrated(self, shifts: Sequence[float] = NEUTRAL_SHIFTS) -> tuple[float, dict]:
        """The mean F-macro when each brand's neutral shift is chosen on the *other* held-out
        brands (never on its own labels), and the shift each brand got."""
        chosen, scores = {}, []
        for brand in self.brands:
            others = [b for b in self.brands if b is not brand]
            best = max(shifts, key=lambda s: (np.mean([b.score(s) for b in others]), -abs(s)))
            chosen[brand.brand] = best
            scores.append(brand.score(best))
        return float(np.mean(scores)), chosen

    def best_shift(self, shifts: Sequence[float] = NEUTRAL_SHIFTS) -> float:
        """The shift with the best mean over all held-out brands (to ship)."""
        return max(shifts, key=lambda s: (self.mean(s), -abs(s)))

    def multi_score(self, variant: str, brand: BrandHeldOut | None = None) -> tuple[float, int]:
        """F-macro on the labels of tweets naming several operators, read as `variant` says:
        one brand's, or all brands' pooled; and how many labels."""
        chosen = [brand] if brand is not None else self.brands
        labels = [label for b in chosen for label in b.multi_labels()]
        predicted = [p for b in chosen for p in b.multi_predict(variant)]
        return _sentiment_report(labels, predicted).score, len(labels)


def subject_texts(tweet: SentiRuEvalTweet, brand: str, matcher) -> dict[str, str]:
    """What each variant reads for `brand` in a tweet naming several operators (the whole text
    where the variant has nothing else to read, as processing falls back to it)."""
    spans = matcher.match_spans(tweet.text)
    own = spans.get(brand, [])
    others = [span for key, found in spans.items() if key != brand for span in found]
    return {
        "whole": tweet.text,
        "clause": subject_clause(tweet.text, own) or tweet.text,
        "cut": cut_at_others(tweet.text, own, others) or tweet.text,
    }


def sentirueval_leave_one_brand_out(
    base: Sequence[LabelledText],
    embedder: Embedder,
    *,
    tweets: Sequence[SentiRuEvalTweet] | None = None,
    weights: dict[str, float] | None = None,
    min_labels: int = 30,
) -> LeaveOneBrandOut:
    """For each operator the tweets name (with at least `min_labels` labels): a model trained on
    `base` plus the tweets that do not name it (minus near-duplicates of those that do) predicts
    the sentiment towards it in the tweets that do. What a model learned about telecom sentiment
    carries to a brand it has never seen, or it learned the brands.

    On the tweets that name several operators the same model also reads each
    `SUBJECT_VARIANTS` text (per-subject sentiment against whole-text sentiment)."""
    tweets = list(tweets if tweets is not None else iter_tweets(SENTIRUEVAL_PATH))
    groups = near_duplicate_groups([tweet.text for tweet in tweets])
    counts = Counter(brand for tweet in tweets for brand in tweet.labels)
    matcher = SubjectMatcher(TELECOM_OPERATORS)
    held = []
    for brand in sorted(b for b, n in counts.items() if n >= min_labels):
        tested = [i for i, tweet in enumerate(tweets) if brand in tweet.labels]
        tested_groups = {groups[i] for i in tested}
        trained = [t for t, g in zip(tweets, groups, strict=True) if g not in tested_groups]
        model = train(list(base) + tweet_records(trained), embedder, weights=weights)
        texts = [tweets[i].text for i in tested]
        labels = tuple(_TWEET_LABELS[tweets[i].labels[brand]] for i in tested)
        multi = np.array([len(tweets[i].labels) > 1 for i in tested], dtype=bool)
        read = [
            subject_texts(tweets[i], brand, matcher) for i in tested if len(tweets[i].labels) > 1
        ]
        extra = [texts_of[name] for name in SUBJECT_VARIANTS[1:] for texts_of in read]
        _, sentiment_p = model.probabilities(embedder.embed(texts + extra))
        log_p = np.log(np.maximum(sentiment_p, 1e-9))
        whole, rest = log_p[: len(texts)], log_p[len(texts) :]
        variants = {"whole": whole[multi]}
        for n, name in enumerate(SUBJECT_VARIANTS[1:]):
            variants[name] = rest[n * len(read) : (n + 1) * len(read)]
        held.append(BrandHeldOut(brand, labels, whole, model.sentiments, multi, variants))
    return LeaveOneBrandOut(tuple(held))


_TWEET_LABELS = {-1: "negative", 0: "neutral", 1: "positive"}


@dataclass(frozen=True)
class IndustryHeldOut:
    industry: str
    category: Report
    sentiment: Report


def leave_one_industry_out(
    records: Sequence[LabelledText],
    industries: Sequence[str],
    embedder: Embedder,
    *,
    extra: Sequence[LabelledText] = (),
    min_records: int = 15,
) -> list[IndustryHeldOut]:
    """For each industry with at least `min_records` records: a model trained on the other
    industries' records (plus `extra`, e.g. the tweets) scores category macro-F1 and sentiment
    F-macro on that industry's."""
    out = []
    counts = Counter(industries)
    for industry in sorted(i for i, n in counts.items() if n >= min_records):
        tested = [r for r, i in zip(records, industries, strict=True) if i == industry]
        trained = [r for r, i in zip(records, industries, strict=True) if i != industry]
        model = train(trained + list(extra), embedder)
        out.append(
            IndustryHeldOut(
                industry, evaluate_category(model, tested), evaluate_sentiment(model, tested)
            )
        )
    return out
