"""X and Z shift reports and the printer's test page, laid out as print documents."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from appliance.domain.print_document import Barcode, Columns, Cut, Document, Feed, QrCode, Separator, Text, document
from appliance.domain.print_text import amount_text, method_name, moment_text, word
from appliance.domain.receipt_layout import SalonHeader, header_blocks

ZERO = Decimal(0)
CASH = "cash"


@dataclass(frozen=True)
class MethodTotal:
    """What came in and went back by one payment method during the shift."""

    method: str
    sales: Decimal
    returns: Decimal = ZERO


@dataclass(frozen=True)
class ShiftReport:
    """A shift's figures: an X report (any time, the shift stays open) or a Z report (closing it)."""

    kind: str  # "X" or "Z"
    shift_number: int
    opened_at: datetime
    at: datetime  # when printed (X) or closed (Z)
    cashier: str
    by_method: tuple[MethodTotal, ...]
    sales_count: int
    returns_count: int
    opening_cash: Decimal = ZERO
    cash_in: Decimal = ZERO
    cash_out: Decimal = ZERO
    tips: Decimal = ZERO


def cash_in_drawer(report: ShiftReport) -> Decimal:
    """Cash that should be in the drawer: opening + cash sales − cash returns + cash in − cash out."""
    cash = [m for m in report.by_method if m.method == CASH]
    sales = sum((m.sales for m in cash), ZERO)
    returns = sum((m.returns for m in cash), ZERO)
    return report.opening_cash + sales - returns + report.cash_in - report.cash_out


def shift_report(salon: SalonHeader, report: ShiftReport) -> Document:
    """The X or Z report: totals by payment method, returns, cash movements, counts."""
    if report.kind not in ("X", "Z"):
        raise ValueError("kind must be X or Z")
    lang, tz = salon.language, salon.timezone
    money = lambda amount: amount_text(amount, salon.currency)  # noqa: E731
    blocks = [*header_blocks(salon), Separator("="),
              Text(word("x_report" if report.kind == "X" else "z_report", lang), align="center", bold=True,
                   size="tall"),
              Columns(word("shift", lang), f"№ {report.shift_number}"),
              Columns(word("opened", lang), moment_text(report.opened_at, tz)),
              Columns(word("closed" if report.kind == "Z" else "printed", lang), moment_text(report.at, tz)),
              Columns(word("cashier", lang), report.cashier), Separator("-"),
              Text(word("sales", lang), bold=True)]
    blocks += [Columns(f"  {method_name(m.method, lang)}", money(m.sales)) for m in report.by_method]
    blocks += [Columns(word("total", lang), money(sum((m.sales for m in report.by_method), ZERO)), bold=True),
               Columns(word("count", lang), str(report.sales_count)), Separator("-"),
               Text(word("returns", lang), bold=True)]
    blocks += [Columns(f"  {method_name(m.method, lang)}", money(m.returns)) for m in report.by_method if m.returns]
    blocks += [Columns(word("total", lang), money(sum((m.returns for m in report.by_method), ZERO)), bold=True),
               Columns(word("count", lang), str(report.returns_count)), Separator("-"),
               Columns(word("opening_cash", lang), money(report.opening_cash)),
               Columns(word("cash_in", lang), money(report.cash_in)),
               Columns(word("cash_out", lang), money(-report.cash_out) if report.cash_out else money(ZERO)),
               Columns(word("tips", lang), money(report.tips)),
               Columns(word("cash_in_drawer", lang), money(cash_in_drawer(report)), bold=True),
               Feed(2), Cut()]
    return document(*blocks, copy_mark=word("copy", lang))


# The test page shows what a new printer must get right: both alphabets (every form
# of the Uzbek apostrophe people type), a barcode and a QR code.
TEST_TEXT_RU = "Съешь же ещё этих мягких французских булок, да выпей чаю. № 1"
TEST_TEXT_UZ = "Oʻzbekiston, gʻisht, Gʻ Oʻ; o‘g‘il, oʼg`il; maʼlumot"
TEST_BARCODE = "4601234567893"


def printer_test_page(salon: SalonHeader, printer_name: str, at: datetime) -> Document:
    """A page to check a printer: its name, Cyrillic, Uzbek Latin with oʻ gʻ, a barcode and a QR code."""
    lang = salon.language
    return document(
        *header_blocks(salon), Separator("="),
        Text(word("test_page", lang), align="center", bold=True, size="tall"),
        Text(printer_name, align="center"), Text(moment_text(at, salon.timezone), align="center"),
        Separator("-"), Text(TEST_TEXT_RU), Text(TEST_TEXT_UZ),
        Text("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ Ўў"), Columns("Oʻrtacha narx", "150 000"),
        Separator("-"), Barcode("EAN13", TEST_BARCODE), Feed(1), QrCode("https://example.org/salon-box"),
        Feed(2), Cut())
