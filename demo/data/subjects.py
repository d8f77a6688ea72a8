"""The tracked subjects of the demo company and the demo's proportions.

Part of the demo data set that `demo.generator` composes."""

from __future__ import annotations

from datetime import timedelta, timezone

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
