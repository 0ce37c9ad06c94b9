"""Invented households and residents for the demo township. Pure, no Django.

Households are drawn from a few family shapes seen in rural Yunnan (young families, often with a
grandparent; middle-aged couples with grown sons; old couples, alone or with a married son's
family; people living alone), tuned so that the whole roughly matches the county's pyramid: about
51% men, 18% aged 0-14, 63% aged 15-59, 19% aged 60 and over. Spouses are of opposite sex and
close in age; parents are 20-40 years older than their children; children take the father's
surname. Everything comes from one seeded random.Random, so a seed gives the same township.
"""

import random
from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from fangxian.demo import data
from fangxian.people import idnumber

# Relations, as the values of people.models.Person.Relation.
HEAD, SPOUSE, CHILD, PARENT, GRANDCHILD, OTHER = (
    "head",
    "spouse",
    "child",
    "parent",
    "grandchild",
    "other",  # a son's wife (儿媳)
)

# Share of ID numbers issued in 东川区, by relation: wives often married in from next door.
LOCAL_SHARE = {HEAD: 0.94, SPOUSE: 0.78, CHILD: 0.98, PARENT: 0.95, GRANDCHILD: 0.99, OTHER: 0.75}

# Share of people with a mobile phone, by age below the limit.
PHONE_SHARE = ((12, 0.0), (16, 0.15), (18, 0.5), (60, 0.92), (70, 0.75), (80, 0.45), (999, 0.15))

# Family shapes and how often each heads a household.
SHAPES = {"young": 35, "middle": 32, "elderly": 26, "single": 7}
HEAD_AGES = {"young": (23, 44), "middle": (45, 61), "elderly": (62, 88)}


@dataclass(frozen=True)
class Resident:
    name: str
    id_number: str
    birth_date: date
    sex: str  # "M" or "F"
    relation: str
    phone: str


@dataclass(frozen=True)
class Family:
    group: int  # index into the list of villager groups
    members: list[Resident]  # the head first


@dataclass(frozen=True)
class _Sketch:
    relation: str
    sex: str
    age: int
    surname: str


