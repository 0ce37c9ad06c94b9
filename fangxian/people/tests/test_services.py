"""Writes to the people ledger (people.services): identity rules, duplicates, audit entries."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fangxian.audit.models import AuditEntry
from fangxian.core.masking import mask_id_number, mask_phone
from fangxian.people import services
from fangxian.people.models import Household, Person
from tests import factories

RESIDENT_ID = Person.DocumentType.RESIDENT_ID
NUMBER = "530113198506151234"  # born 1985-06-15, sequence 123 (odd: male)


@pytest.fixture
def household(town):
    return factories.make_household(region=town["wafang_1"])


def _create(household, actor, **fields):
    return services.person_create(
        actor=actor,
        household=household,
        **({"name": "张三", "document_type": RESIDENT_ID, "id_number": NUMBER} | fields),
    )


def test_person_create_derives_birth_date_and_sex_from_the_id_number(household, grid_worker):
    person = _create(household, grid_worker)
    person.refresh_from_db()
    assert person.birth_date == date(1985, 6, 15)
    assert person.sex == Person.Sex.MALE


def test_person_create_ignores_typed_birth_date_and_sex_for_resident_ids(household, grid_worker):
    person = _create(household, grid_worker, birth_date=date(2000, 1, 1), sex="F")
    assert (person.birth_date, person.sex) == (date(1985, 6, 15), "M")


def test_person_create_stores_full_width_spaced_input_normalised(household, grid_worker):
    person = _create(household, grid_worker, id_number="５３０１１３　１９８５０６１５ １２３４")
    person.refresh_from_db()
    assert person.id_number == NUMBER
    assert person.id_tail == "1234"


def test_person_create_upper_cases_a_lower_case_x(household, grid_worker):
    person = _create(household, grid_worker, id_number="53011319900101006x")
    assert person.id_number == "53011319900101006X"
    assert person.id_tail == "006X"


def test_person_create_fills_pinyin_keys_and_region_from_the_household(household, grid_worker):
    person = _create(household, grid_worker, name=" 张三 ")
    assert (person.name, person.name_pinyin, person.name_initials) == ("张三", "zhangsan", "zs")
    assert person.region_id == household.region_id


def test_person_create_refuses_an_invalid_id_number_with_a_field_error(household, grid_worker):
    with pytest.raises(ValidationError) as caught:
        _create(household, grid_worker, id_number=NUMBER[:17] + "5")
    assert caught.value.error_dict["id_number"][0].code == "id_number_check_digit"
    assert not Person.objects.exists()


def test_person_create_refuses_a_duplicate_id_number_on_the_id_number_field(household, grid_worker):
    _create(household, grid_worker)
    with pytest.raises(ValidationError) as caught:
        _create(household, grid_worker, name="张三丰", id_number=NUMBER.replace("1234", " 1234"))
    assert list(caught.value.message_dict) == ["id_number"]


def test_person_create_duplicate_message_is_in_chinese(household, grid_worker):
    _create(household, grid_worker)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        _create(household, grid_worker, name="张三丰")
    message = caught.value.message_dict["id_number"][0]
    assert message == "台账中已有使用该证件号码的人员。"


def test_person_create_saves_nothing_when_refusing_a_duplicate(household, grid_worker):
    _create(household, grid_worker)
    people, entries = Person.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        _create(household, grid_worker, name="张三丰")
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, entries)


def test_duplicate_is_refused_across_villages(household, grid_worker, town):
    _create(household, grid_worker)
    other = factories.make_household(region=town["beiqi_1"])
    with pytest.raises(ValidationError):
        _create(other, grid_worker, name="张三丰")


def test_passport_skips_the_id_checks_and_keeps_typed_birth_date_and_sex(household, grid_worker):
    person = _create(
        household,
        grid_worker,
        name="玛丽",
        document_type=Person.DocumentType.PASSPORT,
        id_number=" e1234 5678",
        birth_date=date(1990, 2, 3),
        sex="F",
    )
    person.refresh_from_db()
    assert person.id_number == "E12345678"
    assert (person.birth_date, person.sex) == (date(1990, 2, 3), "F")


def test_residence_permit_number_is_checked_and_gives_birth_date_and_sex(household, grid_worker):
    number = "810000199203040021"
    person = _create(
        household, grid_worker, document_type=Person.DocumentType.HKMT_RESIDENCE, id_number=number
    )
    assert (person.id_number, person.birth_date, person.sex) == (number, date(1992, 3, 4), "F")


def test_residence_permit_number_with_a_wrong_check_digit_is_refused(household, grid_worker):
    with pytest.raises(ValidationError) as caught:
        _create(
            household,
            grid_worker,
            document_type=Person.DocumentType.HKMT_RESIDENCE,
            id_number="810000199203040020",
        )
    assert "id_number" in caught.value.message_dict


def test_residence_permit_number_is_refused_as_a_resident_id(household, grid_worker):
    with pytest.raises(ValidationError) as caught:
        _create(household, grid_worker, id_number="810000199203040021")
    assert "id_number" in caught.value.message_dict
    assert not Person.objects.exists()


def test_resident_id_number_is_refused_as_a_residence_permit(household, grid_worker):
    with pytest.raises(ValidationError):
        _create(household, grid_worker, document_type=Person.DocumentType.HKMT_RESIDENCE)


def test_same_number_under_another_document_type_is_not_a_duplicate(household, grid_worker):
    _create(household, grid_worker)
    _create(household, grid_worker, name="张三", document_type=Person.DocumentType.OTHER)
    assert Person.objects.filter(id_number=NUMBER).count() == 2


def test_person_create_writes_an_audit_entry_with_actor_region_and_person(household, grid_worker):
    person = _create(household, grid_worker)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_type="people.person")
    assert entry.actor == grid_worker
    assert entry.username == grid_worker.username
    assert entry.region_id == household.region_id
    assert entry.person_id == person.pk
    assert entry.object_id == str(person.pk)


def test_person_update_records_changed_fields_with_masked_values(household, grid_worker):
    person = _create(household, grid_worker, phone="13812345678")
    new_number = "530113199001010043"
    services.person_update(
        actor=grid_worker, person=person, id_number=new_number, phone="13987654321"
    )
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert entry.changes["id_number"] == [mask_id_number(NUMBER), mask_id_number(new_number)]
    assert entry.changes["phone"] == [mask_phone("13812345678"), mask_phone("13987654321")]
    stored = json.dumps(entry.changes)
    for secret in (NUMBER, new_number, "13812345678", "13987654321"):
        assert secret not in stored
    assert entry.person_id == person.pk


def test_person_update_re_derives_birth_date_and_sex(household, grid_worker):
    person = _create(household, grid_worker)
    services.person_update(actor=grid_worker, person=person, id_number="530113199001010043")
    person.refresh_from_db()
    assert (person.birth_date, person.sex) == (date(1990, 1, 1), "F")
    assert person.id_tail == "0043"


def test_person_update_lists_derived_fields_in_the_audit_entry(household, grid_worker):
    person = _create(household, grid_worker)
    services.person_update(actor=grid_worker, person=person, id_number="530113199001010043")
    changes = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE).changes
    assert set(changes) == {"id_number", "birth_date", "sex"}


def test_person_update_without_changes_writes_no_audit_entry(household, grid_worker):
    person = _create(household, grid_worker)
    services.person_update(actor=grid_worker, person=person, name="张三", id_number=NUMBER)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_person_update_refuses_another_persons_number(household, grid_worker):
    _create(household, grid_worker)
    other = _create(household, grid_worker, name="李四", id_number="530113199001010043")
    with pytest.raises(ValidationError) as caught:
        services.person_update(actor=grid_worker, person=other, id_number=NUMBER)
    assert "id_number" in caught.value.message_dict
    other.refresh_from_db()
    assert other.id_number == "530113199001010043"


def test_household_create_refuses_a_village(town, hq_user):
    with pytest.raises(ValidationError) as caught:
        services.household_create(actor=hq_user, region=town["wafang"], address="瓦房村1号")
    assert "region" in caught.value.message_dict
    assert not Household.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("level", ["wafang_1", "group"])
def test_household_create_accepts_a_grid_or_villager_group(town, hq_user, level):
    household = services.household_create(
        actor=hq_user, region=town[level], address=" 瓦房村1号 ", phone="１３８ １２３４ ５６７８"
    )
    household.refresh_from_db()
    assert (household.address, household.phone) == ("瓦房村1号", "13812345678")


def test_household_create_records_actor_and_region_but_no_person(town, hq_user):
    household = services.household_create(actor=hq_user, region=town["wafang_1"], address="1号")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.region, entry.person_id) == (hq_user, town["wafang_1"], None)
    assert entry.object_id == str(household.pk)


def test_person_delete_is_audited_before_the_row_goes(household, grid_worker):
    person = _create(household, grid_worker)
    person_id = person.pk
    services.person_delete(actor=grid_worker, person=person)
    assert not Person.objects.filter(pk=person_id).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert (entry.person_id, entry.object_repr) == (person_id, "张三")
