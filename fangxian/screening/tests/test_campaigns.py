"""Opening screening campaigns (campaigns.campaign_create), who sees them, and their pages."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.screening import selectors
from fangxian.screening.campaigns import campaign_create
from fangxian.screening.models import Campaign
from tests import factories

START, END = date(2020, 2, 1), date(2020, 2, 7)


def _open(actor, regions, **fields):
    return campaign_create(
        actor=actor,
        regions=regions,
        **({"name": "第一轮拉网排查", "starts_on": START, "ends_on": END} | fields),
    )


@pytest.fixture
def tangdan(town):
    township = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    village = factories.make_region(path="530113102201", short_name="汤丹村", parent=township)
    factories.make_region(path="53011310220101", short_name="第一网格", parent=village)
    return township


@pytest.fixture
def tangdan_hq(tangdan):
    return factories.make_user(role=Role.HQ, region=tangdan, username="tangdan_hq")


# --- campaign_create ------------------------------------------------------------------------


def test_hq_opens_a_campaign_over_the_township_and_it_is_audited(hq_user, town):
    campaign = _open(hq_user, [town["town"]])

    assert list(campaign.regions.all()) == [town["town"]]
    assert (campaign.starts_on, campaign.ends_on, campaign.created_by) == (START, END, hq_user)
    entry = AuditEntry.objects.get(object_type="screening.campaign")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == hq_user
    assert entry.region == town["town"]
    assert entry.detail["regions"] == [town["town"].code]


def test_hq_opens_a_campaign_over_some_villages(hq_user, town):
    campaign = _open(hq_user, [town["wafang"], town["beiqi"]])
    assert set(campaign.regions.all()) == {town["wafang"], town["beiqi"]}


def test_a_village_chosen_with_its_township_is_dropped(hq_user, town):
    campaign = _open(hq_user, [town["wafang"], town["town"]])
    assert list(campaign.regions.all()) == [town["town"]]


def test_a_grid_worker_cannot_open_a_campaign(grid_worker, town):
    with pytest.raises(PermissionDenied):
        _open(grid_worker, [town["wafang_1"].parent])
    assert not Campaign.objects.exists()


def test_hq_cannot_open_a_campaign_over_another_township(hq_user, tangdan):
    with pytest.raises(PermissionDenied):
        _open(hq_user, [tangdan])


@pytest.mark.parametrize(
    "fields, error_field",
    [
        ({"starts_on": END, "ends_on": START}, "ends_on"),
        ({"name": "  "}, "name"),
    ],
)
def test_campaign_create_checks_name_and_period(hq_user, town, fields, error_field):
    with pytest.raises(ValidationError) as error:
        _open(hq_user, [town["town"]], **fields)
    assert error_field in error.value.message_dict
    assert not Campaign.objects.exists()


def test_a_campaign_needs_a_township_or_villages(hq_user, town):
    with pytest.raises(ValidationError):
        _open(hq_user, [])
    with pytest.raises(ValidationError):
        _open(hq_user, [town["wafang_1"]])  # a grid


# --- campaign_list --------------------------------------------------------------------------


def test_grid_worker_sees_campaigns_over_their_township_and_village_only(
    grid_worker, hq_user, town
):
    whole = _open(hq_user, [town["town"]], name="全镇")
    wafang = _open(hq_user, [town["wafang"]], name="瓦房村")
    _open(hq_user, [town["beiqi"]], name="碑棋社区")

    assert set(selectors.campaign_list(user=grid_worker)) == {whole, wafang}


def test_hq_sees_a_campaign_over_one_of_its_villages_once(hq_user, town):
    campaign = _open(hq_user, [town["wafang"], town["beiqi"]])
    assert list(selectors.campaign_list(user=hq_user)) == [campaign]


def test_hq_of_another_township_sees_no_campaign(hq_user, tangdan_hq, town):
    _open(hq_user, [town["town"]])
    assert list(selectors.campaign_list(user=tangdan_hq)) == []


def test_campaign_status_follows_the_date(hq_user, grid_worker, town):
    campaign = _open(hq_user, [town["town"]])
    status = {
        day: selectors.campaign_list(user=grid_worker, today=day).get(pk=campaign.pk).status
        for day in (date(2020, 1, 31), START, END, date(2020, 2, 8))
    }
    assert list(status.values()) == ["upcoming", "active", "active", "ended"]


# --- pages ----------------------------------------------------------------------------------


def test_campaign_list_page_offers_hq_to_open_one(client, hq_user, town):
    _open(hq_user, [town["town"]])
    client.force_login(hq_user)
    response = client.get(reverse("screening:campaign-list"))
    body = response.content.decode()
    assert "第一轮拉网排查" in body
    assert reverse("screening:campaign-create") in body


def test_grid_worker_gets_the_list_without_the_button_and_no_form(
    client, grid_worker, hq_user, town
):
    _open(hq_user, [town["town"]])
    client.force_login(grid_worker)
    body = client.get(reverse("screening:campaign-list")).content.decode()
    assert "第一轮拉网排查" in body
    assert reverse("screening:campaign-create") not in body
    assert client.get(reverse("screening:campaign-create")).status_code == 404


def test_the_menu_shows_screening_to_those_who_edit_people(client, grid_worker, town):
    medic = factories.make_user(role=Role.MEDIC, region=town["wafang"], username="medic")
    url = reverse("screening:campaign-list")
    client.force_login(grid_worker)
    assert url in client.get(reverse("people:person-list")).content.decode()
    client.force_login(medic)
    assert url not in client.get(reverse("people:person-list")).content.decode()
    assert client.get(url).status_code == 404


def test_create_form_offers_the_township_and_its_villages_with_grids(client, hq_user, town):
    factories.make_region(path="530113105299", short_name="无网格村", parent=town["town"])
    client.force_login(hq_user)
    form = client.get(reverse("screening:campaign-create")).context["form"]
    codes = [code for code, _label in form.fields["regions"].choices]
    assert codes == [town["town"].code, town["beiqi"].code, town["wafang"].code]


def test_hq_opens_a_campaign_through_the_form(client, hq_user, town):
    client.force_login(hq_user)
    response = client.post(
        reverse("screening:campaign-create"),
        {
            "name": "第二轮排查",
            "starts_on": "2020-02-10",
            "ends_on": "2020-02-12",
            "regions": [town["wafang"].code, town["beiqi"].code],
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("screening:campaign-detail", args=[campaign.pk])
    assert set(campaign.regions.all()) == {town["wafang"], town["beiqi"]}


def test_the_form_refuses_a_region_outside_the_choices(client, hq_user, tangdan):
    client.force_login(hq_user)
    response = client.post(
        reverse("screening:campaign-create"),
        {
            "name": "越权",
            "starts_on": "2020-02-10",
            "ends_on": "2020-02-12",
            "regions": [tangdan.code],
        },
    )
    assert response.status_code == 200
    assert "regions" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_the_form_shows_a_period_error(client, hq_user, town):
    client.force_login(hq_user)
    response = client.post(
        reverse("screening:campaign-create"),
        {
            "name": "倒序",
            "starts_on": "2020-02-12",
            "ends_on": "2020-02-10",
            "regions": [town["town"].code],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Campaign.objects.exists()


def test_hq_of_another_township_gets_404_for_the_campaign(client, hq_user, tangdan_hq, town):
    campaign = _open(hq_user, [town["town"]])
    client.force_login(tangdan_hq)
    assert client.get(reverse("screening:campaign-detail", args=[campaign.pk])).status_code == 404
    body = client.get(reverse("screening:campaign-list")).content.decode()
    assert "第一轮拉网排查" not in body
