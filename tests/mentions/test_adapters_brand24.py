"""Brand24 adapters, from the sample files in tests/fixtures/brand24 (no database)."""

import hashlib
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mentions.adapters import AdapterError, push_adapter
from mentions.adapters.brand24 import (
    api_to_generic,
    export_to_generic,
    handle_from_url,
    read_export,
)
from mentions.ingest.schema import validate_mention

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "brand24"


def _csv_rows() -> list[dict]:
    return list(read_export(FIXTURES / "export.csv"))


def _api_items() -> list[dict]:
    return json.loads((FIXTURES / "data_api_page.json").read_text())["message"]["results"]


def test_csv_export_rows_are_read_by_header():
    rows = _csv_rows()

    assert [row["ID"] for row in rows] == ["3820114501", "3820114502", "3820114503", "3820114504"]
    assert rows[0]["Followers Count"] == "1240"


def test_xlsx_export_gives_the_same_mentions_as_the_csv_export():
    from_xlsx = [export_to_generic(row) for row in read_export(FIXTURES / "export.xlsx")]

    assert from_xlsx == [export_to_generic(row) for row in _csv_rows()]


def test_xlsx_cells_are_made_json_safe():
    row = next(read_export(FIXTURES / "export.xlsx"))

    assert (row["Date"], row["Hrs"], row["Likes"], row["Title"]) == ("2026-03-14", "08:12", 11, "")


def test_every_export_row_passes_the_generic_schema():
    for row in _csv_rows():
        assert validate_mention(export_to_generic(row))[1] is None, row["ID"]


def test_export_tweet_row_becomes_a_generic_mention():
    assert export_to_generic(_csv_rows()[0]) == {
        "external_id": "3820114501",
        "url": "https://twitter.com/kofeman_kzn/status/1901234567890123457",
        "platform": "twitter",
        "source_type": "social",
        "text": "Третий раз подряд в «Полынь Кофе» на Пушкина забыли сироп в рафе, серьёзно?",
        "title": "",
        "published_at": "2026-03-14T08:12:00+00:00",
        "author": {"name": "Марат Кофеман", "handle": "kofeman_kzn", "followers": 1240},
        "engagement": {"likes": 11, "comments": 3, "reposts": 2, "reach": 1240},
        "sentiment": "negative",
        "extra": {
            "country": "RU",
            "category": "Twitter",
            "domain": "twitter.com",
            "dislikes": 0,
            "Influencer Score": "4",
        },
    }


def test_export_columns_are_found_by_header_in_any_order_and_case():
    row = _csv_rows()[1]
    shuffled = {header.upper(): row[header] for header in reversed(list(row))}

    assert export_to_generic(shuffled) == export_to_generic(row)


def test_export_date_and_hours_are_read_in_the_given_time_zone():
    generic = export_to_generic(_csv_rows()[0], tz=ZoneInfo("Europe/Moscow"))

    assert generic["published_at"] == "2026-03-14T08:12:00+03:00"


def test_export_author_without_a_safe_handle_is_a_name_alone():
    forum, news, instagram = (export_to_generic(row) for row in _csv_rows()[1:])

    assert forum["author"] == {"name": "Гость_77", "followers": 0}
    assert news["author"] == {"name": "Редакция"}
    assert instagram["author"] == {"name": "alina.drinks", "followers": 5310}


def test_export_counts_tolerate_thousands_separators():
    news, instagram = (export_to_generic(row) for row in _csv_rows()[2:])

    assert news["engagement"]["reach"] == 48000
    assert instagram["engagement"]["reach"] == 5310


@pytest.mark.parametrize(
    ("url", "handle"),
    [
        ("https://twitter.com/kofeman_kzn/status/1901234567890123457", "kofeman_kzn"),
        ("https://x.com/Polyn_Coffee/status/19012345?s=20", "Polyn_Coffee"),
        ("https://mobile.twitter.com/kofeman_kzn/status/1901234567890123457", "kofeman_kzn"),
        ("https://x.com/i/web/status/1901234567890123457", ""),
        ("https://x.com/kofeman_kzn", ""),
        ("https://t.me/kofe_v_kazani/412", ""),
        ("https://www.instagram.com/p/DGz1TtWnR8c/", ""),
        ("Tweet-ID: 1901234567890123457", ""),
    ],
)
def test_handle_is_derived_only_from_twitter_status_urls(url, handle):
    assert handle_from_url(url) == handle


