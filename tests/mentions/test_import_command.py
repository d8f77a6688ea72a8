"""`manage.py import_mentions` on the sample files of every format."""

import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from authors.models import AuthorIdentity
from mentions.models import Mention, MentionSubject, Source
from mentions.subject_catalogs import TELECOM_OPERATORS
from tests.factories import SourceFactory, TrackedSubjectFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
JSONL = FIXTURES / "generic" / "mentions.jsonl"
RUSSIAN_CSV = FIXTURES / "csv" / "russian_tool_export.csv"
RUSSIAN_MAPPING = FIXTURES / "csv" / "russian_tool_mapping.json"
YOUSCAN = FIXTURES / "youscan" / "rest_export.json"
BRAND24_CSV = FIXTURES / "brand24" / "export.csv"
BRAND24_XLSX = FIXTURES / "brand24" / "export.xlsx"
SENTIRUEVAL = FIXTURES / "sentirueval" / "sample.xml"


def run(path, *args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_mentions", str(path), *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def _external_ids(source_key: str) -> list[str]:
    return sorted(
        Mention.objects.filter(source__key=source_key).values_list("external_id", flat=True)
    )


# --- jsonl ---------------------------------------------------------------------------------------


def test_jsonl_import_stores_the_valid_records_and_reports_the_bad_ones_by_number():
    out, _ = run(JSONL, source="generic-file", format="jsonl")

    assert _external_ids("generic-file") == ["gen-1", "gen-2", "gen-5"]
    assert "created 3, duplicates 0, failed 2" in out
    # One numbering: records, blank lines not counted (record 3 is on line 4 of the file).
    assert "record 3: non_field_errors: Not valid JSON: " in out
    assert "Line " not in out
    assert "record 4: published_at: This field is required." in out


def test_import_creates_a_missing_source_with_the_kind_of_the_format_and_says_so():
    out, _ = run(JSONL, source="generic-file", format="jsonl")

    assert Source.objects.get(key="generic-file").kind == "generic"
    assert "Created source 'generic-file' (kind generic)." in out


def test_import_into_an_existing_source_keeps_it():
    SourceFactory(key="mine", kind=Source.Kind.DEMO)

    out, _ = run(JSONL, source="mine", format="jsonl")

    assert Source.objects.get(key="mine").kind == "demo"
    assert "Created source" not in out
    assert len(_external_ids("mine")) == 3


def test_jsonl_import_links_authors_and_engagement():
    run(JSONL, source="generic-file", format="jsonl")

    mention = Mention.objects.get(external_id="gen-1")
    assert (mention.likes, mention.comments, mention.views, mention.reach) == (5, 2, 310, 187)
    assert mention.author_identity.handle == "id348812907"
    assert mention.author_identity.followers == 187
    assert Mention.objects.get(external_id="gen-5").author_identity is None


def test_running_the_same_import_again_reports_everything_as_duplicates():
    run(JSONL, source="generic-file", format="jsonl")

    out, _ = run(JSONL, source="generic-file", format="jsonl")

    assert "created 0, duplicates 3, failed 2" in out
    assert Mention.objects.count() == 3


def test_small_batches_give_the_same_result():
    out, _ = run(JSONL, source="generic-file", format="jsonl", batch_size=2)

    assert "created 3, duplicates 0, failed 2" in out
    assert _external_ids("generic-file") == ["gen-1", "gen-2", "gen-5"]


def test_progress_bar_is_written_to_stderr_with_the_record_count():
    out, err = run(JSONL, source="generic-file", format="jsonl")

    assert "5/5" in err
    assert "5/5" not in out


def test_progress_is_written_once_when_stderr_is_not_a_terminal():
    _, err = run(JSONL, source="generic-file", format="jsonl")

    assert err == "mentions.jsonl: 5/5 records read\n"


def test_a_quiet_import_writes_no_progress():
    _, err = run(JSONL, source="generic-file", format="jsonl", verbosity=0)

    assert err == ""


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_log_lines_are_written_above_the_bar_not_through_it(monkeypatch):
    import logging
    import sys

    from mentions.services import importing

    real = importing.mentions_ingest_records

    def logging_ingest(**kwargs):
        logging.getLogger("celery.app.trace").warning("task done")
        return real(**kwargs)

    monkeypatch.setattr(importing, "mentions_ingest_records", logging_ingest)
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)  # the console log handler writes to stderr
    handler = logging.StreamHandler(sys.stderr)
    logging.getLogger().addHandler(handler)
    try:
        call_command(
            "import_mentions",
            str(JSONL),
            source="generic-file",
            format="jsonl",
            stdout=StringIO(),
            stderr=err,
        )
    finally:
        logging.getLogger().removeHandler(handler)

    text = err.getvalue()
    assert "task done" in text
    # The bar never shares a line with a log line.
    assert all(("task done" not in line) or ("%|" not in line) for line in text.splitlines())


# --- csv -----------------------------------------------------------------------------------------


