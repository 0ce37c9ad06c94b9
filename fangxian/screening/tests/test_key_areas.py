"""HQ's key-area list (重点地区): services that re-classify after commit, and the pages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangxian.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from fangxian.audit.models import AuditEntry
from fangxian.screening.models import KeyArea, Trip
from fangxian.screening.trips import (
    key_area_create,
    key_area_delete,
    key_area_end,
    key_area_update,
    trip_record,
)
from tests import factories

TODAY = date(2020, 2, 10)


def record(person, origin, **fields):
    fields.setdefault("arrived_on", date(2020, 1, 20))
    return trip_record(
        actor=None,
        person=person,
        origin_text=origin,
        source=Trip.Source.MANUAL,
        today=TODAY,
        **fields,
    )


def create_hubei(actor, region, **fields):
    return key_area_create(
        actor=actor,
        region=region,
        division_code="42",
        starts_on=fields.pop("starts_on", date(2020, 1, 10)),
        today=TODAY,
        **fields,
    )


def test_only_hq_keeps_the_key_area_list():
    keepers = [
        role for role, caps in ROLE_CAPABILITIES.items() if Capability.MANAGE_KEY_AREAS in caps
    ]
    assert keepers == [Role.HQ]


def test_adding_a_key_area_names_it_and_reclassifies_after_commit(
    hq_user, town, wafang_person, django_capture_on_commit_callbacks
):
    trip = record(wafang_person, "武汉")
    assert trip.category == Trip.Category.OUT_OF_PROVINCE
    with django_capture_on_commit_callbacks(execute=True):
        change = create_hubei(hq_user, town["town"])
        assert change.reclassified is None  # not before the commit
    assert change.reclassified == 1
    area = change.key_area
    assert (area.name, area.label, area.created_by) == ("湖北省", "湖北", hq_user)
    trip.refresh_from_db()
    assert trip.category == Trip.Category.KEY_AREA
    assert trip.category_reason.startswith("湖北返乡人员")


def test_a_key_area_change_is_audited(hq_user, town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        area = create_hubei(hq_user, town["town"]).key_area
        key_area_update(actor=hq_user, key_area=area, label="鄂", today=TODAY)
        key_area_delete(actor=hq_user, key_area=area, today=TODAY)
    entries = AuditEntry.objects.filter(object_type="screening.keyarea").order_by("id")
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[1].changes == {"label": ["湖北", "鄂"]}
    assert entries[0].region == town["town"]


def test_an_unknown_division_code_is_refused(hq_user, town):
    with pytest.raises(ValidationError) as error:
        key_area_create(actor=hq_user, region=town["town"], division_code="99", starts_on=TODAY)
    assert "division_code" in error.value.message_dict


def test_the_same_area_twice_over_the_same_days_is_refused(hq_user, town):
    create_hubei(hq_user, town["town"])
    with pytest.raises(ValidationError):
        create_hubei(hq_user, town["town"], starts_on=date(2020, 2, 1))


def test_the_same_area_again_after_it_ended_is_accepted(hq_user, town):
    create_hubei(hq_user, town["town"], ends_on=date(2020, 1, 31))
    create_hubei(hq_user, town["town"], starts_on=date(2020, 6, 1))
    assert KeyArea.objects.count() == 2


def test_ending_a_key_area_keeps_earlier_trips_and_drops_later_ones(
    hq_user, town, wafang_person, beiqi_person, django_capture_on_commit_callbacks
):
    early = record(wafang_person, "武汉", arrived_on=date(2020, 1, 20))
    late = record(beiqi_person, "武汉", arrived_on=date(2020, 3, 20))
    with django_capture_on_commit_callbacks(execute=True):
        area = create_hubei(hq_user, town["town"]).key_area
    late.refresh_from_db()
    assert late.category == Trip.Category.KEY_AREA
    with django_capture_on_commit_callbacks(execute=True):
        change = key_area_end(actor=hq_user, key_area=area, ends_on=date(2020, 3, 1), today=TODAY)
    assert change.reclassified == 2  # the late trip's category, the early trip's reason (period)
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.category, late.category) == ("key_area", "out_of_province")
    assert "2020年3月1日" in early.category_reason


def test_changing_the_area_changes_name_label_and_trips(
    hq_user, town, wafang_person, django_capture_on_commit_callbacks
):
    trip = record(wafang_person, "深圳")
    with django_capture_on_commit_callbacks(execute=True):
        area = create_hubei(hq_user, town["town"]).key_area
        key_area_update(actor=hq_user, key_area=area, division_code="44", today=TODAY)
    area.refresh_from_db()
    trip.refresh_from_db()
    assert (area.name, area.label) == ("广东省", "广东")
    assert trip.category_reason.startswith("广东返乡人员")


def test_removing_a_key_area_reclassifies(
    hq_user, town, wafang_person, django_capture_on_commit_callbacks
):
    trip = record(wafang_person, "武汉")
    with django_capture_on_commit_callbacks(execute=True):
        area = create_hubei(hq_user, town["town"]).key_area
    with django_capture_on_commit_callbacks(execute=True):
        change = key_area_delete(actor=hq_user, key_area=area, today=TODAY)
    trip.refresh_from_db()
    assert (change.reclassified, trip.category) == (1, "out_of_province")


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_hq_adds_a_key_area_in_words_and_sees_how_many_trips_changed(client, town, hq_user):
    person = factories.make_person(
        region=town["wafang_1"], id_number=factories.valid_id_number(sequence=7)
    )
    record(person, "武汉", arrived_on=date(2020, 1, 20))
    client.force_login(hq_user)
    response = client.post(
        reverse("screening:key-area-create"),
        {"area": "湖北", "label": "", "starts_on": "2020-01-10", "ends_on": "", "notes": ""},
        follow=True,
    )
    area = KeyArea.objects.get()
    assert (area.division_code, area.region) == ("42", town["town"])
    messages = [str(m) for m in response.context["messages"]]
    assert any("1" in m for m in messages), messages
    assert Trip.objects.get().category == Trip.Category.KEY_AREA
    assert "湖北省" in response.content.decode()


def test_an_ambiguous_area_is_refused_with_a_hint(client, hq_user):
    client.force_login(hq_user)
    response = client.post(
        reverse("screening:key-area-create"), {"area": "鼓楼区", "starts_on": "2020-01-10"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["area"]
    assert not KeyArea.objects.exists()


def test_hq_edits_and_ends_a_key_area(client, hq_user, town, django_capture_on_commit_callbacks):
    area = create_hubei(hq_user, town["town"]).key_area
    client.force_login(hq_user)
    url = reverse("screening:key-area-edit", args=[area.pk])
    assert "湖北省" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"area": "湖北省", "label": "湖北", "starts_on": "2020-01-12", "notes": "省通知"}
        )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.starts_on, area.notes) == (date(2020, 1, 12), "省通知")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("screening:key-area-end", args=[area.pk]))
    area.refresh_from_db()
    assert area.ends_on is not None


def test_a_grid_worker_has_no_key_area_pages(client, grid_worker, hq_user, town):
    area = create_hubei(hq_user, town["town"]).key_area
    client.force_login(grid_worker)
    assert client.get(reverse("screening:key-area-list")).status_code == 404
    assert client.get(reverse("screening:key-area-edit", args=[area.pk])).status_code == 404
    assert client.post(reverse("screening:key-area-delete", args=[area.pk])).status_code == 404
    assert KeyArea.objects.exists()


def test_hq_of_another_township_gets_404_for_this_list(client, hq_user, town):
    area = create_hubei(hq_user, town["town"]).key_area
    tangdan = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    other_hq = factories.make_user(role=Role.HQ, region=tangdan)
    client.force_login(other_hq)
    assert client.get(reverse("screening:key-area-edit", args=[area.pk])).status_code == 404
    assert client.post(reverse("screening:key-area-end", args=[area.pk])).status_code == 404
    assert "湖北省" not in client.get(reverse("screening:key-area-list")).content.decode()


def test_the_reclassify_command_reports_the_changed_trips(hq_user, town, wafang_person):
    import io

    from django.core.management import call_command

    record(wafang_person, "武汉", arrived_on=date(2020, 1, 20))
    KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=date(2020, 1, 1),
    )
    out = io.StringIO()
    call_command("trips_reclassify", "--region", town["town"].code, "--json", stdout=out)
    assert out.getvalue().strip() == '{"reclassified": 1}'
