"""A demo data set: what a monitoring tool would send about a fictional north-western telecom.

«Ладога Телеком» sells mobile service («Ладога Мобайл») and home internet («Ладога Дом»); its CEO is
Анна Вершинина; its competitors are «Прибой» and «Орбита Связь». Everything here — companies,
people, tariffs, posts — is invented for the demo and written by us.

`build_demo_mentions` composes hand-written templates with slot fillers (brands in the right case,
tariffs, cities, amounts, durations) and returns dicts in the generic ingest schema
(`mentions.ingest.schema.MentionIn`). The output depends only on `now`, `count` and `seed`.

What the demo is meant to show:

* every consumer-cycle category, in Russian (~80%) and English (~20%), on every platform;
* about a quarter of the mentions name a competitor, many compare two brands;
* authors with a history: a detractor who complains again and again, an advocate, a journalist
  (80k followers) who asks the CEO awkward questions, a tech blogger (250k), regulars who write two
  or three times, and a long tail of people who write once;
* a service outage 17 days before `now` that shows up as a burst of complaints and press;
* noise: the lake Ladoga, the surf («прибой»), orbits and the «Орбита» cinema, ads, job posts,
  bare news reposts.

`extra.demo_category` and `extra.demo_sentiment` say what each post was written to be, so the demo
can compare the classifier with the intent; `extra.demo_subjects` lists the subject keys the post
was written about (empty for noise that uses a brand word in another sense).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random
from types import SimpleNamespace

from demo.data.authors import _TELEGRAM_CHATS, _Author, _build_authors, _Ids, _translit
from demo.data.brands import (
    _BRAND_FORMS,
    _CEO_FORMS,
    _HOME_FORMS,
    _HOME_TARIFFS_EN,
    _TAGS,
    _TARIFFS,
    _Forms,
)
from demo.data.fillers import (
    _CITIES,
    _DACHA,
    _DATE_WORDS,
    _DAYS,
    _DEVICES,
    _DIFFS,
    _EN_DAYS,
    _GB,
    _METRO,
    _PERCENTS,
    _PINGS,
    _PRICES,
    _ROUTES,
    _SALON_STREETS,
    _SINCE,
    _SMALL_SUMS,
    _SPB_PLACES,
    _STAFF_F,
    _STAFF_GEN,
    _STREETS,
    _SUMS,
    _VILLAGES,
    _YEARS_ACC,
    _YEARS_NOM,
)
from demo.data.subjects import (
    _CATEGORY_SHARES,
    _COMPETITOR_SHARE,
    _ENGLISH_SHARE,
    _INCIDENT_DAYS_AGO,
    _MONITORING_SENTIMENT_ACCURACY,
    _MONITORING_SENTIMENT_SHARE,
    _MSK,
    _WINDOW_DAYS,
    CATEGORIES,
)
from demo.data.templates import (
    _CLOSERS,
    _FORUM_TITLES,
    _OPENERS,
    _REPEAT_OPENERS,
    _REVIEW_TITLES,
    _TEMPLATES,
    _Template,
)

__all__ = ["build_demo_mentions"]

# --------------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------------

_SOCIAL_PLATFORMS = frozenset(
    {
        "vk",
        "telegram",
        "twitter",
        "instagram",
        "facebook",
        "youtube",
        "forum",
        "review_site",
        "other",
    }
)
# Posts about the lake, the sea and the sky get the hashtags such posts usually carry.
_PLACE_TAGS = {
    "ru": ["#выходные", "#карелия", "#природа", "#путешествия", "#ленобласть", "#отдых", "#север"],
    "en": ["#travel", "#russia", "#nature", "#weekend", "#karelia"],
}
_GREETINGS = ("Hi", "Hello", "Добрый", "Здравствуйте", "Всем", "Народ")
_COMPLAINTS = frozenset({"negative", "support", "abandonment"})
_GENDER_RE = re.compile(r"\[\[([^|\]]*)\|([^\]]*)\]\]")


@dataclass
class _Plan:
    category: str
    lang: str
    target: str  # "own", "priboy" or "orbita"
    template: _Template | None = None
    author: _Author | None = None
    published: datetime | None = None


def _weighted(rng: Random, pairs):
    weights = [w for w, _ in pairs]
    return rng.choices([v for _, v in pairs], weights=weights, k=1)[0]


def _quotas(count: int) -> list[str]:
    raw = {c: _CATEGORY_SHARES[c] * count for c in CATEGORIES}
    quota = {c: int(v) for c, v in raw.items()}
    rest = count - sum(quota.values())
    for c in sorted(CATEGORIES, key=lambda c: raw[c] - quota[c], reverse=True)[:rest]:
        quota[c] += 1
    if count >= len(CATEGORIES):
        for c in CATEGORIES:
            while quota[c] == 0:
                donor = max(quota, key=quota.get)
                quota[donor] -= 1
                quota[c] += 1
    return [c for c in CATEGORIES for _ in range(quota[c])]


def _template_fits(template: _Template, plan: _Plan) -> bool:
    if template.category != plan.category or template.lang != plan.lang:
        return False
    mentions_own_person = "{CEO." in template.text + template.title or "{HOME}" in template.text
    if plan.target != "own" and (template.own_only or mentions_own_person or template.sense):
        return False
    # A post about a competitor must name it.
    return plan.target == "own" or "{B." in template.text + template.title


def _author_fits(author: _Author, template: _Template, plan: _Plan) -> bool:
    if author.lang != plan.lang or plan.category not in author.categories:
        return False
    if template.sense:
        if "place" not in author.roles:
            return False
    elif template.who not in author.roles:
        return False
    if author.own_only and plan.target != "own":
        return False
    if template.who == "news":
        return author.platform == "news"
    if template.platforms and author.platform not in template.platforms:
        return False
    return author.platform in _SOCIAL_PLATFORMS


def _choose_template_and_author(rng: Random, plan: _Plan, authors, uses: Counter) -> None:
    candidates = [t for t in _TEMPLATES if _template_fits(t, plan)]
    if not candidates and plan.target != "own":
        plan.target = "own"
        candidates = [t for t in _TEMPLATES if _template_fits(t, plan)]
    # Least-used first: every template is used before any is used twice.
    rng.shuffle(candidates)
    candidates.sort(key=lambda t: uses[t])
    for template in candidates:
        fitting = [a for a in authors if _author_fits(a, template, plan)]
        # Nobody tells the same story twice, unless no one else can tell it.
        fitting = [a for a in fitting if (id(a), template) not in uses] or fitting
        if fitting:
            uses[template] += 1
            plan.template = template
            plan.author = rng.choices(fitting, weights=[a.weight for a in fitting], k=1)[0]
            uses[(id(plan.author), template)] += 1
            return
    raise LookupError(f"no template/author for {plan}")


def _published(rng: Random, now: datetime, plan: _Plan) -> datetime:
    window_start = now - timedelta(days=_WINDOW_DAYS)
    template = plan.template
    if template.outage and plan.target == "own" and rng.random() < 0.75:
        incident = (now - timedelta(days=_INCIDENT_DAYS_AGO)).astimezone(_MSK)
        incident = incident.replace(hour=19, minute=40, second=0, microsecond=0)
        minutes = rng.triangular(0, 48 * 60, 150)
        when = incident + timedelta(minutes=minutes, seconds=rng.randint(0, 59))
        if window_start < when < now:
            return when
    hours = list(range(24))
    hour_weights = [1, 0.6, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.5, 3, 3.2, 3.2, 3.4, 3.2, 3, 3, 3.1,
                    3.3, 3.6, 3.9, 4, 3.6, 2.8, 1.8]  # fmt: skip
    while True:
        # Slightly more posts recently: monitoring volume grows with the brand's activity.
        days_ago = _WINDOW_DAYS * (1 - math.sqrt(rng.random())) ** 0.8
        day = (now - timedelta(days=days_ago)).astimezone(_MSK)
        hour = rng.choices(hours, weights=hour_weights, k=1)[0]
        when = day.replace(
            hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59), microsecond=0
        )
        if window_start < when < now:
            return when


def _pick_brand(rng: Random, target: str, scope: str, lang: str) -> _Forms:
    if target == "own":
        return _weighted(rng, _BRAND_FORMS[("own", scope, lang)])
    return _weighted(rng, _BRAND_FORMS[(target, "any", lang)])


def _tag(rng: Random, target: str, scope: str, *, handle: bool) -> tuple[str, str]:
    """A hashtag or a handle of the brand; `handle`: only an @handle (to address the brand)."""
    tags = _TAGS[("own", scope)] if target == "own" else _TAGS[(target, "any")]
    if handle:
        tags = [t for t in tags if t[0].startswith("@")]
    return rng.choice(tags)


def _slots(rng: Random, plan: _Plan, second: str, where_hint: str | None) -> tuple[dict, dict]:
    """Slot values for one post, and the subject keys each brand slot stands for."""
    template, lang = plan.template, plan.lang
    b = _pick_brand(rng, plan.target, template.scope, lang)
    c = _pick_brand(rng, second, "company", lang)
    # A tag inside the text addresses the brand; English speakers use handles, not Russian tags.
    tag, tag_key = _tag(rng, plan.target, template.scope, handle=True)
    end_tag, end_tag_key = _tag(rng, plan.target, template.scope, handle=lang == "en")
    ceo = _weighted(rng, _CEO_FORMS[lang])
    city = SimpleNamespace(
        **dict(zip(("nom", "gen", "prep", "en"), _weighted(rng, _CITIES), strict=True))
    )
    if where_hint:
        where = where_hint
    elif city.nom == "Санкт-Петербург" and rng.random() < 0.6:
        where = rng.choice(_SPB_PLACES)
    else:
        where = city.prep
    b_company = "ladoga" if plan.target == "own" else plan.target
    c_company = "ladoga" if second == "own" else second
    mobile, home = _TARIFFS[b_company]
    speed = rng.choice(["4", "8", "12", "20", "35", "50"])
    home_tariff = rng.choice(_HOME_TARIFFS_EN[b_company] if lang == "en" else home)
    # "up to" speed agrees with the tariff's name when the name has one.
    digits = re.search(r"\d{3,}", home_tariff)
    if digits:
        promised = digits.group()
    elif "гиг" in home_tariff.lower():
        promised = "1000"
    else:
        promised = rng.choice(["300", "500"])
    values = {
        "B": SimpleNamespace(**b.__dict__, tag=tag, end_tag=end_tag),
        "C": c,
        "CEO": ceo,
        "HOME": rng.choice(_HOME_FORMS[lang]),
        "city": city,
        "where": where,
        "tariff": rng.choice(mobile),
        "home_tariff": home_tariff,
        "c_tariff": rng.choice(_TARIFFS[c_company][0]),
        "price": rng.choice(_PRICES),
        "diff": rng.choice(_DIFFS),
        "speed": speed,
        "promised": promised,
        "real_fast": str(int(int(promised) * rng.uniform(0.88, 0.97))),
        "speed_mid": rng.choice(["60", "90", "120", "150"]),
        "ping": rng.choice(_PINGS),
        "gb": rng.choice(_GB),
        "sum": rng.choice(_SUMS),
        "small_sum": rng.choice(_SMALL_SUMS),
        "days": rng.choice(_DAYS),
        "hours": rng.choice(["три часа", "пять часов", "с самого утра", "полдня"]),
        "en_days": rng.choice(_EN_DAYS),
        "date_word": rng.choice(_DATE_WORDS),
        "contract": f"{rng.randint(10, 99)}-{rng.randint(1_000_000, 9_999_999)}",
        "device": rng.choice(_DEVICES),
        "staff_gen": rng.choice(_STAFF_GEN),
        "staff_f": rng.choice(_STAFF_F),
        "years": rng.choice(_YEARS_NOM),
        "years_acc": rng.choice(_YEARS_ACC),
        "since": rng.choice(_SINCE),
        "metro": rng.choice(_METRO),
        "route": rng.choice(_ROUTES),
        "dacha": rng.choice(_DACHA),
        "village": rng.choice(_VILLAGES),
        "house": f"{rng.randint(2, 120)}{rng.choice(['', '', ' к2', ' к1', ' лит. А'])}",
        "street": rng.choice(_STREETS),
        "salon": rng.choice(_SALON_STREETS),
        "pct": rng.choice(_PERCENTS),
    }
    keys = {
        "B": b.key,
        "tag": tag_key,
        "end_tag": end_tag_key,
        "C": c.key,
        "CEO": ceo.key,
        "HOME": "ladoga_home",
    }
    return values, keys


def _subjects_of(source: str, keys: dict, template: _Template) -> list[str]:
    if template.sense:
        return []
    found: list[str] = []
    if "{CEO." in source:
        found.append(keys["CEO"])
    if re.search(r"\{B\.(nom|gen|dat|acc|ins|prep)\}", source):
        found.append(keys["B"])
    if "{B.tag}" in source:
        found.append(keys["tag"])
    if "{B.end_tag}" in source:
        found.append(keys["end_tag"])
    if "{HOME}" in source:
        found.append(keys["HOME"])
    if "{C." in source:
        found.append(keys["C"])
    return list(dict.fromkeys(found))


def _gendered(text: str, female: bool) -> str:
    return _GENDER_RE.sub(lambda m: m.group(2 if female else 1), text)


def _compose(rng: Random, plan: _Plan, values: dict, repeat: bool) -> tuple[str, str, str]:
    """(title, text, source) where source is the template text the subjects are read from.

    `repeat`: the author has complained about the same company before and says so.
    """
    template, author, lang = plan.template, plan.author, plan.lang
    parts = [template.text]
    category = plan.category
    if template.who == "customer" and not template.sense and category in _OPENERS:
        openers, closers = _OPENERS[category][lang == "en"], _CLOSERS[category][lang == "en"]
        if lang == "ru" and repeat and category in _COMPLAINTS and rng.random() < 0.6:
            parts.insert(0, rng.choice(_REPEAT_OPENERS))
        elif openers and not template.text.startswith(_GREETINGS) and rng.random() < 0.3:
            parts.insert(0, rng.choice(openers))
        if closers and rng.random() < 0.35:
            parts.append(rng.choice(closers))
    source = " ".join(parts)
    text = _gendered(source.format(**values), author.female)
    if template.sense and rng.random() < 0.7:
        text += " " + " ".join(rng.sample(_PLACE_TAGS[lang], rng.randint(1, 2)))
    if (
        template.who == "customer"
        and not template.sense
        and author.platform in ("twitter", "instagram")
        and "{B.tag}" not in source
        and "{B." in source
        and rng.random() < 0.3
    ):
        text += " " + values["B"].end_tag
        source += " {B.end_tag}"
    if (
        lang == "ru"
        and template.who == "customer"
        and author.platform in ("twitter", "telegram", "vk")
        and rng.random() < 0.15
    ):
        text = text.lower()

    title_source = template.title
    if not title_source and author.platform in ("forum", "review_site", "other"):
        if author.platform == "review_site":
            pool = _REVIEW_TITLES[lang][template.sentiment]
        else:
            pool = _FORUM_TITLES[lang].get(category) or _FORUM_TITLES[lang]["general_request"]
        if not template.uses_c:
            pool = [p for p in pool if "{C." not in p] or ["{B.nom}"]
        if "{B." not in source:
            pool = [p for p in pool if "{B." not in p and "{C." not in p] or pool[:1]
        title_source = rng.choice(pool)
    title = _gendered(title_source.format(**values), author.female) if title_source else ""
    return title, text, source + " " + title_source


def _url(
    rng: Random, ids: _Ids, author: _Author, published: datetime, title: str, videos: list[str]
) -> str:
    platform, handle = author.platform, author.handle
    if platform == "vk":
        if author.persona == "page":  # a public page's wall: its owner id is negative
            return f"https://vk.com/wall-{author.external_id}_{ids.number(100, 99_999)}"
        return f"https://vk.com/wall{author.external_id}_{rng.randint(10, 9_999)}"
    if platform == "telegram":
        if author.roles & {"journalist", "repost", "ad", "job"}:
            return f"https://t.me/{handle}/{ids.number(100, 59_999)}"
        chat = rng.choice(_TELEGRAM_CHATS)
        return f"https://t.me/{chat}/{ids.number(1_000, 999_999)}"
    if platform == "twitter":
        # A snowflake id: milliseconds since the Twitter epoch in the high bits.
        millis = int(published.timestamp() * 1000) - 1_288_834_974_657
        return f"https://x.com/{handle}/status/{(millis << 22) + ids.number(0, 2**22 - 1)}"
    if platform == "instagram":
        return f"https://www.instagram.com/p/{ids.token(11)}/"
    if platform == "facebook":
        return f"https://www.facebook.com/{handle}/posts/{ids.number(10**15, 10**16)}"
    if platform == "youtube":
        if "blogger" in author.roles:
            video = ids.token(11)
            videos.append(video)
            return f"https://www.youtube.com/watch?v={video}"
        video = rng.choice(videos) if videos and rng.random() < 0.6 else ids.token(11)
        return f"https://www.youtube.com/watch?v={video}&lc=Ugz{ids.token(20)}"
    if platform == "forum":
        host = author.external_id.split(":")[0]
        return (
            f"https://{host}/threads/{ids.number(10_000, 999_999)}/#post-{ids.number(10**6, 10**8)}"
        )
    if platform == "review_site":
        host = author.external_id.split(":")[0]
        return f"https://{host}/reviews/{ids.number(100_000, 9_999_999)}"
    if platform == "news":
        slug = re.sub(r"[^a-z0-9]+", "-", _translit(title)).strip("-")[:60].rstrip("-")
        return (
            f"https://{author.extra['domain']}/news/{published:%Y/%m/%d}/"
            f"{slug or 'news'}-{ids.number(10_000, 999_999)}/"
        )
    return f"https://pikabu.ru/story/{ids.number(10**6, 2 * 10**7)}"


def _engagement(rng: Random, author: _Author, category: str) -> dict:
    followers = author.followers
    platform = author.platform
    if platform in ("forum", "review_site"):
        views = int(rng.lognormvariate(math.log(350), 1.0))
        likes = int(views * rng.uniform(0.0, 0.04))
        comments = int(rng.lognormvariate(math.log(4), 1.0)) if platform == "forum" else 0
        return {"likes": likes, "comments": comments, "reposts": 0, "views": views,
                "reach": views}  # fmt: skip
    rate = min(rng.lognormvariate(math.log(0.025), 0.7), 0.3)
    if category in ("negative", "uncomfortable_question"):
        rate *= 1.6  # complaints travel further
    if platform == "news":
        rate /= 10
    likes = int(followers * rate) + rng.randint(0, 3)
    comments = int(likes * rng.uniform(0.05, 0.4)) + rng.randint(0, 2)
    reposts = int(likes * rng.uniform(0.02, 0.25))
    if platform == "instagram":
        reposts = int(reposts * 0.3)
    view_share = {"telegram": (0.3, 0.9), "youtube": (0.2, 1.6), "news": (0.05, 0.4)}.get(
        platform, (0.15, 0.8)
    )
    views = int(followers * rng.uniform(*view_share)) + likes * rng.randint(3, 12)
    reach = max(views, int(followers * rng.uniform(0.5, 1.1)) + reposts * rng.randint(50, 300))
    return {"likes": likes, "comments": comments, "reposts": reposts, "views": views,
            "reach": reach}  # fmt: skip


def _monitoring_guess(rng: Random, intended: str, sarcasm: bool) -> str:
    if sarcasm:
        return "positive" if rng.random() < 0.7 else "neutral"
    if rng.random() < _MONITORING_SENTIMENT_ACCURACY:
        return intended
    return rng.choice([s for s in ("positive", "neutral", "negative") if s != intended])


def build_demo_mentions(*, now: datetime, count: int = 360, seed: int = 2026) -> list[dict]:
    """`count` demo mentions in the generic ingest schema, published in the 60 days before `now`.

    Deterministic: the same `now`, `count` and `seed` give the same list. External ids are
    `demo-0001`… in order of publication. A naive `now` is taken as UTC.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    rng = Random(seed)
    ids = _Ids(rng)
    authors = _build_authors(rng, ids)

    categories = _quotas(count)
    rng.shuffle(categories)
    n_en = round(count * _ENGLISH_SHARE)
    english = set(rng.sample(range(count), n_en))
    plans: list[_Plan] = []
    for i, category in enumerate(categories):
        target = "own"
        if category == "competitive_request":
            target = rng.choice(["own", "own", "priboy", "orbita"])
        elif rng.random() < _COMPETITOR_SHARE[category]:
            target = rng.choice(["priboy", "orbita"])
        plans.append(_Plan(category, "en" if i in english else "ru", target))

    uses: Counter = Counter()
    for plan in plans:
        _choose_template_and_author(rng, plan, authors, uses)
        plan.published = _published(rng, now, plan)
    plans.sort(key=lambda p: p.published)

    width = max(4, len(str(count)))
    complained: defaultdict[int, set[str]] = defaultdict(set)  # author -> companies
    texts: set[str] = set()
    videos: list[str] = []
    mentions: list[dict] = []
    for number, plan in enumerate(plans, start=1):
        author, template = plan.author, plan.template
        if plan.target == "own":
            second = rng.choice(["priboy", "orbita"])
        else:
            second = rng.choice(
                ["own", "own", "own", "priboy" if plan.target == "orbita" else "orbita"]
            )
        # The outage burst is in Petersburg.
        hint = None
        if template.outage and plan.target == "own" and plan.lang == "ru":
            hint = rng.choice([*_SPB_PLACES, "в Петербурге"])
        for _ in range(20):
            values, keys = _slots(rng, plan, second, hint)
            repeat = plan.target in complained[id(author)]
            title, text, source = _compose(rng, plan, values, repeat)
            if text not in texts:
                break
        texts.add(text)
        if plan.category in _COMPLAINTS:
            complained[id(author)].add(plan.target)

        sentiment = template.sentiment
        mention = {
            "external_id": f"demo-{number:0{width}d}",
            "url": _url(rng, ids, author, plan.published, title, videos),
            "platform": author.platform,
            "source_type": "media" if author.platform == "news" else "social",
            "text": text,
            "title": title,
            "language": plan.lang,
            "published_at": plan.published.isoformat(timespec="seconds"),
            "author": author.as_dict(),
            "engagement": _engagement(rng, author, plan.category),
            "extra": {
                "demo_category": plan.category,
                "demo_sentiment": sentiment,
                "demo_subjects": _subjects_of(source, keys, template),
            },
        }
        if rng.random() < _MONITORING_SENTIMENT_SHARE:
            mention["sentiment"] = _monitoring_guess(rng, sentiment, template.sarcasm)
        mentions.append(mention)
    return mentions
