"""A salon's master data as the cloud holds it: services and staff, listed and edited; edits go down (SY2, SV1)."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cloud.services import masterdata
from cloud.services.errors import NotFound, Refused, ServiceError
from cloud.services.money import form_text
from cloud.services.salons import profile
from cloud.web.forms import Form
from cloud.web.i18n import STAFF_ROLE_NAMES
from cloud.web.session_auth import page

bp = Blueprint("web_masterdata", __name__)


def _salon(salon_id: str):
    try:
        return profile(salon_id)
    except NotFound:
        abort(404)


def _crev(form: Form) -> int | None:
    text = form.raw("crev")
    return int(text) if text.isdigit() else None


def _values(form: Form) -> dict:
    # A checkbox that is not ticked is not sent at all.
    return {**form.values, "active": form.flag("active")}


@bp.get("/salons/<salon_id>/services")
@page("masterdata.view")
def services(salon_id: str):
    """The salon's services: name, category, duration, price or range, active."""
    salon = _salon(salon_id)
    return render_template("services.html", salon=salon, services=masterdata.services(salon_id),
                           has_categories=any(c["active"] for c in masterdata.categories(salon_id)))


def _service_form(salon, form: Form, service=None, saved=None, status: int = 200):
    choices = [(c["id"], c["name"]) for c in masterdata.categories(salon.id)
               if c["active"] or (service is not None and c["id"] == service.category_id)]
    return render_template("service_form.html", salon=salon, form=form, service=service, saved=saved,
                           categories=choices), status


@bp.route("/salons/<salon_id>/services/new", methods=["GET", "POST"])
@page("masterdata.edit")
def new_service(salon_id: str):
    """Add a service to the salon's catalogue; it goes down to the salon's boxes."""
    salon = _salon(salon_id)
    if request.method == "GET":
        return _service_form(salon, Form({"active": "1", "category": request.args.get("category", "")}))
    form = Form.posted(request)
    try:
        row = masterdata.create_service(g.user, salon_id, _values(form))
    except ServiceError as exc:
        form.refused(exc)
        return _service_form(salon, form, status=422)
    flash(_("Service %(name)s is added; it goes to the salon's boxes.", name=row.data["name"]), "success")
    return redirect(url_for("web_masterdata.services", salon_id=salon_id) + f"#s-{row.entity_id}")


@bp.route("/salons/<salon_id>/services/<service_id>", methods=["GET", "POST"])
@page("masterdata.edit")
def edit_service(salon_id: str, service_id: str):
    """Edit one service; the change goes down to the salon's boxes."""
    salon = _salon(salon_id)
    try:
        service = masterdata.service(salon_id, service_id)
    except NotFound:
        abort(404)
    if request.method == "GET":
        return _service_form(salon, Form({
            "name": service.name, "category": service.category_id, "duration_min": service.duration_min or "",
            "price": form_text(service.price, salon.currency), "price_max": form_text(service.price_max, salon.currency),
            "active": "1" if service.active else "", "crev": service.crev}), service)
    form = Form.posted(request)
    try:
        masterdata.update_service(g.user, salon_id, service_id, _values(form), _crev(form))
    except ServiceError as exc:
        form.refused(exc)
        saved = None
        if isinstance(exc, Refused):
            saved = masterdata.service(salon_id, service_id)
            form.values["crev"] = saved.crev
        return _service_form(salon, form, service, saved, 422)
    flash(_("Service %(name)s is saved; the change goes to the salon's boxes.", name=form.raw("name")), "success")
    return redirect(url_for("web_masterdata.services", salon_id=salon_id) + f"#s-{service_id}")


@bp.get("/salons/<salon_id>/staff")
@page("masterdata.view")
def staff(salon_id: str):
    """The salon's people: name, role, active."""
    salon = _salon(salon_id)
    return render_template("staff.html", salon=salon, people=masterdata.staff_members(salon_id))


def _staff_form(salon, form: Form, person, saved=None, status: int = 200):
    return render_template("staff_form.html", salon=salon, form=form, person=person, saved=saved,
                           roles=[(r, STAFF_ROLE_NAMES[r]) for r in masterdata.STAFF_ROLES]), status


@bp.route("/salons/<salon_id>/staff/<staff_id>", methods=["GET", "POST"])
@page("masterdata.edit")
def edit_staff(salon_id: str, staff_id: str):
    """Edit one person's name, role or active flag; the change goes down to the salon's boxes."""
    salon = _salon(salon_id)
    try:
        person = masterdata.staff_member(salon_id, staff_id)
    except NotFound:
        abort(404)
    if request.method == "GET":
        return _staff_form(salon, Form({"first_name": person.first_name, "last_name": person.last_name,
                                        "role": person.role, "active": "1" if person.active else "",
                                        "crev": person.crev}), person)
    form = Form.posted(request)
    try:
        masterdata.update_staff(g.user, salon_id, staff_id, _values(form), _crev(form))
    except ServiceError as exc:
        form.refused(exc)
        saved = None
        if isinstance(exc, Refused):
            saved = masterdata.staff_member(salon_id, staff_id)
            form.values["crev"] = saved.crev
        return _staff_form(salon, form, person, saved, 422)
    flash(_("%(name)s is saved; the change goes to the salon's boxes.", name=form.raw("first_name")), "success")
    return redirect(url_for("web_masterdata.staff", salon_id=salon_id) + f"#p-{staff_id}")
