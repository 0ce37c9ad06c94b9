"""The team's phone pages: the day's list (home section and /today/), the round, the daily
call, alerts, errands and care. The pages run on the real clock: orders start two days ago, so
every check time since is due and the nearest one is open whatever the hour."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fangxian.quarantine.checks import CheckEntry, health_checks_record
from fangxian.quarantine.models import (
    CareRecord,
    DailyCall,
    Errand,
    FeverAlert,
    HealthCheck,
    TeamRole,
)
from fangxian.quarantine.teams import team_member_assign
from fangxian.quarantine.tests.conftest import resident
from tests import factories


def place(hq_user, member, *names, region, role="医生"):
    """Orders for new residents of `region`, begun two days ago, `member` on their team (the
    doctor unless `role` says otherwise)."""
    began = timezone.now() - timedelta(days=2)
    orders = []
    for name in names:
        order = factories.make_order(
            person=resident(region=region, name=name), actor=hq_user, now=began
        )
        team_member_assign(
            actor=hq_user,
            order=order,
            team_role=TeamRole.objects.get(name=role),
            user=member,
            now=began,
        )
        orders.append(order)
    return orders


@pytest.fixture
def team(hq_user, doctor, town):
    return place(hq_user, doctor, "赵一", "钱二", region=town["wafang_1"])


def round_data(orders, **lines):
    """POST data for a round: lines as {order index: (temperature, [symptoms])}."""
    data = {}
    for index, (temperature, symptoms) in lines.items():
        prefix = f"o{orders[int(index[1:])].pk}"
        data[f"{prefix}-temperature"] = temperature
        data[f"{prefix}-symptoms"] = symptoms
    return data


# --- the day's list ---------------------------------------------------------------------------


def test_the_home_page_shows_a_team_members_people_with_the_overdue_marked(client, doctor, team):
    client.force_login(doctor)
    page = client.get("/").content.decode()
    assert 'data-testid="team-today"' in page
    assert "赵一" in page and "钱二" in page
    assert page.count('data-testid="overdue"') == 2  # nothing recorded in two days
    assert "/quarantine/round/" in page


def test_someone_on_no_team_gets_no_section(client, grid_worker, team):
    client.force_login(grid_worker)
    assert client.get("/").status_code == 302  # straight to the only region, as before


def test_the_today_page_lists_open_alerts_and_errands_of_the_members_people(
    client, doctor, hq_user, team
):
    health_checks_record(actor=doctor, entries=[CheckEntry(order=team[0], temperature="38.1")])
    factories_errand = {"name": "大米", "quantity": 10, "unit": "斤"}
    from fangxian.quarantine.errands import errand_request

    errand_request(actor=hq_user, order=team[1], items=[factories_errand])
    client.force_login(doctor)
    page = client.get("/quarantine/today/").content.decode()
    assert page.count('data-testid="today-alert"') == 1 and "38.1" in page
    assert page.count('data-testid="today-errand"') == 1 and "大米" in page
    # The one checked is listed after the one still to check.
    assert page.index("钱二") < page.index("赵一")


def test_the_day_costs_the_same_queries_for_two_or_six_people(
    client, doctor, hq_user, town, team, django_assert_max_num_queries
):
    client.force_login(doctor)
    client.get("/quarantine/today/")
    with django_assert_max_num_queries(12) as two:
        client.get("/quarantine/today/")
    place(hq_user, doctor, "孙三", "李四", "周五", "吴六", region=town["wafang_2"])
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert "吴六" in client.get("/quarantine/today/").content.decode()


# --- the round --------------------------------------------------------------------------------


def test_a_round_records_everyone_in_one_submit_and_shows_the_alert_raised(client, doctor, team):
    client.force_login(doctor)
    page = client.get("/quarantine/round/").content.decode()
    assert 'inputmode="decimal"' in page and "干咳" in page
    answer = client.post(
        "/quarantine/round/", round_data(team, o0=("36.6", []), o1=("38.4", ["干咳"]))
    )
    assert answer.status_code == 302
    assert HealthCheck.objects.count() == 2
    alert = FeverAlert.objects.get()
    assert alert.order == team[1]
    page = client.get(answer.url).content.decode()
    assert 'data-testid="raised-alert"' in page and "钱二" in page
    assert f"/quarantine/alerts/{alert.pk}/" in page
    assert page.count('data-testid="done-') == 2  # both shown as done for this check time
    assert 'data-testid="round-form"' not in page


def test_a_temperature_typed_without_the_point_is_read_as_tenths(client, doctor, team):
    client.force_login(doctor)
    client.post("/quarantine/round/", round_data(team, o0=("365", [])))
    assert str(HealthCheck.objects.get().temperature) == "36.5"


def test_one_wrong_line_records_nothing_and_names_the_person_and_field(client, doctor, team):
    client.force_login(doctor)
    answer = client.post("/quarantine/round/", round_data(team, o0=("36.5", []), o1=("45", [])))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "钱二" in page and "体温" in page and 'data-testid="round-errors"' in page
    assert HealthCheck.objects.count() == 0


def test_a_symptom_without_a_temperature_is_refused(client, doctor, team):
    client.force_login(doctor)
    answer = client.post("/quarantine/round/", round_data(team, o0=("", ["乏力"])))
    assert answer.status_code == 200
    assert "赵一" in answer.content.decode()
    assert HealthCheck.objects.count() == 0


def test_an_empty_round_is_refused(client, doctor, team):
    client.force_login(doctor)
    answer = client.post("/quarantine/round/", {})
    assert 'data-testid="round-errors"' in answer.content.decode()


def test_a_round_costs_a_fixed_number_of_queries(
    client, doctor, hq_user, town, team, django_assert_max_num_queries
):
    client.force_login(doctor)
    client.get("/quarantine/round/")
    with django_assert_max_num_queries(20) as two:
        client.post("/quarantine/round/", round_data(team, o0=("36.5", []), o1=("38", [])))
    more = place(hq_user, doctor, "孙三", "李四", "周五", "吴六", region=town["wafang_2"])
    lines = {f"o{i}": ("36.7", ["干咳"] if i == 2 else []) for i in range(4)}
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.post("/quarantine/round/", round_data(more, **lines))
    assert HealthCheck.objects.count() == 6


def test_someone_elses_round_line_cannot_be_posted(client, doctor, hq_user, town, team):
    """Only the member's own people are on the form: a line for another order is ignored."""
    other = place(hq_user, hq_user, "外人", region=town["beiqi_1"], role="镇干部")
    client.force_login(doctor)
    client.post("/quarantine/round/", round_data(other, o0=("36.5", [])) | {"x": "1"})
    assert not HealthCheck.objects.filter(order=other[0]).exists()


