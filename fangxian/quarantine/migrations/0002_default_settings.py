"""The defaults townships used (issue 4): HQ edits them in the admin afterwards."""

from datetime import time
from decimal import Decimal

from django.db import migrations

KINDS = [
    # code, name, default days, needs a room
    ("home", "居家隔离", 14, False),
    ("centralised", "集中隔离", 14, True),
    ("home_monitoring", "居家健康监测", 14, False),
]
REASONS = ["密切接触者", "次密切接触者", "重点地区返回人员", "入境人员", "其他"]
TEAM = [("镇干部", ""), ("村干部", "village_cadre"), ("医生", "medic"), ("民警", "police")]
SLOTS = [("上午", time(8, 0)), ("下午", time(14, 0))]
SYMPTOMS = ["发热", "干咳", "乏力", "咽痛", "嗅味觉减退", "腹泻"]


def seed(apps, schema_editor):
    model = apps.get_model
    for position, (code, name, days, room) in enumerate(KINDS):
        model("quarantine", "QuarantineKind").objects.get_or_create(
            code=code,
            defaults={"name": name, "default_days": days, "needs_room": room, "position": position},
        )
    for position, name in enumerate(REASONS):
        model("quarantine", "OrderReason").objects.get_or_create(
            name=name, defaults={"position": position}
        )
    for position, (name, role) in enumerate(TEAM):
        model("quarantine", "TeamRole").objects.get_or_create(
            name=name, defaults={"account_role": role, "position": position}
        )
    for name, at in SLOTS:
        model("quarantine", "CheckSlot").objects.get_or_create(name=name, defaults={"time": at})
    for position, name in enumerate(SYMPTOMS):
        model("quarantine", "Symptom").objects.get_or_create(
            name=name, defaults={"position": position}
        )
    model("quarantine", "QuarantineRules").objects.get_or_create(
        pk=1, defaults={"fever_threshold": Decimal("37.3"), "check_grace_minutes": 60}
    )


class Migration(migrations.Migration):
    dependencies = [("quarantine", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
