"""The demo township's grids and villager groups. Pure, no Django.

The layout comes from its own fixed seed, not from `--seed`: the region tree must be the same on
every run, or a rerun with another seed would leave stale grids behind (regions are never deleted).
"""

import random
from dataclasses import dataclass

from fangxian.demo import data

LAYOUT_SEED = 530113105

_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class GridPlan:
    number: int  # the grid's two digits after the village path
    name: str
    groups: tuple[str, ...]  # villager groups, numbered 01, 02 … under the grid


def chinese_number(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 98 -> 九十八 (1 to 99)."""
    if not 1 <= number <= 99:
        raise ValueError(number)
    tens, units = divmod(number, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return text + (_DIGITS[units] if units else "")


def grid_layout() -> dict[str, list[GridPlan]]:
    """Grids of each village (keyed by the village's short name), each with 1-3 groups."""
    rng = random.Random(LAYOUT_SEED)
    counts, weights = zip(*data.GROUPS_PER_GRID_WEIGHTS.items(), strict=True)
    layout = {}
    for village, grid_count in data.VILLAGE_GRIDS.items():
        group_counts = rng.choices(counts, weights=weights, k=grid_count)
        names = iter(_group_names(rng, village, sum(group_counts)))
        layout[village] = [
            GridPlan(
                number=index,
                name=f"第{chinese_number(index)}网格",
                groups=tuple(next(names) for _ in range(count)),
            )
            for index, count in enumerate(group_counts, start=1)
        ]
    return layout


def _group_names(rng: random.Random, village: str, total: int) -> list[str]:
    if village.endswith("社区"):
        return [f"第{chinese_number(n)}居民小组" for n in range(1, total + 1)]
    if village in data.NUMBERED_GROUP_VILLAGES:
        return [f"第{chinese_number(n)}组" for n in range(1, total + 1)]
    first = data.FIRST_GROUPS.get(village)
    pool = [name for name in data.GROUP_NAMES if name != first]
    if first:
        return [first, *rng.sample(pool, total - 1)]
    return rng.sample(pool, total)
