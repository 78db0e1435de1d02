"""Paying a check (PO1, PO2, BK7): payments, prepaid balances, stock, the booking, then the fiscal register.

Before the fiscal register is called, an intent is committed on its own
(``appliance.services.fiscal_intents``: the register's last document number,
the tenders); the sale's commit closes it, and one left open by a crash is
settled by asking the register before anything else is paid on it.
Then everything happens in one write transaction, in this order: the check is
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
from appliance.services import bookings, fiscal_intents, prepaid, receipts, stock
from appliance.services.audit import audit
from appliance.services.cash import checkout_error, current_shift, device_of, open_shift_for_update
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.sales import editable_sale, reprice, sale_by_id
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking
from appliance.storage.models.cash import CashRegister, CashShift, FiscalIntent
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.checkout import Sale, SaleLine, SalePayment
from appliance.storage.models.clients import Client
from hardware.fiscal import FiscalError, FiscalResult


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
    An intent left open by an earlier attempt (the box died, or the
    register's answer was lost) is settled first: if the register issued
    that receipt, the sale is completed from it and nothing is registered again.
    """
    ctx = SalonContext.load()
    sale_by_id(sale_id)  # 404 before anything else
    found = current_shift(register_id)
    if found is None:
        raise Conflict("open a cash shift first (Cash page)", code="no_open_shift")
    register = CashRegister.get_by_id(found.register_id)
    for other in sorted({i.register for i in fiscal_intents.open_intents(sale_id=sale_id)} | {register.id}):
        if any(i.kind == "sale" and i.sale == sale_id and i.state == "recovered"
               for i in settle_intents(actor, other)):
            return Paid(Sale.get_by_id(sale_id), False)  # the register had issued it: nothing is sent again
    device = device_of(register)
    intent = _begin_intent(actor, sale_id, register, device, tenders, ctx)
    called = False
    try:
        with write_transaction():
            sale = editable_sale(sale_id, pending_ok=True)
            if intent is not None and FiscalIntent.get_by_id(intent.id).state != "open":
                raise Conflict("the fiscal register was used meanwhile; pay again", code="fiscal_pending")
            shift = shift_for(actor, register.id)
            lines = reprice(sale, ctx)
            if not lines:
                raise InvalidInput("lines", "add at least one line")
            settled = _settle(sale, tenders, ctx)
            for index, tender in enumerate(settled):
                _record_payment(sale, shift, tender, index, ctx)
            _deliver(actor, sale, lines, ctx)
            cashier = Staff.get_or_none(Staff.id == actor.id)
            receipt = receipts.fiscal_receipt(sale, lines, settled, cashier.first_name if cashier else "")
            called = True
            try:
                result = device.register(receipt)
            except FiscalError as exc:
                raise Conflict(f"the fiscal register did not accept the receipt: {exc}",
                               code="fiscal_failed") from None
            issue_number(actor, sale, register, shift, result, settled)
            if intent is not None:
                fiscal_intents.finish(intent.id, "done", result.document)
            printed = False if device.prints_receipt else receipts.print_receipt(actor, sale, language) is not None
    except Exception as exc:
        if intent is not None and not called:
            fiscal_intents.cancel(intent.id, str(exc))
        elif intent is not None and isinstance(exc, Conflict) and exc.code == "fiscal_failed":
            # "Not accepted" may be an answer lost after the register issued it: ask it at once.
            recovered = _settle_now(actor, register)
            if recovered is not None and recovered.id == sale_id:
                return Paid(recovered, False)
        raise
    return Paid(sale, printed)


def _settle(sale: Sale, tenders, ctx: SalonContext) -> tuple[Tender, ...]:
    try:
        return settle(sale.total + sale.tips_total, list(tenders), ctx.currency)
    except CheckoutError as exc:
        raise checkout_error(exc) from None


def _begin_intent(actor: Actor, sale_id: str, register: CashRegister, device, tenders, ctx) -> FiscalIntent | None:
    """Check what can be checked, then commit the intent with the register's last document number.

    The number is read under the write lock, after checking that the
    register has no other open intent: nothing else can move its counter
    until this intent is closed. None for a driver that keeps no numbers.
    """
    with write_transaction():
        sale = editable_sale(sale_id)
        shift = shift_for(actor, register.id)
        if not reprice(sale, ctx):
            raise InvalidInput("lines", "add at least one line")
        settled = _settle(sale, tenders, ctx)
        before = fiscal_intents.document_before(register.id, device)
        if before is None:
            return None
        return fiscal_intents.begin(actor.id, sale.id, register.id, shift.id, settled,
                                    sale.total + sale.tips_total, before)


