"""Timing helpers: every figure is a ratio against a baseline measured in the same run, because
these machines are noisy; absolute times are printed for context only."""

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Result:
    name: str
    description: str
    value: float
    baseline: float
    ratio: float
    target: float
    unit: str
    spread: float  # (max - min) / median of the measured runs, the noise seen
    # Rates where more is better (requests/s) compare value / baseline against a floor: passed
    # when ratio >= target. Everything else is a cost: passed when ratio <= target.
    higher_is_better: bool = False

    @property
    def passed(self) -> bool:
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target


def measure(fn: Callable[[], object], *, repeat: int = 9, warmup: int = 2) -> tuple[float, float]:
    """Median wall time of `fn` in milliseconds, and the relative spread of the runs."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    median = statistics.median(runs)
    return median, (max(runs) - min(runs)) / median if median else 0.0


def compare(
    name: str,
    description: str,
    *,
    subject: Callable,
    baseline: Callable,
    target: float,
    repeat: int = 9,
) -> Result:
    # Interleave: baseline, subject, baseline again, so drift in machine load hits both.
    base_1, _ = measure(baseline, repeat=repeat)
    value, spread = measure(subject, repeat=repeat)
    base_2, _ = measure(baseline, repeat=repeat)
    base = min(base_1, base_2)
    return Result(
        name=name,
        description=description,
        value=round(value, 3),
        baseline=round(base, 3),
        ratio=round(value / base, 2) if base else float("inf"),
        target=target,
        unit="ms",
        spread=round(spread, 2),
    )


def report(results: list[Result], path: Path, *, context: dict) -> None:
    width = max(len(r.name) for r in results)
    print(
        f"{'benchmark':<{width}}  {'value':>10}  {'baseline':>11}  {'ratio':>6}  {'target':>6}  "
        f"{'noise':>6}  ok   unit"
    )
    for r in results:
        print(
            f"{r.name:<{width}}  {r.value:>10.2f}  {r.baseline:>11.2f}  {r.ratio:>6.2f}  "
            f"{('≥' if r.higher_is_better else '≤') + format(r.target, 'g'):>6}  {r.spread:>6.2f}  {'yes' if r.passed else 'NO ':<4} {r.unit}"
        )
    print(
        "ratio = value / baseline for times (ms); baseline rate / value rate for rates (rows/s); "
        "value rate / baseline rate where the target is a floor (≥, req/s)"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "context": context,
        "benchmarks": [asdict(r) | {"passed": r.passed} for r in results],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {path}")
