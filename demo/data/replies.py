"""The demo company's communication policy and reply templates («Ладога Телеком»)."""

POLICY = {
    "text": (
        "Мы — «Ладога Телеком». Отвечаем быстро, честно и на «вы».\n"
        "• Сначала — человеку: поблагодарить, извиниться, если мы виноваты, назвать срок.\n"
        "• Не обещаем того, что не можем проверить: ни «гарантий», ни «навсегда».\n"
        "• Не спорим публично и не обсуждаем других клиентов; личные данные — только в личных "
        "сообщениях.\n"
        "• Подписываемся как команда или своим именем; никогда — от чужого имени.\n"
        "• Сложный вопрос — в базу знаний или эксперту, а не «на глаз»."
    ),
    "brand": "Ладога Телеком",
    "forbidden_phrases": [
        "гарантия",
        "навсегда",
        "бесплатный интернет",
        "это не наша проблема",
        "конкуренты врут",
    ],
    "max_length": {"twitter": 280, "vk": 4000, "telegram": 4096, "instagram": 2200},
    "default_max_length": 4000,
    "signatures": ["official", "employee"],
    "official_signature": "— Команда {brand}",
    "employee_signature": "— {name}, {brand}",
}

TEMPLATES = [
    {
        "key": "apology-outage",
        "name": "Извинение за сбой",
        "body": (
            "{author_name}, простите за неудобства. Мы уже разбираемся; напишите, пожалуйста, "
            "номер договора в личные сообщения — проверим вашу линию и вернёмся с ответом."
        ),
        "categories": ["negative", "support"],
        "sentiments": ["negative"],
        "tone": "apologetic",
    },
    {
        "key": "answer-from-kb",
        "name": "Ответ из базы знаний",
        "body": "{author_name}, здравствуйте! {article_answer}",
        "categories": ["product_request", "support", "general_request"],
        "tone": "neutral",
    },
    {
        "key": "thanks-praise",
        "name": "Спасибо за отзыв",
        "body": "{author_name}, спасибо за тёплые слова! Передадим команде — нам очень приятно.",
        "categories": ["praise", "first_review"],
        "sentiments": ["positive"],
        "tone": "warm",
    },
    {
        "key": "sorry-leaving",
        "name": "Клиент уходит",
        "body": (
            "{author_name}, жаль это читать. Расскажите, пожалуйста, что пошло не так — "
            "если можем исправить, исправим; если нет, поможем закрыть договор без хлопот."
        ),
        "categories": ["abandonment"],
        "tone": "apologetic",
    },
    {
        "key": "media-statement",
        "name": "Комментарий для СМИ",
        "body": (
            "Спасибо за интерес к {brand}. Официальный комментарий пресс-службы пришлём "
            "сегодня; контакты — на сайте компании."
        ),
        "categories": ["uncomfortable_question"],
        "tone": "formal",
    },
]
