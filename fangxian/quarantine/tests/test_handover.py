"""Orders that start elsewhere: a checkpoint's hand-over, an enterprise's one-step placement."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangxian.accounts.roles import Role
from fangxian.enterprises import workers
from fangxian.enterprises.models import WorkerPlacement
from fangxian.people.models import Person
from fangxian.quarantine.models import QuarantineOrder
from fangxian.screening.models import KeyArea
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoint(town):
    return factories.make_checkpoint(region=town["wafang"], name="瓦房村口卡点")


@pytest.fixture
def staff(town):
    return factories.make_user(role=Role.CHECKPOINT_STAFF, region=town["wafang"], username="kd")


def _hand_over(checkpoint, staff, town, people, capture):
    with capture(execute=True):
        return factories.register_passage(
            checkpoint=checkpoint,
            actor=staff,
            decision="handed_over",
            decision_reason="湖北来，体温37.6",
            destination_region=town["wafang"],
            people=people,
        )


def test_a_hand_over_starts_a_pending_order_a_second_person_must_approve(
    checkpoint, staff, town, wafang_person, django_capture_on_commit_callbacks
):
    people = [{"name": wafang_person.name, "person": wafang_person}, {"name": "过路人"}]
    _hand_over(checkpoint, staff, town, people, django_capture_on_commit_callbacks)
    order = QuarantineOrder.objects.get()
    assert order.person == wafang_person  # the stranger is not in the ledger: no order
    assert order.status == QuarantineOrder.Status.PENDING and order.needs_approval
    assert order.source == QuarantineOrder.Source.OUTSIDE_LIST
    assert order.source_unit == "瓦房村口卡点"
    assert "瓦房村口卡点" in order.basis and "湖北来" in order.basis
    assert order.placed_by == staff
    assert order.events.get().actor == staff

    # Handed over again the same day: the open order stands, no second one.
    _hand_over(checkpoint, staff, town, people[:1], django_capture_on_commit_callbacks)
    assert QuarantineOrder.objects.count() == 1


def test_a_hand_over_of_strangers_only_places_nothing(
    checkpoint, staff, town, django_capture_on_commit_callbacks
):
    _hand_over(checkpoint, staff, town, [{"name": "过路人"}], django_capture_on_commit_callbacks)
    assert not QuarantineOrder.objects.exists()


def _worker(town):
    KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=timezone.localdate() - timedelta(days=30),
    )
    enterprise = factories.make_enterprise(region=town["wafang"], name="瓦房砖厂")
    contact = factories.make_enterprise_contact(enterprise=enterprise, username="zhuanchang")
    return workers.worker_add(
        actor=contact,
        enterprise=enterprise,
        name="王小二",
        document_type=Person.DocumentType.RESIDENT_ID,
        id_number=factories.valid_id_number(sequence=321),
        whereabouts="湖北省武汉市",
        returned_on=timezone.localdate() - timedelta(days=2),
    )


def test_an_enterprise_worker_is_placed_in_one_step(hq_user, town):
    worker = _worker(town)
    placement = workers.worker_place(
        actor=hq_user, worker=worker, kind=WorkerPlacement.Kind.MONITORING, reason="湖北返岗"
    )
    order = QuarantineOrder.objects.get(person=worker.person)
    assert placement.status == WorkerPlacement.Status.PLACED
    assert placement.reference == f"quarantine.QuarantineOrder:{order.pk}"
    assert order.kind.code == "home_monitoring" and order.status == QuarantineOrder.Status.ACTIVE
    assert order.reason.name == "重点地区返回人员"  # the worker's holiday was in the key area
    assert order.basis.endswith("湖北返岗")


def test_a_worker_already_under_an_order_is_refused_and_nothing_recorded(hq_user, town):
    worker = _worker(town)
    workers.worker_place(actor=hq_user, worker=worker, kind="quarantine", reason="密接")
    with pytest.raises(ValidationError):
        workers.worker_place(actor=hq_user, worker=worker, kind="monitoring", reason="再次")
    assert QuarantineOrder.objects.count() == 1
    assert WorkerPlacement.objects.count() == 1
