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
import string
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from random import Random
from types import SimpleNamespace

__all__ = ["CATEGORIES", "SUBJECTS", "build_demo_mentions"]

# --------------------------------------------------------------------------------------------------
# Subjects
# --------------------------------------------------------------------------------------------------

# Aliases are written the way an operator types them into a monitoring tool: base forms, Latin
# spellings, common misspellings, hashtags and handles. Inflected forms («в Ладоге», «от Прибоя»)
# are the matcher's job (mentions.matching), so they are not listed.
SUBJECTS: list[dict] = [
    {
        "key": "ladoga",
        "name": "Ладога Телеком",
        "kind": "company",
        "is_own": True,
        "aliases": [
            "Ладога",
            "Ладога-Телеком",
            "ЛадогаТелеком",
            "Лодога",
            "Ladoga Telecom",
            "Ladoga",
            "@ladoga_telecom",
            "#ладогателеком",
        ],
    },
    {
        "key": "ladoga_mobile",
        "name": "Ладога Мобайл",
        "kind": "brand",
        "is_own": True,
        "aliases": [
            "Ладога Mobile",
            "Ладога Мобаил",
            "Ladoga Mobile",
            "@ladoga_mobile",
            "#ладогамобайл",
        ],
    },
    {
        "key": "ladoga_home",
        "name": "Ладога Дом",
        "kind": "product",
        "is_own": True,
        "aliases": ["Ладога.Дом", "Ladoga Home", "Ladoga Dom", "#ладогадом"],
    },
    {
        "key": "anna_vershinina",
        "name": "Анна Вершинина",
        "kind": "person",
        "is_own": True,
        "aliases": ["Вершинина", "Anna Vershinina", "Vershinina", "@a_vershinina"],
    },
    {
        "key": "priboy",
        "name": "Прибой",
        "kind": "competitor",
        "is_own": False,
        "aliases": [
            "Прибой Телеком",
            "Priboy",
            "Priboi",
            "@priboy_telecom",
            "#прибойтелеком",
        ],
    },
    {
        "key": "orbita",
        "name": "Орбита Связь",
        "kind": "competitor",
        "is_own": False,
        "aliases": [
            "Орбита",
            "Арбита",
            "Orbita Svyaz",
            "Orbita",
            "@orbita_svyaz",
            "#орбитасвязь",
        ],
    },
]

CATEGORIES = (
    "general_request",
    "competitive_request",
    "product_request",
    "first_review",
    "negative",
    "support",
    "abandonment",
    "uncomfortable_question",
    "praise",
    "noise",
)

# Share of each category in the demo (sums to 1).
_CATEGORY_SHARES = {
    "general_request": 0.07,
    "competitive_request": 0.10,
    "product_request": 0.11,
    "first_review": 0.08,
    "negative": 0.17,
    "support": 0.12,
    "abandonment": 0.06,
    "uncomfortable_question": 0.06,
    "praise": 0.09,
    "noise": 0.14,
}
_ENGLISH_SHARE = 0.2
# Chance that a post of a given category is about a competitor rather than about us.
_COMPETITOR_SHARE = {
    "general_request": 0.12,
    "product_request": 0.12,
    "first_review": 0.15,
    "negative": 0.15,
    "support": 0.1,
    "abandonment": 0.15,
    "uncomfortable_question": 0.08,
    "praise": 0.15,
    "noise": 0.2,
}
_MONITORING_SENTIMENT_SHARE = 0.5
_MONITORING_SENTIMENT_ACCURACY = 0.78
_WINDOW_DAYS = 60
_INCIDENT_DAYS_AGO = 17
_MSK = timezone(timedelta(hours=3), "MSK")

# --------------------------------------------------------------------------------------------------
# Brand forms: each variant carries its six cases, so templates say «в {B.prep}», «от {B.gen}».
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Forms:
    key: str
    nom: str
    gen: str
    dat: str
    acc: str
    ins: str
    prep: str


def _same(key: str, word: str) -> _Forms:
    return _Forms(key, word, word, word, word, word, word)


def _cases(key: str, nom: str, gen: str, dat: str, acc: str, ins: str, prep: str) -> _Forms:
    return _Forms(key, nom, gen, dat, acc, ins, prep)


_LADOGA_RU = [
    (5, _cases("ladoga", "Ладога", "Ладоги", "Ладоге", "Ладогу", "Ладогой", "Ладоге")),
    (
        3,
        _cases(
            "ladoga",
            "Ладога Телеком",
            "Ладога Телекома",
            "Ладога Телекому",
            "Ладога Телеком",
            "Ладога Телекомом",
            "Ладога Телекоме",
        ),
    ),
    (1, _same("ladoga", "«Ладога Телеком»")),
    (0.5, _same("ladoga", "Ladoga Telecom")),
    (0.4, _cases("ladoga", "Лодога", "Лодоги", "Лодоге", "Лодогу", "Лодогой", "Лодоге")),
]
_LADOGA_EN = [(3, _same("ladoga", "Ladoga Telecom")), (2, _same("ladoga", "Ladoga"))]
_BRAND_FORMS: dict[tuple[str, str, str], list[tuple[float, _Forms]]] = {
    ("own", "company", "ru"): _LADOGA_RU,
    ("own", "mobile", "ru"): [
        *_LADOGA_RU,
        (4, _same("ladoga_mobile", "Ладога Мобайл")),
        (1, _same("ladoga_mobile", "Ladoga Mobile")),
    ],
    ("own", "home", "ru"): [*_LADOGA_RU, (2.5, _same("ladoga_home", "Ладога Дом"))],
    ("own", "company", "en"): _LADOGA_EN,
    ("own", "mobile", "en"): [*_LADOGA_EN, (3, _same("ladoga_mobile", "Ladoga Mobile"))],
    ("own", "home", "en"): [*_LADOGA_EN, (1, _same("ladoga_home", "Ladoga Home"))],
    ("priboy", "any", "ru"): [
        (6, _cases("priboy", "Прибой", "Прибоя", "Прибою", "Прибой", "Прибоем", "Прибое")),
        (
            1,
            _cases(
                "priboy", "«Прибой»", "«Прибоя»", "«Прибою»", "«Прибой»", "«Прибоем»", "«Прибое»"
            ),
        ),
        (0.5, _same("priboy", "Priboy")),
    ],
    ("priboy", "any", "en"): [(1, _same("priboy", "Priboy"))],
    ("orbita", "any", "ru"): [
        (5, _cases("orbita", "Орбита", "Орбиты", "Орбите", "Орбиту", "Орбитой", "Орбите")),
        (2.5, _same("orbita", "Орбита Связь")),
        (0.4, _cases("orbita", "Арбита", "Арбиты", "Арбите", "Арбиту", "Арбитой", "Арбите")),
        (0.5, _same("orbita", "Orbita")),
    ],
    ("orbita", "any", "en"): [(2, _same("orbita", "Orbita")), (1, _same("orbita", "Orbita Svyaz"))],
}
_TAGS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("own", "company"): [("@ladoga_telecom", "ladoga"), ("#ладогателеком", "ladoga")],
    ("own", "mobile"): [
        ("@ladoga_mobile", "ladoga_mobile"),
        ("#ладогамобайл", "ladoga_mobile"),
        ("@ladoga_telecom", "ladoga"),
    ],
    ("own", "home"): [
        ("#ладогадом", "ladoga_home"),
        ("@ladoga_telecom", "ladoga"),
        ("#ладогателеком", "ladoga"),
    ],
    ("priboy", "any"): [("@priboy_telecom", "priboy"), ("#прибойтелеком", "priboy")],
    ("orbita", "any"): [("@orbita_svyaz", "orbita"), ("#орбитасвязь", "orbita")],
}
_CEO_FORMS = {
    "ru": [
        (3, _cases(
            "anna_vershinina", "Анна Вершинина", "Анны Вершининой", "Анне Вершининой",
            "Анну Вершинину", "Анной Вершининой", "Анне Вершининой",
        )),
        (1, _cases(
            "anna_vershinina", "Вершинина", "Вершининой", "Вершининой", "Вершинину",
            "Вершининой", "Вершининой",
        )),
    ],
    "en": [(3, _same("anna_vershinina", "Anna Vershinina")), (1, _same("anna_vershinina", "Ms "
    "Vershinina"))],
}  # fmt: skip
_HOME_FORMS = {
    "ru": ["«Ладога Дом»", "Ладога Дом", "«Ладога Дом»", "Ладога.Дом"],
    "en": ["Ladoga Home"],
}

