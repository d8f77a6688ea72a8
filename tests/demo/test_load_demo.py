import pytest
from django.core.management import call_command

from authors.models import Author
from mentions.models import Mention, TrackedSubject

pytestmark = pytest.mark.django_db


def test_load_demo_creates_subjects_mentions_and_authors_and_is_safe_to_rerun(capsys):
    call_command("load_demo")

    assert TrackedSubject.objects.count() == 6
    assert Mention.objects.filter(source__key="demo").count() == 360
    assert Author.objects.count() > 100
    assert Mention.objects.filter(main_subject__key="ladoga").exists()
    assert Mention.objects.filter(subjects__key="priboy").exists()
    assert "created 360" in capsys.readouterr().out

    call_command("load_demo")

    assert Mention.objects.count() == 360
    assert "already there 360" in capsys.readouterr().out


def test_demo_mentions_name_their_subjects():
    call_command("load_demo")

    named = Mention.objects.exclude(raw__extra__demo_subjects=[])
    matched = sum(
        1
        for mention in named.prefetch_related("subjects")
        if set(mention.raw["extra"]["demo_subjects"]) <= {s.key for s in mention.subjects.all()}
    )
    assert matched / named.count() >= 0.95
