"""The refund form (PO3): which lines (and how many pieces) and how much of each tip go back, and why;
a manager's decision."""
from decimal import Decimal

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from appliance.services import receipts, refunds, sales
from appliance.services.errors import NotFound, ServiceError
from appliance.services.refund_tips import tips_on
from appliance.web.form_support import FORM, Form
from appliance.web.i18n import money
from appliance.web.session_auth import page

bp = Blueprint("web_refunds", __name__)


def _tips(sale) -> list[tuple[str, str, object, object]]:
    """(master id, first name, tip, left to give back) of each tip on the receipt not wholly given back."""
    tips = [(master_id, given, left) for master_id, given, left in tips_on(sale) if left > 0]
    names = receipts.staff_names({master_id for master_id, _, _ in tips})
    return [(master_id, names.get(master_id, ""), given, left) for master_id, given, left in tips]


def _render(sale, form: Form, status: int = 200):
    rows = [(line, left) for line, left in refunds.returnable(sale)]
    return render_template("checkout/refund.html", sale=sale, rows=rows, tips=_tips(sale), form=form,
                           number=receipts.receipt_number(sale)), status


@bp.route("/receipts/<sale_id>/refund", methods=["GET", "POST"])
@page("checkout.refund")
def refund(sale_id):
    """Choose the lines to return; the money goes back by the original methods."""
    try:
        sale = sales.sale_by_id(sale_id)
    except NotFound:
        abort(404)
    if sale.kind != "sale" or sale.status != "paid":
        abort(404)
    if request.method == "GET":
        return _render(sale, Form({}, "refund"))
    form = Form.posted(request, "refund")
    reason = form.text("reason", max_length=500)
    wanted = []
    for line, left in refunds.returnable(sale):
        if left <= 0:
            continue
        quantity = form.integer(f"qty-{line.id}", 0, int(left), required=False)
        if quantity:
            wanted.append((line.id, Decimal(quantity)))
    # How much is left of each tip is the use case's rule: its refusal comes back next to the field.
    tips = []
    for master_id, _name, _given, _left in _tips(sale):
        amount = form.money(f"tip-{master_id}", sale.currency, required=False)
        if amount:
            tips.append((master_id, amount))
    if form.ok and not wanted and not tips:
        form.error(FORM, _("Choose at least one line or tip to return."))
    if form.ok:
        fields = {f"lines.{i}.quantity": f"qty-{lid}" for i, (lid, _q) in enumerate(wanted)}
        fields.update({f"tips.{i}.amount": f"tip-{mid}" for i, (mid, _a) in enumerate(tips)})
        try:
            done = refunds.refund(g.actor, sale.id, wanted, reason, language=str(get_locale()), tips=tips)
        except ServiceError as exc:
            form.service_error(exc, fields)
    if not form.ok:
        return _render(sale, form, 422)
    flash(_("Refunded %(amount)s. Return receipt № %(number)s.",
            amount=money(done.sale.total + done.sale.tips_total, done.sale.currency),
            number=receipts.receipt_number(done.sale)), "success")
    return redirect(url_for("web_checkout.receipt", sale_id=done.sale.id))
