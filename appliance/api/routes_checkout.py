"""Checkout (PO1-PO3, PO6, BK12, LY3): sales opened from a booking or for a walk-in, edited, paid, refunded.

Paying answers 409 ``fiscal_failed`` with the fiscal register's reason when
it refuses the receipt; the sale then stays open and may be paid again.
A receipt the register may hold from an attempt that crashed is settled by
asking the register before paying again (the sale is then completed from it,
nothing registered twice); until then changes to the sale answer 409
``fiscal_pending``.
"""
from flask import Blueprint

from appliance.api.framework import endpoint
from appliance.api.schemas import checkout as schema
from appliance.api.schemas.common import Page
from appliance.api.views import local
from appliance.domain.checkout import Tender
from appliance.services import checkout, prepaid, receipts, refunds, sales
from appliance.services.context import SalonContext
from appliance.services.errors import InvalidInput, NotFound
from appliance.services.lookup import fetch
from appliance.storage.models.checkout import Sale, SalePayment
from appliance.storage.models.clients import Client

bp = Blueprint("checkout", __name__)


def sale_out(sale: Sale, printed: bool | None = None) -> schema.SaleOut:
    """A sale with its lines, tips and payments; times in the salon's zone."""
    ctx = SalonContext.load()
    sale = Sale.get_by_id(sale.id)
    data = {f: getattr(sale, f) for f in schema.SaleOut.model_fields
            if f not in ("lines", "tips", "payments", "receipt_number", "due", "printed", "paid_at")}
    payments = SalePayment.select().where(SalePayment.sale == sale.id).order_by(SalePayment.created_at)
    return schema.SaleOut(
        **data, receipt_number=receipts.receipt_number(sale), due=sale.total + sale.tips_total,
        paid_at=local(sale.paid_at, ctx), printed=printed,
        lines=[schema.LineOut(**{f: getattr(l, f) for f in schema.LineOut.model_fields}) for l in sales.lines_of(sale)],
        tips=[schema.TipOut(master_id=t.master_id, amount=t.amount) for t in sales.tips_of(sale)],
        payments=[schema.PaymentOut(**{f: getattr(p, f) for f in schema.PaymentOut.model_fields}) for p in payments])


@endpoint(bp, "POST", "/sales", summary="Open a sale: a booking's visit card, or a walk-in sale",
          permission="checkout.use", body=schema.SaleIn, response=schema.SaleOut, status=201, conflicts=True)
def open_sale(actor, body):
    if body.booking_id:
        return sale_out(sales.open_for_booking(actor, body.booking_id))
    return sale_out(sales.open_walk_in(actor, body.client_id))


@endpoint(bp, "GET", "/sales/<sale_id>", summary="A sale with its lines, tips and payments",
          permission="checkout.use", response=schema.SaleOut)
def get_sale(actor, sale_id):
    return sale_out(sales.sale_by_id(sale_id))


@endpoint(bp, "POST", "/sales/<sale_id>/lines", summary="Add a product (barcode or id), service, certificate or deposit",
          permission="checkout.use", body=schema.LineIn, response=schema.SaleOut, status=201, conflicts=True)
def add_line(actor, sale_id, body):
    line = sales.add_line(actor, sale_id, body.model_dump())
    return sale_out(Sale.get_by_id(line.sale_id))


@endpoint(bp, "PATCH", "/sales/<sale_id>/lines/<line_id>",
          summary="Change a line's price (within the service's range), quantity or discount",
          permission="checkout.use", body=schema.LinePatch, response=schema.SaleOut, conflicts=True)
def update_line(actor, sale_id, line_id, body):
    changes = body.changes()
    sales.update_line(actor, sale_id, line_id, changes)
    return sale_out(sales.sale_by_id(sale_id))


@endpoint(bp, "POST", "/sales/<sale_id>/lines/<line_id>/remove", summary="Take a line off the check (kept, inactive)",
          permission="checkout.use", response=schema.SaleOut, conflicts=True)
