"""The checkout page (BK12, PO1, PO6): a visit's card at the desk — lines, barcode, discounts, tips, split payment.

Each part of the page is its own form; a refused one comes back with the
error next to its field and everything typed kept. The receipt page shows
the receipt as printed, prints a COPY, and leads to the refund form (PO3).
"""
from decimal import Decimal

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from appliance.domain.checkout import CheckoutError, Tender, cash_rest
from appliance.domain.permissions import allowed
from appliance.services import checkout, prepaid, receipts, sales
from appliance.services.errors import Conflict, NotFound, ServiceError
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.checkout import Sale
from appliance.storage.models.clients import Client
from appliance.web.form_support import FORM, Form, money_value
from appliance.web.receipt_preview import preview
from appliance.web.session_auth import page

bp = Blueprint("web_checkout", __name__)
PAY_PARTS = ("card", "transfer", "deposit", "certificate")


def _sale(sale_id) -> Sale:
    try:
        return sales.sale_by_id(sale_id)
    except NotFound:
        abort(404)


def _render(sale: Sale, forms: dict | None = None, status: int = 200, choices=None):
    forms = forms or {}
    cur = sale.currency
    lines = sales.lines_of(sale)
    line_forms = {l.id: forms.get(f"line-{l.id}") or Form({
        "unit_price": money_value(l.unit_price, cur), "discount_kind": l.discount_kind or "",
        "discount_value": "" if l.discount_value is None else f"{l.discount_value.normalize():f}",
        "discount_reason": l.discount_reason}, f"line-{l.id}") for l in lines}
    masters = list(Staff.select().where((Staff.bookable == True) & (Staff.active == True))  # noqa: E712
                   .order_by(Staff.sort_order, Staff.first_name))
    client = Client.get_or_none(Client.id == sale.client_id) if sale.client_id else None
    return render_template(
        "checkout/sale.html", sale=sale, lines=lines, line_forms=line_forms, tips=sales.tips_of(sale),
        masters=masters, names={m.id: m.first_name for m in Staff.select()}, client=client,
        deposit=prepaid.deposit_balance(client.id) if client else None, due=sale.total + sale.tips_total,
        add_form=forms.get("add") or Form({"quantity": "1"}, "add"),
        money_form=forms.get("money") or Form({}, "money"),
        discount_form=forms.get("discount") or Form({
            "kind": sale.check_discount_kind or "", "reason": sale.check_discount_reason,
            "value": "" if sale.check_discount_value is None else f"{sale.check_discount_value.normalize():f}"},
            "discount"),
        tips_form=forms.get("tips") or Form({}, "tips"), pay_form=forms.get("pay") or Form({}, "pay"),
        choices=choices, currency=cur), status, {"Cache-Control": "no-store"}


@bp.get("/checkout/booking/<booking_id>")
@page("checkout.use")
def for_booking(booking_id):
    """The booking's sale (opened on the first visit of this page), or the receipt once paid."""
    try:
        sale = sales.open_for_booking(g.actor, booking_id)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("journal.day"))
    return redirect(url_for(".receipt" if sale.status == "paid" else ".sale", sale_id=sale.id))


@bp.post("/checkout/new")
@page("checkout.use")
def new_sale():
    """A walk-in sale (products, a gift certificate)."""
    return redirect(url_for(".sale", sale_id=sales.open_walk_in(g.actor).id))


@bp.get("/checkout/<sale_id>")
@page("checkout.use")
def sale(sale_id):
    """The visit card at checkout."""
    found = _sale(sale_id)
    if found.status == "paid":
        return redirect(url_for(".receipt", sale_id=found.id))
    return _render(found)


def _attempt(sale: Sale, form: Form, name: str, action, fields: dict | None = None):
    """Run a use case for the form ``name``; back to the page, with the error next to its field if refused."""
    if form.ok:
        try:
            action()
        except ServiceError as exc:
            form.service_error(exc, fields)
    if not form.ok:
        return _render(Sale.get_by_id(sale.id), {name: form}, 422)
    return redirect(url_for(".sale", sale_id=sale.id, _anchor=name))


@bp.post("/checkout/<sale_id>/lines/<line_id>")
@page("checkout.use")
def update_line(sale_id, line_id):
    """Change a line's price or discount."""
    found = _sale(sale_id)
    form = Form.posted(request, f"line-{line_id}")
    price = form.money("unit_price", found.currency)
    kind = form.choice("discount_kind", ("percent", "amount"), required=False)
    value = form.money("discount_value", "RUB" if kind == "percent" else found.currency, required=bool(kind))
    changes = {"unit_price": price, "discount_kind": kind, "discount_value": value,
               "discount_reason": form.text("discount_reason", required=False)}
    return _attempt(found, form, f"line-{line_id}", lambda: sales.update_line(g.actor, found.id, line_id, changes))


@bp.post("/checkout/<sale_id>/lines/<line_id>/remove")
@page("checkout.use")
def remove_line(sale_id, line_id):
    """Take a line off the check."""
    found = _sale(sale_id)
    return _attempt(found, Form({}, "add"), "add", lambda: sales.remove_line(g.actor, found.id, line_id))


@bp.get("/checkout/products")
@page("checkout.use")
def products():
    """Retail products matching ``q`` (a fragment of the name), as the list the checkout page picks from."""
    choices = sales.products_for_sale(request.args.get("q", ""))
    return render_template("checkout/_products.html", choices=choices, currency=g.salon_ctx.currency), 200, {
        "Cache-Control": "no-store"}


