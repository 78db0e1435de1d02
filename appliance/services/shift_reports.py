"""X and Z reports of a cash shift (PO2): figures summed in SQL from the shift's own payments and movements.

The Z report closes the shift: its figures are kept with the shift
(``z_totals``), the fiscal register runs its own Z first (a refusal leaves
the shift open), and the report goes to the receipt printer. The cloud can
recompute every figure from the synced payments and movements that name the shift.
"""
from decimal import Decimal

from peewee import fn

from appliance.domain.checkout import METHODS
from appliance.domain.report_layout import MethodTotal, ShiftReport, cash_in_drawer, shift_report
from appliance.services import print_queue
from appliance.services.audit import audit
from appliance.services.cash import device_of, open_shift_for_update, shift_by_id
from appliance.services.checkout import settle_intents
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, NotFound
from appliance.services.visit_cards import salon_header
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.cash import CashMovement, CashRegister, CashShift
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.checkout import Sale, SalePayment
from hardware.fiscal import FiscalError

ZERO = Decimal("0.00")  # as the money columns read back, so stored figures look alike


def _money(raw) -> Decimal:
    return SalePayment.amount.python_value(raw or 0)


def figures(shift: CashShift, kind: str = "X") -> ShiftReport:
    """The shift's report: sales and returns by method, counts, cash movements and tips."""
    sums = {}
    for pay_kind, method, total in (SalePayment.select(SalePayment.kind, SalePayment.method, fn.SUM(SalePayment.amount).coerce(False))
                                    .where(SalePayment.shift == shift.id)
                                    .group_by(SalePayment.kind, SalePayment.method).tuples()):
        sums[(pay_kind, method)] = _money(total)
    methods = [m for m in METHODS if (("sale", m) in sums or ("return", m) in sums or m == "cash")]
    by_method = tuple(MethodTotal(m, sums.get(("sale", m), ZERO), sums.get(("return", m), ZERO)) for m in methods)
    counts = dict(Sale.select(Sale.kind, fn.COUNT(Sale.id)).where((Sale.shift == shift.id) & (Sale.status == "paid"))
                  .group_by(Sale.kind).tuples())
    moved = dict(CashMovement.select(CashMovement.kind, fn.SUM(CashMovement.amount).coerce(False))
                 .where(CashMovement.shift == shift.id).group_by(CashMovement.kind).tuples())
    # A tip given back on a return (refund_tips) is no longer the master's.
    tips = dict(Sale.select(Sale.kind, fn.SUM(Sale.tips_total).coerce(False))
                .where((Sale.shift == shift.id) & (Sale.status == "paid")).group_by(Sale.kind).tuples())
    opener = Staff.get_by_id(shift.opened_by_id)
    return ShiftReport(kind, shift.number, shift.opened_at, shift.closed_at or utc_now(), opener.first_name, by_method,
                       counts.get("sale", 0), counts.get("return", 0), shift.opening_cash, _money(moved.get("in")),
                       _money(moved.get("out")), _money(tips.get("sale")) - _money(tips.get("return")))


def report_data(report: ShiftReport) -> dict:
    """A report's figures as JSON data (kept with a closed shift)."""
    return {"by_method": {m.method: {"sales": str(m.sales), "returns": str(m.returns)} for m in report.by_method},
            "sales_count": report.sales_count, "returns_count": report.returns_count,
            "opening_cash": str(report.opening_cash), "cash_in": str(report.cash_in),
            "cash_out": str(report.cash_out), "tips": str(report.tips), "cash_in_drawer": str(cash_in_drawer(report))}


def _print(actor: Actor, report: ShiftReport, language: str) -> bool:
    document = shift_report(salon_header(SalonContext.load(), language), report)
    try:
        print_queue.enqueue(actor, "receipt", document, "report", f"{report.kind} report, shift {report.shift_number}")
    except NotFound:
        return False
    return True


def x_report(actor: Actor, shift_id: str, language: str = "ru") -> ShiftReport:
    """The X report of an open shift, printed; the shift stays open."""
    shift = shift_by_id(shift_id)
    settle_intents(actor, shift.register_id)
    with write_transaction():
        shift = open_shift_for_update(actor, shift.id)
        report = figures(shift, "X")
        try:
            device_of(CashRegister.get_by_id(shift.register_id)).x_report()
        except FiscalError as exc:
            raise Conflict(f"the fiscal register did not print the X report: {exc}", code="fiscal_failed") from None
        _print(actor, report, language)
        audit(actor, "shift.x_report", "cash_shift", shift.id, report_data(report))
    return report


def close_shift(actor: Actor, shift_id: str, language: str = "ru") -> ShiftReport:
    """The Z report: the shift is closed for good, its figures kept and printed.

    A receipt the fiscal register may hold from a crashed attempt is settled
    first, so the Z figures hold every receipt the register issued.
    """
    shift = shift_by_id(shift_id)
    settle_intents(actor, shift.register_id)
    with write_transaction():
        shift = open_shift_for_update(actor, shift.id)
        shift.closed_at, shift.closed_by, shift.status = utc_now(), actor.id, "closed"
        report = figures(shift, "Z")
        try:
            device_of(CashRegister.get_by_id(shift.register_id)).z_report()
        except FiscalError as exc:
            raise Conflict(f"the fiscal register did not close its shift: {exc}", code="fiscal_failed") from None
        shift.z_totals = report_data(report)
        shift.save()
        _print(actor, report, language)
        audit(actor, "shift.closed", "cash_shift", shift.id, shift.z_totals)
    return report
