"""The pure generators: layout and families, without a database."""

from datetime import date

import pytest

from fangxian.demo import data
from fangxian.demo.layout import chinese_number, grid_layout
from fangxian.demo.population import (
    CHILD,
    GRANDCHILD,
    HEAD,
    OTHER,
    PARENT,
    SPOUSE,
    PopulationGenerator,
)
from fangxian.people import idnumber
from fangxian.people.idnumber import age_on

TODAY = date(2026, 3, 1)


@pytest.fixture(scope="module")
def families():
    return PopulationGenerator(seed=2020, today=TODAY).families(people=8000, groups=160)


def share(people: list, count: int) -> float:
    return count / len(people)


def test_chinese_numbers_read_as_written():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 98)] == [
        "一", "十", "十一", "二十", "二十一", "九十八",
    ]  # fmt: skip


def test_layout_has_98_grids_of_one_to_three_distinct_groups():
    layout = grid_layout()
    assert sum(len(grids) for grids in layout.values()) == data.GRID_TOTAL == 98
    for grids in layout.values():
        names = [name for grid in grids for name in grid.groups]
        assert len(names) == len(set(names))
        assert all(1 <= len(grid.groups) <= 3 for grid in grids)
    assert layout["瓦房村"][0].groups[0] == "黄包谷地组"
    assert layout == grid_layout()


def test_area_codes_exist():
    for area in [data.LOCAL_AREA_CODE, *data.OTHER_AREA_CODES]:
        assert idnumber.area_code_exists(area)


def test_exactly_the_asked_number_of_people(families):
    assert sum(len(family.members) for family in families) == 8000
    assert all(family.members[0].relation == HEAD for family in families)


def test_population_pyramid_fits_rural_yunnan(families):
    people = [person for family in families for person in family.members]
    ages = [age_on(person.birth_date, TODAY) for person in people]
    assert 0.49 < share(people, sum(person.sex == "M" for person in people)) < 0.54
    assert 0.15 < share(people, sum(age < 15 for age in ages)) < 0.21
    assert 0.59 < share(people, sum(15 <= age < 60 for age in ages)) < 0.67
    assert 0.16 < share(people, sum(age >= 60 for age in ages)) < 0.22
    assert 3.0 < len(people) / len(families) < 4.0


def test_spouses_are_of_opposite_sex_and_similar_age(families):
    for family in families:
        head = family.members[0]
        for spouse in (p for p in family.members if p.relation == SPOUSE):
            assert spouse.sex != head.sex
            assert abs(spouse.birth_date.year - head.birth_date.year) <= 10


def test_parents_are_20_to_40_years_older_than_their_children(families):
    def age(person):
        return age_on(person.birth_date, TODAY)

    for family in families:
        head, members = family.members[0], family.members
        couple = [head, *(p for p in members if p.relation == SPOUSE)]
        for child in (p for p in members if p.relation == CHILD):
            assert all(20 <= age(parent) - age(child) <= 40 for parent in couple)
            if head.sex == "M":
                assert child.name[0] == head.name[0]
        for parent in (p for p in members if p.relation == PARENT):
            assert 20 <= age(parent) - age(head) <= 40
        sons = [p for p in members if p.relation == CHILD and p.sex == "M"]
        for grandchild in (p for p in members if p.relation == GRANDCHILD):
            assert any(20 <= age(son) - age(grandchild) <= 40 for son in sons)
        assert all(p.sex == "F" for p in members if p.relation == OTHER)


def test_id_numbers_are_valid_unique_and_fit_sex_and_birth(families):
    people = [person for family in families for person in family.members]
    assert len({person.id_number for person in people}) == len(people)
    for person in people:
        parsed = idnumber.parse(person.id_number, today=TODAY)
        assert (parsed.sex, parsed.birth_date) == (person.sex, person.birth_date)


def test_phones_are_mobile_numbers_for_most_adults_and_no_small_children(families):
    people = [person for family in families for person in family.members]
    adults = [p for p in people if 18 <= age_on(p.birth_date, TODAY) < 60]
    assert sum(bool(p.phone) for p in adults) / len(adults) > 0.85
    assert not any(p.phone for p in people if age_on(p.birth_date, TODAY) < 12)
    for phone in (p.phone for p in people if p.phone):
        assert len(phone) == 11 and phone.isdigit() and phone[:2] in {"13", "15", "18", "19"}


def test_same_seed_same_people_other_seed_other_people():
    def draw(seed):
        generator = PopulationGenerator(seed=seed, today=TODAY)
        return generator.families(people=300, groups=10)

    assert draw(1) == draw(1)
    assert draw(1) != draw(2)


def test_taken_numbers_are_never_issued_again():
    first = PopulationGenerator(seed=1, today=TODAY).families(people=500, groups=5)
    taken = {p.id_number for f in first for p in f.members}
    again = PopulationGenerator(seed=1, today=TODAY, taken=taken).families(people=500, groups=5)
    assert not taken & {p.id_number for f in again for p in f.members}
