"""Checkpoint pages: HQ set-up, the phone registration form, lists, corrections, notices."""

import uuid

from django.urls import reverse

from conftest import login
from fangxian.checkpoints.models import Checkpoint, Notice, Passage
from tests import factories


def _form(checkpoint_client_id=None, **fields):
    """POST data of the registration form with one person row (six rows are offered)."""
    data = {
        "client_id": str(checkpoint_client_id or uuid.uuid4()),
        "direction": "in",
        "decision": "released",
        "people-TOTAL_FORMS": "6",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "12",
    }
    return data | fields


def test_hq_sets_up_a_checkpoint(client, hq_user, town):
    login(client, hq_user)
    response = client.post(
        reverse("checkpoints:checkpoint-create"),
        {
            "region": town["wafang"].pk,
            "name": "老街卡点",
            "level": "village",
            "kind": "checkpoint",
            "location": "老街路口",
            "staffed_by": "瓦房村委会",
            "mode": "exceptions",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    checkpoint = Checkpoint.objects.get(name="老街卡点")
    assert (checkpoint.region, checkpoint.mode) == (town["wafang"], "exceptions")


def test_hq_cannot_place_a_checkpoint_outside_its_scope(client, hq_user, town):
    other = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    login(client, hq_user)
    response = client.post(
        reverse("checkpoints:checkpoint-create"),
        {
            "region": other.pk,
            "name": "外镇",
            "level": "township",
            "kind": "checkpoint",
            "location": "x",
            "mode": "full",
        },
    )
    assert response.status_code == 200
    assert not Checkpoint.objects.filter(name="外镇").exists()


def test_a_grid_worker_gets_404_for_the_checkpoint_pages(client, grid_worker, checkpoint):
    login(client, grid_worker)
    assert client.get(reverse("checkpoints:checkpoint-list")).status_code == 404
    url = reverse("checkpoints:passage-create", args=[checkpoint.pk])
    assert client.get(url).status_code == 404


def test_staff_register_a_ledger_person_by_id_number(client, staff, checkpoint, wafang_person):
    login(client, staff)
    url = reverse("checkpoints:passage-create", args=[checkpoint.pk])
    response = client.post(
        url,
        _form(
            plate="云a 12345",
            **{
                "people-0-id_number": wafang_person.id_number,
                "people-0-temperature": "36.6",
                "people-0-code_colour": "green",
                "people-0-code_verified": "on",
            },
        ),
    )
    assert response.status_code == 302
    passage = Passage.objects.get()
    assert passage.plate == "云A12345"
    person = passage.people.get()
    assert (person.person, person.name) == (wafang_person, "张三")


def test_an_out_of_scope_id_number_is_a_stranger_who_needs_a_name(
    client, staff, checkpoint, beiqi_person
):
    login(client, staff)
    url = reverse("checkpoints:passage-create", args=[checkpoint.pk])
    response = client.post(url, _form(**{"people-0-id_number": beiqi_person.id_number}))
    assert response.status_code == 200
    assert "李四" not in response.content.decode()
    assert not Passage.objects.exists()
    response = client.post(
        url, _form(**{"people-0-id_number": beiqi_person.id_number, "people-0-name": "李四"})
    )
    assert response.status_code == 302
    assert Passage.objects.get().people.get().person is None


def test_errors_name_the_field_in_chinese(client, staff, checkpoint):
    login(client, staff)
    url = reverse("checkpoints:passage-create", args=[checkpoint.pk])
    response = client.post(
        url,
        _form(plate="云A1O345", decision="turned_back", **{"people-0-name": "甲"}),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "车牌号：" in text or "车牌：" in text
    assert "劝返" in text
    assert not Passage.objects.exists()


def test_the_same_form_sent_twice_registers_once(client, staff, checkpoint):
    login(client, staff)
    url = reverse("checkpoints:passage-create", args=[checkpoint.pk])
    data = _form(**{"people-0-name": "甲"})
    client.post(url, data)
    client.post(url, data)
    assert Passage.objects.count() == 1


def test_the_list_masks_identifiers_and_shows_the_latest_version(
    client, staff, checkpoint, wafang_person
):
    old = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        plate="云A11111",
        people=[
            {
                "name": "",
                "person": wafang_person,
                "document_number": wafang_person.id_number,
                "phone": wafang_person.phone,
            }
        ],
    ).passage
    login(client, staff)
    response = client.post(
        reverse("checkpoints:passage-correct", args=[old.pk]),
        _form(plate="云A22222", **{"people-0-id_number": wafang_person.id_number}),
    )
    assert response.status_code == 302
    text = client.get(reverse("checkpoints:passage-list")).content.decode()
    assert "云A22222" in text and "云A11111" not in text
    assert wafang_person.id_number not in text
    assert wafang_person.id_number_masked in text
    # the old version can no longer be corrected
    assert client.get(reverse("checkpoints:passage-correct", args=[old.pk])).status_code == 404


def test_the_lookup_fills_in_only_people_within_scope(client, staff, wafang_person, beiqi_person):
    login(client, staff)
    url = reverse("checkpoints:person-lookup")
    found = client.get(url, {"people-0-id_number": wafang_person.id_number}).content.decode()
    assert "张三" in found and wafang_person.id_number_masked in found
    assert wafang_person.id_number not in found
    hidden = client.get(url, {"people-0-id_number": beiqi_person.id_number}).content.decode()
    assert "李四" not in hidden


def test_grid_workers_see_notices_for_their_place_only(
    client, grid_worker, outsider, checkpoint, staff, town, hubei
):
    factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        origin_text="湖北武汉",
        destination_region=town["wafang"],
        people=[{"name": "赵六"}],
    )
    login(client, grid_worker)
    # the notice is for 瓦房村; its grid workers hold their roles over a grid in it
    text = client.get(reverse("checkpoints:notice-list")).content.decode()
    assert "赵六" in text
    notice = Notice.objects.get()
    client.post(reverse("checkpoints:notice-read", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.read_by == grid_worker
    login(client, outsider)
    assert "赵六" not in client.get(reverse("checkpoints:notice-list")).content.decode()
    assert client.post(reverse("checkpoints:notice-read", args=[notice.pk])).status_code == 404


def test_a_worker_s_home_shows_the_current_shift_and_registration(
    client, staff, hq_user, checkpoint
):
    from django.utils import timezone

    from fangxian.checkpoints.services import shift_create, shift_member_add

    now = timezone.now()
    shift = shift_create(
        actor=hq_user,
        checkpoint=checkpoint,
        starts_at=now - timezone.timedelta(hours=2),
        ends_at=now + timezone.timedelta(hours=6),
    )
    shift_member_add(actor=hq_user, shift=shift, user=staff, duty="cadre")
    login(client, staff)
    text = client.get(reverse("checkpoints:home")).content.decode()
    assert "瓦房村口卡点" in text
    assert reverse("checkpoints:passage-create", args=[checkpoint.pk]) in text
    assert 'data-testid="current-shift"' in text


def test_hq_adds_a_shift_and_its_people_on_the_rota(client, hq_user, staff, checkpoint):
    login(client, hq_user)
    response = client.post(
        reverse("checkpoints:shift-create", args=[checkpoint.pk]),
        {"starts_at": "2026-02-03T08:00", "ends_at": "2026-02-03T20:00"},
    )
    assert response.status_code == 302
    shift = checkpoint.shifts.get()
    client.post(
        reverse("checkpoints:shift-member-add", args=[shift.pk]),
        {"user": staff.pk, "duty": "medic"},
    )
    assert list(shift.members.values_list("user", "duty")) == [(staff.pk, "medic")]
    text = client.get(reverse("checkpoints:rota", args=[checkpoint.pk]) + "?week=2026-02-04")
    assert "值守员" in text.content.decode()
    bad = client.post(
        reverse("checkpoints:shift-create", args=[checkpoint.pk]),
        {"starts_at": "2026-02-03T08:00", "ends_at": "2026-02-03T07:00"},
    )
    assert bad.status_code == 302 and checkpoint.shifts.count() == 1


def test_the_list_finds_a_plate_as_typed(client, staff, checkpoint):
    for plate in ("云A11111", "云A22222"):
        factories.register_passage(
            checkpoint=checkpoint, actor=staff, plate=plate, people=[{"name": plate[-1]}]
        )
    login(client, staff)
    text = client.get(reverse("checkpoints:passage-list"), {"plate": " 云a·11111"}).content
    assert text.decode().count('data-testid="passage-row"') == 1
    assert "云A11111" in text.decode()


def test_a_key_area_arrival_is_announced_to_the_worker(client, staff, checkpoint, town, hubei):
    login(client, staff)
    response = client.post(
        reverse("checkpoints:passage-create", args=[checkpoint.pk]),
        _form(
            origin_text="湖北武汉",
            destination_region=town["beiqi"].code,
            **{"people-0-name": "赵六"},
        ),
        follow=True,
    )
    assert "重点地区" in response.content.decode()
    assert Notice.objects.get().region == town["beiqi"]


def test_hq_switches_a_checkpoint_to_exceptions_only(client, hq_user, checkpoint):
    from fangxian.audit.models import AuditEntry

    login(client, hq_user)
    url = reverse("checkpoints:checkpoint-edit", args=[checkpoint.pk])
    response = client.post(
        url,
        {
            "region": checkpoint.region.pk,
            "name": checkpoint.name,
            "level": checkpoint.level,
            "kind": checkpoint.kind,
            "location": checkpoint.location,
            "mode": "exceptions",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    checkpoint.refresh_from_db()
    assert checkpoint.mode == "exceptions"
    entry = AuditEntry.objects.filter(object_type="checkpoints.checkpoint").latest("id")
    assert entry.changes == {"mode": ["full", "exceptions"]}


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_passage_list_costs_the_same_for_3_or_30_passages(client, hq_user, checkpoint, staff):
    login(client, hq_user)
    url = reverse("checkpoints:passage-list")

    def add(count):
        for _ in range(count):
            factories.register_passage(
                checkpoint=checkpoint, actor=staff, people=[{"name": "甲"}, {"name": "乙"}]
            )

    add(3)
    few = _queries(client, url)
    add(27)
    assert _queries(client, url) == few


def test_the_figures_page_costs_the_same_for_1_or_5_checkpoints(client, hq_user, town, staff):
    login(client, hq_user)
    url = reverse("checkpoints:figures")
    factories.register_passage(
        checkpoint=factories.make_checkpoint(region=town["wafang"]), actor=staff
    )
    few = _queries(client, url)
    for _ in range(4):
        factories.register_passage(
            checkpoint=factories.make_checkpoint(region=town["beiqi"]), actor=staff
        )
    assert _queries(client, url) == few


def test_a_correction_keeps_the_people_it_does_not_touch(client, staff, checkpoint, wafang_person):
    old = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        plate="云A11111",
        people=[
            {
                "name": "",
                "person": wafang_person,
                "document_number": wafang_person.id_number,
                "phone": wafang_person.phone,
            },
            {"name": "王五", "document_number": "G12345678"},
        ],
    ).passage
    login(client, staff)
    url = reverse("checkpoints:passage-correct", args=[old.pk])
    page = client.get(url)
    text = page.content.decode()
    assert wafang_person.id_number not in text and wafang_person.phone not in text
    kept = [str(row.pk) for row in old.people.order_by("id")]
    response = client.post(
        url,
        _form(
            plate="云A22222",
            **{
                "people-INITIAL_FORMS": "2",
                "people-0-keep": kept[0],
                "people-0-name": "张三",
                "people-1-keep": kept[1],
                "people-1-name": "",  # emptied: 王五 was not in the car
            },
        ),
    )
    assert response.status_code == 302
    new = Passage.objects.get(corrects=old)
    rows = list(new.people.values_list("person_id", "document_number", "phone"))
    assert rows == [(wafang_person.pk, wafang_person.id_number, wafang_person.phone)]


def test_a_correction_cannot_borrow_rows_of_another_passage(
    client, staff, checkpoint, wafang_person
):
    other = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        people=[{"name": "", "person": wafang_person, "document_number": wafang_person.id_number}],
    ).passage
    old = factories.register_passage(checkpoint=checkpoint, actor=staff).passage
    login(client, staff)
    response = client.post(
        reverse("checkpoints:passage-correct", args=[old.pk]),
        _form(**{"people-0-keep": str(other.people.get().pk), "people-0-name": "过客"}),
    )
    assert response.status_code == 302
    row = Passage.objects.get(corrects=old).people.get()
    assert (row.person_id, row.document_number) == (None, "")
