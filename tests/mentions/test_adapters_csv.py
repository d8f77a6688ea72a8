"""The mapped CSV importer and the JSON lines reader, from tests/fixtures (no database)."""

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mentions.adapters import AdapterError
from mentions.adapters.csv_mapping import (
    make_adapter,
    parse_count,
    parse_datetime,
    parse_sentiment,
    read_csv,
)
from mentions.adapters.jsonl import jsonl_to_generic, read_jsonl
from mentions.ingest.schema import validate_mention

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MOSCOW = ZoneInfo("Europe/Moscow")


def _mapping() -> dict:
    return json.loads((FIXTURES / "csv" / "russian_tool_mapping.json").read_text())


def _rows() -> list[dict]:
    return list(read_csv(FIXTURES / "csv" / "russian_tool_export.csv"))


def _write(tmp_path, text: str, name="export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_semicolon_file_with_a_bom_is_read_by_its_headers():
    rows = _rows()

    assert len(rows) == 4
    assert list(rows[0]) == [
        "Дата",
        "Источник",
        "Автор",
        "Профиль автора",
        "Ссылка",
        "Заголовок",
        "Текст",
        "Тональность",
        "Охват",
        "Лайки",
        "Комментарии",
        "Регион",
    ]


def test_a_quoted_semicolon_stays_inside_its_cell():
    assert _rows()[0]["Текст"] == (
        "Взяла лавандовый раф в «Полынь Кофе» на Баумана; очень вкусно, спасибо!"
    )


def test_comma_delimited_file_is_sniffed(tmp_path):
    path = _write(tmp_path, 'date,text\n2026-03-14 10:00:00,"один; два, три"\n\n')

    assert list(read_csv(path)) == [{"date": "2026-03-14 10:00:00", "text": "один; два, три"}]


def test_file_without_a_header_row_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no header row"):
        list(read_csv(_write(tmp_path, "")))


def test_russian_export_row_becomes_a_generic_mention():
    adapter = make_adapter(_mapping(), tz=MOSCOW)

    assert adapter(_rows()[0]) == {
        "external_id": "https://vk.com/wall-71234567_3310?reply=3321",
        "url": "https://vk.com/wall-71234567_3310?reply=3321",
        "platform": "vk",
        "published_at": "2026-03-14T09:15:00+03:00",
        "text": "Взяла лавандовый раф в «Полынь Кофе» на Баумана; очень вкусно, спасибо!",
        "sentiment": "positive",
        "author": {"name": "Лилия Гарипова", "profile_url": "https://vk.com/id5550101"},
        "engagement": {"reach": 1240, "likes": 18, "comments": 2},
        "extra": {"region": "Казань"},
    }


def test_every_russian_export_row_passes_the_generic_schema():
    adapter = make_adapter(_mapping(), tz=MOSCOW)

    for row in _rows():
        assert validate_mention(adapter(row))[1] is None, row


def test_platform_comes_from_russian_source_names():
    adapter = make_adapter(_mapping())

    assert [adapter(row)["platform"] for row in _rows()] == ["vk", "telegram", "forum", "news"]


def test_platform_falls_back_to_the_url_domain():
    adapter = make_adapter({"Когда": "published_at", "Где": "url"})

    generic = adapter({"Когда": "2026-03-14", "Где": "https://t.me/kofe_v_kazani/5"})

    assert generic["platform"] == "telegram"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2026-03-14T09:15:00+05:00",
            datetime(2026, 3, 14, 9, 15, tzinfo=timezone(timedelta(hours=5))),
        ),
        ("2026-03-14T04:15:00Z", datetime(2026, 3, 14, 4, 15, tzinfo=UTC)),
        ("14.03.2026 09:15", datetime(2026, 3, 14, 9, 15, tzinfo=MOSCOW)),
        ("14.03.2026 09:15:30", datetime(2026, 3, 14, 9, 15, 30, tzinfo=MOSCOW)),
        ("14.03.2026", datetime(2026, 3, 14, tzinfo=MOSCOW)),
        ("2026-03-14 09:15:30", datetime(2026, 3, 14, 9, 15, 30, tzinfo=MOSCOW)),
        ("2026-03-14 09:15", datetime(2026, 3, 14, 9, 15, tzinfo=MOSCOW)),
    ],
)
def test_dates_in_iso_and_common_forms_are_read_in_the_given_zone(value, expected):
    assert parse_datetime(value, tz=MOSCOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1,234", 1234),
        ("12 400", 12400),
        ("7", 7),
        ("12.0", 12),
        ("", None),
        (5, 5),
    ],
)
def test_counts_tolerate_thousands_separators(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["-3", "1,5", "много", "12.5"])
def test_counts_that_are_not_whole_non_negative_numbers_are_refused(value):
    with pytest.raises(ValueError):
        parse_count(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Позитив", "positive"),
        ("позитивная", "positive"),
        ("Негатив", "negative"),
        ("отрицательная", "negative"),
        ("нейтрал", "neutral"),
        ("Нейтральная", "neutral"),
        ("positive", "positive"),
        ("NEGATIVE", "negative"),
        ("neutral", "neutral"),
        ("1", "positive"),
        ("0", "neutral"),
        ("-1", "negative"),
        (-1.0, "negative"),
        ("", None),
        ("undefined", None),
    ],
)
def test_sentiment_words_and_numbers_in_russian_and_english(value, expected):
    assert parse_sentiment(value) == expected


