"""Catalogue pages for a salon without head office: services and categories (SV1).

Rooms and equipment are in routes_catalogue_resources.py, staff and skills in
routes_staff_pages.py; all of them hang on this one blueprint. Nothing is
deleted here: services, categories, rooms, equipment and people become
inactive and can be made active again.
"""
from collections import defaultdict

from babel.numbers import format_decimal
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from appliance.domain import booking_rules
from appliance.domain.money import CURRENCY_EXPONENT
from appliance.domain.permissions import allowed
from appliance.services import catalogue
from appliance.services.errors import ServiceError
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking, BookingItem
from appliance.storage.models.catalogue import Equipment, Room, Service, ServiceCategory, Staff, StaffService
from appliance.web.form_support import Form, money_value
from appliance.web.i18n import money
from appliance.web.session_auth import page

bp = Blueprint("web_catalogue", __name__)
SERVICE_FIELDS = {"category_id": "category_id", "price": "price", "price_max": "price_max", "name": "name",
                  "duration_min": "duration_min", "buffer_min": "buffer_min"}


# shared --------------------------------------------------------------------------------------------

def category_tree() -> list[tuple[ServiceCategory, int, str]]:
    """Every category in tree order: (category, depth, "Parent › Child")."""
    rows = list(ServiceCategory.select().order_by(ServiceCategory.sort_order, ServiceCategory.name))
    known = {c.id for c in rows}
    children = defaultdict(list)
    for c in rows:
        children[c.parent_id if c.parent_id in known else None].append(c)
    result, seen = [], set()

    def walk(parent_id, depth, path):
        for c in children.get(parent_id, []):
            if c.id in seen:
                continue
            seen.add(c.id)
            result.append((c, depth, " › ".join([*path, c.name])))
            walk(c.id, depth + 1, [*path, c.name])

    walk(None, 0, [])
    return result


def category_options(current_id: str | None = None, exclude: str | None = None) -> list[tuple[str, str]]:
    """Active categories (and the current one even if inactive) for a select, indented by depth."""
    options = []
    excluded = _subtree(exclude) if exclude else set()
    for c, depth, _path in category_tree():
        if c.id in excluded or not (c.active or c.id == current_id):
            continue
        label = "\u2003" * depth + c.name + ("" if c.active else " " + _("(inactive)"))
        options.append((c.id, label))
    return options


def _subtree(category_id: str) -> set[str]:
    ids, frontier = {category_id}, [category_id]
    while frontier:
        found = [c.id for c in ServiceCategory.select(ServiceCategory.id)
                 .where(ServiceCategory.parent.in_(frontier)) if c.id not in ids]
        ids.update(found)
        frontier = found
    return ids


def known_types() -> dict[str, list[str]]:
    """Room and equipment types in use, for the type fields' suggestions."""
    rooms = {r.room_type for r in Room.select(Room.room_type)}
    equipment = {e.equipment_type for e in Equipment.select(Equipment.equipment_type)}
    for s in Service.select(Service.room_type, Service.equipment_type):
        rooms.add(s.room_type)
        equipment.add(s.equipment_type)
    return {"rooms": sorted(t for t in rooms if t), "equipment": sorted(t for t in equipment if t)}


def price_text(price, price_max, currency: str) -> str:
    """A price like "150 000 UZS", or a range like "150 000 – 300 000 UZS" with the currency once."""
    if price_max is None:
        return money(price, currency)
    digits = CURRENCY_EXPONENT.get(currency, 2)
    low = format_decimal(price, format="#,##0" + ("." + "0" * digits if digits else ""), locale=get_locale())
    return f"{low}\u202f–\u202f{money(price_max, currency)}"


def render_page(template: str, status: int = 200, **context):
    """Render a catalogue page with what every one of them needs."""
    context.setdefault("currency", g.salon_ctx.currency)
    context.setdefault("price_text", price_text)
    context.update(can_catalogue=allowed(g.actor.role, "catalogue.write"),
                   can_staff=allowed(g.actor.role, "staff.write"))
    response = render_template(template, **context)
    return response, status, {"Cache-Control": "no-store"}


def set_active(update, actor, row_id: str, active: bool, what: str, used_by=None) -> None:
    """Deactivate or reactivate anything, and say so; ``used_by`` is the booking item column that may hold it."""
    update(actor, row_id, {"active": active})
    flash(_("%(what)s is active again.", what=what) if active
          else _("%(what)s is inactive now; nothing was deleted.", what=what), "success")
    if not active and used_by is not None:
        waiting = (BookingItem.select().join(Booking).where(
            (used_by == row_id) & (BookingItem.active == True) & (BookingItem.starts_at >= utc_now())  # noqa: E712
            & Booking.status.in_([s for s in booking_rules.HOLDING if s not in booking_rules.FINAL])).count())
        if waiting:
            flash(ngettext("%(num)d future booking still uses it: it stays as booked; move it in the journal "
                           "if needed.", "%(num)d future bookings still use it: they stay as booked; move them "
                           "in the journal if needed.", waiting), "error")


