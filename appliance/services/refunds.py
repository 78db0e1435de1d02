"""Refunds and returns (PO3): a return receipt of its own number, referring to the original.

Whole checks or single lines (products by the piece), and tips (``refund_tips``). Each returned line
gives back at most what it cost after its discounts (``refund_of``); the
money goes back to the original payments, latest first, each no further
than what it still holds (``refund_split``): a certificate or deposit gets
its balance back, cash and cards are paid out in the current shift. Stock
comes back to the warehouse it left; a sold certificate is voided (only
unspent), a deposit top-up is taken back (only while the deposit holds it).
Like a payment, it all commits only once the fiscal register took the return,
and like a payment it goes through a fiscal intent (``fiscal_intents``): the
lines and the reason are kept with it, so a return the register issued before
the box died is recorded from them when the register is next asked, and the
same return asked for again is not registered twice.
"""
from decimal import Decimal

from peewee import fn

from appliance.domain.checkout import CheckoutError, Tender, refund_of, refund_split
from appliance.domain.money import round_money
from appliance.services import fiscal_intents, prepaid, receipts, stock
from appliance.services.audit import audit
from appliance.services.cash import checkout_error, current_shift, device_of
from appliance.services.checkout import Paid, issue_number, recovery_shift, settle_intents, shift_for
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.services.refund_tips import plan_tips, write_tips
from appliance.storage.database import write_transaction
from appliance.storage.models.cash import CashRegister, FiscalIntent
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.checkout import GiftCertificate, Sale, SaleLine, SalePayment
from appliance.storage.models.clients import Client
from hardware.fiscal import FiscalError, FiscalResult

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


def _plan(original: Sale, lines: list[tuple[str, Decimal]], tips: list[tuple[str, Decimal]] | None, ctx):
    """(lines, tips) to give back: the whole check (all that is left, tips too) when neither is named."""
    whole = not lines and tips is None
    planned = _plan_lines(original, None if whole else lines, ctx)
    planned_tips = plan_tips(original, None if whole else (tips or []), ctx)
    if not planned and not planned_tips:
        raise Conflict("everything on this receipt is returned already" if whole else
                       "choose a line or a tip to give back", code="nothing_to_return")
    return planned, planned_tips


def _plan_lines(original: Sale, wanted: list[tuple[str, Decimal]] | None,
                ctx) -> list[tuple[SaleLine, Decimal, Decimal]]:
    """(line, quantity, amount back) for each line to return; ``wanted`` None = everything left."""
    left = {line.id: (line, qty) for line, qty in returnable(original)}
    if wanted is None:
        wanted = [(line_id, qty) for line_id, (_, qty) in left.items() if qty > 0]
    planned = []
    for index, (line_id, quantity) in enumerate(wanted):
        if line_id not in left:
            raise InvalidInput(f"lines.{index}.line_id", "is not a line of this receipt")
        line, _ = left[line_id]
        done_qty, done_amount = _returned(line.id)
        try:
            amount = refund_of(line.net, line.quantity, done_qty, done_amount, quantity, ctx.currency)
        except CheckoutError:
            raise InvalidInput(f"lines.{index}.quantity", "is more than is left to return of the line") from None
        planned.append((line, quantity, amount))
    return planned


def _plan_payback(original: Sale, total: Decimal) -> list[tuple[SalePayment, Decimal]]:
    """Which original payments give the money back, latest first, and how much each."""
    payments = list(SalePayment.select().where(SalePayment.sale == original.id).order_by(SalePayment.created_at,
                                                                                         SalePayment.id))
    by_id = {p.id: p for p in payments}
    try:
        parts = refund_split(total, [(p.id, _refundable(p)) for p in payments])
    except CheckoutError as exc:
        raise checkout_error(exc) from None
    return [(by_id[payment_id], amount) for payment_id, amount in parts]