def test_bad_date_fails_the_record_naming_the_column():
    adapter = make_adapter(_mapping())
    row = {**_rows()[0], "Дата": "вчера"}

    with pytest.raises(AdapterError) as raised:
        adapter(row)
    assert raised.value.errors == {
        "Дата": [
            "Enter a date and time such as 2026-03-14T11:20:00+05:00, 14.03.2026 11:20 "
            "or 2026-03-14 11:20:00."
        ]
    }


def test_bad_count_and_bad_sentiment_are_reported_together_by_column():
    adapter = make_adapter(_mapping())
    row = {**_rows()[0], "Охват": "много", "Тональность": "злая"}

    with pytest.raises(AdapterError) as raised:
        adapter(row)
    assert sorted(raised.value.errors) == ["Охват", "Тональность"]


def test_empty_date_fails_the_record_naming_the_column():
    adapter = make_adapter(_mapping())

    with pytest.raises(AdapterError) as raised:
        adapter({**_rows()[0], "Дата": ""})
    assert raised.value.errors == {"Дата": ["This column is empty."]}


def test_a_mapped_column_missing_from_the_file_is_named():
    adapter = make_adapter({**_mapping(), "Просмотры": "engagement.views"})

    with pytest.raises(AdapterError) as raised:
        adapter(_rows()[0])
    assert raised.value.errors == {"Просмотры": ["No such column in the file."]}


def test_mapping_to_an_unknown_target_is_refused():
    with pytest.raises(ValueError, match=r"'Охват' -> 'engagement\.audience'"):
        make_adapter({"Дата": "published_at", "Охват": "engagement.audience"})


def test_mapping_without_published_at_is_refused():
    with pytest.raises(ValueError, match="published_at"):
        make_adapter({"Текст": "text"})


def test_dotted_author_and_engagement_targets_and_subjects_are_filled():
    adapter = make_adapter(
        {
            "date": "published_at",
            "id": "external_id",
            "nick": "author.handle",
            "uid": "author.external_id",
            "fans": "author.followers",
            "rt": "engagement.reposts",
            "brands": "subjects",
            "net": "platform",
        }
    )

    generic = adapter(
        {
            "date": "2026-03-14 10:00:00",
            "id": "tw-77",
            "nick": "@kofeman_kzn",
            "uid": "1456",
            "fans": "2 000",
            "rt": "3",
            "brands": "polyn, kofe-plus",
            "net": "twitter",
        }
    )

    assert generic == {
        "external_id": "tw-77",
        "platform": "twitter",
        "published_at": "2026-03-14T10:00:00+00:00",
        "author": {"handle": "@kofeman_kzn", "external_id": "1456", "followers": 2000},
        "engagement": {"reposts": 3},
        "subjects": ["polyn", "kofe-plus"],
    }


def test_row_without_id_and_url_is_keyed_by_a_hash_of_its_mapped_values():
    adapter = make_adapter({"Дата": "published_at", "Текст": "text"})

    generic = adapter({"Дата": "14.03.2026 09:15", "Текст": "Кофе остыл"})

    expected = hashlib.sha1("14.03.2026 09:15|Кофе остыл".encode()).hexdigest()
    assert generic["external_id"] == f"sha1:{expected}"
    assert generic["platform"] == "other"


def test_jsonl_reader_skips_blank_lines_and_names_bad_lines():
    records = list(read_jsonl(FIXTURES / "generic" / "mentions.jsonl"))

    assert len(records) == 5
    with pytest.raises(AdapterError) as raised:
        jsonl_to_generic(records[2])
    assert raised.value.errors == {
        "non_field_errors": ["Not valid JSON: Invalid control character at column 50."]
    }
    assert jsonl_to_generic(records[0]) == records[0]


def test_jsonl_line_that_is_not_an_object_fails_saying_so(tmp_path):
    path = _write(tmp_path, "[1, 2]\n", name="m.jsonl")

    with pytest.raises(AdapterError) as raised:
        jsonl_to_generic(next(read_jsonl(path)))
    assert raised.value.errors == {"non_field_errors": ["Not a JSON object."]}
