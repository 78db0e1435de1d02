"""Receipts of sales and returns (PO2, PO3): the paper layout, the fiscal register's view, printing and copies.

Both views are built from the stored rows alone (lines with their figures,
payments, tips), so a receipt printed today and its copy printed next year
say the same, and ``receipt_totals`` checks once more that they add up.
"""
from appliance.domain.print_document import Document
from appliance.domain.receipt_layout import OriginalReceipt, Payment, SaleLine as PrintedLine, SaleReceipt, Tip, \
    sale_receipt
from appliance.services import print_queue
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, NotFound
from appliance.services.visit_cards import salon_header
from appliance.storage.database import write_transaction
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.checkout import Sale, SaleLine, SalePayment, SaleTip
from appliance.storage.models.clients import Client
from appliance.storage.models.printing import PrintJob
from hardware.fiscal import FiscalLine, FiscalReceipt

CERTIFICATE_NAMES = {"ru": "Подарочный сертификат", "uz": "Sovgʻa sertifikati", "en": "Gift certificate"}
DEPOSIT_NAMES = {"ru": "Пополнение депозита", "uz": "Depozitni toʻldirish", "en": "Deposit top-up"}


def receipt_number(sale: Sale) -> str:
    """The receipt's number as printed: six digits, gap-free per register."""
    return f"{sale.number:06d}" if sale.number is not None else ""


def staff_names(ids) -> dict:
    """Staff id -> first name, as receipts show people."""
    return {s.id: s.first_name for s in Staff.select().where(Staff.id.in_([i for i in ids if i]))}


def line_name(line: SaleLine, language: str) -> str:
    """A line as printed: a certificate with its code (the client redeems it by that code)."""
    if line.kind == "certificate":
        return f"{CERTIFICATE_NAMES.get(language, CERTIFICATE_NAMES['en'])} {line.certificate_code}"
    if line.kind == "deposit":
        return DEPOSIT_NAMES.get(language, DEPOSIT_NAMES["en"])
    return line.name


def _rows(sale: Sale):
    lines = list(SaleLine.select().where((SaleLine.sale == sale.id) & (SaleLine.active == True))  # noqa: E712
                 .order_by(SaleLine.position))
    payments = list(SalePayment.select().where(SalePayment.sale == sale.id).order_by(SalePayment.created_at,
                                                                                     SalePayment.id))
    tips = list(SaleTip.select().where((SaleTip.sale == sale.id) & (SaleTip.active == True)))  # noqa: E712
    return lines, payments, tips


def printed_lines(sale: Sale, lines: list[SaleLine], language: str) -> tuple[PrintedLine, ...]:
    """Lines for paper: on a return the discount printed makes each line come to what is refunded."""
    names = staff_names({l.master_id for l in lines})
    if sale.kind == "return":
        return tuple(PrintedLine(line_name(l, language), l.quantity, l.unit_price, l.gross - l.net,
                                 names.get(l.master_id, "")) for l in lines)
    return tuple(PrintedLine(line_name(l, language), l.quantity, l.unit_price, l.discount, names.get(l.master_id, ""))
                 for l in lines)


def receipt_of(sale: Sale, language: str = "ru", is_copy: bool = False) -> SaleReceipt:
    """The receipt of a paid sale or a return, as the layout prints it."""
    if sale.status != "paid":
        raise Conflict("only a paid sale has a receipt", code="not_paid")
    lines, payments, tips = _rows(sale)
    names = staff_names({t.master_id for t in tips} | {sale.cashier_id})
    client = Client.get_or_none(Client.id == sale.client_id) if sale.client_id else None
    original = None
    if sale.original_id:
        first = Sale.get_by_id(sale.original_id)
        original = OriginalReceipt(receipt_number(first), first.paid_at)
    return SaleReceipt(
        number=receipt_number(sale), at=sale.paid_at, lines=printed_lines(sale, lines, language),
        payments=tuple(Payment(p.method, p.amount, p.tendered) for p in payments),
        cashier=names.get(sale.cashier_id, ""), client=client.first_name if client else "",
        discount=sale.check_discount if sale.kind == "sale" else 0,
        tips=tuple(Tip(names.get(t.master_id, ""), t.amount) for t in tips), qr_data=sale.id, is_copy=is_copy,
        original=original)


def receipt_document(sale: Sale, language: str = "ru", is_copy: bool = False) -> Document:
    """The receipt laid out for paper (and for the receipt page)."""
    return sale_receipt(salon_header(SalonContext.load(), language), receipt_of(sale, language, is_copy))


def fiscal_receipt(sale: Sale, lines: list[SaleLine], tenders, cashier: str) -> FiscalReceipt:
    """What the fiscal register books for a check about to be paid: cash as handed over."""
    if sale.kind == "return":
        booked = tuple(FiscalLine(l.name, l.quantity, l.unit_price, l.gross - l.net) for l in lines)
        return FiscalReceipt("return", booked, tuple((t.method, t.amount) for t in tenders), tips=sale.tips_total,
                             cashier=cashier)
    booked = tuple(FiscalLine(line_name(l, "ru"), l.quantity, l.unit_price, l.discount) for l in lines)
    return FiscalReceipt("sale", booked, tuple((t.method, t.tendered or t.amount) for t in tenders),
                         check_discount=sale.check_discount, tips=sale.tips_total, cashier=cashier)


def print_receipt(actor: Actor, sale: Sale, language: str = "ru", is_copy: bool = False) -> PrintJob | None:
    """Queue the receipt (or its COPY) for the receipt printer; None when the salon has none."""
    document = receipt_document(sale, language, is_copy)
    title = f"{'Return' if sale.kind == 'return' else 'Receipt'} {receipt_number(sale)}"
    try:
        return print_queue.enqueue(actor, "receipt", document, "receipt", title + (" (copy)" if is_copy else ""))
    except NotFound:
        return None


def reprint(actor: Actor, sale_id: str, language: str = "ru") -> PrintJob:
    """Print a COPY of a paid receipt (audited); Conflict when there is no receipt printer."""
    sale = Sale.get_or_none(Sale.id == sale_id) if isinstance(sale_id, str) else None
    if sale is None:
        raise NotFound("sale", str(sale_id))
    with write_transaction():
        job = print_receipt(actor, sale, language, is_copy=True)
        if job is None:
            raise Conflict("no receipt printer is set up (Devices page)", code="no_printer")
        audit(actor, "receipt.reprinted", "sale", sale.id, {"number": receipt_number(sale)})
    return job