def _write_lines(actor, original: Sale, ret: Sale, planned, ctx) -> list[SaleLine]:
    made = []
    for index, (line, quantity, amount) in enumerate(planned):
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
    tenders = []
    for paid, amount in _plan_payback(original, total):
        SalePayment.create(sale=ret.id, shift=shift.id, kind="return", method=paid.method, amount=amount,
                           certificate=paid.certificate_id, client=paid.client_id, refund_of=paid.id)
        if paid.certificate_id:
            prepaid.move_certificate(GiftCertificate.get_by_id(paid.certificate_id), ret, "restore", amount, "lines")
        elif paid.client_id:
            prepaid.move_deposit(Client.get_by_id(paid.client_id), ret, "restore", amount, "lines")
        tenders.append(Tender(paid.method, amount))
    return tenders


def _paid_original(sale_id: str) -> Sale:
    original = fetch(Sale, sale_id)
    if original.kind != "sale" or original.status != "paid":
        raise Conflict("only a paid sale can be refunded", code="not_paid")
    return original


def _record_return(actor, original: Sale, wanted, tips, reason: str, shift, ctx, opened_by=None):
    """The return sale, its lines, tips, payments, balances and stock (in the caller's transaction)."""
    planned, planned_tips = _plan(original, wanted, tips, ctx)
    ret = Sale.create(kind="return", original=original.id, client=original.client_id, currency=ctx.currency,
                      reason=reason, opened_by=opened_by or actor.id)
    made = _write_lines(actor, original, ret, planned, ctx)
    ret.subtotal = sum((l.gross for l in made), ZERO)
    ret.line_discounts = sum((l.discount for l in made), ZERO)
    ret.total = sum((l.net for l in made), ZERO)
    ret.tips_total = write_tips(ret, planned_tips)
    ret.save()
    tenders = _pay_back(ret, original, shift, ret.total + ret.tips_total)
    products = [(l.product_id, l.quantity) for l in made if l.kind == "product"]
    if products:
        stock.return_sale(actor, original.id, ret.id, products)
    return ret, made, tenders


def _begin_intent(actor, sale_id: str, wanted, tips, reason: str, register: CashRegister, device, ctx):
    """Check the return, then commit its intent with the register's last document number (None: no numbers)."""
    with write_transaction():
        original = _paid_original(sale_id)
        shift = shift_for(actor, register.id)
        planned, planned_tips = _plan(original, wanted, tips, ctx)
        total = sum((amount for _, _, amount in planned), ZERO) + sum((amount for _, amount in planned_tips), ZERO)
        tenders = [Tender(paid.method, amount) for paid, amount in _plan_payback(original, total)]
        before = fiscal_intents.document_before(register.id, device)
        if before is None:
            return None
        # Kept as planned (never "the whole check"), so a recovery records exactly what the register issued.
        detail = {"lines": [[line.id, str(quantity)] for line, quantity, _ in planned],
                  "tips": [[master_id, str(amount)] for master_id, amount in planned_tips], "reason": reason}
        return fiscal_intents.begin(actor.id, original.id, register.id, shift.id, tenders, total, before,
                                    kind="return", detail=detail)


def _recovered(intents, sale_id: str) -> Sale | None:
    """The return of ``sale_id`` that settling found issued by the register and recorded, if any."""
    for intent in intents:
        if intent.kind == "return" and intent.state == "recovered" and intent.sale == sale_id:
            return Sale.get_by_id(intent.detail["return_id"])
    return None