def remove_line(actor, sale_id, line_id):
    return sale_out(sales.remove_line(actor, sale_id, line_id))


@endpoint(bp, "PUT", "/sales/<sale_id>/discount", summary="The discount on the whole check (kind null clears it)",
          permission="checkout.use", body=schema.DiscountIn, response=schema.SaleOut, conflicts=True)
def set_discount(actor, sale_id, body):
    return sale_out(sales.set_check_discount(actor, sale_id, {
        "check_discount_kind": body.kind, "check_discount_value": body.value, "check_discount_reason": body.reason}))


@endpoint(bp, "PUT", "/sales/<sale_id>/tips", summary="Tips for masters paid with the check (PO6)",
          permission="checkout.use", body=schema.TipsIn, response=schema.SaleOut, conflicts=True)
def set_tips(actor, sale_id, body):
    return sale_out(sales.set_tips(actor, sale_id, [(t.master_id, t.amount) for t in body.tips]))


@endpoint(bp, "POST", "/sales/<sale_id>/cancel", summary="Drop an open sale that will not be paid",
          permission="checkout.use", response=schema.SaleOut, conflicts=True)
def cancel_sale(actor, sale_id):
    return sale_out(sales.cancel_sale(actor, sale_id))


@endpoint(bp, "POST", "/sales/<sale_id>/pay", summary="Pay (split across methods; change from cash only)",
          permission="checkout.use", body=schema.PayIn, response=schema.SaleOut, conflicts=True)
def pay(actor, sale_id, body):
    tenders = [Tender(p.method, p.amount, p.tendered, p.reference) for p in body.payments]
    paid = checkout.pay(actor, sale_id, tenders, body.register_id, body.language)
    return sale_out(paid.sale, paid.printed)


@endpoint(bp, "POST", "/sales/<sale_id>/refund",
          summary="Refund lines and tips (neither named: the whole check) with a return receipt",
          permission="checkout.refund", body=schema.RefundIn, response=schema.SaleOut, status=201, conflicts=True)
def refund(actor, sale_id, body):
    tips = None if body.tips is None else [(t.master_id, t.amount) for t in body.tips]
    done = refunds.refund(actor, sale_id, [(l.line_id, l.quantity) for l in body.lines], body.reason,
                          body.register_id, body.language, tips=tips)
    return sale_out(done.sale, done.printed)


@endpoint(bp, "POST", "/sales/<sale_id>/reprint", summary="Print a COPY of the receipt",
          permission="checkout.use", body=schema.LanguageIn, response=schema.SaleOut, conflicts=True)
def reprint(actor, sale_id, body):
    receipts.reprint(actor, sale_id, body.language)
    return sale_out(sales.sale_by_id(sale_id), True)


@endpoint(bp, "GET", "/receipts", summary="The receipts and returns of a shift, in number order",
          permission="checkout.use", query=schema.ReceiptQuery, response=Page[schema.SaleOut])
def list_receipts(actor, query):
    rows = list(Sale.select().where((Sale.shift == query.shift_id) & (Sale.status == "paid")).order_by(Sale.number))
    return Page[schema.SaleOut](items=[sale_out(s) for s in rows], total=len(rows))


@endpoint(bp, "GET", "/gift-certificates/<code>", summary="A gift certificate's balance and expiry (LY3)",
          permission="checkout.use", response=schema.CertificateOut)
def get_certificate(actor, code):
    try:
        found = prepaid.certificate_by_code(code)
    except InvalidInput:
        raise NotFound("gift_certificate", code) from None
    return schema.CertificateOut(code=found.code, amount=found.amount, balance=found.balance, status=found.status,
                                 expires_on=found.expires_on)


@endpoint(bp, "GET", "/clients/<client_id>/deposit", summary="A client's deposit balance (PO4)",
          permission="checkout.use", response=schema.DepositOut)
def get_deposit(actor, client_id):
    client = fetch(Client, client_id)
    return schema.DepositOut(client_id=client.id, balance=prepaid.deposit_balance(client.id))
