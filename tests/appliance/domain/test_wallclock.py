"""Wall-clock versus UTC: DST gaps and folds are refused, not guessed (BK13)."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from appliance.domain.wallclock import LocalTimeError, day_bounds, local_interval, local_to_utc

BERLIN = ZoneInfo("Europe/Berlin")
TASHKENT = ZoneInfo("Asia/Tashkent")


def test_same_wall_clock_maps_to_different_utc_across_dst():
    winter = local_to_utc(datetime(2026, 3, 28, 10, 0), BERLIN)
    summer = local_to_utc(datetime(2026, 3, 30, 10, 0), BERLIN)
    assert (winter.hour, summer.hour) == (9, 8)


def test_tashkent_has_no_dst():
    assert {local_to_utc(datetime(2026, m, 1, 10), TASHKENT).hour for m in range(1, 13)} == {5}


def test_time_in_the_spring_gap_is_refused():
    with pytest.raises(LocalTimeError, match="does not exist"):
        local_to_utc(datetime(2026, 3, 29, 2, 30), BERLIN)


def test_time_in_the_autumn_fold_is_refused():
    with pytest.raises(LocalTimeError, match="happens twice"):
        local_to_utc(datetime(2026, 10, 25, 2, 30), BERLIN)


def test_dst_day_is_23_hours_long_and_working_hours_keep_their_length():
    start, end = day_bounds(date(2026, 3, 29), BERLIN)
    assert (end - start).total_seconds() == 23 * 3600
    work_start, work_end = local_interval(date(2026, 3, 29), time(9), time(18), BERLIN)
    assert (work_end - work_start).total_seconds() == 9 * 3600


def test_interval_ending_at_midnight_runs_to_the_next_day():
    start, end = local_interval(date(2026, 5, 1), time(20), time(0), TASHKENT)
    assert (end - start).total_seconds() == 4 * 3600
