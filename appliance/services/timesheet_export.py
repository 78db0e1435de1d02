"""The timesheet as files for the accountant (ST4): XLSX (openpyxl) and CSV.

CSV is UTF-8 with a byte-order mark, so Excel reads Cyrillic and Uzbek
letters right, and uses ``;`` between fields: Excel in Russian and Uzbek
locales takes ``,`` as the decimal mark and expects ``;`` as the list
separator, so the file opens in columns with a double click. Durations are
whole minutes in both files (no decimal marks to misread); the XLSX grid
also shows hours as numbers for reading at a glance.
"""
import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from appliance.services.timesheets import Timesheet

CSV_DELIMITER = ";"
LABELS = {
    "sheet_grid": "Timesheet", "sheet_days": "Days", "staff": "Staff", "date": "Date",
    "planned_min": "Planned, min", "worked_min": "Worked, min", "late_min": "Late, min",
    "early_min": "Left early, min", "overtime_min": "Overtime, min", "missing_out": "No clock-out",
    "missing_in": "No clock-in", "absent": "Absent", "absence": "Absence", "punches": "Clock-in and clock-out",
    "total_hours": "Worked, h", "planned_hours": "Planned, h", "yes": "yes",
}
COLUMNS = ("staff", "date", "planned_min", "worked_min", "late_min", "early_min", "overtime_min",
           "missing_out", "missing_in", "absent", "absence", "punches")
MARKED = PatternFill("solid", start_color="FFF2CC")  # late, early or overtime
MISSING = PatternFill("solid", start_color="F8CBAD")  # a punch is missing


def _shift_text(shift, tz) -> str:
    start = shift.start.astimezone(tz).strftime("%H:%M")
    return f"{start}–{shift.end.astimezone(tz).strftime('%H:%M') if shift.end else '?'}"


def day_rows(sheet: Timesheet, labels: dict) -> list[list]:
    """One row per person and day, in COLUMNS order."""
    yes = labels["yes"]
    rows = []
    for person in sheet.rows:
        for r in person.days:
            punches = [_shift_text(s, sheet.tz) for s in r.shifts]
            punches += [f"?–{at.astimezone(sheet.tz).strftime('%H:%M')}" for at in r.stray_outs]
            rows.append([person.name, r.day.isoformat(), r.planned_min, r.worked_min, r.late_min, r.early_min,
                         r.overtime_min, yes if r.missing_out else "", yes if r.missing_in else "",
                         yes if r.absent else "", labels.get(f"absence_{r.absence}", r.absence or ""),
                         ", ".join(punches)])
    return rows


def to_csv(sheet: Timesheet, labels: dict | None = None) -> bytes:
    """The day rows as CSV: UTF-8 with BOM, ``;``-separated, a header row of ``labels``."""
    labels = {**LABELS, **(labels or {})}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([labels[c] for c in COLUMNS])
    writer.writerows(day_rows(sheet, labels))
    return buffer.getvalue().encode("utf-8-sig")


def _grid(ws, sheet: Timesheet, labels: dict) -> None:
    ws.append([labels["staff"], *[d.isoformat() for d in sheet.days], labels["total_hours"],
               labels["planned_hours"], labels["late_min"], labels["early_min"], labels["overtime_min"]])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for person in sheet.rows:
        t = person.totals
        ws.append([person.name, *[round(r.worked_min / 60, 2) if r.worked_min else None for r in person.days],
                   round(t.worked_min / 60, 2), round(t.planned_min / 60, 2), t.late_min, t.early_min,
                   t.overtime_min])
        row = ws.max_row
        for index, report in enumerate(person.days, start=2):
            cell = ws.cell(row=row, column=index)
            cell.number_format = "0.00"
            if report.missing_out or report.missing_in:
                cell.fill = MISSING
            elif report.late_min or report.early_min or report.overtime_min:
                cell.fill = MARKED
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 28


def to_xlsx(sheet: Timesheet, labels: dict | None = None) -> bytes:
    """A workbook: the staff x days grid of hours worked, and the day rows as in the CSV."""
    labels = {**LABELS, **(labels or {})}
    book = Workbook()
    grid = book.active
    grid.title = labels["sheet_grid"][:31]
    _grid(grid, sheet, labels)
    days = book.create_sheet(labels["sheet_days"][:31])
    days.append([labels[c] for c in COLUMNS])
    for cell in days[1]:
        cell.font = Font(bold=True)
    for row in day_rows(sheet, labels):
        days.append(row)
    days.freeze_panes = "C2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