# services ------------------------------------------------------------------------------------------

@bp.get("/catalogue/services")
@page("catalogue.read")
def services():
    """Services grouped by category, with price, duration, needs and state."""
    show_inactive = request.args.get("inactive") == "1"
    query = request.args.get("q", "").strip()
    category = request.args.get("category", "")
    rows = Service.select().order_by(Service.sort_order, Service.name)
    if not show_inactive:
        rows = rows.where(Service.active == True)  # noqa: E712
    by_category = defaultdict(list)
    for s in rows:
        if query and query.casefold() not in s.name.casefold():
            continue
        by_category[s.category_id].append(s)
    tree = category_tree()
    wanted = _subtree(category) if category else None
    groups = [(c, path, by_category[c.id]) for c, _depth, path in tree
              if by_category.get(c.id) and (wanted is None or c.id in wanted)]
    masters = defaultdict(int)
    for skill in (StaffService.select(StaffService.service).join(Staff)
                  .where((StaffService.active == True) & (Staff.active == True) & (Staff.bookable == True))):  # noqa: E712
        masters[skill.service_id] += 1
    return render_page(
        "catalogue/services.html", groups=groups, masters=masters, show_inactive=show_inactive, q=query,
        category=category, category_choices=[(c.id, "\u2003" * d + c.name) for c, d, _p in tree],
        room_types={r.room_type for r in Room.select().where(Room.active == True)},  # noqa: E712
        equipment_types={e.equipment_type for e in Equipment.select().where(Equipment.active == True)},  # noqa: E712
        total=sum(len(items) for _c, _p, items in groups))


def _service_values(service: Service) -> dict:
    currency = g.salon_ctx.currency
    return {"name": service.name, "category_id": service.category_id, "description": service.description,
            "duration_min": str(service.duration_min), "buffer_min": str(service.buffer_min),
            "price": money_value(service.price, currency), "price_max": money_value(service.price_max, currency),
            "room_type": service.room_type or "", "equipment_type": service.equipment_type or "",
            "bookable_online": "1" if service.bookable_online else "", "sort_order": str(service.sort_order)}


def _read_service(form: Form, categories: list) -> dict:
    currency = g.salon_ctx.currency
    data = {
        "name": form.text("name"),
        "category_id": form.choice("category_id", [c for c, _label in categories]),
        "description": form.text("description", required=False, max_length=4000),
        "duration_min": form.integer("duration_min", 5, 720),
        "buffer_min": form.integer("buffer_min", 0, 240, required=False) or 0,
        "price": form.money("price", currency),
        "price_max": form.money("price_max", currency, required=False),
        "room_type": form.text("room_type", required=False) or None,
        "equipment_type": form.text("equipment_type", required=False) or None,
        "bookable_online": form.flag("bookable_online"),
        "sort_order": form.integer("sort_order", 0, 10000, required=False) or 0,
    }
    if data["price"] is not None and data["price_max"] is not None:
        if data["price_max"] < data["price"]:
            form.error("price_max", _("The upper price must not be below the price."))
        elif data["price_max"] == data["price"]:
            data["price_max"] = None
    return data


def _service_page(form: Form, service: Service | None, status: int = 200):
    categories = category_options(service.category_id if service else None)
    performers = []
    if service is not None:
        performers = list(Staff.select().join(StaffService).where(
            (StaffService.service == service.id) & (StaffService.active == True)  # noqa: E712
            & (Staff.active == True)).order_by(Staff.sort_order, Staff.first_name))  # noqa: E712
    return render_page("catalogue/service_form.html", status, form=form, service=service, categories=categories,
                       types=known_types(), performers=performers)


@bp.route("/catalogue/services/new", methods=["GET", "POST"])
@page("catalogue.write")
def new_service():
    """Add a service."""
    if request.method == "GET":
        values = {"bookable_online": "1", "buffer_min": "0", "sort_order": "0",
                  "category_id": request.args.get("category", "")}
        return _service_page(Form(values, "service"), None)
    form = Form.posted(request, "service")
    data = _read_service(form, category_options())
    if form.ok:
        try:
            service = catalogue.create_service(g.actor, data)
        except ServiceError as exc:
            form.service_error(exc, SERVICE_FIELDS)
    if not form.ok:
        return _service_page(form, None, 422)
    flash(_("Service “%(name)s” added.", name=service.name), "success")
    return redirect(url_for(".services", _anchor=f"s-{service.id}"))


@bp.route("/catalogue/services/<service_id>", methods=["GET", "POST"])
@page("catalogue.write")
def edit_service(service_id):
    """Change a service."""
    service = Service.get_or_none(Service.id == service_id) or abort(404)
    if request.method == "GET":
        return _service_page(Form(_service_values(service), "service"), service)
    form = Form.posted(request, "service")
    data = _read_service(form, category_options(service.category_id))
    if form.ok:
        try:
            service = catalogue.update_service(g.actor, service.id, data)
        except ServiceError as exc:
            form.service_error(exc, SERVICE_FIELDS)
            service = Service.get_by_id(service_id)
    if not form.ok:
        return _service_page(form, service, 422)
    flash(_("Service “%(name)s” saved.", name=service.name), "success")
    return redirect(url_for(".services", inactive="1" if not service.active else None, _anchor=f"s-{service.id}"))


