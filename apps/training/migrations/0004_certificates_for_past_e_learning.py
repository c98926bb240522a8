"""Everyone who passed a knowledge check before certificates were issued for e-learning gets one."""

import secrets

from django.db import migrations

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as Certificate.new_code: no letters that look like digits


def _code(taken: set[str]) -> str:
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
        code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
        if code not in taken:
            taken.add(code)
            return code


def issue(apps, schema_editor):
    Certificate = apps.get_model("training", "Certificate")
    ELearningCompletion = apps.get_model("training", "ELearningCompletion")
    taken = set(Certificate.objects.values_list("code", flat=True))
    for completion in ELearningCompletion.objects.filter(certificate__isnull=True):
        Certificate.objects.create(completion=completion, code=_code(taken), issued_at=completion.completed_at)


def withdraw(apps, schema_editor):
    apps.get_model("training", "Certificate").objects.filter(completion__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0003_certificates_for_e_learning")]

    operations = [migrations.RunPython(issue, withdraw)]
