"""Reads of the people ledger (people.selectors): search, scope and the audited full record."""

import pytest
from django.http import Http404

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.people import selectors
from tests import factories


@pytest.fixture
def ledger(town):
    """张三 (with phone 13812345678) and 王五 in 瓦房村, 李四 in 碑棋社区."""
    zhang = factories.make_person(
        region=town["wafang_1"],
        name="张三",
        id_number=factories.valid_id_number(sequence=123),
        phone="13812345678",
    )
    wang = factories.make_person(
        region=town["wafang_2"],
        name="王五",
        id_number=factories.valid_id_number(sequence=555),
        phone="13900000000",
    )
    li = factories.make_person(
        region=town["beiqi_1"],
        name="李四",
        id_number=factories.valid_id_number(sequence=124),
        phone="13812340000",
    )
    return {"zhang": zhang, "wang": wang, "li": li}


def _names(user, q="", **kwargs):
    return sorted(p.name for p in selectors.person_list(user=user, q=q, **kwargs))


def test_person_list_of_hq_covers_the_whole_township(hq_user, ledger):
    assert _names(hq_user) == sorted(["张三", "王五", "李四"])


def test_person_list_of_a_grid_worker_covers_only_their_grid(grid_worker, ledger):
    assert _names(grid_worker) == ["张三"]


def test_search_by_name(hq_user, ledger):
    assert _names(hq_user, "张三") == ["张三"]


def test_search_by_part_of_the_given_name(hq_user, ledger):
    assert _names(hq_user, "三") == ["张三"]


def test_search_by_pinyin_initials_finds_zhang_san(hq_user, ledger):
    assert _names(hq_user, "zs") == ["张三"]


def test_search_by_upper_case_initials(hq_user, ledger):
    assert _names(hq_user, "ZS") == ["张三"]


@pytest.mark.parametrize("prefix", ["zh", "zhang", "zhangs", "zhangsan"])
def test_search_by_full_pinyin_prefix(hq_user, ledger, prefix):
    assert _names(hq_user, prefix) == ["张三"]


def test_search_by_pinyin_that_matches_nobody_finds_nobody(hq_user, ledger):
    assert _names(hq_user, "zhangwu") == []


def test_search_by_last_four_digits_of_the_id_number(hq_user, ledger):
    assert _names(hq_user, ledger["li"].id_number[-4:]) == ["李四"]


def test_search_by_whole_id_number(hq_user, ledger):
    assert _names(hq_user, ledger["wang"].id_number) == ["王五"]


def test_search_by_whole_id_number_typed_in_full_width(hq_user, ledger):
    typed = "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in ledger["wang"].id_number)
    assert _names(hq_user, typed) == ["王五"]


def test_search_by_phone(hq_user, ledger):
    assert _names(hq_user, "13812345678") == ["张三"]


def test_search_by_last_digits_of_a_phone(hq_user, ledger):
    assert _names(hq_user, "0000") == sorted(["王五", "李四"])


def test_search_never_reaches_outside_the_scope(grid_worker, ledger):
    assert _names(grid_worker, "李四") == []
    assert _names(grid_worker, ledger["li"].id_number) == []


def test_person_list_under_a_region(hq_user, ledger, town):
    assert _names(hq_user, region=town["wafang"]) == sorted(["张三", "王五"])


def test_person_get_404s_out_of_scope(grid_worker, ledger):
    with pytest.raises(Http404):
        selectors.person_get(user=grid_worker, person_id=ledger["li"].pk)


def test_person_full_record_writes_an_audit_entry(grid_worker, ledger):
    person = selectors.person_full_record(user=grid_worker, person_id=ledger["zhang"].pk)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_FULL)
    assert person == ledger["zhang"]
    assert (entry.actor, entry.person_id, entry.region_id) == (
        grid_worker,
        person.pk,
        person.region_id,
    )


def test_person_full_record_404s_for_checkpoint_staff(town, ledger):
    staff = factories.make_user(role=Role.CHECKPOINT_STAFF, region=town["wafang"])
    # Checkpoint staff may look people up (masked) ...
    assert selectors.person_get(user=staff, person_id=ledger["zhang"].pk) == ledger["zhang"]
    # ... but not open the full record.
    with pytest.raises(Http404):
        selectors.person_full_record(user=staff, person_id=ledger["zhang"].pk)
    assert not AuditEntry.objects.exists()


def test_person_full_record_404s_out_of_scope(outsider, ledger):
    with pytest.raises(Http404):
        selectors.person_full_record(user=outsider, person_id=ledger["zhang"].pk)
    assert not AuditEntry.objects.exists()


def test_household_list_is_scoped(grid_worker, town):
    mine = factories.make_household(region=town["wafang_1"])
    factories.make_household(region=town["beiqi_1"])
    assert list(selectors.household_list(user=grid_worker)) == [mine]


def test_household_get_with_edit_capability_404s_for_a_medic(town):
    household = factories.make_household(region=town["wafang_1"])
    medic = factories.make_user(role=Role.MEDIC, region=town["wafang"])
    assert selectors.household_get(user=medic, household_id=household.pk) == household
    with pytest.raises(Http404):
        selectors.household_get(user=medic, household_id=household.pk, capability="edit_people")


def test_region_totals_count_only_what_the_user_may_see(grid_worker, hq_user, ledger, town):
    assert selectors.region_totals(region=town["town"], user=hq_user) == {
        "grids": 3,
        "groups": 1,
        "households": 3,
        "people": 3,
    }
    assert selectors.region_totals(region=town["wafang"], user=grid_worker) == {
        "grids": 1,
        "groups": 1,
        "households": 1,
        "people": 1,
    }