def test_csv_import_with_a_mapping_file_reads_dates_in_the_given_zone():
    out, _ = run(
        RUSSIAN_CSV,
        source="ru-tool",
        format="csv",
        mapping=str(RUSSIAN_MAPPING),
        tz="Europe/Moscow",
    )

    assert "created 4, duplicates 0, failed 0" in out
    assert Source.objects.get(key="ru-tool").kind == "csv"
    mention = Mention.objects.get(external_id="https://t.me/kofe_v_kazani/412")
    assert mention.published_at == datetime(2026, 3, 14, 9, 40, tzinfo=UTC)
    assert (mention.platform, mention.source_sentiment) == ("telegram", "neutral")
    assert (mention.likes, mention.comments, mention.reach) == (1234, 0, 12400)


def test_csv_import_identifies_authors_by_profile_url_and_skips_bare_names():
    run(RUSSIAN_CSV, source="ru-tool", format="csv", mapping=str(RUSSIAN_MAPPING))

    vk = Mention.objects.get(external_id="https://vk.com/wall-71234567_3310?reply=3321")
    assert vk.author_identity.profile_url == "https://vk.com/id5550101"
    assert vk.author.display_name == "Лилия Гарипова"
    forum = Mention.objects.get(platform="forum")
    assert forum.author is None
    assert AuthorIdentity.objects.count() == 2


def test_csv_import_with_map_options_overrides_the_mapping_file():
    run(
        RUSSIAN_CSV,
        "--map",
        "Охват=engagement.views",
        "--map",
        "Регион=extra.city",
        source="ru-tool",
        format="csv",
        mapping=str(RUSSIAN_MAPPING),
    )

    mention = Mention.objects.get(external_id="https://t.me/kofe_v_kazani/412")
    assert (mention.views, mention.reach) == (12400, 0)


def test_csv_import_with_map_options_only():
    out, _ = run(
        RUSSIAN_CSV,
        "--map",
        "Дата=published_at",
        "--map",
        "Ссылка=url",
        "--map",
        "Текст=text",
        source="ru-tool",
        format="csv",
    )

    assert "created 4, duplicates 0, failed 0" in out
    # Without the source column, the platform comes from the URL's domain.
    assert sorted(Mention.objects.values_list("platform", flat=True)) == [
        "other",
        "other",
        "telegram",
        "vk",
    ]


def test_csv_import_without_a_mapping_is_refused():
    with pytest.raises(CommandError, match="needs a column mapping"):
        run(RUSSIAN_CSV, source="ru-tool", format="csv")
    assert not Source.objects.filter(key="ru-tool").exists()


def test_csv_import_with_an_unknown_target_is_refused():
    with pytest.raises(CommandError, match="Unknown target field"):
        run(RUSSIAN_CSV, "--map", "Дата=published", source="ru-tool", format="csv")


def test_mapping_options_for_another_format_are_refused():
    with pytest.raises(CommandError, match="--format csv only"):
        run(JSONL, "--map", "Дата=published_at", source="generic-file", format="jsonl")


def test_csv_file_that_breaks_midway_keeps_the_batches_already_imported(tmp_path):
    path = tmp_path / "broken.csv"
    rows = "".join(f"2026-03-14 10:00:00;https://vk.com/wall-1_{n}\n" for n in range(3000))
    path.write_bytes(("date;url\n" + rows).encode() + b"\xff\xfe broken\n")

    # The undecodable bytes come in the buffer that holds the last rows: the third batch is never
    # complete, the first two were committed.
    with pytest.raises(CommandError, match=r"Cannot read .* after record 2000: 'utf-8' codec"):
        run(
            path,
            "--map",
            "date=published_at",
            "--map",
            "url=url",
            source="big",
            format="csv",
            batch_size=1000,
        )

    assert Mention.objects.filter(source__key="big").count() == 2000


# --- youscan -------------------------------------------------------------------------------------


def test_youscan_export_import_stores_every_mention_with_its_author():
    out, _ = run(YOUSCAN, source="youscan-polyn", format="youscan")

    assert "created 6, duplicates 0, failed 0" in out
    assert Source.objects.get(key="youscan-polyn").kind == "youscan"
    comment = Mention.objects.get(external_id="512300102")
    assert (comment.platform, comment.parent_external_id, comment.likes) == ("vk", "3310", 6)
    assert comment.author_identity.external_id == "348812907"
    assert comment.source_sentiment == "negative"
    tweet = Mention.objects.get(external_id="512300105")
    assert (tweet.text, tweet.url) == ("", "https://x.com/i/web/status/1901234567890123456")
    assert tweet.author_identity.external_id == "1456789012345678901"
    assert Mention.objects.get(external_id="512300104").source_sentiment == ""


def test_youscan_import_keeps_the_vendor_record_as_raw():
    run(YOUSCAN, source="youscan-polyn", format="youscan")

    raw = Mention.objects.get(external_id="512300101").raw
    assert raw == json.loads(YOUSCAN.read_text())["mentions"][0]


