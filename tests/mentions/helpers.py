"""Builders of generic-schema mention payloads for tests."""

from itertools import count

_seq = count(1)


def mention_payload(**overrides) -> dict:
    n = next(_seq)
    payload = {
        "external_id": f"ext-{n}",
        "url": f"https://vk.com/wall-1_{n}",
        "platform": "vk",
        "text": "Подскажите, как подключить тариф?",
        "title": "",
        "language": "ru",
        "published_at": "2026-11-20T10:00:00+03:00",
        "author": {
            "external_id": f"id{n}",
            "handle": f"user{n}",
            "name": f"User {n}",
            "profile_url": f"https://vk.com/user{n}",
            "followers": 120,
        },
        "engagement": {"likes": 3, "comments": 1, "reposts": 0, "views": 50, "reach": 120},
    }
    payload.update(overrides)
    return payload
