"""Centralised sites on the pages: opening a site with a range of rooms, occupancy and free
rooms, adding rooms, and a room given from the order form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login
from fangxian.quarantine.errands import site_create
from fangxian.quarantine.forms_orders import parse_room_numbers
from fangxian.quarantine.models import QuarantineOrder, Site
from tests import factories


def test_room_numbers_are_read_as_lists_and_ranges():
    assert parse_room_numbers("101-103, 201 A1") == ["101", "102", "103", "201", "A1"]
    assert parse_room_numbers("08-10") == ["08", "09", "10"]


def test_a_backward_range_is_refused():
    with pytest.raises(ValidationError):
        parse_room_numbers("120-101")


def test_hq_opens_a_site_with_its_rooms(client, hq_user, town):
    response = login(client, hq_user).post(
        reverse("quarantine:site-create"),
        {"region": town["town"].pk, "name": "镇卫生院隔离点", "rooms": "101-105", "beds": "2"},
    )
    site = Site.objects.get()
    assert response.url == reverse("quarantine:site-detail", kwargs={"site_id": site.pk})
    assert sorted(site.rooms.values_list("number", flat=True)) == [
        "101",
        "102",
        "103",
        "104",
        "105",
    ]


@pytest.fixture
def site(hq_user, town):
    return site_create(actor=hq_user, region=town["town"], name="镇隔离点", rooms=["1", "2"])


def test_the_list_shows_occupancy_and_free_rooms(client, hq_user, wafang_person, site):
    factories.make_order(
        person=wafang_person, actor=hq_user, kind="centralised", room=site.rooms.get(number="1")
    )
    response = login(client, hq_user).get(reverse("quarantine:site-list"))
    [row] = response.context["sites"]
    assert (row.room_count, row.occupied, row.free_rooms) == (2, 1, 1)


def test_adding_a_room_that_exists_is_refused_on_the_page(client, hq_user, site):
    url = reverse("quarantine:site-rooms-add", kwargs={"site_id": site.pk})
    response = login(client, hq_user).post(url, {"rooms": "2 3", "beds": "1"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert site.rooms.count() == 2


def test_the_order_form_offers_only_rooms_with_a_free_bed(
    client, hq_user, town, wafang_person, site
):
    factories.make_order(
        person=factories.make_person(region=town["wafang_2"], name="先到"),
        actor=hq_user,
        kind="centralised",
        room=site.rooms.get(number="1"),
    )
    url = reverse("quarantine:order-create", kwargs={"person_id": wafang_person.pk})
    rooms = login(client, hq_user).get(url).context["form"].fields["room"].queryset
    assert [room.number for room in rooms] == ["2"]


def test_a_room_chosen_on_the_order_form_is_taken(client, hq_user, wafang_person, site):
    room = site.rooms.get(number="2")
    login(client, hq_user).post(
        reverse("quarantine:order-create", kwargs={"person_id": wafang_person.pk}),
        {
            "kind": factories.quarantine_kind("centralised").pk,
            "reason": factories.order_reason().pk,
            "basis": "密接",
            "source": "manual",
            "starts_on": timezone.localdate().isoformat(),
            "room": room.pk,
        },
    )
    assert QuarantineOrder.objects.get(person=wafang_person).room == room


def test_a_grid_worker_cannot_open_a_site(client, grid_worker):
    assert login(client, grid_worker).get(reverse("quarantine:site-create")).status_code == 404
