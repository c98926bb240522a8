"""The first version of the code mapping: the national codes from 19 August 2024 (apps/attendance/codes.py)."""

from django.db import migrations


def add_codes(apps, schema_editor):
    from apps.attendance.codes import CODES_2024, VERSION_2024, VERSION_2024_NOTE

    MappingVersion = apps.get_model("attendance", "MappingVersion")
    CodeMapping = apps.get_model("attendance", "CodeMapping")
    version, created = MappingVersion.objects.get_or_create(number=VERSION_2024, defaults={"note": VERSION_2024_NOTE})
    if created:
        CodeMapping.objects.bulk_create(
            [
                CodeMapping(version=version, code=code, meaning=meaning, category=category)
                for code, meaning, category in CODES_2024
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial")]

    operations = [migrations.RunPython(add_codes, migrations.RunPython.noop)]
