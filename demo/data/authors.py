"""The demo's authors: regulars with a history (a detractor, an advocate, a journalist, a
blogger) and a long tail of people who write once.

Part of the demo data set that `demo.generator` composes."""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass, field
from random import Random

from demo.data.subjects import CATEGORIES

# --------------------------------------------------------------------------------------------------
# Authors
# --------------------------------------------------------------------------------------------------

_CUSTOMER_CATEGORIES = frozenset(CATEGORIES) - {"noise"}
_REVIEW_CATEGORIES = frozenset(
    {"first_review", "negative", "praise", "abandonment", "competitive_request"}
)


@dataclass
class _Author:
    platform: str
    lang: str
    name: str
    handle: str
    external_id: str
    profile_url: str
    followers: int
    roles: frozenset[str] = frozenset({"customer", "place"})
    categories: frozenset[str] = frozenset(CATEGORIES)
    weight: float = 1.0
    female: bool = False
    own_only: bool = False
    persona: str = "regular"
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "external_id": self.external_id,
            "handle": self.handle,
            "name": self.name,
            "profile_url": self.profile_url,
            "followers": self.followers,
        }


_RU_MALE = [
    "Алексей", "Дмитрий", "Сергей", "Андрей", "Максим", "Иван", "Михаил", "Никита", "Артём",
    "Павел", "Роман", "Кирилл", "Егор", "Владимир", "Олег", "Игорь", "Денис", "Антон", "Евгений",
    "Григорий", "Тимур", "Илья", "Виталий", "Константин",
]  # fmt: skip
_RU_FEMALE = [
    "Анастасия", "Мария", "Екатерина", "Ольга", "Наталья", "Дарья", "Юлия", "Ирина", "Елена",
    "Ксения", "Светлана", "Полина", "Алина", "Татьяна", "Вероника", "Валерия", "Людмила",
    "Галина", "Алёна", "Софья",
]  # fmt: skip
_RU_SURNAMES = [
    "Смирнов", "Кузнецов", "Попов", "Волков", "Соколов", "Лебедев", "Козлов", "Новиков",
    "Морозов", "Петров", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв",
    "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв",
    "Макаров", "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов", "Кудрявцев", "Баранов",
    "Куликов", "Алексеев", "Степанов", "Яковлев", "Сорокин", "Ершов", "Никитин", "Захаров",
    "Зайцев", "Карпов", "Жуков", "Рыбаков", "Логинов", "Savin",
]  # fmt: skip
_RU_SURNAMES = [s for s in _RU_SURNAMES if not s.isascii()]
_EN_FIRST = [
    ("James", False), ("Emily", True), ("Lukas", False), ("Sofia", True), ("Mark", False),
    ("Priya", True), ("Daniel", False), ("Chloe", True), ("Marco", False), ("Julia", True),
    ("Tom", False), ("Hannah", True), ("Ahmed", False), ("Oliver", False), ("Mei", True),
    ("Jakub", False), ("Laura", True), ("Pierre", False), ("Sara", True), ("Niklas", False),
    ("Grace", True), ("Ethan", False), ("Isabel", True), ("Henrik", False), ("Aisha", True),
    ("Connor", False), ("Lea", True), ("Mateo", False),
]  # fmt: skip
_EN_LAST = [
    "Becker", "Novak", "Harris", "Rossi", "Kowalski", "Schmidt", "Turner", "Nguyen", "Silva",
    "Lindqvist", "Moreau", "Patel", "Evans", "Fischer", "O'Brien", "Horvath", "Dubois",
    "Jensen", "Costa", "Walsh", "Brennan", "Keller", "Garcia", "Nilsen", "Rahman", "Murphy",
    "Weber", "Alvarez",
]  # fmt: skip
_NICKNAMES = [
    "kotik_spb", "sever_wind", "petrovich78", "lena_vologda", "murino_life", "ptz_dad",
    "belaya_noch", "finnish_gulf", "dvornik_nik", "kudrovo_mama", "gatchina_fox", "nord_runner",
    "pskov_guy", "tver_girl", "ice_fisher", "kaliningrad_surf",
]  # fmt: skip

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
         "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
        strict=True,
    )
)  # fmt: skip


def _translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


# Regulars per platform: (Russian speakers, English speakers).
_REGULAR_PLATFORMS = {
    "vk": (24, 0),
    "telegram": (12, 3),
    "twitter": (9, 9),
    "instagram": (7, 5),
    "facebook": (2, 5),
    "youtube": (3, 1),
    "forum": (5, 2),
    "review_site": (6, 3),
    "other": (3, 0),
}
_FORUM_HOSTS = ["forum.svyaz-sever.ru", "club.domnet-spb.ru"]
_REVIEW_HOSTS = {"ru": "otzyvy-o-svyazi.ru", "en": "provider-reviews.net"}
_TELEGRAM_CHATS = ["murino_chat", "kudrovo_sosedi", "ptz_chat", "vyborg_online", "spb_it_chat"]