def test_export_row_with_a_bad_count_names_the_column():
    row = {**_csv_rows()[0], "Likes": "много"}

    with pytest.raises(AdapterError) as raised:
        export_to_generic(row)
    assert raised.value.errors == {
        "Likes": ["Enter a whole number of 0 or more, e.g. 1234, 1 234 or 1,234."]
    }


def test_export_row_without_a_date_names_the_column():
    row = {**_csv_rows()[0], "Date": ""}

    with pytest.raises(AdapterError) as raised:
        export_to_generic(row)
    assert raised.value.errors == {"Date": ["This field is required."]}


def test_export_row_with_a_bad_hour_names_the_column():
    row = {**_csv_rows()[0], "Hrs": "25:00"}

    with pytest.raises(AdapterError) as raised:
        export_to_generic(row)
    assert raised.value.errors == {"Hrs": ["Enter a time such as 11:20."]}


def test_export_row_without_an_id_falls_back_to_the_mention_url():
    row = {k: v for k, v in _csv_rows()[1].items() if k != "ID"}

    assert export_to_generic(row)["external_id"] == (
        "https://coffee-talk.example.ru/t/gde-luchshiy-raf/311#p9"
    )


def test_read_export_refuses_other_file_types(tmp_path):
    path = tmp_path / "export.ods"
    path.write_bytes(b"")

    with pytest.raises(ValueError, match=r"\.xlsx or \.csv"):
        read_export(path)


def test_every_data_api_item_passes_the_generic_schema():
    for item in _api_items():
        assert validate_mention(api_to_generic(item))[1] is None, item


def test_data_api_item_with_a_url_becomes_a_generic_mention():
    assert api_to_generic(_api_items()[0]) == {
        "external_id": "https://coffee-talk.example.ru/t/polyn-kofe/208#p15",
        "url": "https://coffee-talk.example.ru/t/polyn-kofe/208#p15",
        "platform": "forum",
        "source_type": "social",
        "text": "Облепиховый латте сладковат, но за эти деньги нормально. Очереди только по утрам.",
        "title": "Полынь Кофе — кто пробовал новое меню?",
        "published_at": "2026-03-16T09:40:00+00:00",
        "sentiment": "neutral",
        "extra": {"tags": ["меню"], "category": "forum", "host": "coffee-talk.example.ru"},
    }


def test_data_api_tweet_is_keyed_by_its_tweet_id_and_gets_a_status_url():
    generic = api_to_generic(_api_items()[1])

    assert generic["external_id"] == "Tweet-ID: 1901555666777888999"
    assert generic["url"] == "https://x.com/i/web/status/1901555666777888999"
    assert (generic["platform"], generic["sentiment"]) == ("twitter", "negative")


def test_data_api_item_without_source_is_keyed_by_a_sha1_of_its_fields():
    expected = hashlib.sha1(b"2026-03-16|14:30|facebook.com|facebook||").hexdigest()

    assert api_to_generic(_api_items()[2])["external_id"] == f"sha1:{expected}"


def test_data_api_url_longer_than_an_external_id_is_hashed():
    url = "https://kazan-vesti.example.ru/" + "a" * 300
    item = {**_api_items()[3], "source": url}

    generic = api_to_generic(item)

    assert generic["external_id"] == "url-sha1:" + hashlib.sha1(url.encode()).hexdigest()
    assert generic["url"] == url


def test_data_api_date_and_time_are_read_in_the_given_time_zone():
    generic = api_to_generic(_api_items()[3], tz=ZoneInfo("Asia/Almaty"))

    assert generic["published_at"] == "2026-03-17T07:00:00+05:00"


def test_data_api_item_with_a_bad_sentiment_names_the_field():
    with pytest.raises(AdapterError) as raised:
        api_to_generic({**_api_items()[0], "sentiment": 5})
    assert list(raised.value.errors) == ["sentiment"]


def test_brand24_sources_push_data_api_items():
    assert push_adapter("brand24") is api_to_generic
