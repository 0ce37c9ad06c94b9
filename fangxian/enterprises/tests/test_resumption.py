"""Resumption applications: draft → submitted → changes requested → resubmitted → approved →
reopened, each step an event; the plan document; HQ's figures by village and industry."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fangxian.enterprises import figures, resumption
from fangxian.enterprises.models import Enterprise, ResumptionApplication
from tests import factories

Status = ResumptionApplication.Status
CHECKLIST = {
    "planned_workers": 30,
    "thermometers": 4,
    "masks_in_stock": 2000,
    "disinfectant_in_stock": 25,
    "observation_room": True,
    "staggered_shifts": True,
    "small_teams": True,
    "canteen_arrangement": "分餐制，错峰就餐",
    "person_in_charge": "钱厂长",
}


def _plan(name="方案.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF" + b"0" * size, content_type="application/pdf")


@pytest.fixture
def draft(contact, wafang_enterprise):
    return resumption.application_save(
        actor=contact, enterprise=wafang_enterprise, plan_document=_plan(), **CHECKLIST
    )


def test_the_whole_life_cycle_is_recorded(contact, hq_user, village_cadre, draft):
    app = resumption.application_submit(actor=contact, application=draft)
    assert app.status == Status.SUBMITTED
    app = resumption.application_request_changes(
        actor=hq_user, application=app, comment="请补充隔离观察室位置"
    )
    assert app.status == Status.CHANGES_REQUESTED
    app = resumption.application_save(
        actor=contact, enterprise=app.enterprise, notes="观察室设在门卫旁"
    )
    app = resumption.application_submit(actor=contact, application=app)
    assert app.status == Status.RESUBMITTED
    app = resumption.application_approve(
        actor=hq_user, application=app, conditions="每日16时前上报"
    )
    assert app.status == Status.APPROVED and app.conditions == "每日16时前上报"
    app = resumption.application_reopen(
        actor=village_cadre, application=app, reopened_on=date(2020, 2, 17), today=date(2020, 2, 18)
    )
    assert app.status == Status.REOPENED and app.reopened_on == date(2020, 2, 17)
    events = list(app.events.values_list("from_status", "to_status", "actor__username", "comment"))
    assert events == [
        ("", Status.DRAFT, "brick", ""),
        (Status.DRAFT, Status.SUBMITTED, "brick", ""),
        (Status.SUBMITTED, Status.CHANGES_REQUESTED, "hq", "请补充隔离观察室位置"),
        (Status.CHANGES_REQUESTED, Status.RESUBMITTED, "brick", ""),
        (Status.RESUBMITTED, Status.APPROVED, "hq", "每日16时前上报"),
        (Status.APPROVED, Status.REOPENED, "cadre", "2020-02-17"),
    ]


def test_a_submitted_application_cannot_be_changed(contact, draft):
    resumption.application_submit(actor=contact, application=draft)
    with pytest.raises(ValidationError):
        resumption.application_save(actor=contact, enterprise=draft.enterprise, thermometers=9)


def test_submitting_needs_the_plan_and_the_person_in_charge(contact, beiqi_enterprise, hq_user):
    app = resumption.application_save(actor=hq_user, enterprise=beiqi_enterprise, thermometers=1)
    with pytest.raises(ValidationError) as caught:
        resumption.application_submit(actor=hq_user, application=app)
    assert set(caught.value.message_dict) == {"person_in_charge", "plan_document"}


def test_the_enterprise_cannot_approve_itself(contact, draft):
    app = resumption.application_submit(actor=contact, application=draft)
    with pytest.raises(PermissionDenied):
        resumption.application_approve(actor=contact, application=app)


def test_a_village_cadre_does_not_approve(village_cadre, contact, draft):
    app = resumption.application_submit(actor=contact, application=draft)
    with pytest.raises(PermissionDenied):
        resumption.application_approve(actor=village_cadre, application=app)


def test_asking_for_changes_needs_a_comment(hq_user, contact, draft):
    app = resumption.application_submit(actor=contact, application=draft)
    with pytest.raises(ValidationError):
        resumption.application_request_changes(actor=hq_user, application=app, comment=" ")


def test_only_an_approved_application_reopens(hq_user, contact, draft):
    app = resumption.application_submit(actor=contact, application=draft)
    with pytest.raises(ValidationError):
        resumption.application_reopen(
            actor=hq_user, application=app, reopened_on=date(2020, 2, 1), today=date(2020, 2, 2)
        )


def test_the_plan_must_be_a_document_of_limited_size(contact, wafang_enterprise, settings):
    with pytest.raises(ValidationError) as caught:
        resumption.application_save(
            actor=contact, enterprise=wafang_enterprise, plan_document=_plan("plan.exe")
        )
    assert "plan_document" in caught.value.message_dict
    from fangxian.enterprises import validators

    big = _plan("plan.pdf", size=validators.PLAN_MAX_BYTES)
    with pytest.raises(ValidationError):
        resumption.application_save(actor=contact, enterprise=wafang_enterprise, plan_document=big)
    assert not ResumptionApplication.objects.exists()


def test_the_contact_writes_and_sends_the_application_through_the_pages(
    client, contact, wafang_enterprise
):
    client.force_login(contact)
    url = reverse("enterprises:application-edit", args=[wafang_enterprise.pk])
    data = {**CHECKLIST, "plan_document": _plan()}
    assert client.post(url, data).status_code == 302
    submit = reverse("enterprises:application-submit", args=[wafang_enterprise.pk])
    client.post(submit)
    detail = client.get(reverse("enterprises:application-detail", args=[wafang_enterprise.pk]))
    assert detail.context["application"].status == Status.SUBMITTED
    assert len(detail.context["events"]) == 2
    document = client.get(reverse("enterprises:application-document", args=[wafang_enterprise.pk]))
    assert document.status_code == 200
    assert b"".join(document.streaming_content).startswith(b"%PDF")


def test_the_plan_of_another_enterprise_is_404(client, contact, hq_user, beiqi_enterprise):
    resumption.application_save(actor=hq_user, enterprise=beiqi_enterprise, plan_document=_plan())
    client.force_login(contact)
    url = reverse("enterprises:application-document", args=[beiqi_enterprise.pk])
    assert client.get(url).status_code == 404


def test_hq_figures_count_by_village_and_industry(town, hq_user, village_cadre):
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.REOPENED]
    for status in statuses:
        enterprise = factories.make_enterprise(region=town["wafang"])
        ResumptionApplication.objects.create(enterprise=enterprise, status=status)
    shop = factories.make_enterprise(region=town["beiqi"], industry=Enterprise.Industry.COMMERCE)
    ResumptionApplication.objects.create(enterprise=shop, status=Status.SUBMITTED)
    factories.make_enterprise(region=town["beiqi"], industry=Enterprise.Industry.COMMERCE)

    result = figures.application_figures(user=hq_user)
    by_village = {row["label"]: row for row in result["village"]}
    assert {
        k: by_village["瓦房村"][k] for k in ("registered", "applied", "approved", "reopened")
    } == {
        "registered": 4,
        "applied": 3,
        "approved": 2,
        "reopened": 1,
    }
    assert by_village["碑棋社区"]["registered"] == 2 and by_village["碑棋社区"]["applied"] == 1
    by_industry = {row["key"]: row for row in result["industry"]}
    assert by_industry["commerce"]["registered"] == 2
    assert by_industry["industry"]["reopened"] == 1
    assert "region=" + town["wafang"].code in by_village["瓦房村"]["urls"]["reopened"]
    # the village cadre's figures stop at their village
    assert [row["label"] for row in figures.application_figures(user=village_cadre)["village"]] == [
        "瓦房村"
    ]


def test_figures_cost_the_same_for_more_enterprises(town, hq_user, django_assert_num_queries):
    factories.make_enterprise(region=town["wafang"])
    figures.application_figures(user=hq_user)  # the user's roles and memberships, read once
    with django_assert_num_queries(2):
        figures.application_figures(user=hq_user)
    for _ in range(5):
        factories.make_enterprise(region=town["beiqi"])
    with django_assert_num_queries(2):
        figures.application_figures(user=hq_user)
