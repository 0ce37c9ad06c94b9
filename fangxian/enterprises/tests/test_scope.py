"""Enterprise scope: staff by region, the enterprise's own contact by membership only."""

import pytest
from django.urls import reverse

from fangxian.accounts.roles import Capability
from fangxian.enterprises import selectors
from fangxian.enterprises.models import Worker
from fangxian.enterprises.scope import can_on, has_enterprise_capability
from tests import factories

VIEW = Capability.VIEW_ENTERPRISES


def _names(user):
    return set(selectors.enterprise_list(user=user).values_list("name", flat=True))


def test_hq_sees_every_enterprise_of_the_township(hq_user, wafang_enterprise, beiqi_enterprise):
    assert _names(hq_user) == {"瓦房砖厂", "碑棋超市"}


def test_village_cadre_sees_only_their_village(village_cadre, wafang_enterprise, beiqi_enterprise):
    assert _names(village_cadre) == {"瓦房砖厂"}


def test_contact_sees_only_their_enterprise(contact, beiqi_enterprise):
    assert _names(contact) == {"瓦房砖厂"}
    assert can_on(
        contact, Capability.KEEP_ENTERPRISE_RECORDS, contact.enterprise_memberships.get().enterprise
    )
    assert not can_on(contact, Capability.KEEP_ENTERPRISE_RECORDS, beiqi_enterprise)
    assert not can_on(contact, Capability.MANAGE_ENTERPRISES, beiqi_enterprise)


def test_grid_worker_has_no_enterprise_pages(client, grid_worker, wafang_enterprise):
    assert not has_enterprise_capability(grid_worker, VIEW)
    client.force_login(grid_worker)
    assert client.get(reverse("enterprises:enterprise-list")).status_code == 404
    url = reverse("enterprises:enterprise-detail", args=[wafang_enterprise.pk])
    assert client.get(url).status_code == 404


def test_contact_gets_404_for_another_enterprise(client, contact, beiqi_enterprise):
    client.force_login(contact)
    for name in ("enterprise-detail", "worker-list", "application-detail", "report-form"):
        response = client.get(reverse(f"enterprises:{name}", args=[beiqi_enterprise.pk]))
        assert response.status_code == 404, name


def test_contact_lands_on_their_enterprise(client, contact, wafang_enterprise):
    client.force_login(contact)
    response = client.get(reverse("enterprises:enterprise-list"))
    assert response.status_code == 302
    assert response.url == wafang_enterprise.get_absolute_url()


@pytest.mark.parametrize(
    "name", ["people:person-list", "people:duplicate-list", "screening:returnee-list"]
)
def test_contact_sees_no_people_pages(client, contact, name):
    client.force_login(contact)
    assert client.get(reverse(name)).status_code == 404


def test_contact_sees_their_worker_masked_but_not_the_ledger_record(
    client, contact, wafang_enterprise, wafang_person, beiqi_person
):
    Worker.objects.create(enterprise=wafang_enterprise, person=wafang_person)
    client.force_login(contact)
    roster = client.get(reverse("enterprises:worker-list", args=[wafang_enterprise.pk]))
    text = roster.content.decode()
    assert "张三" in text
    assert wafang_person.id_number_masked in text
    assert wafang_person.id_number not in text
    assert "李四" not in text
    person_url = reverse("people:person-detail", args=[wafang_person.pk])
    assert client.get(person_url).status_code == 404
    api_url = reverse("people:api-person-detail", args=[beiqi_person.pk])
    assert client.get(api_url).status_code == 404


def test_a_region_role_of_the_contact_kind_cannot_exist():
    """Enterprise roles are not region roles: a RoleAssignment cannot carry one."""
    from fangxian.accounts.models import RoleAssignment

    choices = dict(RoleAssignment._meta.get_field("role").choices)
    assert "enterprise_contact" not in choices


def test_supervisor_sees_the_enterprises_of_their_village(
    supervisor, wafang_enterprise, beiqi_enterprise
):
    assert _names(supervisor) == {"瓦房砖厂"}
    assert can_on(supervisor, Capability.SUPERVISE_ENTERPRISES, wafang_enterprise)
    assert not can_on(supervisor, Capability.MANAGE_ENTERPRISES, wafang_enterprise)


def test_membership_of_another_user_grants_nothing(town, wafang_enterprise):
    other = factories.make_user(username="nobody")
    assert _names(other) == set()
