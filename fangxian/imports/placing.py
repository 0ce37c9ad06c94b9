"""Place an imported row in the region tree from what the sheet says. Pure, no Django.

County lists name a village (瓦房村, sometimes 瓦房 or 瓦房村委会) and often a villager group
(黄包谷地组) inside a free-text address such as "乌龙镇瓦房村黄包谷地组12号". The row goes to the most
specific unit under the import's region whose name the row contains; when two units of the same
level match equally, the row is ambiguous and says so instead of guessing.
"""

import re
from dataclasses import dataclass

SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "村", "组", "网格")


@dataclass(frozen=True)
class Unit:
    id: int
    path: str
    name: str
    level: int


@dataclass(frozen=True)
class Placement:
    unit: Unit | None
    ambiguous: tuple[Unit, ...] = ()


def name_forms(name: str) -> tuple[str, ...]:
    """瓦房村 -> (瓦房村, 瓦房); 黄包谷地组 -> (黄包谷地组, 黄包谷地); short stems (<2 chars) dropped."""
    forms = [name]
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append(name[: -len(suffix)])
            break
    return tuple(dict.fromkeys(forms))


class Placer:
    """Places many rows against one set of units: the names are compiled once into a single
    regular expression, so a row costs one scan of its text, not one test per unit."""

    def __init__(self, units: list[Unit], *, root: Unit) -> None:
        self.root = root
        self.units_by_form: dict[str, list[Unit]] = {}
        for unit in units:
            if unit.level > root.level and unit.path.startswith(root.path):
                for form in name_forms(unit.name):
                    self.units_by_form.setdefault(form, []).append(unit)
        forms = sorted(self.units_by_form, key=len, reverse=True)
        # A lookahead matches without consuming, so finditer tries every position and, the
        # alternatives being longest first, reports the longest form starting there.
        self.pattern = (
            re.compile("(?=(" + "|".join(map(re.escape, forms)) + "))") if forms else None
        )
        self._placed: dict[str, Placement] = {}

    def _candidates(self, text: str) -> dict[Unit, int]:
        """Every unit named somewhere in the text, with the length of its longest form found.
        Forms are tried at every position, so 瓦房 inside 大瓦房村 is still seen."""
        found: dict[Unit, int] = {}
        if self.pattern is None:
            return found
        for match in self.pattern.finditer(text):
            form = match.group(1)
            for unit in self.units_by_form[form]:
                found[unit] = max(found.get(unit, 0), len(form))
        return found

    def place(self, texts: list[str]) -> Placement:
        """The deepest unit under the root that the row names. It descends one named unit at a
        time, taking the shallowest match first, so a group is only looked for inside the village
        the row names (two villages may both have a 大村组), and grids, which addresses never
        name, are passed through."""
        text = "".join(t for t in texts if t)
        if text not in self._placed:
            if len(self._placed) > 50_000:  # members of a household share an address
                self._placed.clear()
            self._placed[text] = self._place(text)
        return self._placed[text]

    def _place(self, text: str) -> Placement:
        candidates = self._candidates(text)
        current = self.root
        while True:
            below = {
                u: s
                for u, s in candidates.items()
                if u.level > current.level and u.path.startswith(current.path)
            }
            if not below:
                return Placement(unit=current)
            nearest = min(u.level for u in below)
            scored = {u: s for u, s in below.items() if u.level == nearest}
            best = max(scored.values())
            winners = tuple(
                sorted((u for u, s in scored.items() if s == best), key=lambda u: u.path)
            )
            if len(winners) > 1:
                return Placement(unit=current, ambiguous=winners)
            current = winners[0]


def place(texts: list[str], units: list[Unit], *, root: Unit) -> Placement:
    """Place one row (see Placer; build a Placer once to place many)."""
    return Placer(units, root=root).place(texts)