class _Ids:
    """Platform-native looking ids, never repeated within one data set."""

    def __init__(self, rng: Random):
        self.rng = rng
        self.used: set[str] = set()

    def number(self, low: int, high: int) -> int:
        while True:
            value = self.rng.randint(low, high)
            if str(value) not in self.used:
                self.used.add(str(value))
                return value

    def token(
        self, length: int, alphabet: str = string.ascii_letters + string.digits + "-_"
    ) -> str:
        while True:
            value = "".join(self.rng.choice(alphabet) for _ in range(length))
            if value not in self.used:
                self.used.add(value)
                return value


def _profile(platform: str, handle: str, ids: _Ids, lang: str = "ru") -> tuple[str, str]:
    """(external_id, profile_url) of an account."""
    if platform == "vk":
        if re.fullmatch(r"id\d+", handle):
            ids.used.add(handle[2:])
            return handle[2:], f"https://vk.com/{handle}"
        return str(ids.number(1_000_000, 799_999_999)), f"https://vk.com/{handle}"
    if platform == "telegram":
        return str(ids.number(100_000_000, 7_999_999_999)), f"https://t.me/{handle}"
    if platform == "twitter":
        return str(ids.number(10**8, 10**18)), f"https://x.com/{handle}"
    if platform == "instagram":
        return str(ids.number(10**8, 6 * 10**10)), f"https://www.instagram.com/{handle}/"
    if platform == "facebook":
        return str(ids.number(10**14, 10**15)), f"https://www.facebook.com/{handle}"
    if platform == "youtube":
        return "UC" + ids.token(22), f"https://www.youtube.com/@{handle}"
    if platform == "forum":
        host = _FORUM_HOSTS[ids.rng.randrange(len(_FORUM_HOSTS))]
        uid = ids.number(1_000, 299_999)
        return f"{host}:{uid}", f"https://{host}/members/{handle}.{uid}/"
    if platform == "review_site":
        host = _REVIEW_HOSTS[lang]
        uid = ids.number(10_000, 9_999_999)
        return f"{host}:{uid}", f"https://{host}/users/{handle}-{uid}"
    if platform == "other":
        return f"pikabu:{handle}", f"https://pikabu.ru/@{handle}"
    raise ValueError(platform)


def _long_tail_followers(rng: Random, platform: str) -> int:
    if platform in ("forum", "review_site"):
        return 0  # these sites show no audience
    median = {"youtube": 60, "twitter": 260, "instagram": 420}
    mu = math.log(median.get(platform, 180))
    return min(int(rng.lognormvariate(mu, 1.35)), 40_000)


