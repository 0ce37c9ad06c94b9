"""Errands (代购) and care work (quarantine.errands)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangxian.audit.models import AuditEntry
from fangxian.quarantine import selectors
from fangxian.quarantine.errands import care_record, errand_advance, errand_request
from fangxian.quarantine.models import CareRecord, Errand
from fangxian.quarantine.tests.conftest import NOW, at
from tests import factories

RICE = [{"name": "大米", "quantity": "10", "unit": "斤"}, {"name": "打火机", "quantity": 2}]


@pytest.fixture
def order(hq_user, wafang_person):
    return factories.make_order(person=wafang_person, actor=hq_user, now=NOW)


def test_an_errand_goes_from_request_to_payment(village_cadre, volunteer, order):
    errand = errand_request(actor=village_cadre, order=order, items=RICE, now=at(3, 10))
    assert [(i.name, i.quantity, i.unit) for i in errand.items.order_by("id")] == [
        ("大米", Decimal("10.00"), "斤"),
        ("打火机", Decimal("2.00"), ""),
    ]
    errand_advance(
        actor=village_cadre,
        errand=errand,
        to_status="assigned",
        assignee=volunteer,
        now=at(3, 10, 5),
    )
    errand_advance(actor=volunteer, errand=errand, to_status="bought", now=at(3, 11))
    errand_advance(actor=volunteer, errand=errand, to_status="delivered", now=at(3, 11, 40))
    assert list(selectors.errand_list(user=village_cadre)) == []
    errand_advance(
        actor=volunteer, errand=errand, to_status="paid", amount=Decimal("58.5"), now=at(3, 18)
    )
    errand.refresh_from_db()
    assert (errand.status, errand.assigned_to, errand.amount) == (
        "paid",
        volunteer,
        Decimal("58.50"),
    )
    assert (errand.bought_at, errand.delivered_at) == (at(3, 11), at(3, 11, 40))
    assert AuditEntry.objects.filter(object_type="quarantine.errand").count() == 5


def test_open_errands_are_visible_to_the_team_and_hq(village_cadre, hq_user, outsider, order):
    errand = errand_request(actor=village_cadre, order=order, items=RICE, now=at(3, 10))
    assert list(selectors.errand_list(user=hq_user)) == [errand]
    assert list(selectors.errand_list(user=outsider)) == []


def test_a_step_cannot_be_skipped(village_cadre, order):
    errand = errand_request(actor=village_cadre, order=order, items=RICE, now=at(3, 10))
    with pytest.raises(ValidationError):
        errand_advance(actor=village_cadre, errand=errand, to_status="delivered", now=at(3, 11))
    assert Errand.objects.get().status == "requested"


def test_an_errand_is_assigned_to_someone_who_runs_errands_there(village_cadre, outsider, order):
    errand = errand_request(actor=village_cadre, order=order, items=RICE, now=at(3, 10))
    with pytest.raises(ValidationError):
        errand_advance(
            actor=village_cadre,
            errand=errand,
            to_status="assigned",
            assignee=outsider,
            now=at(3, 11),
        )


def test_an_errand_needs_items(village_cadre, order):
    with pytest.raises(ValidationError):
        errand_request(actor=village_cadre, order=order, items=[], now=at(3, 10))
    with pytest.raises(ValidationError):
        errand_request(
            actor=village_cadre, order=order, items=[{"name": "盐", "quantity": 0}], now=at(3, 10)
        )


def test_a_checkpoint_worker_records_no_errands(town, order):
    from fangxian.accounts.roles import Role

    checkpoint = factories.make_user(role=Role.CHECKPOINT_STAFF, region=town["town"])
    with pytest.raises(PermissionDenied):
        errand_request(actor=checkpoint, order=order, items=RICE, now=at(3, 10))


def test_care_work_is_recorded(volunteer, order):
    record = care_record(
        actor=volunteer, order=order, kind=CareRecord.Kind.LIVESTOCK, note="喂猪两头", now=at(3, 17)
    )
    assert (record.kind, record.recorded_by, record.done_at) == ("livestock", volunteer, at(3, 17))
    with pytest.raises(ValidationError):
        care_record(actor=volunteer, order=order, kind="haircut", now=at(3, 17))