# Tariffs per company: (mobile, home). Invented names.
_TARIFFS = {
    "ladoga": (
        ["«Старт»", "«Безлимит Север»", "«Семейный»", "«Свои 25»", "«Онлайн+»", "«Белые ночи»"],
        ["«Дом 300»", "«Дом 500»", "«Гигабит»", "«Дом + ТВ»", "«Лайт 100»"],
    ),
    "priboy": (
        ["«Бриз»", "«Шторм»", "«Прилив 30»", "«Штиль»"],
        ["«Прибой Home 500»", "«Домашний 200»", "«Волнорез»"],
    ),
    "orbita": (
        ["«Апогей»", "«Перигей 20»", "«Старт-Орбита»", "«Невесомость»"],
        ["«Турбо 500»", "«Спутник 300»", "«Гига»"],
    ),
}
# English speakers write home tariffs the way the English pages of the sites do.
_HOME_TARIFFS_EN = {
    "ladoga": ["Home 300", "Home 500", "Gigabit", "Lite 100"],
    "priboy": ["Priboy Home 500", "Home 200"],
    "orbita": ["Turbo 500", "Sputnik 300", "Giga"],
}

# --------------------------------------------------------------------------------------------------
# Slot fillers
# --------------------------------------------------------------------------------------------------

# (nom, gen, "в/во" + prep, English), weight
_CITIES = [
    (6, ("Санкт-Петербург", "Петербурга", "в Петербурге", "St. Petersburg")),
    (1, ("Санкт-Петербург", "Питера", "в Питере", "Saint Petersburg")),
    (2, ("Петрозаводск", "Петрозаводска", "в Петрозаводске", "Petrozavodsk")),
    (1.5, ("Великий Новгород", "Великого Новгорода", "в Великом Новгороде", "Veliky Novgorod")),
    (1.2, ("Псков", "Пскова", "в Пскове", "Pskov")),
    (1.2, ("Вологда", "Вологды", "в Вологде", "Vologda")),
    (1.2, ("Мурманск", "Мурманска", "в Мурманске", "Murmansk")),
    (1, ("Выборг", "Выборга", "в Выборге", "Vyborg")),
    (1, ("Гатчина", "Гатчины", "в Гатчине", "Gatchina")),
    (1, ("Всеволожск", "Всеволожска", "во Всеволожске", "Vsevolozhsk")),
    (0.6, ("Сортавала", "Сортавалы", "в Сортавале", "Sortavala")),
    (0.6, ("Кировск", "Кировска", "в Кировске", "Kirovsk")),
    (0.8, ("Череповец", "Череповца", "в Череповце", "Cherepovets")),
    (0.8, ("Тверь", "Твери", "в Твери", "Tver")),
]
_SPB_PLACES = [
    "в Купчино", "в Мурино", "в Кудрово", "на Васильевском", "на Петроградке", "на Гражданке",
    "в Девяткино", "на Комендантском", "в Шушарах", "на Ветеранов", "на Парнасе", "в Новой Охте",
]  # fmt: skip
_STREETS = [
    "улице Ключевой", "Заречной улице", "проспекту Ветеранов", "Лесной улице", "Садовой",
    "улице Строителей", "Приморскому шоссе", "Берёзовой аллее", "улице Шувалова",
]  # fmt: skip
_SALON_STREETS = ["на Невском", "на Ленина", "на Садовой", "в ТЦ «Северный»", "у метро «Звёздная»"]
_VILLAGES = ["Лесное", "Заозерье", "Сосново", "Кузнечное", "Мельниково", "Вещево", "Ромашки"]
_ROUTES = [
    "Петербург — Петрозаводск", "Петербург — Выборг", "Мурманск — Кандалакша",
    "Новгород — Псков", "Вологда — Череповец",
]  # fmt: skip
_DACHA = [
    "Приозерском",
    "Лугой",
    "Выборгом",
    "Сортавалой",
    "Кировском",
    "Гатчиной",
    "Зеленогорском",
]
_METRO = [
    "Фиолетовой ветке", "Красной ветке", "перегоне до «Девяткино»", "Невско-Василеостровской",
    "перегоне до «Парнаса»", "Кировско-Выборгской линии",
]  # fmt: skip
_DEVICES = [
    "iPhone 13", "iPhone 15", "Samsung A54", "Xiaomi Redmi Note 12", "Pixel 7", "Honor 90",
    "Realme 11", "Samsung S23",
]  # fmt: skip
_STAFF_GEN = ["Сергея", "Алексея", "Дмитрия", "Илью", "Романа", "Виктора", "Артёма"]
_STAFF_F = ["Ольга", "Ирина", "Наталья", "Ксения", "Марина", "Екатерина", "Алина"]
_DATE_WORDS = ["вчера", "позавчера", "в пятницу", "в субботу", "в понедельник", "в воскресенье"]
_DAYS = ["три дня", "четыре дня", "неделю", "пять дней", "двое суток", "полторы недели"]
_EN_DAYS = ["three days", "two days", "almost a week", "36 hours", "four days"]
_YEARS_NOM = ["Пять лет", "Семь лет", "Десять лет", "Три года", "Шесть лет", "Восемь лет"]
_YEARS_ACC = ["восемь лет", "шесть лет", "четыре года", "десять лет", "пять лет", "два года"]
_SINCE = ["2012 года", "2014 года", "2016 года", "2017 года", "2019 года"]
_PRICES = ["450", "550", "650", "690", "790", "890", "990", "1 190"]
_DIFFS = ["100", "150", "200", "250", "300"]
_SUMS = ["1 290", "2 480", "870", "1 640", "3 100", "960"]
_SMALL_SUMS = ["99", "149", "199", "249", "390", "450"]
_GB = ["20", "30", "40", "50"]
_PINGS = ["120", "180", "250", "300"]
_PERCENTS = ["6", "7", "8", "9", "11", "12"]

# --------------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------------
# Slots: {B.nom}..{B.prep} the brand the post is about; {C.*} a second brand; {B.tag} a handle or
# hashtag; {CEO.*} the CEO; {HOME} the «Ладога Дом» product; {tariff}/{home_tariff} tariffs of B,
# {c_tariff} of C; {city.nom|gen|prep|en}; {where} a city or a district; numbers and durations.
# [[male|female]] agrees with the author's gender.


@dataclass(frozen=True)
class _Template:
    category: str
    lang: str
    sentiment: str
    text: str
    scope: str = "company"  # which of our brands B stands for: company, mobile or home
    who: str = "customer"  # author role: customer, blogger, journalist, news, repost, ad, job
    title: str = ""
    own_only: bool = False
    outage: bool = False
    # Noise that uses a brand word in another sense: which subject's word it is, for the record.
    sense: str = ""
    platforms: tuple[str, ...] = ()
    # The monitoring tool is likely to misread the tone (sarcasm).
    sarcasm: bool = False

    @property
    def uses_c(self) -> bool:
        return "{C." in self.text or "{C." in self.title


def _group(category: str, lang: str, sentiment: str, texts: list[str], **kw) -> list[_Template]:
    return [_Template(category, lang, sentiment, text, **kw) for text in texts]


