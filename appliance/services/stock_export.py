"""Stock reports as files (IN8): XLSX (openpyxl) and CSV, from the plain rows of stock_reports.

As with the timesheet: CSV is UTF-8 with a byte-order mark and ``;``
between fields so Excel in Russian and Uzbek locales opens it in columns.
Quantities are written as numbers in XLSX and as text with a point in CSV.
"""
import csv
import io
from dataclasses import asdict, is_dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

CSV_DELIMITER = ";"
LOW = PatternFill("solid", start_color="F8CBAD")  # low or negative stock, overuse

REPORTS = {
    "on_hand": ("product", "sku", "barcode", "warehouse", "quantity", "unit", "packs", "low_stock_level"),
    "turnover": ("product", "warehouse", "unit", "opening", "incoming", "outgoing", "closing"),
    "consumption": ("key", "product", "unit", "norm", "actual", "overuse"),
    "expiring": ("product", "warehouse", "code", "expires_on", "remaining", "unit"),
    "discrepancies": ("product", "unit", "expected", "counted", "difference", "value"),
}


def _plain(row) -> dict:
    return asdict(row) if is_dataclass(row) else dict(row)


def _marked(data: dict) -> bool:
    return bool(data.get("low") or data.get("negative") or (data.get("overuse") or 0) > 0
                or data.get("expired") or (data.get("difference") or 0) < 0)


def _cell(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def to_csv(report: str, rows, labels: dict | None = None) -> bytes:
    """The report's rows as CSV (header line of labels, then one line per row)."""
    columns = REPORTS[report]
    labels = labels or {}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER)
    writer.writerow([labels.get(c, c) for c in columns])
    for row in rows:
        data = _plain(row)
        writer.writerow(["" if data.get(c) is None else str(data.get(c)) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: str, rows, labels: dict | None = None, title: str = "") -> bytes:
    """The report's rows as an XLSX sheet; low, negative, overused and expired rows are shaded."""
    columns = REPORTS[report]
    labels = labels or {}
    book = Workbook()
    sheet = book.active
    sheet.title = (title or report)[:31]
    sheet.append([labels.get(c, c) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        data = _plain(row)
        sheet.append([_cell(data.get(c)) if not isinstance(data.get(c), date) else data.get(c) for c in columns])
        if _marked(data):
            for cell in sheet[sheet.max_row]:
                cell.fill = LOW
    for letter, column in zip("ABCDEFGHIJ", columns):
        sheet.column_dimensions[letter].width = 32 if column in ("product", "key", "warehouse") else 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
