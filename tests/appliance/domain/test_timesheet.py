"""Punches against the plan (ST4): the figures of a day are never negative and always add up."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.domain.time_clock import IN, OUT
from appliance.domain.timesheet import Punch, day_report, pair_punches, timesheet_days
from appliance.domain.wallclock import local_interval

TZ = ZoneInfo("Asia/Tashkent")
DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 20, tzinfo=timezone.utc)


def at(hour: int, minute: int = 0, day: date = DAY, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), TZ).astimezone(timezone.utc)


def plan(*pairs, day: date = DAY):
    return [local_interval(day, time(*a), time(*b), TZ) for a, b in pairs]


def report(punches, planned, now=NOW, grace=5):
    return timesheet_days(punches, {DAY: planned}, [DAY], TZ, now, grace)[0]


def test_a_normal_day_late_by_twelve_minutes():
    r = report([Punch(at(9, 12), IN), Punch(at(18, 0), OUT)], plan(((9, 0), (18, 0))))
    assert (r.planned_min, r.worked_min, r.late_min, r.early_min, r.overtime_min) == (540, 528, 12, 0, 0)
    assert not r.missing_out and not r.absent


def test_lateness_within_the_grace_period_is_not_counted():
    r = report([Punch(at(9, 4, second=59), IN), Punch(at(17, 57), OUT)], plan(((9, 0), (18, 0))))
    assert (r.late_min, r.early_min, r.worked_min) == (0, 0, 533)


def test_leaving_early_and_staying_late_with_a_break_in_the_plan():
    planned = plan(((9, 0), (13, 0)), ((14, 0), (18, 0)))
    early = report([Punch(at(8, 50), IN), Punch(at(16, 0), OUT)], planned)
    assert (early.planned_min, early.late_min, early.early_min, early.worked_min) == (480, 0, 120, 430)
    assert early.overtime_min == 10 + 60  # before nine and through the planned break
    late = report([Punch(at(9, 0), IN), Punch(at(13, 0), OUT), Punch(at(14, 0), IN), Punch(at(19, 30), OUT)],
                  planned)
    assert (late.worked_min, late.overtime_min, late.early_min) == (570, 90, 0)


def test_a_night_shift_counts_on_the_day_it_started():
    planned = plan(((20, 0), (4, 0)))
    r = report([Punch(at(20, 10), IN), Punch(at(4, 0, day=DAY + timedelta(days=1)), OUT)], planned)
    assert (r.planned_min, r.worked_min, r.late_min) == (480, 470, 10)


def test_a_forgotten_clock_out_is_flagged_and_counts_nothing():
    r = report([Punch(at(9, 0), IN)], plan(((9, 0), (18, 0))))
    assert r.missing_out and not r.on_shift and r.worked_min == 0 and r.early_min == 0
    now = at(12, 0)
    current = report([Punch(at(9, 0), IN)], plan(((9, 0), (18, 0))), now=now)
    assert current.on_shift and not current.missing_out


def test_a_clock_in_after_a_clock_in_leaves_the_first_shift_open():
    shifts, strays = pair_punches([Punch(at(9), IN), Punch(at(10), IN), Punch(at(18), OUT), Punch(at(19), OUT)])
    assert [(s.start, s.end, s.superseded) for s in shifts] == [(at(9), None, True), (at(10), at(18), False)]
    assert strays == [at(19)]
    r = report([Punch(at(9), IN), Punch(at(10), IN), Punch(at(18), OUT)], [], now=at(12))
    assert r.missing_out and not r.on_shift


def test_a_planned_day_without_punches_is_an_absence_and_a_day_off_is_overtime():
    assert report([], plan(((9, 0), (18, 0)))).absent
    off = report([Punch(at(10), IN), Punch(at(12), OUT)], [])
    assert (off.planned_min, off.worked_min, off.overtime_min, off.absent) == (0, 120, 120, False)


minutes_of_day = st.integers(min_value=0, max_value=2 * 24 * 60 - 1)
punches = st.lists(st.tuples(minutes_of_day, st.sampled_from([IN, OUT]), st.integers(0, 59)), max_size=12)
intervals = st.lists(st.tuples(st.integers(0, 23 * 60), st.integers(15, 12 * 60)), max_size=3)
START = at(0, 0)


@settings(max_examples=300, deadline=None)
@given(punches, intervals, st.integers(0, 30))
def test_figures_are_never_negative_and_add_up(raw, raw_plan, grace):
    given_punches = [Punch(START + timedelta(minutes=m, seconds=s), kind) for m, kind, s in raw]
    planned = [(START + timedelta(minutes=a), START + timedelta(minutes=a + length)) for a, length in raw_plan]
    shifts, strays = pair_punches(given_punches)
    day_shifts = [s for s in shifts if s.start.astimezone(TZ).date() == DAY]
    r = day_report(DAY, day_shifts, [], planned, NOW, grace)
    figures = (r.planned_min, r.worked_min, r.within_plan_min, r.late_min, r.early_min, r.overtime_min)
    assert all(f >= 0 for f in figures)
    # worked = the sum of the day's closed shifts, counted to the minute
    assert r.worked_min == sum(int((s.end - s.start).total_seconds()) // 60 for s in day_shifts if s.end)
    assert r.within_plan_min <= min(r.worked_min, r.planned_min)
    assert r.late_min + r.early_min + r.within_plan_min <= r.planned_min
    assert r.overtime_min in (0, r.worked_min - r.within_plan_min)
    assert r.overtime_min == 0 or r.overtime_min > grace
    assert r.late_min == 0 or r.late_min > grace
    # every punch lands in exactly one shift or among the stray clock-outs
    assert sum(1 + (s.end is not None) for s in shifts) + len(strays) == len(given_punches)
    assert all(s.end is None or s.end >= s.start for s in shifts)


@settings(max_examples=200, deadline=None)
@given(punches)
def test_grace_never_adds_minutes(raw):
    given_punches = [Punch(START + timedelta(minutes=m), kind) for m, kind, _ in raw]
    planned = plan(((9, 0), (18, 0)))
    strict, lenient = report(given_punches, planned, grace=0), report(given_punches, planned, grace=10)
    assert lenient.worked_min == strict.worked_min
    for name in ("late_min", "early_min", "overtime_min"):
        assert getattr(lenient, name) in (0, getattr(strict, name))
