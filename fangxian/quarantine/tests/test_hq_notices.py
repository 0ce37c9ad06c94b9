"""What is printed for an order (the door notice with its QR code, the person's notice) and
the page the QR code opens: the order for staff within scope, a neutral page for anyone else."""

import re

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conftest import login
from fangxian.quarantine.models import TeamMember, TeamRole
from fangxian.quarantine.orders import order_door_token_renew
from tests import factories


@pytest.fixture
def order(hq_user, doctor, wafang_person):
    order = factories.make_order(person=wafang_person, actor=hq_user)
    doctor.phone = "13988887777"
    doctor.save()
    TeamMember.objects.create(
        order=order,
        region=order.region,
        team_role=TeamRole.objects.get(name="医生"),
        user=doctor,
        assigned_by=hq_user,
        assigned_at=timezone.now(),
    )
    return order


def door(order) -> str:
    return reverse("quarantine:door", kwargs={"token": order.door_token})


def test_the_door_notice_shows_kind_period_and_the_teams_work_phones(client, hq_user, order):
    url = reverse("quarantine:door-notice", kwargs={"order_id": order.pk})
    text = login(client, hq_user).get(url).content.decode()
    assert "居家隔离" in text
    assert (
        f"{order.planned_end_on:%Y}年{order.planned_end_on.month}月{order.planned_end_on.day}日"
        in text
    )
    assert "李医生" in text and "13988887777" in text
    assert "@page { size: A5" in text


def test_the_qr_code_holds_only_the_door_link(client, hq_user, order):
    url = reverse("quarantine:door-notice", kwargs={"order_id": order.pk})
    response = login(client, hq_user).get(url)
    expected = segno.make(f"http://testserver{door(order)}", error="m").svg_inline(
        scale=4, omitsize=True, title=_("Door notice code")
    )
    assert response.context["qr"] == expected
    assert order.person.id_number not in response.content.decode()


def test_the_door_link_opens_the_order_for_staff_in_scope(client, grid_worker, order):
    response = login(client, grid_worker).get(door(order))
    assert response.url == reverse("quarantine:order-detail", kwargs={"order_id": order.pk})


def test_the_door_link_shows_a_neutral_page_to_staff_out_of_scope(client, outsider, order):
    response = login(client, outsider).get(door(order))
    text = response.content.decode()
    assert 'data-testid="door-neutral"' in text
    assert order.person.name not in text


def test_the_door_link_shows_the_same_neutral_page_to_a_visitor(client, order):
    response = client.get(door(order))
    unknown = client.get(reverse("quarantine:door", kwargs={"token": "nothing-here"}))
    assert response.status_code == unknown.status_code == 200

    def page(response, path: str) -> str:
        text = response.content.decode().replace(path, "")
        return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)

    assert page(response, door(order)) == page(unknown, "/quarantine/door/nothing-here/")
    assert order.person.name not in response.content.decode()


def test_a_replaced_code_no_longer_opens_the_order(client, hq_user, grid_worker, order):
    old = door(order)
    order_door_token_renew(actor=hq_user, order=order, reason="公示牌被拍照")
    response = login(client, grid_worker).get(old)
    assert 'data-testid="door-neutral"' in response.content.decode()


def test_the_notice_to_the_person_says_why_until_when_and_how_to_appeal(client, hq_user, order):
    url = reverse("quarantine:letter", kwargs={"order_id": order.pk})
    text = login(client, hq_user).get(url).content.decode()
    assert "密切接触者" in text
    assert "疾控中心密接名单" in text
    assert "13988887777" in text
    assert "申诉" in text
