"""YouScan adapters, from the sample files in tests/fixtures/youscan (no database)."""

import json
from pathlib import Path

import pytest

from mentions.adapters import AdapterError, push_adapter
from mentions.adapters.youscan import (
    read_export,
    rest_to_generic,
    to_generic,
    webhook_to_generic,
)
from mentions.ingest.schema import validate_mention

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "youscan"


def _rest(index: int) -> dict:
    return json.loads((FIXTURES / "rest_export.json").read_text())["mentions"][index]


def _webhook(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_read_export_yields_the_mentions_of_a_list_response():
    records = list(read_export(FIXTURES / "rest_export.json"))

    assert [r["id"] for r in records] == [
        "512300101",
        "512300102",
        "512300103",
        "512300104",
        "512300105",
        "512300106",
    ]


def test_read_export_accepts_a_bare_json_list(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps([_rest(0), _rest(1)]), encoding="utf-8")

    assert [r["id"] for r in read_export(path)] == ["512300101", "512300102"]


def test_read_export_accepts_json_lines_and_turns_a_bad_line_into_a_failing_record(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(
        json.dumps(_rest(0)) + "\n\n{broken\n" + json.dumps(_webhook("webhook_comment")) + "\n",
        encoding="utf-8",
    )

    records = list(read_export(path))

    assert len(records) == 3
    assert to_generic(records[0])["external_id"] == "512300101"
    with pytest.raises(AdapterError) as raised:
        to_generic(records[1])
    assert raised.value.errors == {
        "non_field_errors": [
            "Not valid JSON: Expecting property name enclosed in double quotes at column 2."
        ]
    }
    assert to_generic(records[2])["external_id"] == "512300977"


def test_read_export_refuses_a_json_document_that_holds_no_mentions(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"total": 0, "lastSeq": 1}', encoding="utf-8")

    with pytest.raises(ValueError, match="Expected a YouScan export"):
        list(read_export(path))


def test_every_rest_mention_passes_the_generic_schema():
    for record in read_export(FIXTURES / "rest_export.json"):
        _, errors = validate_mention(rest_to_generic(record))
        assert errors is None, (record["id"], errors)


def test_instagram_post_becomes_a_generic_mention():
    assert rest_to_generic(_rest(0)) == {
        "external_id": "512300101",
        "url": "https://www.instagram.com/p/DGx7QpLnV2b/",
        "platform": "instagram",
        "source_type": "social",
        "text": "Лавандовый раф в «Полынь Кофе» на Баумана — лучший в городе ☕ "
        "Бариста Тимур помнит мой заказ, приятно!",
        "title": "",
        "language": "rus",
        "published_at": "2026-03-14T09:41:07+03:00",
        "collected_at": "2026-03-14T06:52:31.1234567Z",
        "parent_external_id": "",
        "discussion_id": "3401567812345678901",
        "author": {
            "external_id": "6610293847",
            "handle": "liliya.garipova",
            "name": "Лилия Гарипова",
            "profile_url": "https://www.instagram.com/liliya.garipova/",
            "followers": 3120,
        },
        "engagement": {"likes": 214, "comments": 9, "reposts": 0, "reach": 3120},
        "sentiment": "positive",
        "extra": {
            "tags": ["похвала"],
            "country": "ru",
            "region": "Татарстан",
            "city": "Казань",
            "post_type": "post",
            "post_id": "3401567812345678901",
            "publication_place": {
                "name": "Лилия Гарипова",
                "nickname": "liliya.garipova",
                "url": "https://www.instagram.com/liliya.garipova/",
            },
            "seq": 7720401,
        },
    }


def test_three_letter_language_is_normalised_by_the_schema():
    mention, _ = validate_mention(rest_to_generic(_rest(0)))

    assert mention.language == "ru"


def test_vk_comment_keeps_its_parent_and_discussion():
    generic = rest_to_generic(_rest(1))

    assert (generic["platform"], generic["parent_external_id"], generic["discussion_id"]) == (
        "vk",
        "3310",
        "3310",
    )
    assert generic["extra"]["post_type"] == "comment"


def test_news_article_is_media_and_its_html_is_stripped():
    generic = rest_to_generic(_rest(2))

    assert (generic["platform"], generic["source_type"]) == ("news", "media")
    assert generic["text"] == (
        "Местная сеть кофеен «Полынь Кофе» объявила об открытии шестой кофейни на улице "
        "Пушкина.\nПо словам основателя сети, новая точка будет работать с 7:00 & без выходных."
    )


def test_null_counters_are_left_out_and_engagement_reach_wins_over_potential_reach():
    assert rest_to_generic(_rest(2))["engagement"] == {"reposts": 12, "views": 5400, "reach": 48000}


def test_undefined_sentiment_is_left_out():
    assert "sentiment" not in rest_to_generic(_rest(3))


def test_forum_author_is_identified_by_profile_url_only():
    generic = rest_to_generic(_rest(3))

    assert generic["platform"] == "forum"
    assert generic["author"] == {
        "name": "barista_na_pensii",
        "profile_url": "https://coffee-talk.example.ru/u/barista_na_pensii",
    }


def test_text_with_a_less_than_sign_keeps_it_after_tags_are_stripped():
    assert rest_to_generic(_rest(3))["text"] == (
        "Пробовал их сезонный облепиховый латте, ну такое.\n"
        "Сладко, но цена < 300 за такой объём — нормально."
    )


def test_restricted_twitter_record_is_accepted_without_text_and_gets_a_status_url():
    generic = rest_to_generic(_rest(4))

    assert generic["platform"] == "twitter"
    assert generic["text"] == ""
    assert generic["url"] == "https://x.com/i/web/status/1901234567890123456"
    assert generic["author"] == {"external_id": "1456789012345678901", "followers": 842}
    assert validate_mention(generic)[1] is None


def test_review_on_an_unknown_domain_is_a_review_site_and_keeps_its_rating():
    generic = rest_to_generic(_rest(5))

    assert generic["platform"] == "review_site"
    assert generic["extra"]["rating"] == 4


def test_unknown_domain_of_a_social_source_is_other():
    record = {**_rest(0), "source": "pikabu.example.ru"}

    assert rest_to_generic(record)["platform"] == "other"


def test_rest_mention_without_id_names_the_vendor_field():
    record = {k: v for k, v in _rest(0).items() if k != "id"}

    with pytest.raises(AdapterError) as raised:
        rest_to_generic(record)
    assert raised.value.errors == {"id": ["This field is required."]}


def test_webhook_comment_becomes_a_generic_mention():
    assert webhook_to_generic(_webhook("webhook_comment")) == {
        "external_id": "512300977",
        "url": "https://vk.com/wall-71234567_3310?reply=3342",
        "platform": "vk",
        "source_type": "social",
        "text": "Подскажите, а с собакой в новую кофейню можно? У вас на Баумана не пустили",
        "title": "Полынь Кофе: открываем шестую кофейню на Пушкина!",
        "language": "rus",
        "published_at": "2026-03-17T10:02:55Z",
        "collected_at": "2026-03-17T10:05:12.5531120Z",
        "parent_external_id": "3310",
        "discussion_id": "3310",
        "author": {
            "external_id": "219044516",
            "handle": "ekaterina.volkova",
            "name": "Екатерина Волкова",
            "profile_url": "https://vk.com/ekaterina.volkova",
            "followers": 402,
        },
        "engagement": {"likes": 4, "comments": 1, "reposts": 0, "reach": 402},
        "sentiment": "neutral",
        "extra": {
            "tags": ["вопрос"],
            "country": "ru",
            "city": "Казань",
            "post_type": "comment",
            "post_id": "3342",
            "publication_place": {
                "name": "Полынь Кофе",
                "nickname": "polyn_coffee",
                "url": "https://vk.com/polyn_coffee",
                "subscribers": 18400,
            },
            "topic_id": 310277,
            "topic_name": "Полынь Кофе — бренд",
        },
    }


def test_webhook_twitter_record_has_flat_counters_and_no_text():
    generic = webhook_to_generic(_webhook("webhook_twitter"))

    assert generic["engagement"] == {
        "likes": 27,
        "comments": 6,
        "reposts": 2,
        "views": 3900,
        "reach": 1290,
    }
    assert (generic["text"], generic["url"]) == (
        "",
        "https://x.com/i/web/status/1901987654321098765",
    )
    assert validate_mention(generic)[1] is None


def test_webhook_without_mention_id_and_published_names_both_fields():
    payload = {"sourceName": "vk.com", "text": "привет"}

    with pytest.raises(AdapterError) as raised:
        webhook_to_generic(payload)
    assert raised.value.errors == {
        "mentionId": ["This field is required."],
        "published": ["This field is required."],
    }


def test_to_generic_reads_a_webhook_payload_as_a_webhook():
    assert to_generic(_webhook("webhook_comment"))["external_id"] == "512300977"


def test_youscan_sources_push_webhooks():
    assert push_adapter("youscan") is webhook_to_generic