_T = _Template
_TEMPLATES: list[_Template] = [
    # --- general_request -------------------------------------------------------------------------
    *_group("general_request", "ru", "neutral", [
        "Посоветуйте нормального провайдера {where}. Нужен стабильный интернет для удалёнки, "
        "созвоны по шесть часов в день, а сейчас всё лагает.",
        "Весной переезжаем, будем жить {where}. Какой там домашний интернет живой? Чтобы без "
        "сюрпризов с ценой через полгода.",
        "Кто какой мобильной связью пользуется {city.prep}? Нужен тариф для мамы: звонки и немного "
        "интернета, рублей до {price} в месяц.",
        "Ищу тариф с безлимитным интернетом для работы в дороге — часто езжу по трассе {route}. "
        "Что реально ловит на трассе?",
        "Нужен интернет на дачу под {dacha}. Оптику туда вряд ли протянут, кто сидит через "
        "4G-роутер — какой оператор тянет?",
        "Какие провайдеры заведены в новостройки {where}? УК говорит, что кабель только у одной "
        "компании, это законно вообще?",
        "Народ, подскажите оператора, у которого нормально работает eSIM. Телефон {device}, хочу "
        "вторую линию для работы.",
        "Что сейчас по ценам на домашний интернет {city.prep}? Плачу {price} в месяц за 100 Мбит "
        "и чувствую, что переплачиваю.",
        "Помогите выбрать интернет + ТВ для родителей. Им за семьдесят, нужен простой пульт и "
        "чтобы не звонили каждый день с вопросом «куда всё пропало».",
        "Какой оператор лучше ловит в метро и в электричках {city.prep}? Устал[[|а]] от «нет сети» "
        "между станциями.",
        "Студенту в общагу нужен интернет подешевле, {city.nom}. Роутер есть свой. Что "
        "посоветуете?",
        "Кто-нибудь подключал гигабит домой? Реально есть разница с 300 Мбит или это маркетинг?",
        "Нужен провайдер для маленького офиса на восемь человек {where}: статический IP, договор "
        "на юрлицо, нормальная поддержка. Куда смотреть?",
        "Вопрос знатокам: какая мобильная связь сейчас адекватная по цене и без навязанных "
        "подписок? Готов[[|а]] сменить оператора хоть завтра.",
    ]),
    *_group("general_request", "ru", "neutral", [
        "Какой интернет брать {where}? В подъезде висят объявления {B.gen} и ещё пары компаний, "
        "но живых отзывов не [[нашёл|нашла]].",
        "Ищу мобильный тариф для ребёнка десяти лет: родительский контроль, геолокация, без "
        "платных "
        "подписок. Слышал[[|а]], у {B.gen} что-то такое есть, но интересны и другие варианты.",
    ], scope="mobile"),
    *_group("general_request", "en", "neutral", [
        "Moving to {city.en} next month for work. Which mobile operator should I get a SIM from? "
        "I need decent data and English-friendly support.",
        "Any recommendations for home internet in {city.en}? Renting a flat for a year, need "
        "something reliable for video calls.",
        "Expats in St. Petersburg: what do you use for mobile internet? Looking for a plan that "
        "doesn't need a local bank card.",
        "Which provider has the best fiber in {city.en}? I work remotely for a company in Berlin, "
        "latency matters more than price.",
        "Travelling around Karelia for two weeks — which network actually has coverage outside "
        "the towns?",
    ]),
    # --- competitive_request ---------------------------------------------------------------------
    *_group("competitive_request", "ru", "neutral", [
        "{B.nom} или {C.nom} для домашнего интернета {where}? Соседи хвалят обоих, я уже "
        "запутал[[ся|ась]].",
        "Кто сидит на {B.prep}, а кто на {C.prep} {city.prep}? Хочу сменить оператора, но боюсь "
        "поменять шило на мыло.",
        "У {C.gen} тариф {c_tariff} на {diff} ₽ дешевле, чем {tariff} у {B.gen}. Есть смысл "
        "переходить или там подвох с покрытием?",
        "{C.nom} предлагает гигабит за {price}, а {B.nom} — 500 Мбит за те же деньги. {B.nom}, "
        "может, подтянетесь? 🙂",
        "{B.nom} vs {C.nom}: у кого меньше скрытых платежей? Только без рекламы, интересует живой "
        "опыт.",
        "В нашем ЖК {where} заведены {B.nom} и {C.nom}. У кого пинг лучше для игр? Играю в "
        "шутеры, каждые 10 мс на счету.",
        "Дома {B.nom}, на работе {C.nom}. Если честно, разницы почти не вижу, выбирал[[|а]] бы "
        "по цене.",
        "Мобильный у {B.gen} дешевле, но на трассе {route} у {C.gen} покрытие заметно лучше. "
        "Думаю держать две симки.",
        "Какой оператор выбрать для семьи из четырёх: {B.nom} с тарифом {tariff} или {C.nom} с "
        "{c_tariff}? Нужны общие гигабайты и детские симки.",
    ], scope="company"),
    *_group("competitive_request", "ru", "positive", [
        "[[Ушёл|Ушла]] от {C.gen} к {B.dat} полгода назад: скорость та же, платёж на {diff} ₽ "
        "меньше. Пока не жалею.",
        "Сравнил[[|а]] {B.acc} и {C.acc} на даче под {dacha}: у {B.gen} стабильно три палки LTE, "
        "у {C.gen} одна, и та только у окна.",
        "[[Перенёс|Перенесла]] номер из {C.gen} в {B.acc} за один день, без визита в салон. "
        "Посмотрим, как будет со связью в метро.",
        "Честно, после {C.gen} {B.nom} — небо и земля: поддержка отвечает за пять минут, а не за "
        "пять дней.",
        "Вернул[[ся|ась]] в {B.acc} после года в {C.prep}. Там было дешевле, но роутер "
        "приходилось перезагружать каждую неделю. Опыт — дорогое удовольствие.",
        "Живу теперь {where}: у {C.gen} дом не подключён вообще, пришлось брать {B.acc}. "
        "Монтажник пришёл на следующий день, и это приятно удивило.",
    ], scope="company"),
    _T("competitive_request", "ru", "negative",
       "Почему у {C.gen} для новых абонентов скидка 50% на полгода, а у {B.gen} старым клиентам "
       "ничего? Серьёзно думаю уйти.", scope="home"),
    *_group("competitive_request", "en", "neutral", [
        "{B.nom} or {C.nom} for home fiber in {city.en}? Both quote about the same price, which "
        "one has better support?",
        "Honest question: is {B.nom} actually better than {C.nom}, or just louder in advertising?",
        "{C.nom} offers a cheaper family plan but {B.nom} has better coverage at my dacha. "
        "Tough call.",
        "Thinking of moving my office from {C.nom} to {B.nom}. Anyone done it with a static IP "
        "and no downtime?",
    ]),
    *_group("competitive_request", "en", "positive", [
        "Switched from {C.nom} to {B.nom} last month. Same price, noticeably faster evenings. "
        "So far so good.",
        "Tested {B.nom} and {C.nom} SIMs side by side on a road trip to Karelia. {B.nom} kept LTE "
        "most of the way, {C.nom} dropped to nothing after Lodeynoye Pole.",
    ], scope="mobile"),
    _T("competitive_request", "ru", "neutral",
       "Взял[[|а]] две симки, {B.nom} и {C.nom}, и неделю катал[[ся|ась]] по городу с замерами. "
       "Итог в конце ролика, спойлер: всё не так однозначно. Таймкоды в описании.",
       who="blogger", scope="mobile",
       title="{B.nom} против {C.gen}: замерил[[|а]] скорость в 40 точках {city.gen}"),
    _T("competitive_request", "ru", "neutral",
       "Подключила домашний интернет от двух провайдеров в одной квартире и месяц сравнивала: "
       "{B.nom} против {C.gen}. Пинг, скорость вечером, поддержка, скрытые платежи — всё в видео. "
       "Никто не заплатил за этот ролик.",
       who="blogger", scope="home", title="{B.nom} или {C.nom}? Месяц честного сравнения"),
    _T("competitive_request", "en", "neutral",
       "I spent a week with both SIMs and a speed-test app. Results, coverage maps and prices in "
       "the video. Not sponsored.",
       who="blogger", scope="mobile", title="{B.nom} vs {C.nom}: real speed test across {city.en}"),
    # --- product_request -------------------------------------------------------------------------
    *_group("product_request", "ru", "neutral", [
        "{B.nom}, а тариф {tariff} можно подключить на уже существующий номер или только новым "
        "абонентам?",
        "Подскажите, у {B.gen} есть тариф без интернета, только звонки? Для бабушки, ей гигабайты "
        "не нужны.",
        "{B.nom}, на тарифе {tariff} можно раздавать интернет на ноутбук или будут резать "
        "скорость?",
        "Есть ли у {B.gen} eSIM? Хочу поставить вторую линию на {device}, в салон идти некогда.",
        "Сколько будет стоить роуминг с {B.ins} в Турции? В приложении ничего не понятно, какие-то "
        "пакеты по дням.",
        "А правда, что у {B.gen} с этого месяца безлимит на мессенджеры на всех тарифах? Или "
        "только на {tariff}?",
        "Можно ли оформить тариф {tariff} от {B.gen} на юрлицо и сколько симок максимум? Небольшая "
        "фирма, двенадцать сотрудников.",
        "{B.tag} у вас есть тариф для детских часов с симкой? Хочу ребёнку часы, нужна отдельная "
        "симка.",
    ], scope="mobile"),
    *_group("product_request", "ru", "neutral", [
        "{B.tag} а роутер при подключении дают в аренду или надо покупать? И сколько аренда в "
        "месяц?",
        "{B.nom}, дом {house} по {street} уже подключён к вам? Заезжаем в конце месяца, интернет "
        "нужен сразу.",
        "{B.nom}, а статический IP для домашнего интернета у вас бывает? Хочу смотреть камеры на "
        "даче удалённо.",
        "{B.nom}, подключаете ли вы частные дома под {dacha}? Сосед говорит, что оптику тянут "
        "только по заявкам от пяти домов.",
        "{B.nom}, сколько ждать монтажника после заявки? Подали вчера, а у нас ремонт, надо "
        "понимать, когда штробить стены.",
        "Интересует ТВ-приставка от {B.gen}: сколько каналов в базовом пакете и можно ли смотреть "
        "на двух телевизорах?",
        "Какой минимальный срок договора у {B.gen}? Квартиру снимаем на полгода, не хочу платить "
        "неустойку.",
        "Цена {price} ₽ в месяц у {B.gen} — это навсегда или через полгода вырастет, как у всех?",
    ], scope="home"),
    *_group("product_request", "ru", "neutral", [
        "Сколько стоит подключение {HOME} {where}? На сайте пишут «уточняйте у оператора», а "
        "оператор отправляет на сайт 🙃",
        "Если подключить {HOME} и мобильный у {B.gen}, скидка на пакет будет? В рекламе "
        "видел[[|а]] "
        "что-то про «выгодно вдвоём».",
        "В {HOME} на тарифе {home_tariff} реально {promised} Мбит по кабелю или это «до»? Хочу "
        "понимать до подписания договора.",
    ], scope="home"),
    *_group("product_request", "en", "neutral", [
        "Hi {B.tag}, can a foreigner buy a SIM with just a passport? Arriving in {city.en} on "
        "Monday.",
        "Is there an English version of the {B.nom} app? Trying to top up and everything is in "
        "Russian.",
        "Can I keep my number if I move from another operator to {B.nom}, and how long does it "
        "take?",
        "Does {B.nom} roaming work in Finland? Planning a weekend trip to Helsinki.",
    ], scope="mobile"),
    *_group("product_request", "en", "neutral", [
        "Does {B.nom} offer a short-term home internet contract? I'm only in {city.en} for four "
        "months.",
        "What's the real evening speed on the {home_tariff} plan from {B.nom}? The ad says up to "
        "{promised} Mbps.",
    ], scope="home"),
    # --- first_review ----------------------------------------------------------------------------
    *_group("first_review", "ru", "positive", [
        "Вчера подключили {HOME}. Монтажник пришёл вовремя, кабель аккуратно провёл по плинтусу, "
        "скорость по замеру {real_fast} Мбит. Пока [[доволен|довольна]].",
        "[[Перешёл|Перешла]] в {B.acc} неделю назад. Приложение удобное, за тариф списали ровно "
        "сколько "
        "обещали. Даже непривычно 😅",
        "Первые впечатления от {B.gen}: менеджер в салоне всё объяснил и не навязывал допуслуги. "
        "Так бывает вообще?",
        "Поставили {B.acc} родителям на дачу. Мастер полдня искал, где лучше ловит, в итоге "
        "антенна на крыше и 4G во всём доме. Спасибо ему!",
        "Первый месяц с {B.ins}: один раз интернет пропадал на полчаса ночью, в остальном ровно. "
        "Для своей цены — отлично.",
        "Только что [[перенёс|перенесла]] номер в {B.acc}. Оформление заняло десять минут, а "
        "старый оператор ещё сутки слал СМС «вернитесь» 😂",
        "Получил[[|а]] сим-карту {B.gen} курьером — удобно, активировал[[|а]] по видео за пару "
        "минут. Связь пока толком не тестил[[|а]].",
        "Вчера поставили ТВ-приставку от {B.gen}. Каналов много, картинка хорошая, но пульт "
        "какой-то игрушечный 😄",
        "Три дня на {B.prep}: {city.prep} ловит везде, даже в подвале у гаража. Посмотрим, что "
        "будет за городом.",
    ], scope="company"),
    *_group("first_review", "ru", "neutral", [
        "Первый день с симкой {B.gen}: в метро ловит, в офисе ловит, дома на балконе — одна палка. "
        "Посмотрим дальше.",
        "Подключил[[ся|ась]] к {B.dat} по акции. Роутер выдали старенький, но работает. Вечером "
        "скорость проседает до {speed_mid} Мбит, днём всё летает.",
        "Неделя на тарифе {tariff} от {B.gen}. Гигабайтов хватает, звонки чистые, только СМС с "
        "рекламой уже надоели.",
        "Подключили интернет от {B.gen}. Монтажник опоздал на два часа и не предупредил, но сам "
        "интернет пока работает хорошо.",
        "Ну вот и я в {B.prep}. Впечатление смешанное: скорость отличная, а личный кабинет "
        "запутанный, полчаса искал[[|а]], где отключить автоплатёж.",
    ], scope="company"),
    _T("first_review", "ru", "positive",
       "Неделю сижу на домашнем интернете от {B.gen}. Монтаж, роутер, замеры вечером в час пик, "
       "поддержка — всё показала без купюр. Ролик не рекламный, подключалась за свои.",
       who="blogger", scope="home", title="Подключила {B.acc}: честный отзыв через неделю"),
    *_group("first_review", "en", "positive", [
        "First week with {B.nom}: setup took ten minutes, speed test shows {real_fast} Mbps. "
        "Impressed so far.",
        "Got a {B.nom} SIM at the airport in {city.en}. Staff spoke a bit of English, data works "
        "fine. 👍",
    ], scope="company"),
    *_group("first_review", "en", "neutral", [
        "Day one on {B.nom} home internet. The installer was late, but the connection itself is "
        "solid.",
        "Just switched to {B.nom}. The app is only half translated, but the plan costs half of "
        "what I paid before.",
        "Been on {B.nom} for three days. Coverage in the city is great, out of town it's hit and "
        "miss.",
        "Installed the {B.nom} TV box yesterday. Lots of channels, nothing in English though. "
        "The kids are happy anyway.",
    ], scope="company"),
    # --- negative --------------------------------------------------------------------------------
    *_group("negative", "ru", "negative", [
        "{B.nom}, третий день нет интернета {where}. Заявку приняли, номер дали, и тишина. Я "
        "вообще-"
        "то работаю из дома!",
        "{B.tag} у меня весь дом {where} без интернета с утра, на горячей линии говорят «плановые "
        "работы». Почему нас не предупредили?!",
        "Ни одного дня без разрыва за месяц. {B.nom}, я понимаю, что у вас «работы на линии», но "
        "мне-то что с того?",
    ], scope="home", outage=True),
    *_group("negative", "ru", "negative", [
        "Ещё {date_word} пропал мобильный интернет {where}, до сих пор нет. Пишут «авария на "
        "базовой станции». Сколько ещё ждать, {B.nom}?",
        "Опять пропала связь у {B.gen}: ни звонков, ни интернета уже {hours}. Это массово или "
        "только у меня?",
    ], scope="mobile", outage=True),
    _T("negative", "ru", "negative",
       "Отличный сервис у {B.gen}: второй день без интернета, зато СМС с рекламой нового тарифа "
       "приходят исправно 👏", scope="home", outage=True, sarcasm=True),
    _T("negative", "ru", "negative",
       "Спасибо, {B.nom}, теперь я знаю все песни из вашего ожидания на линии наизусть. Сорок "
       "минут — и «оператор перезвонит». Не перезвонил.", sarcasm=True),
    *_group("negative", "ru", "negative", [
        "Обещали {promised} Мбит, по факту вечером {speed}. {B.nom}, это по-вашему «до "
        "{promised}»?",
        "Мастер {B.gen} должен был прийти с 10 до 14. Сейчас 17:30. [[Отпросился|Отпросилась]] с "
        "работы ради "
        "этого 😡",
        "Интернет от {B.gen} отваливается каждый вечер с 20 до 23 — именно тогда, когда он нужен. "
        "Роутер меняли, не помогло.",
        "Переплатил[[|а]] за роутер, который сгорел через месяц. В {B.prep} говорят, что гарантия "
        "на аренду не распространяется. Это как?",
        "Пинг на {B.prep} в вечерний прайм — {ping} мс. Играть невозможно, созвоны рассыпаются.",
        "ТВ-приставка {B.gen} зависает каждые полчаса, поддержка советует «вынуть и вставить». "
        "Мы в каком веке живём?",
        "Отменили мою заявку на подключение без объяснений, хотя договор подписан. {B.nom}, что "
        "происходит?",
    ], scope="home"),
    *_group("negative", "ru", "negative", [
        "С меня снова списали {sum} ₽ за какую-то «подписку», которую я не подключал[[|а]]. "
        "{B.nom}, верните деньги.",
        "Опять пропала связь в метро на {metro}. {B.nom}, это уже не смешно, каждое утро одно и "
        "то же.",
        "В салоне {B.gen} мне навязали страховку телефона и «антивирус» за {small_sum} ₽ в месяц. "
        "Узнал[[|а]] только из выписки.",
        "{B.nom}, почему в приложении баланс один, а в СМС другой? Кому верить и куда делись "
        "{small_sum} ₽?",
        "Звонки с {B.gen} прерываются посреди разговора. Уже неделю. Телефон новый, дело не в нём.",
        "Заблокировали сим-карту «по подозрению в мошенничестве», разблокировать только лично в "
        "салоне. Я в командировке! {B.nom}, серьёзно?",
        "Роуминг с {B.ins} — лотерея: пакет купил[[|а]], а интернета в Казахстане нет, деньги не "
        "вернули.",
        "{B.nom}, ваш «безлимит» режут до 128 кбит/с после {gb} ГБ. Зачем тогда писать «безлимит» "
        "огромными буквами?",
    ], scope="mobile"),
    *_group("negative", "ru", "negative", [
        "Поддержка {B.gen} — отдельный вид искусства. Сорок минут на линии, потом «оператор "
        "перезвонит». Не перезвонил.",
        "Подняли абонентку на {diff} ₽ без нормального уведомления — одно СМС мелким шрифтом. "
        "Спасибо, {B.nom}, очень по-клиентски.",
        "Чат поддержки {B.gen}: бот трижды предложил «перезагрузить роутер» и закрыл обращение. "
        "Гениально.",
        "Счёт от {B.gen} за прошлый месяц пришёл в два раза больше. В детализации — «услуги "
        "партнёров». Я такого не заказывал[[|а]].",
    ]),
    _T("negative", "ru", "negative",
       "За неделю вы прислали мне больше сотни сообщений про {B.acc}: обрывы, списания, поддержка "
       "не отвечает. Собрала самые частые проблемы и попробовала дозвониться сама. Спойлер: "
       "не дозвонилась.",
       who="blogger", title="Что происходит с {B.ins}? Разбираю жалобы подписчиков"),
    *_group("negative", "en", "negative", [
        "{B.nom} has been down in my building for {en_days}. No updates, no ETA. Working from a "
        "café again.",
    ], scope="home", outage=True),
    *_group("negative", "en", "negative", [
        "Paid for {promised} Mbps, getting {speed} in the evening. {B.tag} care to explain?",
        "The technician from {B.nom} never showed up. Took a day off for nothing.",
    ], scope="home"),
    *_group("negative", "en", "negative", [
        "Charged twice for the same month by {B.nom}. The support chat keeps closing my ticket. "
        "Not impressed.",
        "{B.nom} support line: 35 minutes of music, then the call dropped. Classic.",
        "Roaming with {B.nom} in Finland: bought the data pack, got no data. Still waiting for a "
        "refund.",
        "Why does the {B.nom} app log me out every single day? The SMS code takes five minutes to "
        "arrive.",
    ], scope="mobile"),
    # --- support ---------------------------------------------------------------------------------
    *_group("support", "ru", "neutral", [
        "{B.nom}, подскажите, как перенести договор на другого человека? Квартиру продаём, "
        "покупатели хотят оставить интернет.",
        "{B.nom}, переезжаю в другую квартиру {where}. Можно перенести интернет на новый адрес без "
        "нового договора? Договор №{contract}.",
        "Как настроить IPTV от {B.gen} на втором телевизоре? Инструкция на сайте для старой "
        "приставки.",
        "После обновления прошивки роутера {B.gen} пропал Wi‑Fi на 5 ГГц. Можно откатить?",
        "{B.nom}, подскажите номер заявки или хотя бы сроки: подавал[[|а]] на ремонт линии "
        "{date_word}, до сих пор никто не позвонил.",
        "Добрый день, {B.nom}! Уезжаю на два месяца, можно приостановить договор на интернет, "
        "чтобы не платить?",
    ], scope="home"),
    _T("support", "ru", "neutral",
       "Здравствуйте! Роутер от {B.gen} мигает красным после отключения света. Перезагружал[[|а]] "
       "— не помогает. Что делать?", scope="home", outage=True),
    *_group("support", "ru", "neutral", [
        "{B.tag} не приходит СМС с кодом для входа в приложение. Номер {B.gen}, телефон {device}. "
        "Что делать?",
        "Как поменять тариф на {tariff} без потери остатка гигабайтов? В приложении {B.gen} "
        "пишет, что остаток сгорит.",
        "{B.nom}, потерял[[|а]] сим-карту. Как восстановить номер, если я сейчас в другом городе?",
        "{B.nom}, как добавить второй номер в семейный тариф? [[Жена|Муж]] тоже хочет к вам.",
        "Как временно заблокировать номер ребёнка — он потерял телефон в школе? Номер на {B.prep}, "
        "оформлен на меня.",
        "Не проходит перенос номера в {B.acc}: третий день статус «в обработке». Старый оператор "
        "говорит, что с их стороны всё готово.",
        "Как подключить eSIM {B.gen} на {device}? QR-код пришёл на почту, а телефон пишет «не "
        "удалось добавить тариф».",
    ], scope="mobile"),
    *_group("support", "ru", "neutral", [
        "Как отключить автоплатёж в личном кабинете {B.gen}? Всё облазил[[|а]], кнопки не вижу.",
        "Не могу оплатить {B.acc} через приложение банка — пишет «лицевой счёт не найден». Номер "
        "счёта точно правильный.",
        "Подскажите, куда отправить заявление на возврат переплаты? Закрыл[[|а]] договор с {B.ins} "
        "месяц назад, на балансе {small_sum} ₽.",
        "{B.nom}, где в личном кабинете взять закрывающие документы для бухгалтерии? Договор на "
        "ИП.",
    ]),
    *_group("support", "en", "neutral", [
        "{B.tag} how do I switch the app to English? Can't find it in the settings.",
        "Need an invoice for my company from {B.nom} — where do I find it in the personal account?",
    ]),
    *_group("support", "en", "neutral", [
        "Moving flats in {city.en} next week — can {B.nom} transfer my home internet to the new "
        "address?",
        "My {B.nom} router keeps blinking red since yesterday's power cut. Restarting doesn't "
        "help. Any tips?",
    ], scope="home"),
    *_group("support", "en", "neutral", [
        "Lost my {B.nom} SIM on the metro. How can I block it and get a replacement with the same "
        "number?",
        "How do I top up a {B.nom} number with a foreign card? The payment keeps failing.",
    ], scope="mobile"),
    # --- abandonment -----------------------------------------------------------------------------
    *_group("abandonment", "ru", "negative", [
        "Всё, ухожу от {B.gen}. {years} был[[|а]] клиентом, но после очередного повышения цен — "
        "хватит. Как расторгнуть договор без визита в офис?",
        "Подал[[|а]] заявку на перенос номера в {C.acc}. {B.nom}, вы потеряли клиента, который был "
        "с вами с {since}.",
        "{B.nom}, расторгните мой договор, пожалуйста. Третье обращение за месяц, ответа нет. "
        "Иначе пойду в Роспотребнадзор.",
        "Прощай, {B.nom}. Три отключения за неделю — мой предел 💔",
        "[[Перенёс|Перенесла]] номер в {C.acc}, а {B.nom} до сих пор списывает абонентку. Как это "
        "остановить?",
        "Закрываю все симки {B.gen} в семье — четыре номера. Если кто-то из {B.gen} это читает: "
        "причина в роуминге и вашей поддержке.",
        "Сегодня последний день с {B.ins}. Было хорошо, пока не подняли цену почти вдвое. "
        "[[Ушёл|Ушла]] "
        "к {C.dat}.",
        "Расторг[[|ла]] договор с {B.ins}, а теперь звонят из-за «долга» в {small_sum} ₽ за месяц, "
        "которым я не пользовал[[ся|ась]]. Шикарно.",
        "{B.nom}, прошу больше не звонить мне с «выгодными предложениями вернуться». "
        "Я [[ушёл|ушла]] осознанно.",
    ], scope="mobile"),
    *_group("abandonment", "ru", "neutral", [
        "Отключаю интернет от {B.gen} с первого числа. Куда сдавать роутер и сколько будут держать "
        "залог?",
        "Уходим от {B.gen} к {C.dat}. Никакой драмы: у них дешевле на {diff} ₽, и дом уже "
        "подключён.",
        "Не продлеваю договор с {B.ins}. Интернет нормальный, но ТВ-пакет урезали, а цену "
        "оставили. Наш[[ёл|ла]] вариант получше.",
    ], scope="home"),
    *_group("abandonment", "en", "negative", [
        "Cancelling {B.nom} at the end of the month. Three outages in two weeks is too many. How "
        "do I return the router?",
        "Done with {B.nom}. Prices went up again and support never answers. Moving to {C.nom}.",
    ], scope="home"),
    *_group("abandonment", "en", "neutral", [
        "Ported my number from {B.nom} to {C.nom} today. Cheaper, and better coverage where I "
        "live.",
        "{B.tag} please close my contract, I'm leaving the country. Where do I send the request?",
    ], scope="mobile"),
    # --- uncomfortable_question ------------------------------------------------------------------
    *_group("uncomfortable_question", "ru", "negative", [
        "{CEO.nom}, вы обещали «интернет в каждый посёлок области» к концу года. Где он? У нас в "
        "посёлке {village} до сих пор одна вышка на три деревни.",
        "Вопрос к {CEO.dat}: правда ли, что {B.nom} передаёт данные абонентов рекламщикам? В "
        "договоре есть пункт про «партнёров», хочется публичного ответа.",
        "Как вы объясните, что {CEO.nom} получила премию, а тарифы за год выросли на 15%? Абоненты "
        "платят за бонусы топ-менеджмента?",
        "Пишут, что {B.nom} три месяца не платит подрядчикам-монтажникам. {CEO.nom}, это правда?",
    ]),
    _T("uncomfortable_question", "ru", "negative",
       "{B.nom}, почему после аварии {date_word} никто из руководства не извинился? {CEO.nom} в "
       "интервью рассказывает о «надёжности», а мы сутки сидели без связи.", outage=True),
    _T("uncomfortable_question", "ru", "negative",
       "Пожар на узле связи был месяц назад. Где компенсация абонентам, которые неделю сидели без "
       "интернета? Или {B.nom} надеется, что все забудут?", scope="home"),
    *_group("uncomfortable_question", "ru", "negative", [
        "Почему в оферте {B.gen} мелким шрифтом разрешено менять цену в одностороннем порядке? "
        "Это честно по отношению к клиентам?",
        "{B.nom}, правда, что вы сокращаете колл-центр и переводите поддержку на бота? Поэтому до "
        "вас невозможно дозвониться?",
        "Сколько ещё абоненты {B.gen} будут платить за «неограниченный» интернет, который режут "
        "после {gb} ГБ? Это же прямое введение в заблуждение.",
        "Почему новым абонентам {B.nom} даёт скидку 50%, а те, кто с вами десять лет, платят "
        "полную "
        "цену? Лояльность — это для дураков?",
        "{B.nom}, в рекламе у вас «95% покрытия». Покажите карту, где эти 95%, потому что {where} "
        "связи нет.",
        "Почему {B.nom} требует паспорт и селфи для восстановления сим-карты, а мой номер при этом "
        "спокойно переоформили на мошенника?",
    ], scope="mobile"),
    _T("uncomfortable_question", "ru", "negative",
       "Задали пресс-службе {B.gen} простой вопрос о сбое {date_word}: сколько абонентов "
       "пострадало и будет ли компенсация. Ответа нет вторые сутки. {CEO.nom} в это время "
       "выступает на форуме о цифровизации.", who="journalist", outage=True),
    _T("uncomfortable_question", "ru", "neutral",
       "По данным источников, {B.nom} готовит второе за год повышение тарифов на домашний "
       "интернет. Направили запрос {CEO.dat}, ждём комментарий и опубликуем его полностью.",
       who="journalist"),
    _T("uncomfortable_question", "ru", "negative",
       "Спросил у {CEO.gen} на пресс-конференции, почему обещанная оптика в Ленобласти опять "
       "откладывается. Ответ: «мы работаем над этим». Публикую как есть, выводы делайте сами.",
       who="journalist"),
    _T("uncomfortable_question", "ru", "negative",
       "Прошёл месяц после аварии на магистрали, оставившей без связи десятки тысяч абонентов. "
       "Компенсаций нет, объяснений тоже. Редакция направила вопросы в пресс-службу {B.gen} и "
       "лично "
       "{CEO.dat}; ответа мы пока не получили.",
       who="news", title="Почему {B.nom} молчит о компенсациях после сбоя?"),
    *_group("uncomfortable_question", "en", "negative", [
        "Question for {CEO.nom}: why did {B.nom} raise prices twice this year while reporting "
        "record profits?",
        "{B.nom}, is it true that you share subscriber location data with advertisers? A clear "
        "public answer would help.",
        "Your outage lasted 30 hours and there's still no word about compensation. Who at {B.nom} "
        "is accountable?",
    ]),
    _T("uncomfortable_question", "en", "negative",
       "Asked {CEO.nom} about the delayed rural fiber project at today's briefing. \"We are "
       "working on it\" is not an answer for villages that were promised a connection two years "
       "ago.", who="journalist"),
    # --- praise ----------------------------------------------------------------------------------
    *_group("praise", "ru", "positive", [
        "Уже {years_acc} с {B.ins} и ни разу не пожалел[[|а]]. Всем, кто спрашивает, советую.",
        "Хочу отдельно поблагодарить мастера {staff_gen} из {B.gen} — приехал в субботу, всё "
        "починил за полчаса и подсказал, куда поставить роутер, чтобы ловило в спальне 🙏",
        "{B.nom} — единственный провайдер, которому я за три года ни разу не звонил[[|а]] с "
        "претензией. Это комплимент.",
        "Советую {B.acc} всем {city.prep}: цены честные, поддержка живая, интернет не падает.",
        "Не реклама, просто довольный клиент: в {B.prep} за час восстановили интернет, после того "
        "как строители перерубили кабель. Спасибо ребятам!",
        "Оператор поддержки {staff_f} из {B.gen} полчаса разбиралась со мной с настройками "
        "приставки и ни разу не вздохнула в трубку. Дайте ей премию!",
        "Мама в восторге от {B.gen}: позвонила в поддержку, и ей всё объяснили без «зайдите в "
        "личный кабинет». Рекомендую для родителей.",
        "Перешли к {B.dat} всем офисом. Полгода без единого падения, статический IP дали за день. "
        "Рекомендую коллегам.",
        "Кто спрашивал про провайдера {where} — берите {B.acc}, не пожалеете. Сидим третий год.",
        "Лучшая поддержка, что я видел[[|а]]: в {B.prep} ответили в чате за две минуты и сразу "
        "решили вопрос с переплатой.",
        "Девятый год с {B.ins}. Цены растут у всех, но качество того стоит.",
    ], scope="home"),
    *_group("praise", "ru", "positive", [
        "{B.tag} спасибо, что сами вернули деньги за день без связи, без всяких заявлений. Приятно "
        "удивили 👍",
        "Вот за это люблю {B.acc}: в поездке по Карелии связь была даже там, где у других ноль.",
        "Детям подключили {B.acc} — родительский контроль работает, лишних подписок нет. Советую "
        "знакомым уже в третий раз.",
    ], scope="mobile"),
    _T("praise", "ru", "positive",
       "Полгода назад снимала обзор на {B.acc} и обещала вернуться. Вернулась: за это время ни "
       "одного серьёзного сбоя, цена не выросла, поддержка всё так же отвечает быстро. Редкий "
       "случай, когда не стыдно рекомендовать.",
       who="blogger", scope="mobile", title="{B.nom} спустя полгода: стоит ли до сих пор?"),
    *_group("praise", "en", "positive", [
        "Shoutout to {B.nom} support — fixed my connection in ten minutes, in English. Rare these "
        "days. 🙌",
        "Three years with {B.nom} and not a single serious outage. I recommend them to every expat "
        "I know.",
        "The {B.nom} technician showed up early, tidied the cables and explained everything. Five "
        "stars.",
        "If you're moving to {city.en}, get {B.nom}. Fair prices and it just works.",
        "Credit where it's due: {B.nom} refunded me for the outage day without me even asking.",
    ], scope="home"),
    # --- noise: the brand word in another sense --------------------------------------------------
    *_group("noise", "ru", "positive", [
        "Выходные на Ладоге: ветер, волны, чайки и ни души на берегу. Лучшее озеро на свете 🌊 "
        "#ладога",
        "Кто едет на Ладогу в июле с палатками? Ищем компанию, есть два места в машине, стартуем "
        "из Приозерска.",
        "Шхеры Ладоги на байдарке, день третий: видели нерпу, связи ноль, счастье сто процентов.",
    ], sense="ladoga", platforms=("vk", "instagram", "telegram", "twitter", "facebook", "other")),
    *_group("noise", "ru", "neutral", [
        "Лёд на Ладоге в этом году встал поздно. Рыбаки, будьте осторожны, на льду уже были "
        "провалы.",
        "Продаю лодку, ходили на ней по Ладоге два сезона. Мотор в идеале, торг у воды.",
        "Гостиница «Ладога» в Приозерске: чисто, завтрак простой, до крепости десять минут пешком.",
        "Фотовыставка «Ладога. Люди и вода» открывается в субботу в районной библиотеке, вход "
        "свободный.",
    ], sense="ladoga", platforms=("vk", "instagram", "telegram", "twitter", "facebook", "other")),
    *_group("noise", "ru", "positive", [
        "Шум прибоя и закат — всё, что нужно для счастья. Финский залив сегодня прекрасен 🌅",
        "Сёрфинг на Балтике — миф? Поймали нормальный прибой только в октябре, ледяной, но кайф 🏄",
    ], sense="priboy", platforms=("vk", "instagram", "telegram", "twitter")),
    *_group("noise", "ru", "neutral", [
        "Купили в ДК «Орбита» билеты на детский спектакль. Зал старенький, но уютный.",
        "МКС сегодня пролетит над городом в 21:47, смотрите на юго-запад! Орбита проходит прямо "
        "над нами 🛰",
    ], sense="orbita", platforms=("vk", "instagram", "telegram", "twitter")),
    *_group("noise", "en", "positive", [
        "Sunset over Lake Ladoga tonight. No filter needed. 🌅 #ladoga #karelia",
        "Kayaking the Ladoga skerries, day 3: seals spotted, zero phone signal, perfect.",
    ], sense="ladoga", platforms=("instagram", "twitter", "facebook")),
    _T("noise", "en", "neutral",
       "Watched the ISS pass overhead tonight, 420 km up in orbit. Still blows my mind. 🛰 #orbita",
       sense="orbita", platforms=("instagram", "twitter", "facebook")),
    # --- noise: ads, spam, jobs ------------------------------------------------------------------
    *_group("noise", "ru", "neutral", [
        "Продаём красивые номера {B.gen}: 777, 000, зеркальные. Оформление на ваш паспорт, "
        "доставка по городу. Пишите в ЛС.",
        "🔥 Подключим {B.acc} по лучшей цене! Интернет, ТВ и мобильная связь, скидка 30% на первые "
        "три месяца, выезд мастера бесплатно. Звоните или пишите в ЛС.",
        "Розыгрыш! Подпишись, сделай репост и выиграй сим-карту {B.gen} с пакетом связи на "
        "полгода. "
        "Итоги в пятницу 🎁",
    ], who="ad", scope="mobile"),
    _T("noise", "ru", "neutral",
       "Заработок от 5000 в день со своего телефона! Неважно, {B.nom} у вас или другой оператор — "
       "пишите «+» в комментариях 💰", who="ad"),
    *_group("noise", "ru", "neutral", [
        "Вакансия: монтажник ВОЛС на объекты {B.gen}, {city.nom} и область. График 5/2, оплата от "
        "85 000 ₽, служебный транспорт.",
        "Требуются операторы колл-центра на проект {B.gen}. Удалённо, обучение за наш счёт, от "
        "45 000 ₽. Отклики в ЛС.",
    ], who="job"),
    _T("noise", "en", "neutral",
       "Hiring: field network engineers for {B.nom} projects in {city.en}. English B1+, "
       "relocation support. DM for details.", who="job"),
    _T("noise", "en", "neutral",
       "Selling an unused {B.nom} SIM with a prepaid year of data. Leaving Russia, DM me.",
       scope="mobile", platforms=("twitter", "facebook", "instagram", "telegram")),
    # --- noise: bare news reposts ----------------------------------------------------------------
    *_group("noise", "ru", "neutral", [
        "{B.nom} с первого числа меняет условия тарифа {tariff}. Подробности по ссылке 👇",
        "В {B.prep} запустили пилот 5G в центре {city.gen}. Пока только на нескольких улицах.",
        "{B.nom} открывает новый салон связи {salon}. Обещают работать без выходных.",
        "У {B.gen} новый логотип. Как вам?",
    ], who="repost", scope="mobile"),
    _T("noise", "ru", "positive",
       "{CEO.nom} вошла в рейтинг «Топ-100 менеджеров Северо-Запада». Полный список по ссылке.",
       who="repost"),
    _T("noise", "en", "neutral",
       "{B.nom} reported quarterly revenue up 9% year on year. Full release at the link.",
       who="repost"),
    # --- noise: press ----------------------------------------------------------------------------
    _T("noise", "ru", "negative",
       "С первого числа следующего месяца {B.nom} повысит стоимость тарифов на домашний интернет "
       "в среднем на {pct}%. В компании объясняют решение ростом цен на оборудование и аренду "
       "инфраструктуры.", who="news", scope="home",
       title="{B.nom} повышает тарифы на домашний интернет"),
    _T("noise", "ru", "positive",
       "Генеральный директор {B.gen} {CEO.nom} рассказала о планах компании на строительство сетей "
       "в Ленинградской области и Карелии. По её словам, за два года оптика придёт во все "
       "районные центры, инвестиции составят около 4 млрд рублей.",
       who="news", title="{CEO.nom}: «Оптика дойдёт до каждого райцентра за два года»"),
    _T("noise", "ru", "negative",
       "Вечером {date_word} абоненты {B.gen} {city.prep} и пригородах сообщали о проблемах с "
       "мобильным интернетом и звонками. В компании подтвердили аварию на магистральной линии и "
       "пообещали восстановить связь в течение нескольких часов.",
       who="news", outage=True, title="Абоненты {B.gen} пожаловались на массовый сбой"),
    _T("noise", "ru", "neutral",
       "{B.nom} и {C.nom} обменялись заявлениями о скорости мобильного интернета: обе компании "
       "называют себя лидерами по итогам независимых замеров, но ссылаются на разные "
       "исследования.", who="news", title="{B.nom} и {C.nom} поспорили о скорости 5G"),
    _T("noise", "ru", "positive",
       "Компания {B.nom} стала победителем отраслевой премии «Связь Северо-Запада» в номинации "
       "«Лучший сервис для абонентов». Жюри отметило скорость ответов поддержки.",
       who="news", title="{B.nom} — лучший сервис для абонентов на Северо-Западе"),
    _T("noise", "ru", "neutral",
       "На встрече с журналистами глава {B.gen} {CEO.nom} заявила, что компания не планирует "
       "массовых сокращений, а часть операторов колл-центра переводят на удалённую работу. В "
       "профсоюзе с этой оценкой не согласны.",
       who="news", title="{CEO.nom} ответила на вопросы о сокращениях в колл-центре"),
    _T("noise", "ru", "negative",
       "По итогам квартала доля {B.gen} в регионе снизилась почти на процент, а доля {C.gen} "
       "выросла благодаря агрессивным скидкам для новых клиентов, следует из отраслевого обзора.",
       who="news", title="Рынок связи Северо-Запада: {B.nom} теряет долю"),
    _T("noise", "ru", "positive",
       "{B.nom} начинает подключать домашний интернет в новых районах {city.gen}. Первые дома "
       "обещают подключить до конца месяца, заявки уже принимают.",
       who="news", scope="home", title="{B.nom} выходит в новые районы {city.gen}"),
    _T("noise", "en", "positive",
       "CEO {CEO.nom} said the company plans to connect 120 villages in Karelia and the Leningrad "
       "region over the next two years, with about 4 billion roubles of investment.",
       who="news", title="{B.nom} to invest in rural fiber in Karelia"),
    _T("noise", "en", "negative",
       "Subscribers of {B.nom} in {city.en} reported dropped calls and no mobile data for several "
       "hours. The company blamed damage to a backbone line.",
       who="news", outage=True, title="Outage hits {B.nom} subscribers in {city.en}"),
    _T("noise", "en", "neutral",
       "{B.nom} and {C.nom} both claim the fastest 5G in the region, citing different studies.",
       who="news", title="{B.nom} and {C.nom} trade blows over 5G claims"),
]  # fmt: skip