def complete_from(actor: Actor, intent: FiscalIntent, register: CashRegister, last: int) -> None:
    """The register issued the intent's return: record it from the kept lines (in the caller's transaction)."""
    document = str(intent.document_before + 1)
    ctx = SalonContext.load()
    shift = recovery_shift(intent, register, f"return {document}", "the return")
    wanted = [(line_id, Decimal(quantity)) for line_id, quantity in intent.detail["lines"]]
    # An intent from before tips could be given back holds none.
    tips = [(master_id, Decimal(amount)) for master_id, amount in intent.detail.get("tips", [])]
    try:
        ret, _, tenders = _record_return(actor, _paid_original(intent.sale), wanted, tips, intent.detail["reason"],
                                         shift, ctx, opened_by=intent.started_by)
    except (InvalidInput, Conflict) as exc:
        raise Conflict(f"the fiscal register issued return {document} of an earlier attempt, but it cannot be "
                       f"recorded: {exc.message}", code="fiscal_pending") from None
    issue_number(actor, ret, register, shift, FiscalResult(fiscal=True, document=document), tenders)
    fiscal_intents.finish(intent.id, "recovered", document, note=f"register at document {last}",
                          detail={**intent.detail, "return_id": ret.id})
    audit(actor, "sale.fiscal_recovered", "sale", ret.id, {
        "register": register.id, "attempt": intent.attempt, "document": document, "original": intent.sale,
        "started_by": intent.started_by})


def refund(actor: Actor, sale_id: str, lines: list[tuple[str, Decimal]], reason: str,
           register_id: str | None = None, language: str = "ru",
           tips: list[tuple[str, Decimal]] | None = None) -> Paid:
    """Return ``lines`` ((line id, quantity)) and ``tips`` ((master id, amount)) of a paid sale, with the reason.

    Neither named (no lines, ``tips`` None): the whole check, all that is left of it, tips included.
    Lines without ``tips``: no tip goes back. ``tips`` alone (no lines): only those tips.
    """
    ctx = SalonContext.load()
    if not (reason or "").strip():
        raise InvalidInput("reason", "say why the money is given back")
    fetch(Sale, sale_id)  # 404 before anything else
    found = current_shift(register_id)
    if found is None:
        raise Conflict("open a cash shift first (Cash page)", code="no_open_shift")
    register = CashRegister.get_by_id(found.register_id)
    recovered = _recovered(settle_intents(actor, register.id), sale_id)
    if recovered is not None:
        return Paid(recovered, False)  # the register had issued it: nothing is sent again
    device = device_of(register)
    intent = _begin_intent(actor, sale_id, lines, tips, reason.strip(), register, device, ctx)
    called = False
    try:
        with write_transaction():
            if intent is not None and FiscalIntent.get_by_id(intent.id).state != "open":
                raise Conflict("the fiscal register was used meanwhile; refund again", code="fiscal_pending")
            shift = shift_for(actor, register.id)
            ret, made, tenders = _record_return(actor, _paid_original(sale_id), lines, tips, reason.strip(), shift,
                                                ctx)
            cashier = Staff.get_or_none(Staff.id == actor.id)
            called = True
            try:
                result = device.register(receipts.fiscal_receipt(ret, made, tenders,
                                                                 cashier.first_name if cashier else ""))
            except FiscalError as exc:
                raise Conflict(f"the fiscal register did not accept the return: {exc}", code="fiscal_failed") from None
            issue_number(actor, ret, register, shift, result, tenders)
            if intent is not None:
                fiscal_intents.finish(intent.id, "done", result.document, detail={**intent.detail, "return_id": ret.id})
            printed = False if device.prints_receipt else receipts.print_receipt(actor, ret, language) is not None
    except Exception as exc:
        if intent is not None and not called:
            fiscal_intents.cancel(intent.id, str(exc))
        elif intent is not None and isinstance(exc, Conflict) and exc.code == "fiscal_failed":
            # "Not accepted" may be an answer lost after the register issued it: ask it at once.
            recovered = _recovered(_settle_quietly(actor, register), sale_id)
            if recovered is not None:
                return Paid(recovered, False)
        raise
    return Paid(ret, printed)


def _settle_quietly(actor: Actor, register: CashRegister) -> list[FiscalIntent]:
    try:
        return settle_intents(actor, register.id)
    except Conflict:
        return []  # the register cannot be asked now: the intent stays open for the next attempt