def test_the_daily_call_is_recorded(client, doctor, team):
    client.force_login(doctor)
    url = f"/quarantine/round/{team[0].pk}/call/"
    assert "赵一" in client.get(url).content.decode()
    answer = client.post(url, {"reached": "0", "note": "没接电话"})
    assert answer.status_code == 302
    call = DailyCall.objects.get()
    assert (call.reached, call.note, call.called_by) == (False, "没接电话", doctor)


def test_the_daily_call_of_another_village_is_404(client, outsider, team):
    client.force_login(outsider)
    assert client.get(f"/quarantine/round/{team[0].pk}/call/").status_code == 404


# --- alerts -----------------------------------------------------------------------------------


@pytest.fixture
def alert(doctor, team):
    result = health_checks_record(
        actor=doctor, entries=[CheckEntry(order=team[0], temperature="38.2", symptoms=["干咳"])]
    )
    return result.alerts[0]


def test_the_alert_page_shows_the_person_masked_the_reading_and_the_team(client, hq_user, alert):
    client.force_login(hq_user)
    assert "赵一" in client.get("/quarantine/alerts/").content.decode()
    page = client.get(f"/quarantine/alerts/{alert.pk}/").content.decode()
    person = alert.order.person
    assert person.id_number_masked in page and person.id_number not in page
    assert "38.2" in page and "干咳" in page and "李医生" in page


