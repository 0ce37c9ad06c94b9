"""The quarantine board's benchmark runs at tiny sizes, so `make bench` cannot rot: its county is
built, the board's counts equal the hand-written SQL's, and the case reports its ratio."""

import pytest

from bench.quarantine_case import Sizes, bench_quarantine, both_counts, build_county

pytestmark = pytest.mark.django_db

TINY = Sizes(townships=3, villages=2, people=600, orders=240, checks=1500, alerts=40, errands=30)


def test_the_board_counts_what_the_hand_written_sql_counts():
    county = build_county(sizes=TINY)
    from_board, by_hand = both_counts(county)
    assert from_board == by_hand
    assert len(from_board) == TINY.townships + 1  # each township and the total
    empty = [name for name, count in from_board["total"].items() if count == 0]
    # Every figure is exercised (the kinds other than home quarantine have no pending order).
    assert empty == ["centralised:pending", "home_monitoring:pending"]
    assert from_board["total"]["active"] == 144  # 24 of every 40 orders


def test_the_case_reports_a_ratio_and_equal_query_counts():
    (result,) = bench_quarantine(TINY)
    assert result.value > 0 and result.baseline > 0
    assert result.ratio == pytest.approx(result.value / result.baseline, rel=0.05)
    assert "board queries: 8 for 3 townships, 8 for 5" in result.description
