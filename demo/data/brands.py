"""Brand forms: each variant carries its six cases, so templates say «в {B.prep}».

Part of the demo data set that `demo.generator` composes."""

from __future__ import annotations

from dataclasses import dataclass

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
