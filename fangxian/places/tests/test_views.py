"""The staff pages: HQ and village cadres list, register, edit, close, reopen places and
withdraw their code, each within their scope; the A4 poster holds the scan URL only."""

import segno
from django.urls import reverse

from conftest import login
from fangxian.audit.models import AuditEntry
from fangxian.places.models import Place
from fangxian.places.services import place_create
from tests import factories


def test_a_cadre_registers_a_place_in_their_village(client, cadre, town):
    login(client, cadre)
    data = {
        "region": town["wafang"].pk,
        "name": "瓦房卫生室",
        "kind": "clinic",
        "address": "瓦房村委会旁",
        "contact_name": "王医生",
        "contact_phone": "13800000001",
    }
    response = client.post(reverse("places:place-create"), data)
    place = Place.objects.get()
    assert response.url == reverse("places:place-detail", args=[place.pk])
    assert (place.name, place.region, place.created_by) == ("瓦房卫生室", town["wafang"], cadre)
    assert AuditEntry.objects.filter(object_type="places.place", action="create").count() == 1


def test_a_cadre_cannot_register_a_place_in_another_village(client, cadre, town):
    login(client, cadre)
    data = {"region": town["beiqi"].pk, "name": "碑棋超市", "kind": "supermarket"}
    response = client.post(reverse("places:place-create"), data)
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Place.objects.exists()


def test_another_villages_place_is_404_on_every_page(client, cadre, beiqi_shop):
    login(client, cadre)
    for name in ("place-detail", "place-edit", "place-poster"):
        assert client.get(reverse(f"places:{name}", args=[beiqi_shop.pk])).status_code == 404
    for name in ("place-close", "place-reopen", "place-reissue"):
        assert client.post(reverse(f"places:{name}", args=[beiqi_shop.pk])).status_code == 404
    listed = client.get(reverse("places:place-list")).content.decode()
    assert "碑棋药店" not in listed
    assert client.get(reverse("places:scan-list"), {"place": beiqi_shop.pk}).status_code == 404
    beiqi = beiqi_shop.region.code
    assert client.get(reverse("places:place-list"), {"region": beiqi}).status_code == 404
    assert client.get(reverse("places:village-posters", args=[beiqi])).status_code == 404


def test_a_grid_worker_has_no_place_pages(client, grid_worker, shop):
    login(client, grid_worker)
    assert client.get(reverse("places:place-list")).status_code == 404
    assert client.get(reverse("places:place-detail", args=[shop.pk])).status_code == 404


def test_edit_close_reopen_and_withdraw_the_code(client, cadre, shop):
    login(client, cadre)
    edit = reverse("places:place-edit", args=[shop.pk])
    data = {"region": shop.region_id, "name": "瓦房便民超市", "kind": "supermarket"}
    client.post(edit, data)
    shop.refresh_from_db()
    assert shop.name == "瓦房便民超市"
    client.post(reverse("places:place-close", args=[shop.pk]), {"closed_reason": ""})
    shop.refresh_from_db()
    assert shop.is_open  # a reason is required
    client.post(reverse("places:place-close", args=[shop.pk]), {"closed_reason": "店主隔离"})
    shop.refresh_from_db()
    assert (shop.is_open, shop.closed_reason) == (False, "店主隔离")
    detail = client.get(reverse("places:place-detail", args=[shop.pk])).content.decode()
    assert "暂停营业" in detail and "店主隔离" in detail
    client.post(reverse("places:place-reopen", args=[shop.pk]))
    shop.refresh_from_db()
    assert shop.is_open
    old = shop.token
    client.post(reverse("places:place-reissue", args=[shop.pk]))
    shop.refresh_from_db()
    assert shop.token != old
    assert client.get(f"/p/{old}/").status_code == 404


def test_the_poster_holds_the_scan_url_and_nothing_else(client, cadre, shop):
    login(client, cadre)
    text = client.get(reverse("places:place-poster", args=[shop.pk])).content.decode()
    url = f"http://testserver/p/{shop.token}/"
    assert segno.make(url, error="m").svg_inline(scale=10, title=shop.name, omitsize=True) in text
    assert "瓦房超市" in text and "瓦房村" in text
    assert "请使用手机相机扫码登记进出" in text
    assert "size: A4 portrait" in text
    assert "bootstrap" not in text


def test_a_village_prints_the_posters_of_its_open_places(client, cadre, shop, town, hq_user):
    place_create(actor=hq_user, region=town["wafang"], name="瓦房药店", kind="pharmacy")
    closed = place_create(actor=hq_user, region=town["wafang"], name="瓦房饭店", kind="restaurant")
    closed.is_open = False
    closed.save()
    login(client, cadre)
    text = client.get(reverse("places:village-posters", args=[town["wafang"].code])).content
    assert text.decode().count('data-testid="poster"') == 2
    assert "瓦房饭店" not in text.decode()


def test_the_list_filters_by_village_kind_and_name_in_few_queries(
    client, hq_user, shop, beiqi_shop, town, django_assert_max_num_queries
):
    login(client, hq_user)
    url = reverse("places:place-list")
    with django_assert_max_num_queries(12):
        everything = client.get(url).content.decode()
    assert "瓦房超市" in everything and "碑棋药店" in everything
    by_village = client.get(url, {"region": town["beiqi"].code}).content.decode()
    assert "瓦房超市" not in by_village and "碑棋药店" in by_village
    by_kind = client.get(url, {"kind": "supermarket"}).content.decode()
    assert "瓦房超市" in by_kind and "碑棋药店" not in by_kind
    by_name = client.get(url, {"q": "药"}).content.decode()
    assert "瓦房超市" not in by_name and "碑棋药店" in by_name


def test_the_list_is_paged_by_key(client, hq_user, town):
    for number in range(55):
        place_create(actor=hq_user, region=town["wafang"], name=f"商店{number}", kind="other")
    login(client, hq_user)
    first = client.get(reverse("places:place-list")).context["page"]
    assert len(first.items) == 50 and first.has_next
    second = client.get(reverse("places:place-list"), {"after": first.next_after}).context["page"]
    assert len(second.items) == 5


def test_the_menu_shows_places_to_those_who_manage_them(client, cadre, grid_worker):
    login(client, cadre)
    assert 'data-testid="nav-places"' in client.get(reverse("places:place-list")).content.decode()
    other = factories.make_user(role="checkpoint_staff", region=cadre.role_assignments.get().region)
    login(client, other)
    assert 'data-testid="nav-places"' not in client.get("/", follow=True).content.decode()