# Openers and closers make the same template read differently; (ru, en) per category.
_OPENERS = {
    "general_request": (["Всем привет!", "Народ, нужен совет.", "Вопрос к местным."], ["Hi all!"]),
    "competitive_request": (["Дилемма.", "Нужен совет."], []),
    "product_request": (["Добрый день!", "Здравствуйте."], ["Hello!"]),
    "first_review": (["Делюсь впечатлениями.", "Небольшой отзыв."], ["Quick update:"]),
    "negative": (["Накипело.", "Ну вот опять.", "Люди, это нормально вообще?"], ["Ugh."]),
    "support": (["Добрый день!", "Здравствуйте.", "Помогите, пожалуйста."], ["Hi!"]),
    "abandonment": (["Ну всё.", "Решение принято."], ["That's it."]),
    "uncomfortable_question": (["Публичный вопрос."], []),
    "praise": (["Хочу сказать спасибо.", "Редко пишу отзывы, но тут не могу."], ["Quick one:"]),
}
_CLOSERS = {
    "general_request": (["Спасибо!", "Буду благодар[[ен|на]] за советы.",
                         "Только реальный опыт, пожалуйста."], ["Thanks in advance!"]),
    "competitive_request": (["Отпишитесь, кто где сидит.", "Буду рад[[|а]] любому опыту."],
                            ["Would love to hear real experiences."]),
    "product_request": (["Спасибо.", "Ответьте тут или в личку, пожалуйста."], ["Thanks!"]),
    "first_review": (["Отпишусь через месяц.", "Посмотрим, что будет дальше."], ["Will update."]),
    "negative": (["😡", "Позор.", "Сколько можно?", "Очень жду ответа."], ["😤", "Fix it."]),
    "support": (["Заранее спасибо!", "Спасибо 🙏", "Буду благодар[[ен|на]] за ответ."],
                ["Thanks!", "Any help appreciated."]),
    "abandonment": (["Без обид.", "Жаль, правда."], ["No hard feelings."]),
    "uncomfortable_question": (["Жду ответа.", "Вопрос не риторический."], ["Waiting."]),
    "praise": (["❤️", "Так держать!", "Спасибо вам!", "👍"], ["❤️", "10/10."]),
}  # fmt: skip
_REPEAT_OPENERS = [
    "Снова я.",
    "Пишу уже не первый раз.",
    "Опять про то же самое.",
    "Я уже писал[[|а]] об этом, ничего не изменилось.",
]

