"""Default indicators of checkpoints, enterprises and place scans (computed; HQ changes them
without code). Added after the ones of 0002, skipping a code HQ has already used."""

from django.db import migrations

# (code, name, unit of measure, computation, meaning of a day's value)
COMPUTED = [
    ("checkpoint_people", "卡点检查人员", "人次", "checkpoints.people", "new"),
    ("checkpoint_vehicles", "卡点检查车辆", "辆次", "checkpoints.vehicles", "new"),
    ("checkpoint_turned_back", "卡点劝返", "次", "checkpoints.turned_back", "new"),
    ("checkpoint_handed_over", "卡点移交隔离人员", "人", "checkpoints.handed_over", "new"),
    ("checkpoint_fevers", "卡点发现发热人员", "人", "checkpoints.fevers", "new"),
    ("enterprises_reopened", "复工企业", "家", "enterprises.reopened", "new"),
    ("workers_returned", "企业返岗人员", "人", "enterprises.workers_returned", "new"),
    ("workers_on_site", "企业在岗人员", "人", "enterprises.workers_on_site", "level"),
    ("place_scans", "场所扫码", "人次", "places.scans", "new"),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    taken = set(Indicator.objects.values_list("code", flat=True))
    start = (
        Indicator.objects.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    Indicator.objects.bulk_create(
        Indicator(
            code=code,
            name=name,
            unit=unit,
            kind="computed",
            computation=computation,
            semantics=semantics,
            unit_kinds=["village"],
            position=position,
        )
        for position, (code, name, unit, computation, semantics) in enumerate(COMPUTED, start=start)
        if code not in taken
    )


def unseed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    ReportValue = apps.get_model("reports", "ReportValue")
    codes = [row[0] for row in COMPUTED]
    used = ReportValue.objects.filter(indicator__code__in=codes).values("indicator_id")
    Indicator.objects.filter(code__in=codes).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_figure_rollup")]

    operations = [migrations.RunPython(seed, unseed)]
