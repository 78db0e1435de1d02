"""Catalogue pages for rooms and equipment (BK2): the things a service may need besides a master.

A service names the room type and equipment type it needs; bookings take
any active room or unit of that type. Routes hang on the web_catalogue
blueprint.
"""
from dataclasses import dataclass

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from appliance.services import catalogue
from appliance.services.errors import ServiceError
from appliance.storage.models.bookings import BookingItem
from appliance.storage.models.catalogue import Equipment, Room, Service
from appliance.web.form_support import Form
from appliance.web.routes_catalogue import bp, known_types, render_page, set_active
from appliance.web.session_auth import page


@dataclass(frozen=True)
class Kind:
    """What differs between the room pages and the equipment pages."""

    code: str  # rooms, equipment
    model: type
    type_field: str
    service_field: str
    create: object
    update: object
    title: object
    add_title: object
    type_label: object


KINDS = {
    "rooms": Kind("rooms", Room, "room_type", "room_type", catalogue.create_room, catalogue.update_room,
                  _l("Rooms"), _l("Add a room"), _l("Room type")),
    "equipment": Kind("equipment", Equipment, "equipment_type", "equipment_type", catalogue.create_equipment,
                      catalogue.update_equipment, _l("Equipment"), _l("Add equipment"), _l("Equipment type")),
}


def _kind(code: str) -> Kind:
    return KINDS.get(code) or abort(404)


def _values(kind: Kind, row) -> dict:
    values = {"name": row.name, "type": getattr(row, kind.type_field)}
    if kind.code == "rooms":
        values["capacity"] = str(row.capacity)
    return values


def _read(kind: Kind, form: Form) -> dict:
    data = {"name": form.text("name"), kind.type_field: form.text("type", max_length=64)}
    if kind.code == "rooms":
        data["capacity"] = form.integer("capacity", 1, 100)
    return data


def _needs(kind: Kind) -> dict[str, int]:
    """How many active services need each type."""
    field = getattr(Service, kind.service_field)
    counts = {}
    for s in Service.select(field).where((Service.active == True) & field.is_null(False)):  # noqa: E712
        key = getattr(s, kind.service_field)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _list_page(kind: Kind, form: Form, status: int = 200):
    show_inactive = request.args.get("inactive") == "1"
    rows = kind.model.select().order_by(getattr(kind.model, kind.type_field), kind.model.name)
    if not show_inactive:
        rows = rows.where(kind.model.active == True)  # noqa: E712
    rows = list(rows)
    needs = _needs(kind)
    covered = {getattr(r, kind.type_field) for r in kind.model.select().where(kind.model.active == True)}  # noqa: E712
    missing = sorted(t for t in needs if t not in covered)
    return render_page("catalogue/resources.html", status, kind=kind, rows=rows, form=form, needs=needs,
                       missing=missing, show_inactive=show_inactive, types=known_types())


def _field_map(kind: Kind) -> dict:
    return {kind.type_field: "type", "name": "name", "capacity": "capacity"}


@bp.get("/catalogue/<any(rooms, equipment):code>")
@page("catalogue.read")
def resources(code):
    """Rooms or equipment, with a form to add one."""
    kind = _kind(code)
    values = {"capacity": "1"} if kind.code == "rooms" else {}
    return _list_page(kind, Form(values, kind.code))


@bp.post("/catalogue/<any(rooms, equipment):code>")
@page("catalogue.write")
def add_resource(code):
    """Add a room or a piece of equipment."""
    kind = _kind(code)
    form = Form.posted(request, kind.code)
    data = _read(kind, form)
    if form.ok:
        try:
            row = kind.create(g.actor, data)
        except ServiceError as exc:
            form.service_error(exc, _field_map(kind))
    if not form.ok:
        return _list_page(kind, form, 422)
    flash(_("“%(name)s” added.", name=row.name), "success")
    return redirect(url_for(".resources", code=kind.code, _anchor=f"r-{row.id}"))


@bp.route("/catalogue/<any(rooms, equipment):code>/<row_id>", methods=["GET", "POST"])
@page("catalogue.write")
def edit_resource(code, row_id):
    """Rename, retype or resize a room or a piece of equipment."""
    kind = _kind(code)
    row = kind.model.get_or_none(kind.model.id == row_id) or abort(404)
    if request.method == "GET":
        form = Form(_values(kind, row), kind.code)
    else:
        form = Form.posted(request, kind.code)
        data = _read(kind, form)
        if form.ok:
            try:
                kind.update(g.actor, row.id, data)
                flash(_("“%(name)s” saved.", name=data["name"]), "success")
                return redirect(url_for(".resources", code=kind.code, inactive=None if row.active else "1",
                                        _anchor=f"r-{row.id}"))
            except ServiceError as exc:
                form.service_error(exc, _field_map(kind))
    needed_by = list(Service.select().where((getattr(Service, kind.service_field) == getattr(row, kind.type_field))
                                            & (Service.active == True)).order_by(Service.name))  # noqa: E712
    return render_page("catalogue/resource_form.html", 200 if form.ok else 422, kind=kind, row=row, form=form,
                       types=known_types(), needed_by=needed_by)


@bp.post("/catalogue/<any(rooms, equipment):code>/<row_id>/active")
@page("catalogue.write")
def resource_active(code, row_id):
    """Take a room or unit out of use (never deleted), or bring it back."""
    kind = _kind(code)
    row = kind.model.get_or_none(kind.model.id == row_id) or abort(404)
    active = request.form.get("active") == "1"
    column = BookingItem.room if kind.code == "rooms" else BookingItem.equipment
    set_active(kind.update, g.actor, row.id, active, row.name, column)
    return redirect(url_for(".resources", code=kind.code, inactive=None if active else "1", _anchor=f"r-{row.id}"))