def _build_authors(rng: Random, ids: _Ids) -> list[_Author]:
    authors: list[_Author] = []
    handles: set[tuple[str, str]] = set()

    def add(author: _Author) -> _Author:
        handles.add((author.platform, author.handle.lower()))
        authors.append(author)
        return author

    def new(platform, lang, name, handle, followers, **kw) -> _Author:
        external_id, profile_url = _profile(platform, handle, ids, lang)
        return add(_Author(platform, lang, name, handle, external_id, profile_url, followers, **kw))

    # The people a demo needs to show author histories.
    new(
        "vk",
        "ru",
        "Геннадий Пахомов",
        "g.pakhomov",
        1_240,
        weight=16,
        own_only=True,
        persona="detractor",
        categories=frozenset(
            {"negative", "support", "abandonment", "uncomfortable_question", "competitive_request"}
        ),
    )
    new(
        "instagram",
        "ru",
        "Марина Ветрова",
        "marina.vetrova",
        3_650,
        weight=10,
        own_only=True,
        female=True,
        persona="advocate",
        categories=frozenset(
            {"praise", "first_review", "product_request", "support", "competitive_request"}
        ),
    )
    new(
        "telegram",
        "ru",
        "Павел Корнеев | Связь без купюр",
        "korneev_svyaz",
        80_400,
        weight=8,
        roles=frozenset({"journalist", "repost"}),
        persona="journalist",
        categories=frozenset({"uncomfortable_question", "noise"}),
    )
    new(
        "youtube",
        "ru",
        "Даша Лис — техника без воды",
        "dasha_lis_tech",
        251_700,
        weight=8,
        roles=frozenset({"blogger"}),
        female=True,
        persona="influencer",
        categories=frozenset({"competitive_request", "first_review", "praise", "negative"}),
    )
    new(
        "youtube",
        "en",
        "Nordic Nomad Tech",
        "nordicnomadtech",
        41_300,
        weight=4,
        roles=frozenset({"blogger"}),
        persona="blogger",
        categories=frozenset({"competitive_request", "first_review", "praise"}),
    )
    new(
        "twitter",
        "en",
        "Claire Donnelly",
        "cdonnelly_news",
        12_800,
        weight=3,
        roles=frozenset({"journalist"}),
        female=True,
        persona="journalist",
        categories=frozenset({"uncomfortable_question"}),
    )

    # Media: (name, domain, followers, lang)
    for name, domain, followers, lang in [
        ("Телеком Дайджест", "telecomdigest.ru", 184_000, "ru"),
        ("Северный вестник", "sevvestnik.ru", 96_000, "ru"),
        ("Невский деловой", "nevbiz.ru", 410_000, "ru"),
        ("Карельская неделя", "karnedelya.ru", 38_000, "ru"),
        ("Связь и рынок", "svyaz-rynok.ru", 22_500, "ru"),
        ("Baltic Telecom Review", "baltictelecomreview.com", 57_000, "en"),
        ("North-West Business Daily", "nwbusinessdaily.com", 31_000, "en"),
    ]:
        add(
            _Author(
                "news",
                lang,
                name,
                domain,
                domain,
                f"https://{domain}/",
                followers,
                roles=frozenset({"news"}),
                weight=2,
                persona="media",
                categories=frozenset({"noise", "uncomfortable_question"}),
                extra={"domain": domain},
            )
        )
    # Channels and public pages that repost news, ads and job posts.
    for platform, lang, name, handle, followers, roles in [
        ("telegram", "ru", "Новости Петербурга 24", "spb_news24", 312_000, {"repost"}),
        ("vk", "ru", "Подслушано Мурино", "podslushano_murino", 64_000, {"repost"}),
        ("telegram", "ru", "Карелия онлайн", "karelia_online", 45_200, {"repost"}),
        ("vk", "ru", "Типичный Петрозаводск", "typical_ptz", 121_000, {"repost"}),
        ("twitter", "en", "SPb Expat News", "spb_expat_news", 8_400, {"repost"}),
        ("vk", "ru", "Красивые номера СПб", "krasivye_nomera_spb", 2_300, {"ad"}),
        ("telegram", "ru", "Связь-Дилер | подключения", "svyaz_diler", 860, {"ad"}),
        ("vk", "ru", "Работа в Петербурге | вакансии", "rabota_spb_vak", 74_000, {"job"}),
        ("facebook", "en", "NorthStaff Recruiting", "northstaffrecruiting", 5_200, {"job"}),
    ]:
        new(
            platform,
            lang,
            name,
            handle,
            followers,
            roles=frozenset(roles),
            weight=2,
            persona="page",
            categories=frozenset({"noise"}),
        )

    # Regulars: a long tail of customers, some of whom write two or three times.
    male_pool = list(_RU_MALE)
    female_pool = list(_RU_FEMALE)
    surnames = list(_RU_SURNAMES)
    rng.shuffle(surnames)
    en_people = [(f, fem, last) for (f, fem), last in zip(_EN_FIRST, _EN_LAST, strict=True)]
    rng.shuffle(en_people)
    nicknames = list(_NICKNAMES)
    rng.shuffle(nicknames)
    for platform, (n_ru, n_en) in _REGULAR_PLATFORMS.items():
        for lang, n in (("ru", n_ru), ("en", n_en)):
            for _ in range(n):
                if lang == "ru":
                    female = rng.random() < 0.52
                    first = rng.choice(female_pool if female else male_pool)
                    last = surnames.pop() if surnames else rng.choice(_RU_SURNAMES)
                    if female:
                        last += "а"
                    name = f"{first} {last}"
                    f_tr, l_tr = _translit(first), _translit(last)
                    style = rng.randrange(5)
                    if platform in ("forum", "other") or (style == 4 and nicknames):
                        handle = nicknames.pop() if nicknames else f"{f_tr}{rng.randint(10, 99)}"
                        if platform in ("forum", "other"):
                            name = handle
                    elif style == 0:
                        handle = f"{f_tr}.{l_tr}"
                    elif style == 1:
                        handle = f"{f_tr[0]}{l_tr}{rng.randint(70, 99)}"
                    elif style == 2:
                        handle = f"{l_tr}_{f_tr}"
                    else:
                        handle = f"{f_tr}_{l_tr[:3]}{rng.randint(1, 999)}"
                    if platform == "vk" and rng.random() < 0.4:
                        handle = f"id{rng.randint(1_000_000, 799_999_999)}"
                else:
                    first, female, last = en_people.pop()
                    name = f"{first} {last}"
                    clean = re.sub(r"[^a-z]", "", last.lower())
                    handle = rng.choice(
                        [
                            f"{first.lower()}{clean}",
                            f"{first.lower()}_{clean[:4]}",
                            f"{first[0].lower()}{clean}{rng.randint(1, 99)}",
                        ]
                    )
                while (platform, handle.lower()) in handles:
                    handle = f"{handle}{rng.randint(1, 9)}"
                categories = frozenset(CATEGORIES)
                if platform == "review_site":
                    categories = _REVIEW_CATEGORIES
                elif platform in ("forum", "youtube"):
                    categories = _CUSTOMER_CATEGORIES
                weight = rng.choice([0.6, 0.8, 1, 1, 1, 1, 1.2, 1.5, 2])
                new(
                    platform,
                    lang,
                    name,
                    handle,
                    _long_tail_followers(rng, platform),
                    female=female,
                    weight=weight,
                    categories=categories,
                )
    return authors