def test_an_alert_moves_on_step_by_step_and_closing_needs_a_note(client, doctor, alert):
    client.force_login(doctor)
    url = f"/quarantine/alerts/{alert.pk}/advance/"
    assert client.post(url, {"to_status": "seen"}).status_code == 302
    assert client.post(url, {"to_status": "visited", "note": "上门"}).status_code == 302
    answer = client.post(url, {"to_status": "closed", "note": ""})
    assert answer.status_code == 200 and 'data-testid="note-error"' in answer.content.decode()
    client.post(url, {"to_status": "closed", "note": "复测36.6"})
    alert.refresh_from_db()
    assert alert.status == "closed"
    page = client.get(f"/quarantine/alerts/{alert.pk}/").content.decode()
    assert "复测36.6" in page and 'data-testid="alert-form"' not in page


def test_an_alert_of_another_village_is_404(client, outsider, alert):
    client.force_login(outsider)
    assert client.get(f"/quarantine/alerts/{alert.pk}/").status_code == 404
    assert client.post(f"/quarantine/alerts/{alert.pk}/advance/", {}).status_code == 404


# --- errands and care -------------------------------------------------------------------------


def test_an_errand_is_requested_with_its_items_and_run_to_paid(client, volunteer, doctor, team):
    client.force_login(doctor)
    url = f"/quarantine/errands/new/{team[0].pk}/"
    assert "大米" in client.get(url).content.decode()  # the quick buttons
    answer = client.post(
        url,
        {
            "items-TOTAL_FORMS": "4",
            "items-INITIAL_FORMS": "0",
            "items-0-name": "大米",
            "items-0-quantity": "10",
            "items-0-unit": "斤",
            "items-1-name": "挂面",
            "items-1-quantity": "2",
            "items-1-unit": "包",
            "items-3-name": "打火机",
            "items-3-quantity": "1",
            "note": "放门口",
        },
    )
    assert answer.status_code == 302
    errand = Errand.objects.get()
    assert [(i.name, int(i.quantity), i.unit) for i in errand.items.order_by("id")] == [
        ("大米", 10, "斤"),
        ("挂面", 2, "包"),
        ("打火机", 1, ""),
    ]
    client.force_login(volunteer)
    step = f"/quarantine/errands/{errand.pk}/advance/"
    assert "挂面" in client.get("/quarantine/errands/").content.decode()
    for status in ("assigned", "bought", "delivered"):
        client.post(step, {"to_status": status})
    errand.refresh_from_db()
    assert (errand.status, errand.assigned_to) == ("delivered", volunteer)
    client.post(step, {"to_status": "paid"})  # without the amount: refused
    errand.refresh_from_db()
    assert errand.status == "delivered"
    client.post(step, {"to_status": "paid", "amount": "86.5"})
    errand.refresh_from_db()
    assert (errand.status, str(errand.amount)) == ("paid", "86.50")
    assert "挂面" not in client.get("/quarantine/errands/").content.decode()


def test_an_errand_line_with_a_quantity_but_no_item_is_refused(client, doctor, team):
    client.force_login(doctor)
    answer = client.post(
        f"/quarantine/errands/new/{team[0].pk}/",
        {"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-0-quantity": "2"},
    )
    assert answer.status_code == 200 and 'data-testid="line-error"' in answer.content.decode()
    assert not Errand.objects.exists()


def test_care_work_is_recorded(client, volunteer, team):
    client.force_login(volunteer)
    url = f"/quarantine/care/{team[0].pk}/"
    answer = client.post(url, {"kind": "livestock", "note": "喂猪"})
    assert answer.status_code == 302
    assert CareRecord.objects.get().note == "喂猪"
    assert "喂猪" in client.get(url).content.decode()


def test_errands_of_another_village_are_404(client, outsider, team):
    client.force_login(outsider)
    assert client.get(f"/quarantine/errands/new/{team[0].pk}/").status_code == 404
    assert client.get(f"/quarantine/care/{team[0].pk}/").status_code == 404