_FORUM_TITLES = {
    "ru": {
        "general_request": ["Какой провайдер выбрать {where}?", "Интернет в новостройке",
                            "Мобильная связь для родителей", "Нужен совет по домашнему интернету"],
        "competitive_request": ["{B.nom} или {C.nom}?", "{B.nom} vs {C.nom} — опыт",
                                "Переход от {C.gen}: стоит ли?"],
        "product_request": ["Вопрос по тарифам {B.gen}", "{B.nom}: условия подключения"],
        "first_review": ["Первые впечатления от {B.gen}", "Неделя с {B.ins}"],
        "negative": ["{B.nom}: проблемы со связью", "Опять без интернета",
                     "{B.nom} — кто ещё страдает?", "Скорость у {B.gen} по вечерам"],
        "support": ["Помогите с настройкой", "Нужна помощь: {B.nom}", "Вопрос по договору"],
        "abandonment": ["Как расторгнуть договор с {B.ins}?", "Ухожу от {B.gen}"],
        "uncomfortable_question": ["Вопросы к руководству {B.gen}", "{B.nom} и компенсации"],
        "praise": ["Спасибо {B.dat}!", "Редкий случай: хвалю провайдера"],
    },
    "en": {
        "general_request": ["Mobile operator for expats?", "Home internet recommendations"],
        "competitive_request": ["{B.nom} or {C.nom}?"],
        "product_request": ["Question about {B.nom} plans"],
        "first_review": ["First week with {B.nom}"],
        "negative": ["{B.nom} outage?", "{B.nom} speed issues"],
        "support": ["Help with {B.nom}"],
        "abandonment": ["Cancelling {B.nom}"],
        "uncomfortable_question": ["Questions for {B.nom} management"],
        "praise": ["Kudos to {B.nom}"],
    },
}  # fmt: skip
_REVIEW_TITLES = {
    "ru": {
        "positive": ["Надёжный провайдер", "Рекомендую", "Лучше, чем ожидал[[|а]]",
                     "Пять звёзд за поддержку", "{B.nom} — твёрдая пятёрка"],
        "neutral": ["Нормально, но есть нюансы", "За свои деньги — нормально",
                    "Есть плюсы и минусы"],
        "negative": ["Не рекомендую", "Ужасная поддержка", "Деньги списывают, связи нет",
                     "{B.nom} — разочарование", "Одна звезда, и то много"],
    },
    "en": {
        "positive": ["Solid provider", "Recommended"],
        "neutral": ["Decent for the price", "Mixed feelings"],
        "negative": ["Avoid", "Terrible support"],
    },
}  # fmt: skip

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
