"""The ten categories of DOMAIN.md, a default team, and a few starter rules managers can edit."""

from django.db import migrations

CATEGORIES = [
    # key, name_ru, name_en, needs_response, needs_approval, sla_minutes, description
    ("general_request", "Общий запрос", "General request", True, False, 480,
     "Someone asks for advice in the product category, not yet about a specific brand."),
    ("competitive_request", "Конкурентный запрос", "Competitive request", True, False, 240,
     "Compares the brand with competitors, asks which to choose, tells of switching."),
    ("product_request", "Запрос по продукту", "Product question", True, False, 240,
     "A question about the brand's product, prices or conditions, usually before buying."),
    ("first_review", "Первый отзыв", "First review", True, False, 480,
     "A first impression just after buying or trying."),
    ("negative", "Негатив", "Negative", True, False, 60, "A complaint or criticism."),
    ("support", "Сопровождение", "Support", True, False, 120,
     "An existing customer needs help using the product."),
    ("abandonment", "Отказ от продукта", "Abandonment", True, False, 60,
     "The customer is leaving, cancelling, switching away."),
    ("uncomfortable_question", "Неудобный вопрос", "Uncomfortable question", True, True, 60,
     "Awkward, provocative or public-accountability questions to the company."),
    ("praise", "Похвала", "Praise", False, False, 1440,
     "A loyal customer recommends the brand: a brand advocate."),
    ("noise", "Шум", "Noise", False, False, 1440,
     "Spam, ads, unrelated uses of the word, bare news reposts: nothing to answer."),
]

RULES = [
    ("abandonment", ["расторгнуть договор", "ухожу от вас", "закрываю счёт"]),
    ("general_request", ["посоветуйте", "порекомендуйте", "что посоветуете"]),
    ("noise", ["вакансия", "розыгрыш", "giveaway"]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("mentions", "Category")
    Team = apps.get_model("mentions", "Team")
    Rule = apps.get_model("mentions", "ClassificationRule")
    team, _ = Team.objects.get_or_create(key="support", defaults={"name": "Support"})
    for order, (key, ru, en, respond, approve, sla, description) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            key=key,
            defaults={
                "name_ru": ru,
                "name_en": en,
                "needs_response": respond,
                "needs_approval": approve,
                "sla_minutes": sla,
                "description": description,
                "default_team": team if respond else None,
                "order": (order + 1) * 10,
            },
        )
    for order, (key, phrases) in enumerate(RULES):
        category = Category.objects.get(key=key)
        if not Rule.objects.filter(category=category).exists():
            Rule.objects.create(category=category, phrases=phrases, order=(order + 1) * 10)


class Migration(migrations.Migration):
    dependencies = [("mentions", "0003_queue_and_classification")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
