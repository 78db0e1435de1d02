"""The Cash page (PO2, PO4): open a shift with a float, cash in and out, X report, Z report, the shift's receipts.

The Registers page (``/cash/registers``, managers): add and edit registers
with their fiscal driver, take one out of use, ask its device how it is.
"""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from appliance.domain.report_layout import cash_in_drawer
from appliance.services import cash, receipts, shift_reports
from appliance.services.errors import Conflict, NotFound, ServiceError
from appliance.services.lookup import fetch
from appliance.storage.models.cash import CashMovement, CashRegister, CashShift
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


# Registers (PO2): a manager's settings page --------------------------------------------------------

DRIVERS = {"non_fiscal": _l("Non-fiscal (the box's own receipt)"), "shtrih_m": _l("ШТРИХ-М fiscal register")}
# What "Check the device" shows for each FiscalStatus.condition; the device's own words follow for
# the conditions people cannot act on without them.
CONDITIONS = {"working": _l("the register is working"), "shift_open": _l("the shift is open"),
              "shift_expired": _l("the shift is over 24 hours old: close it with a Z report"),
              "shift_closed": _l("the shift is closed"),
              "document_open": _l("a receipt is open on the register: finish or cancel it there"),
              "non_fiscal": _l("receipts print on the receipt printer"),
              "unreachable": _l("no connection: is the register on, and is the address right?"),
              "other": _l("the register is in a service mode"), "error": _l("the register answered with an error")}
SHOW_DETAIL = {"unreachable", "other", "error", ""}


def _register_form(register=None) -> Form:
    if register is None:
        return Form({"driver": "non_fiscal", "operator_password": ""}, "register")
    return Form({"name": register.name, "driver": register.driver, "address": register.address,
                 "operator_password": ""}, f"register-{register.id}")


def _render_registers(form: Form | None = None, editing=None, status: int = 200, answers: dict | None = None):
    registers = cash.registers(include_inactive=True)
    return render_template(
        "cash/registers.html", registers=registers, drivers=DRIVERS, editing=editing,
        form=form or _register_form(editing), answers=answers or {}, conditions=CONDITIONS,
        show_detail=SHOW_DETAIL), status, {"Cache-Control": "no-store"}


@bp.get("/cash/registers")
@page("devices.manage")
def registers():
    """The salon's registers with their fiscal driver, and the form to add one."""
    return _render_registers()


@bp.get("/cash/registers/<register_id>")
@page("devices.manage")
def edit_register(register_id):
    """A register's settings."""
    return _render_registers(editing=fetch(CashRegister, register_id))


def _posted_register(form: Form, editing) -> dict:
    data = {"name": form.text("name", max_length=100), "driver": form.choice("driver", tuple(DRIVERS)),
            "address": form.text("address", required=False)}
    if data["address"] and not cash.valid_address(data["address"]):
        form.error("address", _("Enter the address as host:port, e.g. 192.168.1.50:7778."))
    elif data["driver"] == "shtrih_m" and not data["address"]:
        form.error("address", _("A fiscal register needs its address (host:port)."))
    password = form.integer("operator_password", 0, 99999999, required=False)
    if password is not None:
        data["operator_password"] = password
    elif editing is None and form.ok:
        data["operator_password"] = 30  # the ШТРИХ-М's default operator password
    return data


@bp.post("/cash/registers")
@page("devices.manage")
def add_register():
    """Add a register."""
    form = Form.posted(request, "register")
    data = _posted_register(form, None)
    if form.ok:
        try:
            cash.save_register(g.actor, data)
        except ServiceError as exc:
            form.service_error(exc)
    if not form.ok:
        return _render_registers(form, status=422)
    flash(_("The register is added."), "success")
    return redirect(url_for(".registers"))


@bp.post("/cash/registers/<register_id>")
@page("devices.manage")
def save_register(register_id):
    """Change a register's name, fiscal driver, address or password (left empty: kept)."""
    editing = fetch(CashRegister, register_id)
    form = Form.posted(request, f"register-{editing.id}")
    data = _posted_register(form, editing)
    if form.ok:
        try:
            cash.save_register(g.actor, data, editing.id)
        except ServiceError as exc:
            form.service_error(exc)
    if not form.ok:
        return _render_registers(form, editing, 422)
    flash(_("The register is saved."), "success")
    return redirect(url_for(".registers"))


@bp.post("/cash/registers/<register_id>/<any(deactivate, activate):change>")
@page("devices.manage")
def set_register_active(register_id, change):
    """Take a register out of use (kept, with its shifts and receipts), or back into use."""
    editing = fetch(CashRegister, register_id)
    try:
        cash.save_register(g.actor, {"active": change == "activate"}, editing.id)
        flash(_("The register is out of use.") if change == "deactivate" else _("The register is in use again."),
              "success")
    except Conflict:
        flash(_("This register has an open shift: close it with the Z report first."), "error")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for(".registers"))


@bp.post("/cash/registers/<register_id>/check")
@page("devices.manage")
def check_register(register_id):
    """Ask the register's device how it is; the answer (or the error) is shown next to it."""
    editing = fetch(CashRegister, register_id)
    answer = cash.check_register(editing.id)
    return _render_registers(answers={editing.id: answer})
