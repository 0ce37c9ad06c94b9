"""Health checks, fever alerts, overdue checks and the daily call (quarantine.checks)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangxian.audit.models import AuditEntry
from fangxian.quarantine import selectors
from fangxian.quarantine.checks import (
    CheckEntry,
    alert_advance,
    daily_call_record,
    health_checks_record,
)
from fangxian.quarantine.models import CheckSlot, FeverAlert, HealthCheck, QuarantineRules
from fangxian.quarantine.orders import order_release
from fangxian.quarantine.tests.conftest import NOW, at, resident
from tests import factories


@pytest.fixture
def order(hq_user, wafang_person):
    return factories.make_order(person=wafang_person, actor=hq_user, now=NOW)


@pytest.fixture
def second_order(hq_user, town):
    person = resident(region=town["wafang_2"], name="王五")
    return factories.make_order(person=person, actor=hq_user, now=NOW)


def record(actor, *entries, now):
    return health_checks_record(actor=actor, entries=list(entries), now=now)


def test_a_round_records_everyone_in_one_call(grid_worker, order, second_order, doctor):
    result = record(
        doctor,
        CheckEntry(order=order, temperature="36.5"),
        CheckEntry(order=second_order, temperature=36.8, symptoms=["乏力"], note="睡眠差"),
        now=at(4, 8, 10),
    )
    assert len(result.checks) == 2
    morning = CheckSlot.objects.get(time="08:00")
    assert {(c.due_on, c.slot_id) for c in HealthCheck.objects.all()} == {
        (date(2020, 2, 4), morning.pk)
    }
    assert AuditEntry.objects.filter(object_type="quarantine.healthcheck").count() == 2


def test_a_check_counts_for_the_nearest_check_time(doctor, order):
    record(doctor, CheckEntry(order=order, temperature="36.5"), now=at(3, 10, 59))
    record(
        doctor, CheckEntry(order=order, temperature="36.5", measured_at=at(3, 11, 1)), now=at(3, 12)
    )
    assert list(HealthCheck.objects.order_by("id").values_list("slot__name", flat=True)) == [
        "上午",
        "下午",
    ]


def test_a_check_time_is_recorded_once_but_a_remeasurement_may_follow(doctor, order):
    record(doctor, CheckEntry(order=order, temperature="37.0"), now=at(4, 8))
    with pytest.raises(ValidationError):
        record(doctor, CheckEntry(order=order, temperature="36.6"), now=at(4, 8, 30))
    record(doctor, CheckEntry(order=order, temperature="36.6", extra=True), now=at(4, 8, 30))
    assert HealthCheck.objects.filter(order=order, slot__isnull=True).count() == 1


def test_an_impossible_temperature_is_refused(doctor, order):
    with pytest.raises(ValidationError):
        record(doctor, CheckEntry(order=order, temperature="3.65"), now=at(4, 8))


def test_a_check_before_the_quarantine_began_is_refused(doctor, order):
    with pytest.raises(ValidationError):
        record(
            doctor, CheckEntry(order=order, temperature="36.5", measured_at=at(3, 8)), now=at(3, 10)
        )


def test_an_unknown_symptom_is_refused(doctor, order):
    with pytest.raises(ValidationError):
        record(
            doctor, CheckEntry(order=order, temperature="36.5", symptoms=["头晕眼花"]), now=at(4, 8)
        )


@pytest.mark.parametrize(
    ("temperature", "symptoms", "alerts"),
    [
        ("37.2", [], 0),
        ("37.3", [], 1),
        ("38.5", [], 1),
        ("36.4", ["干咳"], 1),
    ],
)
def test_fever_or_a_listed_symptom_raises_an_alert_at_once(
    doctor, order, temperature, symptoms, alerts
):
    result = record(
        doctor, CheckEntry(order=order, temperature=temperature, symptoms=symptoms), now=at(4, 8)
    )
    assert len(result.alerts) == alerts == FeverAlert.objects.count()


def test_a_symptom_hq_marked_as_not_alerting_raises_nothing(doctor, order):
    from fangxian.quarantine.models import Symptom

    Symptom.objects.filter(name="乏力").update(raises_alert=False)
    result = record(
        doctor, CheckEntry(order=order, temperature="36.5", symptoms=["乏力"]), now=at(4, 8)
    )
    assert result.alerts == []


def test_hq_moves_the_fever_threshold_without_code(doctor, order):
    QuarantineRules.objects.filter(pk=1).update(fever_threshold=Decimal("37.5"))
    assert record(doctor, CheckEntry(order=order, temperature="37.4"), now=at(4, 8)).alerts == []


def test_a_grid_worker_of_another_village_cannot_record(outsider, order):
    with pytest.raises(PermissionDenied):
        record(outsider, CheckEntry(order=order, temperature="36.5"), now=at(4, 8))


def test_an_alert_is_handled_step_by_step_with_who_and_when(doctor, hq_user, order):
    alert = record(doctor, CheckEntry(order=order, temperature="38.1"), now=at(4, 8)).alerts[0]
    assert "38.1" in alert.reason
    with pytest.raises(ValidationError):  # no skipping straight to the clinic
        alert_advance(actor=doctor, alert=alert, to_status="fever_clinic", note="x", now=at(4, 9))
    alert_advance(actor=hq_user, alert=alert, to_status="seen", now=at(4, 8, 5))
    alert_advance(actor=doctor, alert=alert, to_status="visited", now=at(4, 8, 40))
    with pytest.raises(ValidationError):  # closing says what was found
        alert_advance(actor=doctor, alert=alert, to_status="closed", now=at(4, 9))
    alert_advance(actor=doctor, alert=alert, to_status="closed", note="复测36.6", now=at(4, 9))
    steps = list(alert.events.values_list("to_status", "actor__username"))
    assert steps == [("seen", "hq"), ("visited", "doctor"), ("closed", "doctor")]
    assert list(selectors.alert_list(user=hq_user)) == []
    assert list(selectors.alert_list(user=hq_user, unresolved=False)) == [alert]


def test_a_pending_order_takes_no_checks(doctor, hq_user, beiqi_person):
    from fangxian.quarantine.models import QuarantineOrder

    pending = factories.make_order(
        person=beiqi_person,
        actor=hq_user,
        now=NOW,
        source=QuarantineOrder.Source.OUTSIDE_LIST,
        source_unit="县交通局",
    )
    with pytest.raises(ValidationError):
        record(doctor, CheckEntry(order=pending, temperature="36.5"), now=at(3, 10))


# --- overdue (controlled clock) ----------------------------------------------------------------


def test_a_check_is_overdue_only_after_its_time_and_grace(hq_user, doctor, order, second_order):
    # Placed at 09:30 on the 3rd: the first check due is 14:00, overdue from 15:00 (grace 60').
    assert list(selectors.overdue_orders(user=hq_user, now=at(3, 14, 59))) == []
    record(doctor, CheckEntry(order=order, temperature="36.5"), now=at(3, 14, 5))
    assert list(selectors.overdue_orders(user=hq_user, now=at(3, 15))) == [second_order]
    # Overnight the afternoon check stays the last one due, until 09:00.
    assert list(selectors.overdue_orders(user=hq_user, now=at(4, 8, 59))) == [second_order]
    assert set(selectors.overdue_orders(user=hq_user, now=at(4, 9))) == {order, second_order}


def test_an_ended_order_is_never_overdue(hq_user, doctor, order):
    from fangxian.quarantine.orders import order_cancel

    order_cancel(actor=hq_user, order=order, reason="错登", now=at(3, 10))
    assert list(selectors.overdue_orders(user=hq_user, now=at(4, 12))) == []


def test_overdue_is_scoped(outsider, grid_worker, order):
    assert list(selectors.overdue_orders(user=grid_worker, now=at(4, 12))) == [order]
    assert list(selectors.overdue_orders(user=outsider, now=at(4, 12))) == []


def test_overdue_is_one_query_after_the_check_times(
    hq_user, order, second_order, django_assert_num_queries
):
    hq_user.region_paths_for("x")
    with django_assert_num_queries(3):  # rules, check times, the orders
        assert len(selectors.overdue_orders(user=hq_user, now=at(4, 12))) == 2


def test_the_missed_checks_of_an_order_are_listed(doctor, order):
    record(doctor, CheckEntry(order=order, temperature="36.5"), now=at(3, 14))
    record(doctor, CheckEntry(order=order, temperature="36.5"), now=at(4, 14))
    missed = selectors.order_missed_checks(order=order, now=at(4, 20))
    assert [(m.day, m.slot.name) for m in missed] == [(date(2020, 2, 4), "上午")]


def test_a_daily_call_is_recorded(village_cadre, order):
    call = daily_call_record(
        actor=village_cadre, order=order, reached=True, note="需要买药", now=at(3, 19)
    )
    assert call.called_by == village_cadre and call.region_id == order.region_id


def test_a_released_order_takes_no_call(village_cadre, doctor, order):
    order_release(actor=doctor, order=order, note="期满", now=at(17, 9))
    with pytest.raises(ValidationError):
        daily_call_record(actor=village_cadre, order=order, reached=True, now=at(17, 19))


def test_a_round_costs_the_same_for_two_or_eight_people(doctor, hq_user, town, order, second_order):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    more = [
        factories.make_order(
            person=resident(region=town["wafang_1"], name=f"丁{i}"),
            actor=hq_user,
            now=NOW,
        )
        for i in range(6)
    ]
    doctor.region_paths_for("x")

    def round_queries(orders, hour):
        with CaptureQueriesContext(connection) as context:
            record(
                doctor, *[CheckEntry(order=o, temperature="38.0") for o in orders], now=at(4, hour)
            )
        return len(context)

    assert round_queries([order, second_order], 8) == round_queries(
        [order, second_order, *more], 14
    )
