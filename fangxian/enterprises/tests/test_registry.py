"""The registry: registering and editing enterprises, and enterprise accounts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fangxian.accounts.selectors import users_in_scope
from fangxian.audit.models import AuditEntry
from fangxian.enterprises import services
from fangxian.enterprises.models import Enterprise, EnterpriseMembership
from tests import factories

FIELDS = {
    "name": "乌龙镇农机厂",
    "address": "瓦房村3号",
    "industry": Enterprise.Industry.INDUSTRY,
    "workers_count": 35,
    "contact_name": "赵会计",
    "contact_phone": "13712345678",
    "prevention_lead_name": "钱厂长",
    "prevention_lead_phone": "13787654321",
}


def _post(town, **overrides):
    return {"region": town["wafang"].code, "uscc": factories.valid_uscc(7), **FIELDS, **overrides}


def test_hq_registers_an_enterprise_with_a_normalised_code(client, town, hq_user):
    code = factories.valid_uscc(8)
    client.force_login(hq_user)
    response = client.post(
        reverse("enterprises:enterprise-create"), _post(town, uscc=f" {code.lower()} ")
    )
    enterprise = Enterprise.objects.get(name="乌龙镇农机厂")
    assert response.status_code == 302
    assert enterprise.uscc == code
    assert enterprise.region == town["wafang"]
    assert AuditEntry.objects.filter(
        action="create", object_type="enterprises.enterprise", object_id=str(enterprise.pk)
    ).exists()


def test_a_mistyped_code_is_refused_naming_the_field(client, town, hq_user):
    code = factories.valid_uscc(9)
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    client.force_login(hq_user)
    response = client.post(reverse("enterprises:enterprise-create"), _post(town, uscc=wrong))
    assert response.status_code == 200
    assert not Enterprise.objects.exists()
    assert "统一社会信用代码" in response.content.decode()
    assert response.context["form"].errors["uscc"]


def test_the_same_code_cannot_be_registered_twice(town, hq_user):
    code = factories.valid_uscc(10)
    services.enterprise_create(actor=hq_user, region=town["wafang"], uscc=code, **FIELDS)
    with pytest.raises(ValidationError) as caught:
        services.enterprise_create(actor=hq_user, region=town["beiqi"], uscc=code, **FIELDS)
    assert "uscc" in caught.value.message_dict


def test_an_enterprise_belongs_to_a_village(town, hq_user):
    with pytest.raises(ValidationError) as caught:
        services.enterprise_create(actor=hq_user, region=town["wafang_1"], uscc="", **FIELDS)
    assert "region" in caught.value.message_dict


def test_village_cadre_registers_only_in_their_village(town, hq_user):
    cadre = factories.make_user(role="village_cadre", region=town["wafang"])
    services.enterprise_create(actor=cadre, region=town["wafang"], uscc="", **FIELDS)
    with pytest.raises(PermissionDenied):
        services.enterprise_create(actor=cadre, region=town["beiqi"], uscc="", **FIELDS)


def test_the_supervisor_must_work_in_the_enterprise_village(town, hq_user, supervisor):
    enterprise = services.enterprise_create(
        actor=hq_user, region=town["wafang"], uscc="", supervisor=supervisor, **FIELDS
    )
    assert enterprise.supervisor == supervisor
    other = factories.make_enterprise(region=town["beiqi"])
    with pytest.raises(ValidationError) as caught:
        services.enterprise_update(actor=hq_user, enterprise=other, supervisor=supervisor)
    assert "supervisor" in caught.value.message_dict


def test_list_masks_the_contact_phone_and_pages_by_key(client, hq_user, town):
    for _ in range(51):
        factories.make_enterprise(region=town["wafang"], contact_phone="13911112222")
    client.force_login(hq_user)
    first = client.get(reverse("enterprises:enterprise-list"))
    text = first.content.decode()
    assert "13911112222" not in text
    assert "139****2222" in text
    page = first.context["page"]
    assert len(page.items) == 50 and page.has_next
    second = client.get(reverse("enterprises:enterprise-list"), {"after": page.next_after})
    assert len(second.context["page"].items) == 1


def test_hq_creates_the_enterprise_account_and_sees_the_password_once(
    client, hq_user, wafang_enterprise
):
    client.force_login(hq_user)
    url = reverse("enterprises:account-create", args=[wafang_enterprise.pk])
    response = client.post(url, {"username": "brickworks", "full_name": "砖厂联络员"})
    password = response.context["password"]
    assert response.status_code == 200 and password in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    membership = EnterpriseMembership.objects.get(user__username="brickworks")
    assert membership.enterprise == wafang_enterprise
    account = membership.user
    assert not account.role_assignments.exists()
    assert account in users_in_scope(user=hq_user)
    assert AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(account.pk)
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="enterprises.enterprisemembership", object_id=str(membership.pk)
    ).exists()
    client.logout()
    assert client.login(username="brickworks", password=password)
    landing = client.get(reverse("enterprises:enterprise-list"), follow=True)
    assert landing.context["enterprise"] == wafang_enterprise


def test_an_account_with_a_given_password_follows_the_policy(hq_user, wafang_enterprise):
    with pytest.raises(ValidationError):
        services.enterprise_account_create(
            actor=hq_user,
            enterprise=wafang_enterprise,
            username="weak",
            full_name="弱密码",
            password="aaaaaaaaaa",
        )
    assert not EnterpriseMembership.objects.exists()


def test_the_contact_cannot_create_accounts(contact, wafang_enterprise):
    with pytest.raises(PermissionDenied):
        services.enterprise_account_create(
            actor=contact, enterprise=wafang_enterprise, username="x2", full_name="x"
        )


def test_hq_sets_the_township_deadline(client, town, hq_user):
    from datetime import time

    client.force_login(hq_user)
    response = client.post(
        reverse("enterprises:deadline"), {"township": town["town"].code, "deadline": "15:30"}
    )
    assert response.status_code == 302
    assert services.deadline_for(town["wafang"]) == time(15, 30)


def test_default_deadline_is_four_pm(town):
    from datetime import time

    assert services.deadline_for(town["beiqi"]) == time(16, 0)
