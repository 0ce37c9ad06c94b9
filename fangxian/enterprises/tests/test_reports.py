"""Daily reports: on time or late against the township's deadline, corrections with history,
late and missing lists, the supervisor's confirmation."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fangxian.enterprises import reports, selectors, services
from fangxian.enterprises.models import DailyReport

DAY = date(2020, 2, 20)
FIGURES = {
    "workers_on_site": 18,
    "returned_today": 3,
    "still_away": 2,
    "abnormal_temperatures": 0,
    "in_isolation": 1,
    "masks_in_stock": 500,
    "disinfectant_in_stock": Decimal("12.5"),
    "notes": "",
}


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _submit(actor, enterprise, now, day=DAY, **overrides):
    return reports.daily_report_submit(
        actor=actor, enterprise=enterprise, day=day, now=now, **(FIGURES | overrides)
    )


def test_a_report_before_four_pm_is_on_time(contact, wafang_enterprise):
    assert not _submit(contact, wafang_enterprise, at(15, 59)).late


def test_a_report_after_the_deadline_is_late(contact, wafang_enterprise):
    assert _submit(contact, wafang_enterprise, at(16, 1)).late


def test_the_township_deadline_applies(town, hq_user, contact, wafang_enterprise):
    services.reporting_rules_set(actor=hq_user, township=town["town"], deadline=time(12, 0))
    assert _submit(contact, wafang_enterprise, at(13)).late


def test_submitting_again_corrects_the_report_and_keeps_the_old_figures(
    contact, supervisor, wafang_enterprise
):
    first = _submit(contact, wafang_enterprise, at(10))
    reports.daily_report_review(actor=supervisor, report=first, confirm=True)
    second = _submit(contact, wafang_enterprise, at(17), workers_on_site=19)
    assert second.pk == first.pk
    assert second.revision == 2 and second.workers_on_site == 19
    assert not second.late  # the first submission was on time
    assert second.review == DailyReport.Review.PENDING  # the confirmation was of other figures
    revision = second.revisions.get()
    assert revision.revision == 1 and revision.figures["workers_on_site"] == 18
    assert revision.figures["disinfectant_in_stock"] == "12.5"
    assert DailyReport.objects.count() == 1


def test_submitting_the_same_figures_again_changes_nothing(contact, wafang_enterprise):
    _submit(contact, wafang_enterprise, at(10))
    report = _submit(contact, wafang_enterprise, at(11))
    assert report.revision == 1 and not report.revisions.exists()


def test_no_report_for_a_day_to_come(contact, wafang_enterprise):
    with pytest.raises(ValidationError) as caught:
        _submit(contact, wafang_enterprise, at(10), day=DAY + timedelta(days=1))
    assert "day" in caught.value.message_dict


def test_negative_figures_are_refused(contact, wafang_enterprise):
    with pytest.raises(ValidationError) as caught:
        _submit(contact, wafang_enterprise, at(10), disinfectant_in_stock=Decimal("-1"))
    assert "disinfectant_in_stock" in caught.value.message_dict


def test_a_contact_cannot_report_for_another_enterprise(contact, beiqi_enterprise):
    with pytest.raises(PermissionDenied):
        _submit(contact, beiqi_enterprise, at(10))


def test_a_comment_without_confirming_needs_words(contact, supervisor, wafang_enterprise):
    report = _submit(contact, wafang_enterprise, at(10))
    with pytest.raises(ValidationError):
        reports.daily_report_review(actor=supervisor, report=report, confirm=False)
    report = reports.daily_report_review(
        actor=supervisor, report=report, confirm=False, comment="口罩库存与现场不符"
    )
    assert report.review == DailyReport.Review.COMMENTED


def test_the_supervisor_of_another_village_cannot_review(town, contact, wafang_enterprise):
    from tests import factories

    other = factories.make_user(role="factory_supervisor", region=town["beiqi"])
    report = _submit(contact, wafang_enterprise, at(10))
    with pytest.raises(PermissionDenied):
        reports.daily_report_review(actor=other, report=report, confirm=True)


def test_missing_and_late_lists(hq_user, contact, wafang_enterprise, beiqi_enterprise):
    _submit(contact, wafang_enterprise, at(17))
    missing = selectors.enterprise_list(user=hq_user, missing_on=DAY)
    assert list(missing) == [beiqi_enterprise]
    late = selectors.report_list(user=hq_user, day=DAY, late=True)
    assert [r.enterprise for r in late] == [wafang_enterprise]


def test_the_contact_reports_through_the_form_and_sees_it_received(
    client, contact, wafang_enterprise
):
    client.force_login(contact)
    url = reverse("enterprises:report-form", args=[wafang_enterprise.pk])
    today = timezone.localdate()
    data = {**FIGURES, "day": today.isoformat()}
    response = client.post(url, data)
    assert response.status_code == 302
    assert DailyReport.objects.get(enterprise=wafang_enterprise, day=today).workers_on_site == 18
    page = client.get(url)
    assert page.context["existing"].day == today


def test_the_report_form_names_a_missing_figure(client, contact, wafang_enterprise):
    client.force_login(contact)
    url = reverse("enterprises:report-form", args=[wafang_enterprise.pk])
    data = {**FIGURES, "day": timezone.localdate().isoformat(), "workers_on_site": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["workers_on_site"]
    assert not DailyReport.objects.exists()


def test_the_supervisor_confirms_on_the_report_page(client, contact, supervisor, wafang_enterprise):
    report = _submit(contact, wafang_enterprise, at(10))
    client.force_login(supervisor)
    url = reverse("enterprises:report-review", args=[report.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.review == DailyReport.Review.CONFIRMED and report.reviewed_by == supervisor


def test_the_contact_cannot_confirm_its_own_report(client, contact, wafang_enterprise):
    report = _submit(contact, wafang_enterprise, at(10))
    client.force_login(contact)
    url = reverse("enterprises:report-review", args=[report.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 404


def test_the_report_form_gives_the_date_picker_an_iso_date(client, contact, wafang_enterprise):
    client.force_login(contact)
    text = client.get(reverse("enterprises:report-form", args=[wafang_enterprise.pk])).content
    assert f'value="{timezone.localdate().isoformat()}"'.encode() in text


def test_the_report_list_costs_the_same_for_more_reports(
    client, town, hq_user, django_assert_num_queries
):
    from tests import factories

    client.force_login(hq_user)
    url = reverse("enterprises:report-list")
    for n in range(2):
        enterprise = factories.make_enterprise(region=town["wafang"])
        _submit(hq_user, enterprise, at(10), day=DAY - timedelta(days=n))
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(5):
        enterprise = factories.make_enterprise(region=town["beiqi"])
        _submit(hq_user, enterprise, at(10), day=DAY - timedelta(days=n))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_enterprise_page_lists_its_own_reports_only(
    client, hq_user, contact, wafang_enterprise, beiqi_enterprise
):
    _submit(hq_user, wafang_enterprise, at(10))
    _submit(hq_user, beiqi_enterprise, at(10))
    client.force_login(hq_user)
    url = reverse("enterprises:report-list")
    page = client.get(url, {"enterprise": wafang_enterprise.pk}).context["page"]
    assert [r.enterprise for r in page.items] == [wafang_enterprise]
    client.force_login(contact)
    assert client.get(url, {"enterprise": beiqi_enterprise.pk}).status_code == 404


def test_the_contact_is_reminded_on_the_home_page_until_today_is_reported(
    client, contact, wafang_enterprise
):
    client.force_login(contact)
    page = client.get("/").content.decode()
    form = reverse("enterprises:report-form", kwargs={"enterprise_id": wafang_enterprise.pk})
    assert f'href="{form}"' in page and wafang_enterprise.name in page
    DailyReport.objects.create(
        enterprise=wafang_enterprise,
        day=timezone.localdate(),
        submitted_by=contact,
        submitted_at=timezone.now(),
        workers_on_site=10,
        returned_today=0,
        still_away=0,
        abnormal_temperatures=0,
        in_isolation=0,
        masks_in_stock=100,
        disinfectant_in_stock=5,
    )
    assert f'href="{form}"' not in client.get("/").content.decode()
