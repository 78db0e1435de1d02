"""Paying a check (PO1, PO2, BK7): payments, prepaid balances, stock, the booking, then the fiscal register.

Everything happens in one write transaction, in this order: the check is
priced again and the split payment checked; payments, certificate and
deposit entries, activated certificates, the stock sold and the visit's
materials are written and the booking is completed — each of which may
still refuse; then the fiscal register books the receipt; only after it
accepted, the register's next receipt number is taken and the sale marked
paid. A refusal anywhere, the fiscal register's included, rolls the whole
transaction back: no number is used up, no payment stays, the booking is
not completed, and the same sale can be paid again.
"""
from dataclasses import dataclass
from decimal import Decimal

from appliance.domain import booking_rules
from appliance.domain.checkout import CheckoutError, Tender, settle
from appliance.services import bookings, prepaid, receipts, stock
from appliance.services.audit import audit
from appliance.services.cash import checkout_error, current_shift, device_of, open_shift_for_update
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.sales import editable_sale, reprice
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking
from appliance.storage.models.cash import CashRegister, CashShift
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.checkout import Sale, SaleLine, SalePayment
from appliance.storage.models.clients import Client
from hardware.fiscal import FiscalError


@dataclass(frozen=True)
class Paid:
    """A paid sale and whether its receipt went to the print queue."""

    sale: Sale
    printed: bool


def shift_for(actor: Actor, register_id: str | None) -> CashShift:
    """The open shift to take the money into: the register's, or the only one open."""
    shift = current_shift(register_id)
    if shift is None:
        raise Conflict("open a cash shift first (Cash page)", code="no_open_shift")
    return open_shift_for_update(actor, shift.id)


def pay(actor: Actor, sale_id: str, tenders: list[Tender], register_id: str | None = None,
        language: str = "ru") -> Paid:
    """Pay an open sale by ``tenders`` (each exact; cash may carry what was handed over).

    Conflict(code="fiscal_failed") with the register's reason when the fiscal
    register refuses; nothing is recorded then, and paying again is safe.
    """
    ctx = SalonContext.load()
    with write_transaction():
        sale = editable_sale(sale_id)
        shift = shift_for(actor, register_id)
        register = CashRegister.get_by_id(shift.register_id)
        lines = reprice(sale, ctx)
        if not lines:
            raise InvalidInput("lines", "add at least one line")
        try:
            settled = settle(sale.total + sale.tips_total, tenders, ctx.currency)
        except CheckoutError as exc:
            raise checkout_error(exc) from None
        for index, tender in enumerate(settled):
            _record_payment(sale, shift, tender, index, ctx)
        _deliver(actor, sale, lines, ctx)
        cashier = Staff.get_or_none(Staff.id == actor.id)
        device = device_of(register)
        try:
            result = device.register(receipts.fiscal_receipt(sale, lines, settled, cashier.first_name if cashier else ""))
        except FiscalError as exc:
            raise Conflict(f"the fiscal register did not accept the receipt: {exc}", code="fiscal_failed") from None
        issue_number(actor, sale, register, shift, result, settled)
        printed = False if device.prints_receipt else receipts.print_receipt(actor, sale, language) is not None
    return Paid(sale, printed)


def _record_payment(sale: Sale, shift: CashShift, tender: Tender, index: int, ctx: SalonContext) -> SalePayment:
    """One payment row; a certificate or deposit is spent under the same lock (never below zero)."""
    field = f"payments.{index}"
    certificate = client = None
    if tender.method == "certificate":
        certificate = prepaid.usable(prepaid.certificate_by_code(tender.reference, f"{field}.reference"), ctx,
                                     f"{field}.reference")
        prepaid.move_certificate(certificate, sale, "redeem", -tender.amount, f"{field}.amount")
    elif tender.method == "deposit":
        if not sale.client_id:
            raise InvalidInput(f"{field}.method", "a deposit pays only for its client's check")
        client = Client.get_by_id(sale.client_id)
        prepaid.move_deposit(client, sale, "spend", -tender.amount, f"{field}.amount")
    return SalePayment.create(sale=sale.id, shift=shift.id, kind="sale", method=tender.method, amount=tender.amount,
                              tendered=tender.tendered, change=tender.change,
                              certificate=certificate.id if certificate else None, client=client.id if client else None)


def _deliver(actor: Actor, sale: Sale, lines: list[SaleLine], ctx: SalonContext) -> None:
    """What the check sold takes effect: certificates activated, deposits topped up, stock, the booking."""
    for line in lines:
        if line.kind == "certificate":
            prepaid.issue_certificate(actor, line, sale, ctx)
        elif line.kind == "deposit":
            prepaid.move_deposit(Client.get_by_id(sale.client_id), sale, "top_up", line.net, "lines")
    products = [(l.product_id, l.quantity) for l in lines if l.kind == "product"]
    if products:
        master = next((l.master_id for l in lines if l.kind == "product" and l.master_id), None)
        stock.sell(actor, sale.id, products, client_id=sale.client_id, master_id=master)
    if sale.booking_id:
        complete_booking(actor, sale.booking_id)
        stock.consume_for_visit(actor, sale.booking_id)


def complete_booking(actor: Actor, booking_id: str) -> None:
    """Paying completes the visit (BK7): a booking not yet marked arrived passes through arrived."""
    status = Booking.get_by_id(booking_id).status
    if status == booking_rules.COMPLETED:
        return
    if status in (booking_rules.CANCELLED, booking_rules.NO_SHOW):
        raise Conflict(f"a {status} booking is not checked out", code="booking_final")
    if status in (booking_rules.REQUESTED, booking_rules.CONFIRMED):
        bookings.set_status(actor, booking_id, booking_rules.ARRIVED)
    bookings.set_status(actor, booking_id, booking_rules.COMPLETED)


def issue_number(actor: Actor, sale: Sale, register: CashRegister, shift: CashShift, result, settled) -> None:
    """The register accepted: take its next number and mark the sale paid, in the same transaction."""
    register = CashRegister.get_by_id(register.id)
    register.last_receipt_number += 1
    register.save()
    sale.status, sale.number, sale.register, sale.shift = "paid", register.last_receipt_number, register.id, shift.id
    sale.paid_at, sale.cashier = utc_now(), actor.id if actor.kind == "staff" else None
    sale.change = sum((t.change for t in settled), Decimal(0))
    sale.fiscal_driver, sale.fiscal_document = register.driver, result.document
    sale.save()
    audit(actor, "sale.paid", "sale", sale.id, {
        "number": sale.number, "register": register.id, "total": str(sale.total), "tips": str(sale.tips_total),
        "payments": [{"method": t.method, "amount": str(t.amount)} for t in settled]})
