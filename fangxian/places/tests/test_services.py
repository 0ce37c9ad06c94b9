"""Places are registered, closed, reopened and get a new code, each audited; scans are written
by scan_record only: entry then exit, idempotent by client id, refused at a closed place."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangxian.audit.models import AuditEntry
from fangxian.checkpoints.codes import code_issue
from fangxian.places import selectors
from fangxian.places.models import Place, Scan
from fangxian.places.phones import normalize_mobile
from fangxian.places.services import (
    place_close,
    place_code_reissue,
    place_reopen,
    place_update,
    scan_record,
)
from tests import factories

PHONE = "13812345678"


def _scan(place, **fields):
    fields.setdefault("phone", PHONE)
    return scan_record(place=place, client_id=uuid.uuid4(), source=Scan.Source.PAGE, **fields)


def _audited(place) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="places.place", object_id=str(place.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_place_is_registered_with_a_random_code_and_audited(shop, town):
    assert len(shop.token) >= 20 and shop.is_open
    assert shop.region == town["wafang"]
    assert _audited(shop) == ["create"]


def test_closing_needs_a_reason_and_reopening_clears_it(shop, hq_user):
    with pytest.raises(ValidationError):
        place_close(actor=hq_user, place=shop, reason="  ")
    place_close(actor=hq_user, place=shop, reason="店主隔离")
    shop.refresh_from_db()
    assert (shop.is_open, shop.closed_reason) == (False, "店主隔离")
    assert shop.closed_at is not None
    place_reopen(actor=hq_user, place=shop)
    shop.refresh_from_db()
    assert (shop.is_open, shop.closed_reason, shop.closed_at) == (True, "", None)
    assert _audited(shop) == ["create", "update", "update"]


def test_reissuing_the_code_makes_the_old_token_unknown(shop, hq_user):
    old = shop.token
    place_code_reissue(actor=hq_user, place=shop)
    assert shop.token != old
    assert selectors.place_by_token(token=old) is None
    assert selectors.place_by_token(token=shop.token) == shop
    assert _audited(shop)[-1] == "update"


def test_an_update_audits_the_changed_fields_only(shop, hq_user):
    place_update(actor=hq_user, place=shop, name="瓦房便民超市", address=shop.address)
    entry = AuditEntry.objects.filter(object_id=str(shop.pk)).latest("id")
    assert entry.changes == {"name": ["瓦房超市", "瓦房便民超市"]}


def test_a_second_scan_is_the_exit_and_a_third_a_new_entry(shop, town):
    first, _ = _scan(shop)
    second, _ = _scan(shop)
    third, _ = _scan(shop)
    assert [first.direction, second.direction, third.direction] == ["in", "out", "in"]
    assert first.region == town["wafang"]
    assert first.day == timezone.localdate(first.occurred_at)


def test_an_entry_older_than_twelve_hours_is_not_exited(shop):
    _scan(shop, occurred_at=timezone.now() - timedelta(hours=13))
    later, _ = _scan(shop)
    assert later.direction == "in"


def test_another_phone_or_place_does_not_make_an_exit(shop, beiqi_shop):
    _scan(shop)
    assert _scan(shop, phone="13900000000")[0].direction == "in"
    assert _scan(beiqi_shop)[0].direction == "in"


def test_a_withdrawn_entry_does_not_make_an_exit(shop):
    entry, _ = _scan(shop)
    Scan.objects.create(
        place=shop,
        region=shop.region,
        phone=PHONE,
        direction="in",
        occurred_at=entry.occurred_at,
        day=entry.day,
        source="staff",
        corrects=entry,
        withdrawn=True,
    )
    assert _scan(shop)[0].direction == "in"


def test_the_same_client_id_records_once(shop):
    client_id = uuid.uuid4()
    first, created = scan_record(place=shop, client_id=client_id, phone=PHONE, source="page")
    again, created_again = scan_record(place=shop, client_id=client_id, phone=PHONE, source="page")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.direction == "in"
    assert Scan.objects.count() == 1


def test_a_closed_place_refuses_scans(shop, hq_user):
    place_close(actor=hq_user, place=shop, reason="消杀")
    with pytest.raises(ValidationError) as refused:
        _scan(shop)
    assert "place" in refused.value.message_dict
    assert not Scan.objects.exists()


def test_a_bad_phone_is_refused_in_chinese(shop):
    with pytest.raises(ValidationError) as refused:
        _scan(shop, phone="12345")
    assert "手机号" in refused.value.message_dict["phone"][0]
    with pytest.raises(ValidationError):
        _scan(shop, phone="")


def test_a_personal_code_names_the_person_and_a_revoked_one_nobody(
    shop, wafang_person, grid_worker
):
    code = code_issue(actor=grid_worker, person=wafang_person)
    assert selectors.person_by_code(text=f"https://example.org/c/{code.token}/") == wafang_person
    scan, _ = _scan(shop, person=wafang_person, phone="")
    assert scan.person == wafang_person and scan.phone == ""
    assert _scan(shop, person=wafang_person, phone="")[0].direction == "out"
    code_issue(actor=grid_worker, person=wafang_person)  # a reissue revokes the first
    assert selectors.person_by_code(text=code.token) is None
    assert selectors.person_by_code(text="no-such-code") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("12812345678", None),
        ("1381234567", None),
        ("0871-12345678", None),
        ("", None),
    ],
)
def test_mobile_numbers(text, expected):
    assert normalize_mobile(text) == expected


def test_the_place_list_is_scoped_and_filtered(shop, beiqi_shop, town):
    cadre = factories.make_user(role="village_cadre", region=town["wafang"])
    assert list(selectors.place_list(user=cadre)) == [shop]
    assert list(selectors.place_list(user=cadre, kind=Place.Kind.PHARMACY)) == []
    assert list(selectors.place_list(user=cadre, q="超市")) == [shop]
