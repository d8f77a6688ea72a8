"""The demo data set: deterministic, complete and in the generic ingest schema. No database."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from demo.data.subjects import CATEGORIES, SUBJECTS
from demo.generator import build_demo_mentions

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PLATFORMS = {
    "vk", "telegram", "twitter", "instagram", "facebook", "youtube", "forum", "review_site",
    "news", "other",
}  # fmt: skip
SENTIMENTS = {"positive", "neutral", "negative"}
SUBJECT_KEYS = {"ladoga", "ladoga_mobile", "ladoga_home", "anna_vershinina", "priboy", "orbita"}
COMPETITORS = {"priboy", "orbita"}


@pytest.fixture(scope="module")
def mentions() -> list[dict]:
    return build_demo_mentions(now=NOW)


def test_same_seed_gives_the_same_mentions():
    assert build_demo_mentions(now=NOW, seed=7) == build_demo_mentions(now=NOW, seed=7)


def test_another_seed_gives_other_mentions():
    first = [m["text"] for m in build_demo_mentions(now=NOW, seed=1)]
    second = [m["text"] for m in build_demo_mentions(now=NOW, seed=2)]
    assert first != second


def test_default_count_is_360(mentions):
    assert len(mentions) == 360


@pytest.mark.parametrize("count", [0, 1, 9, 10, 57, 500])
def test_count_is_honoured(count):
    assert len(build_demo_mentions(now=NOW, count=count)) == count


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        build_demo_mentions(now=NOW, count=-1)


def test_external_ids_are_unique_and_numbered_in_order_of_publication(mentions):
    ids = [m["external_id"] for m in mentions]
    assert ids == [f"demo-{n:04d}" for n in range(1, 361)]
    published = [datetime.fromisoformat(m["published_at"]) for m in mentions]
    assert published == sorted(published)


def test_urls_are_unique(mentions):
    urls = [m["url"] for m in mentions]
    assert len(set(urls)) == len(urls)


def test_every_category_is_present(mentions):
    counts = Counter(m["extra"]["demo_category"] for m in mentions)
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 15


@pytest.mark.parametrize("count", [10, 40])
def test_every_category_is_present_in_a_small_set(count):
    small = build_demo_mentions(now=NOW, count=count)
    assert {m["extra"]["demo_category"] for m in small} == set(CATEGORIES)


def test_about_a_fifth_is_english(mentions):
    counts = Counter(m["language"] for m in mentions)
    assert set(counts) == {"ru", "en"}
    assert counts["en"] == 72


def test_every_subject_name_appears_in_some_text(mentions):
    corpus = "\n".join(f"{m['title']}\n{m['text']}" for m in mentions).casefold()
    for subject in SUBJECTS:
        assert subject["name"].casefold() in corpus, subject["key"]


def test_brand_names_appear_inflected(mentions):
    corpus = "\n".join(m["text"] for m in mentions)
    for form in ("в Ладоге", "Ладогу", "Прибоя", "Орбиты"):
        assert form in corpus, form


def test_about_a_quarter_names_a_competitor(mentions):
    named = [m for m in mentions if COMPETITORS & set(m["extra"]["demo_subjects"])]
    assert 0.2 <= len(named) / len(mentions) <= 0.35
    comparisons = [
        m for m in named if len(set(m["extra"]["demo_subjects"]) - {"anna_vershinina"}) > 1
    ]
    assert len(comparisons) >= 30


def test_the_ceo_is_named_in_press_and_awkward_questions(mentions):
    about_ceo = Counter(
        m["extra"]["demo_category"]
        for m in mentions
        if "anna_vershinina" in m["extra"]["demo_subjects"]
    )
    assert about_ceo["uncomfortable_question"] >= 3
    assert any(
        m["platform"] == "news" and "anna_vershinina" in m["extra"]["demo_subjects"]
        for m in mentions
    )


def test_noise_uses_the_brand_word_in_another_sense(mentions):
    noise = [m for m in mentions if m["extra"]["demo_category"] == "noise"]
    texts = " ".join(m["text"] for m in noise)
    assert "Ладог" in texts or "Ladoga" in texts
    assert any(m["extra"]["demo_subjects"] == [] for m in noise)
    assert any(m["platform"] == "news" for m in noise)


def test_mentions_have_every_required_key_with_the_right_type(mentions):
    for m in mentions:
        assert isinstance(m["external_id"], str) and m["external_id"]
        assert m["url"].startswith("https://")
        assert m["platform"] in PLATFORMS
        assert m["source_type"] == ("media" if m["platform"] == "news" else "social")
        assert isinstance(m["text"], str) and len(m["text"]) > 20
        assert isinstance(m["title"], str)
        assert m["language"] in {"ru", "en"}
        assert isinstance(m["published_at"], str)

        author = m["author"]
        assert set(author) == {"external_id", "handle", "name", "profile_url", "followers"}
        for key in ("external_id", "handle", "name", "profile_url"):
            assert isinstance(author[key], str) and author[key], key
        assert author["profile_url"].startswith("https://")
        assert isinstance(author["followers"], int) and author["followers"] >= 0

        engagement = m["engagement"]
        assert set(engagement) == {"likes", "comments", "reposts", "views", "reach"}
        assert all(isinstance(v, int) and v >= 0 for v in engagement.values())

        if "sentiment" in m:
            assert m["sentiment"] in SENTIMENTS
        extra = m["extra"]
        assert extra["demo_category"] in CATEGORIES
        assert extra["demo_sentiment"] in SENTIMENTS
        assert set(extra["demo_subjects"]) <= SUBJECT_KEYS


def test_news_forum_and_review_posts_have_titles(mentions):
    for m in mentions:
        if m["platform"] in {"news", "forum", "review_site"}:
            assert m["title"], m["external_id"]


def test_about_half_carry_the_monitoring_tools_sentiment(mentions):
    with_sentiment = sum("sentiment" in m for m in mentions)
    assert 0.4 <= with_sentiment / len(mentions) <= 0.6


def test_published_at_is_aware_and_within_the_60_days_before_now(mentions):
    for m in mentions:
        published = datetime.fromisoformat(m["published_at"])
        assert published.tzinfo is not None
        assert NOW - timedelta(days=60) < published <= NOW


def test_a_naive_now_is_taken_as_utc():
    naive = build_demo_mentions(now=NOW.replace(tzinfo=None), count=20)
    assert naive == build_demo_mentions(now=NOW, count=20)


def test_authors_have_histories(mentions):
    posts = Counter(m["author"]["external_id"] for m in mentions)
    assert 90 <= len(posts) <= 130
    assert sum(1 for n in posts.values() if n == 1) >= 15
    assert max(posts.values()) >= 8
    followers = {m["author"]["followers"] for m in mentions}
    assert any(80_000 <= f < 100_000 for f in followers)  # the journalist
    assert any(f >= 250_000 for f in followers)  # the influencer


def test_a_detractor_complains_repeatedly(mentions):
    complaints = Counter(
        m["author"]["external_id"]
        for m in mentions
        if m["extra"]["demo_category"] in {"negative", "abandonment"}
    )
    assert max(complaints.values()) >= 4


def test_engagement_grows_with_followers(mentions):
    social = [m for m in mentions if m["platform"] not in {"forum", "review_site"}]
    social.sort(key=lambda m: m["author"]["followers"])
    half = len(social) // 2
    small = sorted(m["engagement"]["reach"] for m in social[:half])[half // 2]
    large = sorted(m["engagement"]["reach"] for m in social[half:])[half // 2]
    assert large > 10 * small


def test_subjects_are_the_six_tracked_ones():
    assert {s["key"] for s in SUBJECTS} == SUBJECT_KEYS
    by_key = {s["key"]: s for s in SUBJECTS}
    assert [k for k, s in by_key.items() if not s["is_own"]] == ["priboy", "orbita"]
    assert by_key["anna_vershinina"]["kind"] == "person"
    for subject in SUBJECTS:
        assert set(subject) == {"key", "name", "kind", "is_own", "aliases"}
        assert subject["aliases"] and len(set(subject["aliases"])) == len(subject["aliases"])
    assert "@ladoga_telecom" in by_key["ladoga"]["aliases"]
    assert "#ладогателеком" in by_key["ladoga"]["aliases"]


def test_mentions_pass_the_generic_ingest_schema(mentions):
    from mentions.ingest.schema import validate_mention

    for m in mentions:
        _, errors = validate_mention(m)
        assert errors is None, (m["external_id"], errors)
