"""Per-subject sentiment: a mention naming several subjects gives each the sentiment of the
clause that names it (embedded with the batch's texts, in the same call); a mention naming one
gives it its own; an operator's correction sets the main subject's too."""

from unittest import mock

import pytest

from mentions.api.serializers import MentionDetailSerializer, mention_detail_data
from mentions.classification.clauses import subject_clause
from mentions.matching import SubjectAliases, SubjectMatcher
from mentions.models import Mention, MentionSubject
from mentions.selectors import mention_list
from mentions.services.corrections import mention_correct
from mentions.services.ingest import mentions_ingest
from mentions.services.triage import mentions_process
from scrm.roles import Role
from tests.factories import TrackedSubjectFactory, UserFactory
from tests.mentions.helpers import mention_payload
from tests.mentions.states import BLAME, PRAISE, WordClassifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def subjects():
    return (
        TrackedSubjectFactory(key="acme", name="Acme", is_own=True),
        TrackedSubjectFactory(key="rival", name="Rival", is_own=False),
    )


def _process(*payloads) -> tuple[list[Mention], WordClassifier]:
    ids = [r.id for r in mentions_ingest(items=list(payloads)).results]
    classifier = WordClassifier()
    with mock.patch("mentions.services.triage.active_classifier", return_value=classifier):
        assert mentions_process(mention_ids=ids) == len(ids)
    return [Mention.objects.get(pk=i) for i in ids], classifier


def _links(mention: Mention) -> dict[str, tuple]:
    return {
        link.subject.key: (link.sentiment, link.sentiment_confidence, link.sentiment_method)
        for link in MentionSubject.objects.filter(mention=mention).select_related("subject")
    }


def test_two_subjects_with_opposite_clauses_get_opposite_sentiments(subjects):
    text = f"Acme {PRAISE} работает, спасибо! А Rival {BLAME} тормозит."
    (mention,), classifier = _process(mention_payload(text=text))

    # The mention's own sentiment is the author's towards its main subject (the whole text
    # reads neutral: praise and blame together), decided with the category as always.
    assert (mention.sentiment, mention.sentiment_confidence) == ("positive", 0.8)
    assert _links(mention) == {
        "acme": ("positive", 0.8, "model"),
        "rival": ("negative", 0.7, "model"),
    }
    # One call: the batch's text and the two clauses.
    assert classifier.calls == [
        ([text], [f"Acme {PRAISE} работает, спасибо!", f"А Rival {BLAME} тормозит."])
    ]


def test_a_mention_naming_one_subject_gives_it_its_own_sentiment_and_embeds_nothing_more(
    subjects,
):
    text = f"Acme {PRAISE} работает! Спасибо."
    (mention,), classifier = _process(mention_payload(text=text))

    assert mention.sentiment == "positive"
    assert _links(mention) == {"acme": ("positive", 0.8, "model")}
    assert classifier.calls == [([text], [])]


def test_subjects_named_in_one_sentence_or_not_named_read_the_whole_text(subjects):
    one_sentence = mention_payload(text=f"Acme {PRAISE}, Rival {BLAME}")
    # rival given by the monitoring tool, not named in the text: nothing to cut.
    hinted = mention_payload(text=f"Acme {BLAME}. Ещё раз: Acme {BLAME}!", subjects=["rival"])
    (first, second), classifier = _process(one_sentence, hinted)

    assert _links(first) == {"acme": ("neutral", 0.6, "model"), "rival": ("neutral", 0.6, "model")}
    assert _links(second) == {
        "acme": ("negative", 0.7, "model"),
        "rival": ("negative", 0.7, "model"),
    }
    assert [clauses for _texts, clauses in classifier.calls] == [[]]


def test_a_batch_embeds_each_distinct_clause_once(subjects):
    texts = [f"Acme {PRAISE}! Rival {BLAME}.", f"Acme {PRAISE}! Rival {BLAME}.", "Acme? Да."]
    mentions, classifier = _process(*(mention_payload(text=t) for t in texts))

    ((embedded, clauses),) = classifier.calls
    assert embedded == texts
    assert clauses == [f"Acme {PRAISE}!", f"Rival {BLAME}."]
    assert _links(mentions[1])["rival"] == ("negative", 0.7, "model")


def test_an_operator_correction_sets_the_main_subject_and_leaves_the_others(subjects):
    text = f"Acme {PRAISE} работает, спасибо! А Rival {BLAME} тормозит."
    (mention,), _ = _process(mention_payload(text=text))
    manager = UserFactory(roles=[Role.MANAGER])

    mention_correct(mention=mention, user=manager, sentiment="negative")

    assert _links(mention) == {
        "acme": ("negative", 1.0, "operator"),
        "rival": ("negative", 0.7, "model"),
    }


def test_a_correction_of_a_mention_naming_one_subject_sets_its_only_subject(subjects):
    (mention,), _ = _process(mention_payload(text=f"Rival {BLAME}! Совсем."))
    manager = UserFactory(roles=[Role.MANAGER])

    mention_correct(mention=mention, user=manager, sentiment="positive")

    assert _links(mention) == {"rival": ("positive", 1.0, "operator")}


