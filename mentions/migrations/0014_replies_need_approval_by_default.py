"""Replies to complaints and to customers leaving are approved before sending, by default (the
replies issue): `negative` and `abandonment` join `uncomfortable_question`. Managers may change
it per category afterwards; going back leaves the flags as they are."""

from django.db import migrations


def forwards(apps, schema_editor):
    Category = apps.get_model("mentions", "Category")
    Category.objects.filter(key__in=("negative", "abandonment")).update(needs_approval=True)


class Migration(migrations.Migration):
    dependencies = [("mentions", "0013_mention_vector")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
