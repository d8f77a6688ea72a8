"""Reader for the SentiRuEval-2016 telecom collection (a phpMyAdmin XML dump of labelled tweets).

Each `<table name="test_tkk_etalon">` element is one tweet: `id`, `twitid`, `date` (Unix seconds),
`text`, and one column per operator holding "NULL" when the tweet is not about that operator, else
-1, 0 or 1 (the author's sentiment towards it). See shared/data/sentirueval2016/README.md.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from os import PathLike

OPERATORS = ("beeline", "mts", "megafon", "tele2", "rostelecom", "komstar", "skylink")

_TABLE = "test_tkk_etalon"
_SENTIMENTS = {-1: "negative", 0: "neutral", 1: "positive"}


@dataclass(frozen=True)
class SentiRuEvalTweet:
    row_id: str
    tweet_id: str
    published_at: datetime
    text: str
    labels: dict[str, int]  # operator -> -1/0/1, only the operators the tweet is about


def iter_tweets(path: str | PathLike) -> Iterator[SentiRuEvalTweet]:
    """Yield the tweets of a dump in file order, holding one tweet in memory at a time."""
    parents: list[ET.Element] = []
    for event, element in ET.iterparse(path, events=("start", "end")):
        if event == "start":
            parents.append(element)
            continue
        parents.pop()
        if element.tag == "table" and element.get("name") == _TABLE:
            yield _tweet(element)
            # The dump is one long list: drop each row once read so memory stays flat.
            element.clear()
            if parents:
                parents[-1].remove(element)


def _tweet(table: ET.Element) -> SentiRuEvalTweet:
    columns = {column.get("name"): (column.text or "") for column in table.iter("column")}
    labels = {
        operator: int(value)
        for operator in OPERATORS
        if (value := columns.get(operator, "NULL").strip()) and value != "NULL"
    }
    return SentiRuEvalTweet(
        row_id=columns["id"].strip(),
        tweet_id=columns["twitid"].strip(),
        published_at=datetime.fromtimestamp(int(columns["date"]), tz=UTC),
        text=columns["text"],
        labels=labels,
    )


def to_generic(tweet: SentiRuEvalTweet) -> dict:
    """The tweet in the generic mention schema.

    `external_id` is the dump's row id: the `twitid` values were rounded on export (they end in
    "0000"), so they are not the tweets' real ids and can collide.
    `sentiment` is present only when every label of the tweet agrees.
    """
    record = {
        "external_id": tweet.row_id,
        "url": "",
        "platform": "twitter",
        "source_type": "social",
        "text": tweet.text,
        "title": "",
        "language": "ru",
        "published_at": tweet.published_at.isoformat(),
        "extra": {"sentirueval_labels": dict(tweet.labels), "tweet_id": tweet.tweet_id},
    }
    sentiments = set(tweet.labels.values())
    if len(sentiments) == 1:
        record["sentiment"] = _SENTIMENTS[sentiments.pop()]
    return record
