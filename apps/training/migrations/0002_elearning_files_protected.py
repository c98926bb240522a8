"""E-learning videos and captions move outside the web root: they are served only to people signed in."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import apps.training.models


def move_uploaded_files(apps, schema_editor):
    """Files uploaded before now were kept under MEDIA_ROOT; the field's new storage looks in PROTECTED_MEDIA_ROOT."""
    item_model = apps.get_model("training", "ELearningItem")
    public, protected = Path(settings.MEDIA_ROOT), Path(settings.PROTECTED_MEDIA_ROOT)
    for item in item_model.objects.exclude(video_file="", captions_file=""):
        for name in (item.video_file.name, item.captions_file.name):
            if not name:
                continue
            source, target = public / name, protected / name
            if source.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_courses_sessions_bookings"),
    ]

    operations = [
        migrations.AlterField(
            model_name="elearningitem",
            name="captions_file",
            field=models.FileField(
                blank=True,
                help_text="WebVTT captions.",
                storage=apps.training.models.protected_storage,
                upload_to="training/elearning/",
            ),
        ),
        migrations.AlterField(
            model_name="elearningitem",
            name="video_file",
            field=models.FileField(
                blank=True, storage=apps.training.models.protected_storage, upload_to="training/elearning/"
            ),
        ),
        migrations.RunPython(move_uploaded_files, migrations.RunPython.noop),
    ]
