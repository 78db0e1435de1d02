"""The timesheet (ST4): punches against the schedule, for a period, as JSON-ready data, XLSX and CSV."""
import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from appliance.services import punch_corrections as corrections
from appliance.services import schedules
from appliance.services.errors import InvalidInput
from appliance.services.staff import create_staff, update_staff
from appliance.services.timesheet_export import to_csv, to_xlsx
from appliance.services.timesheets import build_timesheet
from appliance.storage.models.time_clock import TimePunch

MONDAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 20, tzinfo=timezone.utc)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A Tashkent wall-clock time (UTC+5) as an instant."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone(timedelta(hours=5)))


@pytest.fixture
def week(small_salon, system):
    """Dilnoza (09-18 daily): late Monday, forgot to clock out Tuesday, on vacation Wednesday; Olga worked Monday."""
    dilnoza, olga = small_salon["masters"]
    for at, kind in ((local(MONDAY, 9, 12), "in"), (local(MONDAY, 18, 30), "out"),
                     (local(MONDAY + timedelta(days=1), 8, 58), "in")):
        corrections.add_punch(system, dilnoza.id, at, kind, "typed in from the paper log")
    corrections.add_punch(system, olga.id, local(MONDAY, 9), "in", "paper log")
    corrections.add_punch(system, olga.id, local(MONDAY, 15), "out", "paper log")
    schedules.create_absence(system, dilnoza.id, {"date_from": MONDAY + timedelta(days=2),
                                                  "date_to": MONDAY + timedelta(days=2), "reason": "vacation"})
    return dilnoza, olga


def test_the_week_against_the_schedule(week):
    dilnoza, olga = week
    sheet = build_timesheet(MONDAY, MONDAY + timedelta(days=2), now=NOW)
    rows = {r.staff_id: r for r in sheet.rows}
    monday, tuesday, wednesday = rows[dilnoza.id].days
    assert (monday.worked_min, monday.planned_min, monday.late_min, monday.overtime_min) == (558, 540, 12, 30)
    assert tuesday.missing_out and tuesday.worked_min == 0
    assert (wednesday.planned_min, wednesday.absence, wednesday.absent) == (0, "vacation", False)
    olga_monday, olga_tuesday, _ = rows[olga.id].days
    assert (olga_monday.worked_min, olga_monday.early_min) == (360, 180) and olga_tuesday.absent
    assert rows[dilnoza.id].totals.worked_min == 558 and rows[dilnoza.id].totals.missing_punches == 1
    assert sheet.totals.worked_min == 918 and sheet.totals.days_absent == 2


def test_voided_punches_do_not_count_and_staff_can_be_chosen(week, system):
    dilnoza, olga = week
    late_in = build_timesheet(MONDAY, MONDAY, [dilnoza.id], now=NOW).rows[0].days[0]
    first = TimePunch.select().where(TimePunch.staff == dilnoza.id).order_by(TimePunch.at).first()
    corrections.void_punch(system, first.id, "wrong")
    sheet = build_timesheet(MONDAY, MONDAY, [dilnoza.id], now=NOW)
    assert [r.staff_id for r in sheet.rows] == [dilnoza.id]
    assert late_in.worked_min == 558 and sheet.rows[0].days[0].worked_min == 0
    assert sheet.rows[0].days[0].missing_in


def test_a_night_shift_before_the_period_is_not_a_stray_clock_out(small_salon, system):
    cleaner = create_staff(system, {"first_name": "Nodira", "role": "administrator"})
    corrections.add_punch(system, cleaner.id, local(MONDAY, 22), "in", "night")
    corrections.add_punch(system, cleaner.id, local(MONDAY + timedelta(days=1), 6), "out", "night")
    sheet = build_timesheet(MONDAY + timedelta(days=1), MONDAY + timedelta(days=1), [cleaner.id], now=NOW)
    assert not sheet.rows[0].days[0].missing_in and sheet.rows[0].days[0].worked_min == 0
    whole = build_timesheet(MONDAY, MONDAY + timedelta(days=1), now=NOW)
    assert cleaner.id in {r.staff_id for r in whole.rows}  # not a master, but punched in the period


def test_period_limits_name_the_field(salon):
    for first, last in ((MONDAY, MONDAY - timedelta(days=1)), (MONDAY, MONDAY + timedelta(days=62))):
        with pytest.raises(InvalidInput) as caught:
            build_timesheet(first, last)
        assert caught.value.fields[0][0] == "date_to"


def test_csv_opens_in_excel_with_cyrillic_and_reads_back(week, system):
    dilnoza, _ = week
    update_staff(system, dilnoza.id, {"last_name": "Юсупова"})
    sheet = build_timesheet(MONDAY, MONDAY + timedelta(days=1), now=NOW)
    data = to_csv(sheet, {"staff": "Сотрудник"})
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Сотрудник", "Date", "Planned, min", "Worked, min"]
    mine = [r for r in rows[1:] if r[0] == "Dilnoza Юсупова"]
    assert mine[0][1:8] == ["2026-03-02", "540", "558", "12", "0", "30", ""]
    assert mine[0][11] == "09:12–18:30"
    assert mine[1][7] == "yes" and mine[1][11] == "08:58–?"


def test_xlsx_has_the_grid_and_the_day_rows(week):
    dilnoza, olga = week
    sheet = build_timesheet(MONDAY, MONDAY + timedelta(days=1), now=NOW)
    book = load_workbook(io.BytesIO(to_xlsx(sheet)))
    assert book.sheetnames == ["Timesheet", "Days"]
    grid = [list(r) for r in book["Timesheet"].iter_rows(values_only=True)]
    assert grid[0][:3] == ["Staff", "2026-03-02", "2026-03-03"]
    by_name = {r[0]: r for r in grid[1:]}
    assert by_name["Dilnoza"][1:4] == [9.3, None, 9.3]
    assert by_name["Olga"][1:4] == [6, None, 6]
    days = list(book["Days"].iter_rows(values_only=True))
    assert days[1][:4] == ("Dilnoza", "2026-03-02", 540, 558)
    assert len(days) == 1 + 2 * len(sheet.rows)
