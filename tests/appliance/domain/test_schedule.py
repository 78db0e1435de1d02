"""Schedules: templates, 2/2 cycles, single-day changes and absences."""
from datetime import date, time, timedelta

from appliance.domain.schedule import CYCLE, WEEKLY, Absence, StaffSchedule, WorkPattern

NINE_SIX = ((time(9), time(18)),)
OFF = ()


def test_five_two_week():
    week = WorkPattern(WEEKLY, (NINE_SIX,) * 5 + (OFF, OFF), date(2026, 1, 1))
    schedule = StaffSchedule(patterns=[week])
    monday = date(2026, 11, 23)
    assert [bool(schedule.intervals_on(monday + timedelta(days=i))) for i in range(7)] == [True] * 5 + [False] * 2


def test_two_two_cycle_counts_from_its_anchor():
    cycle = WorkPattern(CYCLE, (NINE_SIX, NINE_SIX, OFF, OFF), date(2026, 1, 1), anchor=date(2026, 11, 1))
    schedule = StaffSchedule(patterns=[cycle])
    days = [bool(schedule.intervals_on(date(2026, 11, 1) + timedelta(days=i))) for i in range(8)]
    assert days == [True, True, False, False, True, True, False, False]
    assert schedule.intervals_on(date(2026, 10, 31)) == []  # cycle day -1 is an "off" day


def test_day_change_replaces_template_and_absence_wins():
    week = WorkPattern(WEEKLY, (NINE_SIX,) * 7, date(2026, 1, 1))
    day = date(2026, 11, 24)
    schedule = StaffSchedule(patterns=[week], day_changes={day: [(time(12), time(20))]})
    assert schedule.intervals_on(day) == [(time(12), time(20))]
    schedule.absences.append(Absence(day, day + timedelta(days=3), "sick_leave"))
    assert schedule.intervals_on(day) == [] and schedule.intervals_on(day + timedelta(days=4)) == list(NINE_SIX)


def test_later_template_takes_over_and_old_one_ends():
    old = WorkPattern(WEEKLY, (NINE_SIX,) * 7, date(2026, 1, 1), valid_until=date(2026, 12, 31))
    new = WorkPattern(WEEKLY, (((time(10), time(14)), (time(15), time(19))),) * 7, date(2026, 12, 1))
    schedule = StaffSchedule(patterns=[old, new])
    assert schedule.intervals_on(date(2026, 11, 30)) == list(NINE_SIX)
    assert schedule.intervals_on(date(2026, 12, 1)) == [(time(10), time(14)), (time(15), time(19))]
