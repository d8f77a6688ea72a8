"""An author's mentions newest first from one index: `(author_id, published_at DESC, id DESC)`
replaces the single-column `author_id` index (the timeline and `?author_id=` walked
`mention_published_idx` and discarded thousands of rows to find a page)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('authors', '0003_lean_ingest_indexes'),
        ('mentions', '0011_queue_events_and_do_not_contact'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='mention',
            index=models.Index(fields=['author', '-published_at', '-id'], name='mention_author_idx'),
        ),
        migrations.AlterField(
            model_name='mention',
            name='author',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mentions', to='authors.author'),
        ),
    ]
