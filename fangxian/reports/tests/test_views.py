"""The pages: a unit's form, HQ settings, figures and drill-downs, the 日报, the home section."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from fangxian.reports.models import DailyReport, Indicator, ReportDeadline, ReportWording
from fangxian.reports.services import report_submit
from fangxian.screening.models import Trip
from tests import factories

from .test_services import reported


def form_data(value="2", **extra):
    data = {f"i{i.pk}": value for i in Indicator.objects.filter(kind="reported")}
    return data | extra


@pytest.fixture
def today_unit(wafang_unit):
    wafang_unit.reports_from = timezone.localdate() - timedelta(days=5)
    wafang_unit.save(update_fields=["reports_from"])
    return wafang_unit


def test_the_form_shows_the_computed_figures_live_and_inputs_for_the_rest(
    client, cadre, today_unit, town
):
    person = factories.make_person(region=town["wafang_1"])
    Trip.objects.create(
        person=person,
        region=person.region,
        origin_text="湖北武汉",
        arrived_on=timezone.localdate(),
        source=Trip.Source.MANUAL,
        category=Trip.Category.KEY_AREA,
    )
    client.force_login(cadre)
    response = client.get(reverse("reports:unit-form", kwargs={"unit_id": today_unit.pk}))
    assert response.status_code == 200
    computed = dict((row[0].code, row[1]) for row in response.context["computed"])
    assert computed["returnees"] == 1 and computed["returnees_key_area"] == 1
    body = response.content.decode()
    assert 'inputmode="decimal"' in body
    assert "张贴悬挂标语" in body


def test_a_form_with_a_bad_figure_saves_nothing_and_names_the_field(client, cadre, today_unit):
    client.force_login(cadre)
    url = reverse("reports:unit-form", kwargs={"unit_id": today_unit.pk})
    slogans = Indicator.objects.get(code="slogans")
    leaflets = Indicator.objects.get(code="leaflets")
    response = client.post(url, form_data() | {f"i{slogans.pk}": "-3", f"i{leaflets.pk}": "abc"})
    assert response.status_code == 200
    assert "张贴悬挂标语：数字不能为负数。" in response.content.decode()
    assert "发放宣传资料：请输入有效的值。" in response.content.decode()
    assert not DailyReport.objects.exists()


def test_a_unit_sends_its_report_then_corrects_it_with_a_reason(client, cadre, today_unit):
    client.force_login(cadre)
    url = reverse("reports:unit-form", kwargs={"unit_id": today_unit.pk})
    response = client.post(url, form_data("2"))
    report = DailyReport.objects.get(unit=today_unit)
    assert response.url == reverse("reports:unit-report", kwargs={"unit_report_id": report.pk})
    refused = client.post(url, form_data("3"))
    assert "更正原因：此项必填。" in refused.content.decode()
    client.post(url, form_data("3", reason="多报了"))
    report.refresh_from_db()
    assert report.status == DailyReport.Status.CORRECTED
    page = client.get(reverse("reports:unit-report", kwargs={"unit_report_id": report.pk}))
    assert "多报了" in page.content.decode()


def test_someone_of_another_village_gets_404_for_the_unit(client, outsider, today_unit):
    client.force_login(outsider)
    url = reverse("reports:unit-form", kwargs={"unit_id": today_unit.pk})
    assert client.get(url).status_code == 404


def test_the_home_page_reminds_a_member_until_the_report_is_sent(client, cadre, today_unit):
    client.force_login(cadre)
    assert (
        "瓦房村日报：请于16:00前报送" in client.get(reverse("home"), follow=True).content.decode()
    )
    report_submit(actor=cadre, unit=today_unit, day=timezone.localdate(), values=reported())
    assert "瓦房村日报" not in client.get(reverse("home"), follow=True).content.decode()


def test_hq_sets_the_deadline_and_adds_an_indicator(client, hq_user, town):
    client.force_login(hq_user)
    response = client.post(
        reverse("reports:settings"), {"region": town["town"].code, "deadline": "17:30"}
    )
    assert response.status_code == 302
    assert ReportDeadline.objects.get(region=town["town"]).deadline.hour == 17
    url = reverse("reports:indicator-edit")
    data = {
        "name": "出动宣传车",
        "code": "publicity_cars",
        "unit": "辆次",
        "kind": "computed",
        "computation": "",
        "semantics": "new",
        "unit_kinds": ["combat_unit"],
        "position": "30",
        "is_active": "on",
    }
    refused = client.post(url, data)
    assert "统计口径：请选择自动统计指标统计的内容。" in refused.content.decode()
    assert client.post(url, data | {"kind": "reported"}).status_code == 302
    added = Indicator.objects.get(code="publicity_cars")
    assert (added.kind, added.unit_kinds, added.computation) == ("reported", ["combat_unit"], "")


def test_a_grid_worker_has_no_settings_page(client, grid_worker):
    client.force_login(grid_worker)
    assert client.get(reverse("reports:settings")).status_code == 404


def test_hq_edits_the_wording_and_the_daily_report_follows_it(
    client, hq_user, town, today_unit, cadre
):
    report_submit(actor=cadre, unit=today_unit, day=timezone.localdate(), values=reported(4))
    client.force_login(hq_user)
    url = f"{reverse('reports:wording')}?region={town['town'].code}"
    body = "{{ whole }}今日张贴标语{{ by_code.slogans.new }}条。"
    assert client.post(url, {"title": "{{ region }}日报", "body": body}).status_code == 302
    assert ReportWording.objects.get(region=town["town"]).title == "{{ region }}日报"
    page = client.get(f"{reverse('reports:daily')}?region={town['town'].code}")
    assert "全镇今日张贴标语4条。" in page.content.decode()
    download = client.get(f"{reverse('reports:daily-download')}?region={town['town'].code}")
    word = Document(io.BytesIO(download.content))
    assert word.paragraphs[0].text == "乌龙镇日报"
    assert "全镇今日张贴标语4条。" in [p.text for p in word.paragraphs]


def test_the_figures_page_drills_down_to_the_reports_and_the_records(
    client, hq_user, town, today_unit, cadre
):
    person = factories.make_person(region=town["wafang_1"], name="王返乡")
    Trip.objects.create(
        person=person,
        region=person.region,
        origin_text="湖北武汉",
        arrived_on=timezone.localdate(),
        source=Trip.Source.MANUAL,
        category=Trip.Category.KEY_AREA,
    )
    report_submit(actor=cadre, unit=today_unit, day=timezone.localdate(), values=reported(4))
    client.force_login(hq_user)
    page = client.get(f"{reverse('reports:figures')}?region={town['town'].code}")
    assert page.status_code == 200
    returnees = Indicator.objects.get(code="returnees")
    assert page.context["figures"].totals[returnees.pk].value == 1
    units = client.get(
        f"{reverse('reports:figure-units')}?region={town['town'].code}&indicator=returnees"
    )
    assert list(units.context["rows"].values_list("value", flat=True)) == [1]
    records = client.get(
        f"{reverse('reports:figure-records')}?region={town['town'].code}&indicator=returnees"
    )
    assert "王返乡" in records.content.decode()


def test_a_range_longer_than_a_quarter_is_refused(client, hq_user):
    client.force_login(hq_user)
    response = client.get(f"{reverse('reports:figures')}?first=2020-01-01&last=2020-06-01")
    assert response.status_code == 404


def test_the_completeness_page_lists_the_missing_unit(client, hq_user, today_unit):
    client.force_login(hq_user)
    response = client.get(reverse("reports:completeness"))
    assert response.status_code == 200
    assert response.context["chase"] == [(today_unit, "missing")]


def test_hq_adds_a_combat_unit_with_its_members(client, hq_user, town, cadre, outsider):
    from fangxian.reports.models import ReportingUnit

    client.force_login(hq_user)
    url = reverse("reports:unit-create")
    form = client.get(url).context["form"]
    assert set(form.fields["members"].queryset) >= {cadre, outsider}
    response = client.post(
        url,
        {
            "kind": "combat_unit",
            "name": "第一作战单元",
            "region_code": town["wafang"].code,
            "members": [cadre.pk],
            "reports_from": f"{timezone.localdate():%Y-%m-%d}",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = ReportingUnit.objects.get(name="第一作战单元")
    assert (unit.kind, unit.region, list(unit.members.all())) == (
        "combat_unit",
        town["wafang"],
        [cadre],
    )


def test_a_village_hq_is_offered_only_its_own_people(client, town, cadre, outsider):
    village_hq = factories.make_user(role="hq", region=town["wafang"])
    client.force_login(village_hq)
    form = client.get(reverse("reports:unit-create")).context["form"]
    assert cadre in form.fields["members"].queryset
    assert outsider not in form.fields["members"].queryset
    assert list(form.fields["region_code"].choices) == [(town["wafang"].code, "瓦房村")]
