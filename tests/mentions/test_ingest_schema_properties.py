"""Property tests of the ingest schema (issue 15): whatever hypothesis generates — NUL,
surrogates, huge integers, extreme dates and offsets, deep nesting — is either refused with
errors naming fields, or stored as a row that reads back and lists. Never a 500."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentions.ingest.schema import MAX_COUNTER, payload_json, validate_mention
from mentions.models import Mention
from mentions.selectors import mention_list
from mentions.services.ingest import mentions_ingest

_PROFILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=20),
    st.sampled_from(["a\x00b", "\ud800", "x\udfff", "й", "и\u0306", "", "  ", "\x00"]),
)
huge_int = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -1, 0, True, False]),
)
offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
extreme_dates = st.one_of(
    st.builds(
        lambda moment, tz: moment.replace(tzinfo=tz).isoformat(),
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),  # noqa: DTZ001
        offsets,
    ),
    st.sampled_from(
        ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "2099-01-01T00:00:00Z"]
    ),
    nasty_text,
)


def _nest(depth: int, leaf):
    value = leaf
    for _ in range(depth):
        value = {"k": value}
    return value


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), huge_int, st.floats(allow_nan=False), nasty_text),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(nasty_text, children, max_size=3)
    ),
    max_leaves=10,
)
extras = st.one_of(
    st.none(),
    st.dictionaries(nasty_text, json_values, max_size=4),
    st.builds(_nest, st.integers(min_value=240, max_value=1024), json_values),
)

items = st.fixed_dictionaries(
    {"external_id": st.one_of(nasty_text, st.just("fixed-id"))},
    optional={
        "text": nasty_text,
        "title": nasty_text,
        "url": st.one_of(nasty_text, st.just("https://vk.com/\x00")),
        "language": nasty_text,
        "platform": st.sampled_from(["vk", "telegram", "news", "nope"]),
        "published_at": extreme_dates,
        "collected_at": extreme_dates,
        "parent_external_id": nasty_text,
        "subjects": st.lists(nasty_text, max_size=3),
        "author": st.fixed_dictionaries(
            {},
            optional={
                "external_id": nasty_text,
                "handle": nasty_text,
                "name": nasty_text,
                "followers": huge_int,
            },
        ),
        "engagement": st.dictionaries(
            st.sampled_from(["likes", "comments", "reposts", "views", "reach"]), huge_int
        ),
        "extra": extras,
    },
)


def _ok(text: str) -> bool:
    return "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


@given(item=items)
@_PROFILE
def test_the_schema_refuses_or_accepts_only_what_the_database_can_store(item):
    mention, errors = validate_mention(item)
    if errors:
        assert mention is None
        assert all(isinstance(k, str) and v for k, v in errors.items())
        return
    dumped, payload_errors = payload_json(item)
    if payload_errors:
        return
    assert dumped is not None
    for value in (mention.external_id, mention.text, mention.title, mention.url, mention.language):
        assert _ok(value)
    assert mention.published_at.astimezone(UTC).year >= 1
    assert mention.published_at <= datetime.now(UTC) + timedelta(days=1)
    for name in ("likes", "comments", "reposts", "views", "reach"):
        value = getattr(mention.engagement, name) if mention.engagement else 0
        assert 0 <= value <= MAX_COUNTER and type(value) is int


@pytest.mark.django_db
@given(batch=st.lists(items, min_size=1, max_size=4))
@_PROFILE
def test_whatever_is_ingested_reads_back_and_lists(batch):
    try:
        result = mentions_ingest(items=batch)
        assert len(result.results) == len(batch)
        for item in result.results:
            assert item.status in ("created", "duplicate", "failed")
            assert (item.errors is None) == (item.status != "failed")
        stored = [r.id for r in result.results if r.id is not None]
        # Every stored row reads back whole, through the list selector the API uses.
        for mention in mention_list().filter(pk__in=stored):
            mention.published_at.astimezone(UTC)
            mention.collected_at.astimezone(UTC)
            assert isinstance(mention.raw, dict)
        assert mention_list().filter(pk__in=stored).count() == len(set(stored))
    finally:
        Mention.objects.all().delete()


@pytest.mark.django_db
@given(batch=st.lists(items, min_size=1, max_size=3))
@_PROFILE
def test_no_generated_bulk_is_a_server_error_and_the_list_still_answers(integration_client, batch):
    body = json.dumps({"mentions": batch}, default=str)

    response = integration_client.post(
        "/api/v1/mentions/bulk/", data=body, content_type="application/json"
    )

    assert response.status_code in (200, 400), response.content
    assert integration_client.get("/api/v1/mentions/").status_code == 200
    for mention_id in Mention.objects.values_list("id", flat=True):
        assert integration_client.get(f"/api/v1/mentions/{mention_id}/").status_code == 200
