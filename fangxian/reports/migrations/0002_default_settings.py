"""Default indicators and the default wording of the 日报 (HQ changes them without code)."""

from django.db import migrations

VILLAGE = ["village"]
UNITS = ["combat_unit", "village"]

# (code, name, unit of measure, computation, meaning of a day's value)
COMPUTED = [
    ("households_visited", "入户排查户数", "户", "screening.households_visited", "new"),
    ("people_screened", "排查在家人员", "人", "screening.people_screened", "new"),
    ("returnees", "返乡人员", "人", "screening.returnees.all", "new"),
    ("returnees_key_area", "重点地区返乡人员", "人", "screening.returnees.key_area", "new"),
    ("returnees_via_key_area", "途经重点地区人员", "人", "screening.returnees.via_key_area", "new"),
    (
        "returnees_out_of_province",
        "省外返乡人员",
        "人",
        "screening.returnees.out_of_province",
        "new",
    ),
    ("home_quarantine", "居家隔离人员", "人", "quarantine.standing.home", "level"),
    ("centralised_quarantine", "集中隔离人员", "人", "quarantine.standing.centralised", "level"),
    ("health_monitoring", "居家健康监测人员", "人", "quarantine.standing.home_monitoring", "level"),
    ("released", "解除隔离人员", "人", "quarantine.released", "new"),
    ("fevers", "发现发热人员", "人", "quarantine.fever_alerts", "new"),
]
REPORTED = [
    ("slogans", "张贴悬挂标语", "条"),
    ("leaflets", "发放宣传资料", "份"),
    ("broadcasts", "广播宣传", "次"),
    ("disinfected", "消毒面积", "平方米"),
    ("rubbish", "清运垃圾", "吨"),
    ("money_donated", "捐款", "元"),
    ("goods_donated", "捐赠物资", "件"),
]

TITLE = "{{ region }}疫情防控工作日报"
BODY = """{{ day }}，{{ region }}疫情防控指挥部统筹各作战单元，坚持日排查、日报告，各项防控措施落实到位。\
今日应报单位{{ units_expected }}个，已报{{ units_received }}个，其中按时上报{{ units_on_time }}个。

{% for f in figures %}{% if f.standing %}截至{{ day }}，{{ whole }}现有{{ f.name }}{{ f.cumulative }}{{ f.unit }}。\
{% else %}截至{{ day }}，{{ whole }}累计{{ f.name }}{{ f.cumulative }}{{ f.unit }}，其中今日新增{{ f.new }}{{ f.unit }}。\
{% endif %}

{% endfor %}"""


def seed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    ReportWording = apps.get_model("reports", "ReportWording")
    rows = [
        Indicator(
            code=code,
            name=name,
            unit=unit,
            kind="computed",
            computation=computation,
            semantics=semantics,
            unit_kinds=VILLAGE,
            position=position,
        )
        for position, (code, name, unit, computation, semantics) in enumerate(COMPUTED, start=1)
    ]
    rows += [
        Indicator(
            code=code,
            name=name,
            unit=unit,
            kind="reported",
            computation="",
            semantics="new",
            unit_kinds=UNITS,
            position=position,
        )
        for position, (code, name, unit) in enumerate(REPORTED, start=len(COMPUTED) + 1)
    ]
    Indicator.objects.bulk_create(rows)
    ReportWording.objects.create(region=None, title=TITLE, body=BODY)


def unseed(apps, schema_editor):
    apps.get_model("reports", "ReportWording").objects.filter(region=None).delete()
    apps.get_model("reports", "Indicator").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