def _settle_now(actor: Actor, register: CashRegister) -> Sale | None:
    """Settle the register's open intent right after a refusal; the sale it completed, if any."""
    try:
        settled = settle_intents(actor, register.id)
    except Conflict:
        return None  # the register cannot be asked now: the intent stays open for the next attempt
    return next((Sale.get_by_id(i.sale) for i in settled if i.kind == "sale" and i.state == "recovered"), None)


def settle_intents(actor: Actor, register_id: str) -> list[FiscalIntent]:
    """Settle the register's open intents by asking it for its last document number.

    Moved past the number read before the attempt: the receipt was issued
    (it is the next document, ``document_before + 1``: nothing else is sent
    to a register while it has an open intent), so the sale is completed
    from the intent's tenders without registering again. Not moved: nothing
    was issued; the intent is abandoned and paying again is safe.
    Conflict(code="fiscal_pending") if the register cannot be asked.
    """
    intents = fiscal_intents.open_intents(register_id)
    if not intents:
        return []
    register = CashRegister.get_by_id(register_id)
    try:
        last = device_of(register).last_document()
    except FiscalError as exc:
        raise Conflict(f"the fiscal register must be asked whether it issued an earlier receipt, but: {exc}",
                       code="fiscal_pending") from None
    settled = []
    for intent in intents:
        with write_transaction():
            intent = FiscalIntent.get_by_id(intent.id)
            if intent.state != "open":
                continue
            if last is None or last <= intent.document_before:
                fiscal_intents.finish(intent.id, "abandoned", note=f"register still at document {last}")
                audit(actor, "sale.fiscal_abandoned", "sale", intent.sale,
                      {"register": register_id, "attempt": intent.attempt, "document": last})
            elif intent.kind == "return":
                # Returns build on checkout (refunds imports this module): imported where needed.
                from appliance.services import refunds
                refunds.complete_from(actor, intent, register, last)
            else:
                _complete_from(actor, intent, register, last)
        settled.append(FiscalIntent.get_by_id(intent.id))
    return settled


def _complete_from(actor: Actor, intent: FiscalIntent, register: CashRegister, last: int) -> None:
    """The register issued the intent's receipt: record the sale as paid with its tenders and number."""
    document = str(intent.document_before + 1)
    sale = Sale.get_by_id(intent.sale)
    if sale.status != "open":
        fiscal_intents.finish(intent.id, "done", document, note=f"sale already {sale.status}")
        return
    ctx = SalonContext.load()
    shift = recovery_shift(intent, register, f"receipt {document}", "the sale")
    lines = reprice(sale, ctx)
    settled = fiscal_intents.tenders_of(intent)
    try:
        for index, tender in enumerate(settled):
            _record_payment(sale, shift, tender, index, ctx)
        _deliver(actor, sale, lines, ctx)
    except (InvalidInput, Conflict) as exc:
        raise Conflict(f"the fiscal register issued receipt {document} of an earlier attempt, but it cannot be "
                       f"recorded: {exc.message}", code="fiscal_pending") from None
    issue_number(actor, sale, register, shift, FiscalResult(fiscal=True, document=document), settled)
    fiscal_intents.finish(intent.id, "recovered", document, note=f"register at document {last}")
    audit(actor, "sale.fiscal_recovered", "sale", sale.id, {
        "register": register.id, "attempt": intent.attempt, "document": document, "started_by": intent.started_by})


def recovery_shift(intent: FiscalIntent, register: CashRegister, issued: str, recorded: str) -> CashShift:
    """The shift to record a recovered receipt in: the intent's, or the register's open one since."""
    shift = CashShift.get_by_id(intent.shift)
    if shift.status == "open":
        return shift
    shift = current_shift(register.id)
    if shift is None:
        raise Conflict(f"the fiscal register issued {issued} of an earlier attempt: open a shift on it to record "
                       f"{recorded}", code="fiscal_pending")
    return shift


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
