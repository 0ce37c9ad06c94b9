import pytest
from django.urls import reverse

from fangxian.audit.models import AuditEntry
from tests import factories


@pytest.fixture
def grid_client(client, grid_worker):
    client.force_login(grid_worker)
    return client


def test_person_list_shows_masked_id_and_phone(grid_client, wafang_person):
    response = grid_client.get(reverse("people:person-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert wafang_person.id_number_masked in body
    assert wafang_person.id_number not in body
    assert "138****5678" in body
    assert "13812345678" not in body


def test_search_by_pinyin_initials_finds_zhang_san(grid_client, wafang_person, town):
    factories.make_person(region=town["wafang_1"], name="王五")
    response = grid_client.get(reverse("people:person-list"), {"q": "zs"})
    body = response.content.decode()
    assert "张三" in body
    assert "王五" not in body


def test_search_by_last_id_digits_and_by_phone(grid_client, wafang_person):
    tail = wafang_person.id_number[-4:]
    assert "张三" in grid_client.get(reverse("people:person-list"), {"q": tail}).content.decode()
    assert (
        "张三"
        in grid_client.get(reverse("people:person-list"), {"q": "13812345678"}).content.decode()
    )


def test_grid_worker_gets_404_for_other_village_person(grid_client, beiqi_person):
    url = reverse("people:person-detail", kwargs={"person_id": beiqi_person.pk})
    assert grid_client.get(url).status_code == 404


def test_person_list_never_shows_other_village(grid_client, wafang_person, beiqi_person):
    body = grid_client.get(reverse("people:person-list")).content.decode()
    assert "张三" in body
    assert "李四" not in body


def test_reveal_shows_full_number_and_writes_audit_entry(grid_client, grid_worker, wafang_person):
    url = reverse("people:person-reveal", kwargs={"person_id": wafang_person.pk})
    response = grid_client.post(url)
    assert wafang_person.id_number in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_FULL)
    assert entry.actor == grid_worker
    assert entry.person_id == wafang_person.pk
    assert entry.region_id == wafang_person.region_id


def test_region_page_counts_people_per_village(client, hq_user, town, wafang_person, beiqi_person):
    client.force_login(hq_user)
    response = client.get(town["town"].get_absolute_url())
    rows = {row.region.short_name: row.counts for row in response.context["rows"]}
    assert rows["瓦房村"]["people"] == 1
    assert rows["瓦房村"]["grids"] == 2
    assert rows["碑棋社区"]["people"] == 1
    assert response.context["totals"]["people"] == 2


def test_out_of_scope_record_answers_the_chinese_not_found_page(grid_client, beiqi_person):
    url = reverse("people:person-detail", kwargs={"person_id": beiqi_person.pk})
    response = grid_client.get(url)
    body = response.content.decode()
    assert response.status_code == 404
    assert "找不到" in body or "不存在" in body
    assert 'name="viewport"' in body
    assert beiqi_person.name not in body


def test_home_shows_the_sections_apps_register_and_else_goes_to_the_only_region(
    client, grid_worker, town
):
    from fangxian.people import home

    client.force_login(grid_worker)
    assert client.get("/").status_code == 302

    def today(request):
        return "people/_home_section.html", {
            "title": f"今日任务 {request.user.username}",
            "items": [("张三 08:00 体温", "/quarantine/round/")],
        }

    home.register_home_section(today)
    try:
        answer = client.get("/")
    finally:
        home._sections.remove(today)
    assert answer.status_code == 200
    assert "今日任务 grid" in answer.content.decode()
    assert 'href="/quarantine/round/"' in answer.content.decode()
    assert town["wafang_1"].short_name in answer.content.decode()