def test_youscan_import_links_tracked_subjects_found_in_the_text():
    TrackedSubjectFactory(key="polyn", name="Полынь Кофе", aliases=["@polyn_coffee"])

    run(YOUSCAN, source="youscan-polyn", format="youscan")

    linked = sorted(
        MentionSubject.objects.filter(subject__key="polyn").values_list(
            "mention__external_id", flat=True
        )
    )
    assert linked == ["512300101", "512300102", "512300103", "512300104", "512300106"]
    assert Mention.objects.get(external_id="512300101").main_subject.key == "polyn"


# --- brand24 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [BRAND24_CSV, BRAND24_XLSX], ids=["csv", "xlsx"])
def test_brand24_export_import_stores_every_row(path):
    out, _ = run(path, source="b24", format="brand24", tz="Europe/Moscow")

    assert "created 4, duplicates 0, failed 0" in out
    assert Source.objects.get(key="b24").kind == "brand24"
    tweet = Mention.objects.get(external_id="3820114501")
    assert tweet.published_at == datetime(2026, 3, 14, 5, 12, tzinfo=UTC)
    assert (tweet.likes, tweet.comments, tweet.reposts, tweet.reach) == (11, 3, 2, 1240)
    assert tweet.author_identity.handle == "kofeman_kzn"
    assert tweet.author_identity.followers == 1240


def test_brand24_authors_known_only_by_name_are_not_linked():
    run(BRAND24_CSV, source="b24", format="brand24")

    assert list(AuthorIdentity.objects.values_list("handle", flat=True)) == ["kofeman_kzn"]
    assert Mention.objects.filter(author__isnull=True).count() == 3


def test_brand24_csv_and_xlsx_of_one_export_are_the_same_mentions():
    run(BRAND24_CSV, source="b24", format="brand24")

    out, _ = run(BRAND24_XLSX, source="b24", format="brand24")

    assert "created 0, duplicates 4, failed 0" in out


# --- sentirueval ---------------------------------------------------------------------------------


def test_sentirueval_import_stores_tweets_with_their_operators():
    for operator in TELECOM_OPERATORS:
        TrackedSubjectFactory(key=operator.key, name=operator.name, aliases=list(operator.aliases))

    out, _ = run(SENTIRUEVAL, source="sentirueval", format="sentirueval")

    assert "created 3, duplicates 0, failed 0" in out
    assert Source.objects.get(key="sentirueval").kind == "sentirueval"
    subjects = {
        m.external_id: sorted(m.subjects.values_list("key", flat=True))
        for m in Mention.objects.all()
    }
    assert subjects == {"101": ["mts"], "102": ["beeline", "tele2"], "103": ["rostelecom"]}
    first = Mention.objects.get(external_id="101")
    assert (first.platform, first.source_sentiment) == ("twitter", "negative")
    assert first.published_at == datetime.fromtimestamp(1435700000, tz=UTC)
    assert Mention.objects.get(external_id="102").source_sentiment == ""


def test_sentirueval_rerun_reports_duplicates():
    run(SENTIRUEVAL, source="sentirueval", format="sentirueval")

    out, _ = run(SENTIRUEVAL, source="sentirueval", format="sentirueval")

    assert "created 0, duplicates 3, failed 0" in out


# --- errors --------------------------------------------------------------------------------------


def test_unknown_format_is_refused():
    with pytest.raises(CommandError, match="invalid choice: 'talkwalker'"):
        run(JSONL, source="x", format="talkwalker")


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        run(tmp_path / "nothing.jsonl", source="x", format="jsonl")
    assert not Source.objects.filter(key="x").exists()


def test_inactive_source_is_refused():
    SourceFactory(key="old", active=False)

    with pytest.raises(CommandError, match="Source 'old' is inactive"):
        run(JSONL, source="old", format="jsonl")
    assert Mention.objects.count() == 0


def test_unknown_time_zone_is_refused():
    with pytest.raises(CommandError, match="Unknown time zone: Mars/Olympus"):
        run(BRAND24_CSV, source="b24", format="brand24", tz="Mars/Olympus")


def test_file_where_every_record_fails_is_an_error_after_the_report(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"external_id": "a"}\n{"external_id": "b"}\n', encoding="utf-8")
    out = StringIO()

    with pytest.raises(CommandError, match=r"Every record failed \(2\)"):
        call_command(
            "import_mentions", str(path), source="s", format="jsonl", stdout=out, stderr=StringIO()
        )
    assert "record 1: published_at: This field is required." in out.getvalue()
    assert "record 2: published_at: This field is required." in out.getvalue()


def test_unreadable_file_is_an_error(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"not a workbook")

    with pytest.raises(CommandError, match="Cannot read"):
        run(path, source="b24", format="brand24")


def test_only_the_first_twenty_failures_are_listed(tmp_path):
    path = tmp_path / "many.jsonl"
    good = {"external_id": "ok", "published_at": "2026-03-14T10:00:00Z"}
    lines = [json.dumps(good)] + [json.dumps({"external_id": f"bad-{n}"}) for n in range(25)]
    path.write_text("\n".join(lines), encoding="utf-8")

    out, _ = run(path, source="s", format="jsonl")

    assert "created 1, duplicates 0, failed 25" in out
    assert "Failed records (first 20 shown):" in out
    assert "record 21:" in out
    assert "record 22:" not in out
