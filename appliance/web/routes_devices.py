"""The Devices page (KI3): printers and their state, readers seen, the print queue.

Managers and owners add, edit and take printers out of use
(``devices.manage``); administrators see the page, print a test page,
cancel and re-print jobs (``devices.read``, ``printing.use``).
"""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from appliance.domain.permissions import allowed
from appliance.domain.printer_config import ADDRESS_EXAMPLES, CODE_PAGE_CHOICES, CONNECTION_KINDS, ROLES, parse_address
from appliance.domain.receipt_layout import SalonHeader
from appliance.domain.report_layout import printer_test_page
from appliance.services import device_states, print_queue, printers
from appliance.services.errors import Conflict, InvalidInput, NotFound
from appliance.storage.models.base import utc_now
from appliance.web.form_support import Form
from appliance.web.session_auth import page
from hardware.printing.profiles import PrinterConfigError, load_profile, profile_names

bp = Blueprint("web_devices", __name__)

ROLE_NAMES = {"receipt": _l("Receipts"), "label": _l("Labels")}
CONNECTION_NAMES = {"network": _l("Network (port 9100)"), "usb": _l("USB"), "serial": _l("Serial port"),
                    "file": _l("Device file")}
JOB_STATES = {"queued": _l("queued"), "printing": _l("printing"), "done": _l("printed"),
              "failed-retrying": _l("failed, will retry"), "interrupted": _l("interrupted: check the paper"),
              "cancelled": _l("cancelled")}
DEVICE_STATES = {"online": _l("online"), "offline": _l("offline"), "paper_out": _l("out of paper"),
                 "paper_low": _l("paper running low"), "unknown": _l("no status reply"), "error": _l("error")}
CODE_PAGE_NAMES = {"auto": _l("Automatic (Windows-1251 where the model has it)"), "CP1251": "Windows-1251",
                   "CP866": "CP866"}
NEW_PRINTER = {"role": "receipt", "connection": "network", "profile": "default", "paper_width_mm": "80",
               "code_page": "auto"}


def _render(form: Form, status: int = 200, editing=None):
    everything = printers.list_printers(include_inactive=True)
    return render_template(
        "devices/index.html", printers=everything, editing=editing, form=form,
        printer_states=device_states.states_by_name("printer"), readers=device_states.seen("reader"),
        jobs=print_queue.recent_jobs(50), tz=g.salon_ctx.tz, manage=allowed(g.actor.role, "devices.manage"),
        use=allowed(g.actor.role, "printing.use"), profile_options=[(n, n) for n in profile_names()],
        code_page_options=[(c, CODE_PAGE_NAMES.get(c, c)) for c in CODE_PAGE_CHOICES], role_names=ROLE_NAMES,
        connection_names=CONNECTION_NAMES, job_states=JOB_STATES, device_state_names=DEVICE_STATES,
        examples=ADDRESS_EXAMPLES), status, {"Cache-Control": "no-store"}


@bp.get("/devices")
@page("devices.read")
def index():
    """Printers, readers and the print queue."""
    return _render(Form(NEW_PRINTER, "new"))


def _read(form: Form) -> dict:
    """The printer's settings from the form; errors noted next to each field."""
    data = {"name": form.text("name", max_length=100), "role": form.choice("role", ROLES),
            "connection": form.choice("connection", CONNECTION_KINDS),
            "address": form.text("address", max_length=200), "profile": form.choice("profile", profile_names()),
            "code_page": form.choice("code_page", CODE_PAGE_CHOICES),
            "paper_width_mm": form.choice("paper_width_mm", ("58", "80"))}
    if data["paper_width_mm"]:
        data["paper_width_mm"] = int(data["paper_width_mm"])
    if data["connection"] and data["address"]:
        try:
            parse_address(data["connection"], data["address"])
        except ValueError:
            form.error("address", _("Enter an address like %(example)s.", example=ADDRESS_EXAMPLES[data["connection"]]))
    if form.ok:
        try:
            load_profile(data["profile"], data["paper_width_mm"], data["code_page"])
        except PrinterConfigError:
            form.error("code_page", _("This model has no Cyrillic code page of this kind; choose another model "
                                      "or code page."))
    return data