class PopulationGenerator:
    """Draws families; `taken` holds ID numbers already used elsewhere, never issued again."""

    def __init__(self, *, seed: int, today: date, taken: set[str] | None = None) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.ids: set[str] = set(taken or ())
        self.phones: set[str] = set()
        surnames, weights = zip(*data.SURNAMES.items(), strict=True)
        self._surnames = surnames
        self._surname_weights = list(accumulate(weights))
        areas, weights = zip(*data.OTHER_AREA_CODES.items(), strict=True)
        self._areas = areas
        self._area_weights = list(accumulate(weights))

    # Drawing the population -----------------------------------------------------------------

    def families(self, *, people: int, groups: int) -> list[Family]:
        """Households over `groups` villager groups holding exactly `people` residents."""
        rng = self.rng
        group_weights = list(accumulate(rng.uniform(0.4, 1.6) for _ in range(groups)))
        # Each group has two clans whose surname half of its households carry (阮 in one, 马 in
        # the next), as lineage villages do.
        clans = [(self.surname(), self.surname()) for _ in range(groups)]
        result = []
        remaining = people
        while remaining > 0:
            group = bisect(group_weights, rng.random() * group_weights[-1])
            surname = rng.choice(clans[group]) if rng.random() < 0.5 else self.surname()
            sketches = self.household(surname)[:remaining]
            result.append(Family(group=group, members=[self.resident(s) for s in sketches]))
            remaining -= len(sketches)
        return result

    def household(self, surname: str) -> list[_Sketch]:
        """One household's members, the head first, as (relation, sex, age, surname) sketches."""
        rng = self.rng
        shape = rng.choices(list(SHAPES), weights=list(SHAPES.values()))[0]
        if shape == "single":
            if rng.random() < 0.55:
                return [_Sketch(HEAD, rng.choice("MF"), rng.randint(62, 92), surname)]
            return [
                _Sketch(HEAD, "M" if rng.random() < 0.65 else "F", rng.randint(20, 45), surname)
            ]
        head_age = rng.randint(*HEAD_AGES[shape])
        members, father, mother, kids_surname = self._couple(shape, head_age, surname)
        if shape != "elderly" and rng.random() < (0.3 if shape == "young" else 0.2):
            members += self._parents_of(members[0])
        if shape == "young":
            count = rng.choices((0, 1, 2, 3, 4), weights=(4, 30, 44, 18, 4))[0]
            members += self._children(father, mother, count, kids_surname, CHILD)
        elif shape == "middle":
            count = rng.choices((1, 2, 3, 4), weights=(20, 45, 28, 7))[0]
            children = self._children(father, mother, count, kids_surname, CHILD)
            members += self._at_home(children)
        elif rng.random() < 0.55:  # an old couple living with a married son's family
            members += self._married_son(father, mother, kids_surname)
        return members

    def _couple(
        self, shape: str, head_age: int, surname: str
    ) -> tuple[list[_Sketch], int, int, str]:
        """The head and, when present, the spouse; the ages of the children's father and mother
        (one of them possibly absent: working away or dead) and the children's surname."""
        rng = self.rng
        male_head = rng.random() < (0.88 if shape != "elderly" else 0.68)
        if male_head:
            father, mother, kids_surname = head_age, self.wife_age(head_age), surname
            head = _Sketch(HEAD, "M", father, surname)
            spouse = _Sketch(SPOUSE, "F", mother, self.surname())
        else:
            mother, kids_surname = head_age, self.surname()
            father = self.husband_age(head_age)
            head = _Sketch(HEAD, "F", mother, surname)
            spouse = _Sketch(SPOUSE, "M", father, kids_surname)
        present = {"young": 0.93, "middle": 0.9}.get(shape) or (0.75 if head_age < 75 else 0.45)
        if not male_head:
            present /= 3  # a woman heads the household mostly when her husband is away or dead
        return ([head, spouse] if rng.random() < present else [head]), father, mother, kids_surname

    def _parents_of(self, person: _Sketch) -> list[_Sketch]:
        """The head's surviving parents (the father shares the head's surname)."""
        rng = self.rng
        mother = person.age + rng.randint(21, 38)
        father = min(max(self.husband_age(mother), person.age + 20), person.age + 40)
        result = []
        if rng.random() < _survival(father, male=True):
            result.append(_Sketch(PARENT, "M", father, person.surname))
        if rng.random() < _survival(mother, male=False):
            result.append(_Sketch(PARENT, "F", mother, self.surname()))
        return result

    def _children(
        self, father: int, mother: int, count: int, surname: str, relation: str
    ) -> list[_Sketch]:
        """Up to `count` children, eldest first, born when the mother was 21-27 and every 2-6
        years after; those not yet born, or not 20-40 years younger than both parents, are left
        out."""
        rng = self.rng
        mother_at_birth = rng.randint(21, 27)
        result = []
        for _ in range(count):
            age = mother - mother_at_birth
            if age < 0:
                break
            if 20 <= father - age <= 40 and mother_at_birth <= 40:
                result.append(_Sketch(relation, self.child_sex(), age, surname))
            mother_at_birth += rng.randint(2, 6)
        return result

    def _at_home(self, children: list[_Sketch]) -> list[_Sketch]:
        """Grown children mostly leave; one son may stay with his wife and children."""
        rng = self.rng
        kept: list[_Sketch] = []
        married = False
        for child in children:
            if child.age < 18:
                kept.append(child)
            elif child.sex == "F":
                if rng.random() < (0.75 if child.age < 23 else 0.2):
                    kept.append(child)
            elif child.age >= 24 and not married and rng.random() < 0.6:
                married = True
                kept += self._son_family(child)
            elif rng.random() < (0.9 if child.age < 24 else 0.45):
                kept.append(child)
        return kept

    def _married_son(self, father: int, mother: int, surname: str) -> list[_Sketch]:
        low, high = max(24, father - 40, mother - 40), min(father - 20, mother - 21)
        if high < low:
            return []
        return self._son_family(_Sketch(CHILD, "M", self.rng.randint(low, high), surname))

    def _son_family(self, son: _Sketch) -> list[_Sketch]:
        """A son with, mostly, his wife (relation other: 儿媳) and their children."""
        rng = self.rng
        if rng.random() > 0.85:
            return [son]
        wife = _Sketch(OTHER, "F", self.wife_age(son.age), self.surname())
        count = rng.choices((0, 1, 2, 3), weights=(10, 40, 40, 10))[0]
        return [son, wife, *self._children(son.age, wife.age, count, son.surname, GRANDCHILD)]

    # Drawing one value --------------------------------------------------------------------------

    def surname(self) -> str:
        weights = self._surname_weights
        return self._surnames[bisect(weights, self.rng.random() * weights[-1])]

    def wife_age(self, husband: int) -> int:
        return max(20, husband - round(self.rng.triangular(-3, 8, 2)))

    def husband_age(self, wife: int) -> int:
        return max(22, wife + round(self.rng.triangular(-3, 8, 2)))

    def child_sex(self) -> str:
        return "M" if self.rng.random() < 0.52 else "F"  # rural sex ratio at birth ~113

    def resident(self, sketch: _Sketch) -> Resident:
        birth = self.birth_date(sketch.age)
        return Resident(
            name=sketch.surname + self.given_name(sketch.sex, birth.year),
            id_number=self.id_number(sketch, birth),
            birth_date=birth,
            sex=sketch.sex,
            relation=sketch.relation,
            phone=self.phone(sketch.age),
        )

    def birth_date(self, age: int) -> date:
        """A birth date giving exactly `age` full years today."""
        today = self.today
        anniversary = date(today.year - age, today.month, min(today.day, 28))
        # At least a day back: parse() checks against the machine's date, which may still be
        # yesterday's when it is already tomorrow in Shanghai. At most 361 days back, so that
        # the clamp to the 28th can never add a year.
        return anniversary - timedelta(days=self.rng.randint(1, 361))

    def given_name(self, sex: str, year: int) -> str:
        cohort = "old" if year < 1970 else "middle" if year < 2000 else "young"
        chars = data.GIVEN_NAME_CHARS[sex, cohort]
        if self.rng.random() < 0.25:
            return self.rng.choice(chars)
        return self.rng.choice(chars) + self.rng.choice(chars)

    def id_number(self, sketch: _Sketch, birth: date) -> str:
        rng = self.rng
        if rng.random() < LOCAL_SHARE[sketch.relation]:
            area = data.LOCAL_AREA_CODE
        else:
            area = self._areas[bisect(self._area_weights, rng.random() * self._area_weights[-1])]
        while True:
            sequence = rng.randrange(0, 1000, 2) + (1 if sketch.sex == "M" else 0)
            number = idnumber.make(area, birth, sequence)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self, age: int) -> str:
        """A mobile number for most adults, some teenagers, no small children."""
        share = next(share for limit, share in PHONE_SHARE if age < limit)
        if self.rng.random() >= share:
            return ""
        while True:
            number = self.rng.choice(data.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number


def _survival(age: int, *, male: bool) -> float:
    """Rough chance that a parent of this age is alive."""
    if age <= 75:
        return 0.92 if male else 0.96
    if age <= 85:
        return 0.6 if male else 0.75
    if age <= 95:
        return 0.25 if male else 0.4
    return 0.0