@bp.post("/catalogue/services/<service_id>/active")
@page("catalogue.write")
def service_active(service_id):
    """Deactivate a service (never deleted) or bring it back."""
    service = Service.get_or_none(Service.id == service_id) or abort(404)
    active = request.form.get("active") == "1"
    if active and not service.category.active:
        flash(_("Its category “%(name)s” is inactive: choose another category and save first.",
                name=service.category.name), "error")
        return redirect(url_for(".edit_service", service_id=service.id))
    set_active(catalogue.update_service, g.actor, service.id, active, service.name, BookingItem.service)
    return redirect(url_for(".services", inactive="1" if not active else None, _anchor=f"s-{service.id}"))


# categories ----------------------------------------------------------------------------------------

def _category_counts() -> tuple[dict, dict]:
    services, subcategories = defaultdict(int), defaultdict(int)
    for s in Service.select(Service.category).where(Service.active == True):  # noqa: E712
        services[s.category_id] += 1
    for c in ServiceCategory.select(ServiceCategory.parent).where(ServiceCategory.active == True):  # noqa: E712
        if c.parent_id:
            subcategories[c.parent_id] += 1
    return services, subcategories


def _categories_page(form: Form, status: int = 200):
    services_count, sub_count = _category_counts()
    return render_page("catalogue/categories.html", status, form=form, tree=category_tree(),
                       services_count=services_count, sub_count=sub_count, parents=category_options())


def _read_category(form: Form, parents: list, category: ServiceCategory | None = None) -> dict:
    data = {"name": form.text("name"),
            "parent_id": form.choice("parent_id", [c for c, _label in parents], required=False),
            "sort_order": form.integer("sort_order", 0, 10000, required=False) or 0}
    if category is not None and data["parent_id"] and data["parent_id"] in _subtree(category.id):
        form.error("parent_id", _("A category cannot be inside itself or its own subcategory."))
    return data


@bp.get("/catalogue/categories")
@page("catalogue.read")
def categories():
    """The category tree, with a form to add one."""
    return _categories_page(Form({"sort_order": "0", "parent_id": request.args.get("parent", "")}, "category"))


@bp.post("/catalogue/categories")
@page("catalogue.write")
def add_category():
    """Add a category, optionally under a parent."""
    form = Form.posted(request, "category")
    data = _read_category(form, category_options())
    if form.ok:
        try:
            created = catalogue.create_category(g.actor, data)
        except ServiceError as exc:
            form.service_error(exc)
    if not form.ok:
        return _categories_page(form, 422)
    flash(_("Category “%(name)s” added.", name=created.name), "success")
    return redirect(url_for(".categories"))


@bp.route("/catalogue/categories/<category_id>", methods=["GET", "POST"])
@page("catalogue.write")
def edit_category(category_id):
    """Rename, move or reorder a category."""
    category = ServiceCategory.get_or_none(ServiceCategory.id == category_id) or abort(404)
    parents = category_options(category.parent_id, exclude=category.id)
    if request.method == "GET":
        form = Form({"name": category.name, "parent_id": category.parent_id or "",
                     "sort_order": str(category.sort_order)}, "category")
    else:
        form = Form.posted(request, "category")
        data = _read_category(form, parents, category)
        if form.ok:
            try:
                catalogue.update_category(g.actor, category.id, data)
                flash(_("Category “%(name)s” saved.", name=data["name"]), "success")
                return redirect(url_for(".categories"))
            except ServiceError as exc:
                form.service_error(exc)
    services_count, sub_count = _category_counts()
    return render_page("catalogue/category_form.html", 200 if form.ok else 422, form=form, category=category,
                       parents=parents, services_count=services_count[category.id],
                       sub_count=sub_count[category.id])


@bp.post("/catalogue/categories/<category_id>/active")
@page("catalogue.write")
def category_active(category_id):
    """Deactivate an empty category, or bring one back."""
    category = ServiceCategory.get_or_none(ServiceCategory.id == category_id) or abort(404)
    active = request.form.get("active") == "1"
    services_count, sub_count = _category_counts()
    if not active and (services_count[category.id] or sub_count[category.id]):
        flash(_("“%(name)s” still holds active services or subcategories: move or deactivate them first.",
                name=category.name), "error")
        return redirect(url_for(".edit_category", category_id=category.id))
    if active and category.parent_id and not category.parent.active:
        flash(_("Its parent “%(name)s” is inactive: reactivate it first or choose another parent.",
                name=category.parent.name), "error")
        return redirect(url_for(".edit_category", category_id=category.id))
    set_active(catalogue.update_category, g.actor, category.id, active, category.name)
    return redirect(url_for(".categories"))


from appliance.web import routes_catalogue_resources, routes_staff_pages  # noqa: E402,F401  (routes on bp)