def _field_errors(form: Form, exc: InvalidInput, kind: str | None) -> None:
    for field, reason in exc.fields:
        if field == "address":
            form.error("address", _("Enter an address like %(example)s.",
                                    example=ADDRESS_EXAMPLES.get(kind or "network")))
        else:
            form.error(field if field in form.values else "_form", reason)


@bp.post("/devices/printers")
@page("devices.manage")
def add_printer():
    """Add a printer."""
    form = Form.posted(request, "new")
    data = _read(form)
    if form.ok:
        try:
            printer = printers.create_printer(g.actor, data)
        except InvalidInput as exc:
            _field_errors(form, exc, data["connection"])
    if not form.ok:
        return _render(form, 422)
    flash(_("Printer “%(name)s” added.", name=printer.name), "success")
    return redirect(url_for(".index", _anchor=f"p-{printer.id}"))


@bp.route("/devices/printers/<printer_id>", methods=["GET", "POST"])
@page("devices.manage")
def edit_printer(printer_id):
    """Change a printer's settings, or bring an inactive one back."""
    try:
        printer = printers.get_printer(printer_id)
    except NotFound:
        abort(404)
    if request.method == "GET":
        values = {k: str(getattr(printer, k)) for k in printers.FIELDS}
        values["active"] = "1" if printer.active else ""
        return _render(Form(values, "edit"), editing=printer)
    form = Form.posted(request, "edit")
    data = _read(form)
    data["active"] = form.flag("active")
    if form.ok:
        try:
            printers.update_printer(g.actor, printer.id, data)
        except InvalidInput as exc:
            _field_errors(form, exc, data["connection"])
    if not form.ok:
        return _render(form, 422, editing=printer)
    flash(_("Printer “%(name)s” saved.", name=data["name"]), "success")
    return redirect(url_for(".index", _anchor=f"p-{printer.id}"))


@bp.post("/devices/printers/<printer_id>/deactivate")
@page("devices.manage")
def deactivate_printer(printer_id):
    """Take a printer out of use; its jobs stay in the list."""
    try:
        printer = printers.deactivate_printer(g.actor, printer_id)
    except NotFound:
        abort(404)
    flash(_("Printer “%(name)s” is no longer used.", name=printer.name), "success")
    return redirect(url_for(".index"))


@bp.post("/devices/printers/<printer_id>/test")
@page("printing.use")
def test_print(printer_id):
    """Queue a test page: both alphabets, oʻ gʻ, a barcode and a QR code."""
    try:
        printer = printers.get_printer(printer_id)
        salon = g.salon_ctx.salon
        header = SalonHeader(salon.name, salon.timezone, salon.currency, str(get_locale()), salon.address or "",
                             salon.phone or "")
        print_queue.enqueue(g.actor, printer, printer_test_page(header, printer.name, utc_now()), "test",
                            _("Test page"))
    except NotFound:
        abort(404)
    except InvalidInput:
        flash(_("This printer is not in use."), "error")
        return redirect(url_for(".index"))
    flash(_("A test page is queued for “%(name)s”.", name=printer.name), "success")
    return redirect(url_for(".index", _anchor="queue"))


@bp.post("/devices/jobs/<int:job_id>/<any(cancel, reprint):action>")
@page("printing.use")
def job_action(job_id, action):
    """Cancel a job that has not printed, or print one again (a copy of a printed one)."""
    try:
        (print_queue.cancel if action == "cancel" else print_queue.reprint)(g.actor, job_id)
    except NotFound:
        abort(404)
    except (Conflict, InvalidInput):
        flash(_("This job cannot be changed now; the list shows its current state."), "error")
        return redirect(url_for(".index", _anchor="queue"))
    flash(_("The job is cancelled.") if action == "cancel" else _("The job is queued again."), "success")
    return redirect(url_for(".index", _anchor="queue"))
