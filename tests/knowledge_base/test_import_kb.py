from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from knowledge_base.models import Article, ArticleVersion

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "kb"
CSV_MAP = ["Код=external_id", "Вопрос=question", "Ответ=answer", "Формулировки=phrasings"]


def test_import_jsonl_publishes_articles_keyed_by_external_id(capsys):
    call_command("import_kb", str(FIXTURES / "brief.jsonl"))

    article = Article.objects.get(external_id="faq-1")
    assert (article.status, article.version, article.phrasings) == (
        "published",
        1,
        ["Включить роуминг"],
    )
    assert list(article.categories.values_list("key", flat=True)) == ["support"]
    assert "created 2, updated 0, unchanged 0, failed 0" in capsys.readouterr().out


def test_rerunning_an_import_changes_nothing(capsys):
    call_command("import_kb", str(FIXTURES / "brief.jsonl"))
    call_command("import_kb", str(FIXTURES / "brief.jsonl"))

    assert Article.objects.count() == 2
    assert ArticleVersion.objects.count() == 2
    assert "created 0, updated 0, unchanged 2, failed 0" in capsys.readouterr().out


def test_csv_with_a_column_mapping_updates_by_key_and_reports_bad_rows(capsys):
    call_command("import_kb", str(FIXTURES / "brief.jsonl"))
    capsys.readouterr()

    with pytest.raises(CommandError, match="1 rows failed"):
        call_command(
            "import_kb",
            str(FIXTURES / "brief_ru_columns.csv"),
            *[f"--map={m}" for m in [*CSV_MAP, "Метки=tags"]],
        )

    faq1 = Article.objects.get(external_id="faq-1")
    assert (faq1.version, faq1.phrasings) == (2, ["Включить роуминг", "Роуминг за границей"])
    assert Article.objects.get(external_id="faq-3").tags == ["esim"]
    out = capsys.readouterr()
    assert "created 1, updated 1, unchanged 0, failed 1" in out.out
    assert "row 3" in out.err and "external_id" in out.err


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_export_then_import_round_trips(tmp_path, suffix):
    call_command("import_kb", str(FIXTURES / "brief.jsonl"))
    target = tmp_path / f"base.{suffix}"

    call_command("import_kb", str(target), "--export")
    Article.objects.all().delete()
    call_command("import_kb", str(target))

    faq1 = Article.objects.get(external_id="faq-1")
    assert (faq1.question, faq1.phrasings, faq1.tags) == (
        "Как подключить роуминг?",
        ["Включить роуминг"],
        ["roaming"],
    )
