"""Refunds and returns (PO3): a return receipt of its own number, referring to the original.

Whole checks or single lines (products by the piece). Each returned line
gives back at most what it cost after its discounts (``refund_of``); the
money goes back to the original payments, latest first, each no further
than what it still holds (``refund_split``): a certificate or deposit gets
its balance back, cash and cards are paid out in the current shift. Stock
comes back to the warehouse it left; a sold certificate is voided (only
unspent), a deposit top-up is taken back (only while the deposit holds it).
Like a payment, it all commits only once the fiscal register took the return.
"""
from decimal import Decimal

from peewee import fn

from appliance.domain.checkout import CheckoutError, Tender, refund_of, refund_split
from appliance.domain.money import round_money
from appliance.services import prepaid, receipts, stock
from appliance.services.cash import checkout_error, current_shift, device_of
from appliance.services.checkout import Paid, issue_number, settle_intents, shift_for
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.database import write_transaction
from appliance.storage.models.cash import CashRegister
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.checkout import GiftCertificate, Sale, SaleLine, SalePayment
from appliance.storage.models.clients import Client
from hardware.fiscal import FiscalError

ZERO = Decimal(0)


def _returned(line_id: str) -> tuple[Decimal, Decimal]:
    """Quantity and amount of a line already returned by paid returns."""
    rows = (SaleLine.select(SaleLine.quantity, SaleLine.net).join(Sale, on=(SaleLine.sale == Sale.id))
            .where((SaleLine.original_line == line_id) & (Sale.status == "paid")))
    return sum((r.quantity for r in rows), ZERO), sum((r.net for r in rows), ZERO)


def returnable(sale: Sale) -> list[tuple[SaleLine, Decimal]]:
    """The sale's lines with the quantity of each still returnable."""
    lines = SaleLine.select().where((SaleLine.sale == sale.id) & (SaleLine.active == True)).order_by(  # noqa: E712
        SaleLine.position)
    return [(line, line.quantity - _returned(line.id)[0]) for line in lines]


def _refundable(payment: SalePayment) -> Decimal:
    back = (SalePayment.select(fn.COALESCE(fn.SUM(SalePayment.amount), 0).coerce(False)).join(Sale, on=(SalePayment.sale == Sale.id))
            .where((SalePayment.refund_of == payment.id) & (Sale.status == "paid")).scalar())
    return payment.amount - SalePayment.amount.python_value(back or 0)


def _return_lines(actor, original: Sale, ret: Sale, wanted: list[tuple[str, Decimal]], ctx) -> list[SaleLine]:
    left = {line.id: (line, qty) for line, qty in returnable(original)}
    if not wanted:
        wanted = [(line_id, qty) for line_id, (_, qty) in left.items() if qty > 0]
    if not wanted:
        raise Conflict("everything on this receipt is returned already", code="nothing_to_return")
    made = []
    for index, (line_id, quantity) in enumerate(wanted):
        if line_id not in left:
            raise InvalidInput(f"lines.{index}.line_id", "is not a line of this receipt")
        line, _ = left[line_id]
        done_qty, done_amount = _returned(line.id)
        try:
            amount = refund_of(line.net, line.quantity, done_qty, done_amount, quantity, ctx.currency)
        except CheckoutError:
            raise InvalidInput(f"lines.{index}.quantity", "is more than is left to return of the line") from None
        gross = round_money(quantity * line.unit_price, ctx.currency)
        made.append(SaleLine.create(
            sale=ret.id, position=index + 1, kind=line.kind, name=line.name, service=line.service_id,
            product_id=line.product_id, master=line.master_id, quantity=quantity, unit_price=line.unit_price,
            gross=gross, discount=gross - amount, net=amount, certificate_code=line.certificate_code,
            original_line=line.id))
        if line.kind == "certificate":
            prepaid.void_certificate(actor, line, ret)
        elif line.kind == "deposit":
            prepaid.move_deposit(Client.get_by_id(original.client_id), ret, "reverse", -amount, f"lines.{index}")
    return made


def _pay_back(ret: Sale, original: Sale, shift, total: Decimal) -> list[Tender]:
    payments = list(SalePayment.select().where(SalePayment.sale == original.id).order_by(SalePayment.created_at,
                                                                                         SalePayment.id))
    by_id = {p.id: p for p in payments}
    try:
        parts = refund_split(total, [(p.id, _refundable(p)) for p in payments])
    except CheckoutError as exc:
        raise checkout_error(exc) from None
    tenders = []
    for payment_id, amount in parts:
        paid = by_id[payment_id]
        SalePayment.create(sale=ret.id, shift=shift.id, kind="return", method=paid.method, amount=amount,
                           certificate=paid.certificate_id, client=paid.client_id, refund_of=paid.id)
        if paid.certificate_id:
            prepaid.move_certificate(GiftCertificate.get_by_id(paid.certificate_id), ret, "restore", amount, "lines")
        elif paid.client_id:
            prepaid.move_deposit(Client.get_by_id(paid.client_id), ret, "restore", amount, "lines")
        tenders.append(Tender(paid.method, amount))
    return tenders


def refund(actor: Actor, sale_id: str, lines: list[tuple[str, Decimal]], reason: str,
           register_id: str | None = None, language: str = "ru") -> Paid:
    """Return ``lines`` ((line id, quantity); none = everything left) of a paid sale, with the reason."""
    ctx = SalonContext.load()
    if not (reason or "").strip():
        raise InvalidInput("reason", "say why the money is given back")
    found = current_shift(register_id)
    if found is not None:
        settle_intents(actor, found.register_id)  # its document counter must be known before a return moves it
    with write_transaction():
        original = fetch(Sale, sale_id)
        if original.kind != "sale" or original.status != "paid":
            raise Conflict("only a paid sale can be refunded", code="not_paid")
        shift = shift_for(actor, register_id)
        ret = Sale.create(kind="return", original=original.id, client=original.client_id, currency=ctx.currency,
                          reason=reason.strip(), opened_by=actor.id)
        made = _return_lines(actor, original, ret, lines, ctx)
        ret.subtotal = sum((l.gross for l in made), ZERO)
        ret.line_discounts = sum((l.discount for l in made), ZERO)
        ret.total = sum((l.net for l in made), ZERO)
        ret.save()
        tenders = _pay_back(ret, original, shift, ret.total)
        products = [(l.product_id, l.quantity) for l in made if l.kind == "product"]
        if products:
            stock.return_sale(actor, original.id, ret.id, products)
        register = CashRegister.get_by_id(shift.register_id)
        device = device_of(register)
        cashier = Staff.get_or_none(Staff.id == actor.id)
        try:
            result = device.register(receipts.fiscal_receipt(ret, made, tenders, cashier.first_name if cashier else ""))
        except FiscalError as exc:
            raise Conflict(f"the fiscal register did not accept the return: {exc}", code="fiscal_failed") from None
        issue_number(actor, ret, register, shift, result, tenders)
        printed = False if device.prints_receipt else receipts.print_receipt(actor, ret, language) is not None
    return Paid(ret, printed)