def test_the_api_shows_each_subject_with_its_sentiment(manager_client, subjects):
    text = f"Acme {PRAISE} работает, спасибо! А Rival {BLAME} тормозит."
    (mention,), _ = _process(mention_payload(text=text))
    client = manager_client

    detail = client.get(f"/api/v1/mentions/{mention.pk}/").json()
    listed = client.get("/api/v1/mentions/").json()["results"][0]

    expected = [
        {
            "subject": "acme",
            "is_main": True,
            "sentiment": "positive",
            "sentiment_confidence": 0.8,
            "sentiment_method": "model",
        },
        {
            "subject": "rival",
            "is_main": False,
            "sentiment": "negative",
            "sentiment_confidence": 0.7,
            "sentiment_method": "model",
        },
    ]
    assert detail["subject_sentiments"] == expected
    assert listed["subject_sentiments"] == expected
    assert detail["subjects"] == ["acme", "rival"]
    assert detail["sentiment"] == "positive"  # towards the main subject, acme
    loaded = mention_list().get(pk=mention.pk)
    assert mention_detail_data(loaded) == MentionDetailSerializer(loaded).data


def test_an_unprocessed_mention_shows_its_subjects_unrated(manager_client, subjects):
    (result,) = mentions_ingest(items=[mention_payload(text="Acme. Rival.")]).results
    client = manager_client

    detail = client.get(f"/api/v1/mentions/{result.id}/").json()

    assert [s["sentiment"] for s in detail["subject_sentiments"]] == [None, None]
    assert [s["sentiment_method"] for s in detail["subject_sentiments"]] == [None, None]


def test_the_schema_describes_the_subjects_sentiments(manager_client):
    schema = manager_client.get("/api/schema/?format=json").json()

    mention = schema["components"]["schemas"]["Mention"]["properties"]
    assert mention["subject_sentiments"]["type"] == "array"
    item = schema["components"]["schemas"]["SubjectSentiment"]
    assert set(item["properties"]) == {
        "subject",
        "is_main",
        "sentiment",
        "sentiment_confidence",
        "sentiment_method",
    }


# --- the clause and the spans -------------------------------------------------------------


def test_the_matcher_says_where_each_subject_is_named():
    matcher = SubjectMatcher(
        [
            SubjectAliases("sber", "Сбербанк", ()),
            SubjectAliases("bereza", "Береза Банк", ("@bereza",)),
        ]
    )
    text = "Ушёл из Сбербанка в Береза Банк. @bereza, #СбербанкОнлайн не скучаю"

    spans = matcher.match_spans(text)

    assert list(spans) == matcher.match(text) == ["sber", "bereza"]
    assert [text[s:e] for s, e in spans["sber"]] == ["Сбербанка", "#СбербанкОнлайн"]
    assert [text[s:e] for s, e in spans["bereza"]] == ["Береза Банк", "@bereza"]


def test_the_clause_is_the_sentences_naming_the_subject():
    text = "МТС опять без связи!!! Билайн норм. Ссылка t.co/x.y\nМТС, верните деньги"
    mts = [(0, 3), (text.rindex("МТС"), text.rindex("МТС") + 3)]

    assert subject_clause(text, mts) == "МТС опять без связи!!! МТС, верните деньги"
    assert subject_clause(text, [(text.index("Билайн"), text.index("Билайн") + 6)]) == (
        "Билайн норм."
    )
    assert subject_clause("МТС и Билайн", [(0, 3)]) is None  # the whole text
    assert subject_clause(text, []) is None  # not named in it


def test_the_model_reads_the_clauses_with_its_sentiment_head_in_the_same_embedding_call():
    from mentions.classification.embeddings import HashingFallbackEmbedder
    from mentions.classification.model import load_default_model

    model = load_default_model(HashingFallbackEmbedder())
    texts = ["Спасибо, всё отлично! А вот другой банк ужасен.", "Подскажите тариф"]
    clauses = ["Спасибо, всё отлично!", "А вот другой банк ужасен."]

    with mock.patch.object(model.embedder, "embed", wraps=model.embedder.embed) as embed:
        predictions, sentiments = model.predict_with_clauses(texts, clauses)

    assert embed.call_count == 1
    assert predictions == model.predict(texts)
    alone = model.predict(clauses)
    assert sentiments == [(p.sentiment, p.sentiment_confidence, p.sentiment_scores) for p in alone]
    assert model.predict_with_clauses(texts, []) == (model.predict(texts), [])


def test_the_mention_admin_page_shows_each_subject_and_the_authors_sentiment_to_it(
    client, subjects
):
    """An operator (no permission on the link model) sees the subjects table and the mention's
    category, sentiment, priority and team on the mention's page."""
    text = f"Acme {PRAISE} работает, спасибо! А Rival {BLAME} тормозит."
    (mention,), _ = _process(mention_payload(text=text))
    client.force_login(UserFactory(roles=[Role.OPERATOR.value], is_staff=True))
    page = client.get(f"/admin/mentions/mention/{mention.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "the author&#x27;s sentiment towards each" in body
    for label in ("Category:", "Sentiment:", "Priority:", "Team:"):
        assert label in body
    assert body.count("Learned model") >= 2  # each subject's sentiment method


def test_a_mention_attacking_its_main_subject_is_negative_whatever_it_says_of_another(subjects):
    """Praise for a competitor does not hide a complaint about us: the mention's sentiment
    (what priority reads) is the main subject's clause's, and it still agrees with the
    category the model chose."""
    text = f"Перешёл в Rival, {PRAISE}! А Acme {BLAME} три недели не чинит интернет."
    (mention,), _ = _process(mention_payload(text=text))

    assert mention.main_subject.key == "acme"
    assert (mention.sentiment, mention.sentiment_method) == ("negative", "model")
    assert _links(mention) == {
        "acme": ("negative", 0.7, "model"),
        "rival": ("positive", 0.8, "model"),
    }
