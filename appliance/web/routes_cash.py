"""The Cash page (PO2, PO4): open a shift with a float, cash in and out, X report, Z report, the shift's receipts."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from appliance.domain.report_layout import cash_in_drawer
from appliance.services import cash, receipts, shift_reports
from appliance.services.errors import NotFound, ServiceError
from appliance.storage.models.cash import CashMovement, CashShift
from appliance.storage.models.checkout import Sale
from appliance.web.form_support import Form
from appliance.web.session_auth import page

bp = Blueprint("web_cash", __name__)
ITEMS = {"collection": _l("Collection"), "change_fund": _l("Change fund"), "supplies": _l("Supplies"),
         "salary_advance": _l("Salary advance"), "rent": _l("Rent"), "other_expense": _l("Other expense"),
         "other_income": _l("Other income")}
METHOD_NAMES = {"cash": _l("Cash"), "card": _l("Card"), "transfer": _l("Bank transfer"),
                "deposit": _l("Deposit"), "certificate": _l("Gift certificate")}


def _render(forms: dict | None = None, status: int = 200):
    forms = forms or {}
    registers = cash.registers()
    shift = cash.current_shift(request.args.get("register_id") or None)
    report = shift_reports.figures(shift) if shift else None
    sold = list(Sale.select().where((Sale.shift == shift.id) & (Sale.status == "paid")).order_by(Sale.number)) \
        if shift else []
    moves = list(CashMovement.select().where(CashMovement.shift == shift.id).order_by(CashMovement.created_at)) \
        if shift else []
    closed = list(CashShift.select().where(CashShift.status == "closed").order_by(CashShift.closed_at.desc())
                  .limit(10))
    return render_template(
        "cash/index.html", registers=registers, shift=shift, report=report, sold=sold, moves=moves, closed=closed,
        drawer=cash_in_drawer(report) if report else None, number=receipts.receipt_number, items=ITEMS,
        methods=METHOD_NAMES, currency=g.salon_ctx.currency, tz=g.salon_ctx.tz,
        open_form=forms.get("open") or Form({"register_id": registers[0].id if registers else ""}, "open"),
        move_form=forms.get("move") or Form({"kind": "out", "item": "collection"}, "move")), status, {
        "Cache-Control": "no-store"}


@bp.get("/cash")
@page("cash.manage")
def index():
    """The register's shift and its figures."""
    return _render()


@bp.post("/cash/open")
@page("cash.manage")
def open_shift():
    """Open a shift with the float counted into the drawer."""
    form = Form.posted(request, "open")
    register = form.text("register_id")
    amount = form.money("opening_cash", g.salon_ctx.currency)
    if form.ok:
        try:
            cash.open_shift(g.actor, register, amount)
        except ServiceError as exc:
            form.service_error(exc, {"register_id": "register_id"})
    if not form.ok:
        return _render({"open": form}, 422)
    flash(_("The shift is open."), "success")
    return redirect(url_for(".index"))


def _shift(shift_id) -> CashShift:
    try:
        return cash.shift_by_id(shift_id)
    except NotFound:
        abort(404)


@bp.post("/cash/<shift_id>/move")
@page("cash.manage")
def move(shift_id):
    """Cash in or out, with its item."""
    shift = _shift(shift_id)
    form = Form.posted(request, "move")
    kind = form.choice("kind", ("in", "out"))
    item = form.choice("item", tuple(ITEMS))
    amount = form.money("amount", g.salon_ctx.currency)
    note = form.text("note", required=False)
    if form.ok:
        try:
            cash.move_cash(g.actor, shift.id, kind, amount, item, note)
        except ServiceError as exc:
            form.service_error(exc)
    if not form.ok:
        return _render({"move": form}, 422)
    flash(_("Cash in recorded.") if kind == "in" else _("Cash out recorded."), "success")
    return redirect(url_for(".index"))


@bp.post("/cash/<shift_id>/<any(x, z):report>")
@page("cash.manage")
def report(shift_id, report):
    """Print the X report, or close the shift with the Z report."""
    shift = _shift(shift_id)
    try:
        if report == "x":
            shift_reports.x_report(g.actor, shift.id, str(get_locale()))
            flash(_("The X report is printed."), "success")
        else:
            shift_reports.close_shift(g.actor, shift.id, str(get_locale()))
            flash(_("The shift is closed; the Z report is printed."), "success")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for(".index"))