@bp.post("/checkout/<sale_id>/add")
@page("checkout.use")
def add_line(sale_id):
    """Add a product by its barcode (a scanner types it and Enter) or picked from the products whose name
    holds what was typed; or a certificate or deposit top-up."""
    found = _sale(sale_id)
    form = Form.posted(request, request.form.get("form", "add"))
    kind = form.raw("kind")
    if kind == "product":
        quantity = Decimal(form.integer("quantity", 1, 999) or 1)
        if form.raw("product_id"):
            data = {"kind": "product", "product_id": form.raw("product_id"), "quantity": quantity}
            return _attempt(found, form, form.key, lambda: sales.add_line(g.actor, found.id, data),
                            {"product_id": "barcode"})
        text = form.text("barcode", max_length=64)
        if form.ok and sales.product_by_barcode(text) is None:
            choices = sales.products_for_sale(text)
            if choices:
                return _render(found, {"add": form}, 200, choices)
            form.error("barcode", _("No active product has this barcode, and none has it in its name."))
        data = {"kind": "product", "barcode": text, "quantity": quantity}
    else:
        data = {"kind": kind, "amount": form.money("amount", found.currency)}
    return _attempt(found, form, form.key, lambda: sales.add_line(g.actor, found.id, data))


@bp.post("/checkout/<sale_id>/discount")
@page("checkout.use")
def set_discount(sale_id):
    """The discount on the whole check, with the reason."""
    found = _sale(sale_id)
    form = Form.posted(request, "discount")
    kind = form.choice("kind", ("percent", "amount"), required=False)
    value = form.money("value", "RUB" if kind == "percent" else found.currency, required=bool(kind))
    changes = {"check_discount_kind": kind, "check_discount_value": value,
               "check_discount_reason": form.text("reason", required=False)}
    return _attempt(found, form, "discount", lambda: sales.set_check_discount(g.actor, found.id, changes),
                    {"check_discount_reason": "reason", "check_discount_value": "value"})


@bp.post("/checkout/<sale_id>/tips")
@page("checkout.use")
def set_tips(sale_id):
    """A tip for a master (added to the ones already given)."""
    found = _sale(sale_id)
    form = Form.posted(request, "tips")
    master = form.text("master_id")
    amount = form.money("amount", found.currency)
    tips = [(t.master_id, t.amount) for t in sales.tips_of(found)] + [(master, amount)]
    return _attempt(found, form, "tips", lambda: sales.set_tips(g.actor, found.id, tips),
                    {f"tips.{len(tips) - 1}.amount": "amount", f"tips.{len(tips) - 1}.master_id": "master_id"})


def _tenders(form: Form, sale: Sale):
    parts = []
    for method in PAY_PARTS:
        amount = form.money(method, sale.currency, required=False)
        if amount:
            parts.append(Tender(method, amount, reference=form.raw("certificate_code") if method == "certificate"
                                else ""))
    received = form.money("cash_received", sale.currency, required=False)
    if not form.ok:
        return None
    try:
        return cash_rest(sale.total + sale.tips_total, parts, received, sale.currency)
    except CheckoutError as exc:
        form.error(exc.field if exc.field in form.values else FORM, exc.reason)
        return None


@bp.post("/checkout/<sale_id>/pay")
@page("checkout.use")
def pay(sale_id):
    """Pay: the parts by card, transfer, deposit, certificate; the rest in cash from what was handed over."""
    found = _sale(sale_id)
    form = Form.posted(request, "pay")
    tenders = _tenders(form, found)
    fields = {f"payments.{i}.{k}": (t.method if k == "amount" else "certificate_code")
              for i, t in enumerate(tenders or []) for k in ("amount", "reference")}
    fields.update({f"payments.{i}.amount": "cash_received" for i, t in enumerate(tenders or []) if t.method == "cash"})
    if form.ok:
        try:
            paid = checkout.pay(g.actor, found.id, list(tenders), language=str(get_locale()))
        except Conflict as exc:
            form.error(FORM, _("Not paid: %(reason)s", reason=exc.message))
        except ServiceError as exc:
            form.service_error(exc, fields)
    if not form.ok:
        return _render(Sale.get_by_id(found.id), {"pay": form}, 422)
    flash(_("Paid. Receipt № %(number)s.", number=receipts.receipt_number(paid.sale)), "success")
    return redirect(url_for(".receipt", sale_id=found.id))


@bp.get("/receipts/<sale_id>")
@page("checkout.use")
def receipt(sale_id):
    """The receipt as printed, with a COPY button and the way to a refund."""
    found = _sale(sale_id)
    if found.status != "paid":
        return redirect(url_for(".sale", sale_id=found.id))
    lines = preview(receipts.receipt_document(found, str(get_locale())))
    returns = list(Sale.select().where((Sale.original == found.id) & (Sale.status == "paid")).order_by(Sale.number))
    return render_template("checkout/receipt.html", sale=found, lines=lines, returns=returns,
                           number=receipts.receipt_number,
                           can_refund=found.kind == "sale" and allowed(g.actor.role, "checkout.refund"))


@bp.post("/receipts/<sale_id>/reprint")
@page("checkout.use")
def reprint(sale_id):
    """Print the receipt again, marked COPY."""
    found = _sale(sale_id)
    try:
        receipts.reprint(g.actor, found.id, str(get_locale()))
        flash(_("A copy is queued for the receipt printer."), "success")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for(".receipt", sale_id=found.id))
