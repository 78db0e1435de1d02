"""The refund form (PO3): which lines (and how many pieces) go back, and why; a manager's decision."""
from decimal import Decimal

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from appliance.services import receipts, refunds, sales
from appliance.services.errors import NotFound, ServiceError
from appliance.web.form_support import FORM, Form
from appliance.web.session_auth import page

bp = Blueprint("web_refunds", __name__)


def _render(sale, form: Form, status: int = 200):
    rows = [(line, left) for line, left in refunds.returnable(sale)]
    return render_template("checkout/refund.html", sale=sale, rows=rows, form=form,
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
    if form.ok and not wanted:
        form.error(FORM, _("Choose at least one line to return."))
    if form.ok:
        try:
            done = refunds.refund(g.actor, sale.id, wanted, reason, language=str(get_locale()))
        except ServiceError as exc:
            form.service_error(exc, {f"lines.{i}.quantity": f"qty-{lid}" for i, (lid, _q) in enumerate(wanted)})
    if not form.ok:
        return _render(sale, form, 422)
    flash(_("Refunded %(amount)s. Return receipt № %(number)s.", amount=done.sale.total,
            number=receipts.receipt_number(done.sale)), "success")
    return redirect(url_for("web_checkout.receipt", sale_id=done.sale.id))
