"""Catalogue pages for staff members and their skills (ST1, ST3, PL1).

Routes hang on the web_catalogue blueprint. People are never deleted: they
become inactive, which also ends their sign-in at once.
"""
import re
from collections import defaultdict

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from appliance.domain.permissions import OWNER, STAFF_ROLES
from appliance.services import staff as staff_service
from appliance.services.errors import Forbidden, ServiceError
from appliance.storage.models.bookings import BookingItem
from appliance.storage.models.catalogue import Service, Staff, StaffService
from appliance.web.form_support import Form, money_value
from appliance.web.i18n import LANGUAGE_NAMES, LANGUAGES
from appliance.web.routes_catalogue import bp, category_tree, render_page, set_active
from appliance.web.session_auth import page

ROLE_LABELS = {"owner": _l("Owner"), "manager": _l("Manager"), "administrator": _l("Administrator"),
               "master": _l("Master")}
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
STAFF_FIELDS = {f: f for f in ("first_name", "last_name", "position", "role", "phone", "email", "username",
                               "password", "color", "sort_order", "locale")}


def _protected(person: Staff | None) -> bool:
    """Only an owner may change an owner's sign-in, password or role, or switch an owner off."""
    return person is not None and person.role == OWNER and g.actor.role != OWNER


def _role_options(person: Staff | None) -> list:
    roles = [r for r in STAFF_ROLES if r != OWNER or g.actor.role == OWNER or (person and person.role == OWNER)]
    return [(r, ROLE_LABELS[r]) for r in roles]


# list ----------------------------------------------------------------------------------------------

@bp.get("/catalogue/staff")
@page("staff.read")
def staff():
    """Staff members: role, whether clients can book them, skills and state."""
    show_inactive = request.args.get("inactive") == "1"
    rows = Staff.select().order_by(Staff.active.desc(), Staff.sort_order, Staff.last_name, Staff.first_name)
    if not show_inactive:
        rows = rows.where(Staff.active == True)  # noqa: E712
    skills = defaultdict(int)
    for s in StaffService.select(StaffService.staff).join(Service).where(
            (StaffService.active == True) & (Service.active == True)):  # noqa: E712
        skills[s.staff_id] += 1
    return render_page("catalogue/staff.html", people=list(rows), skills=skills, roles=ROLE_LABELS,
                       show_inactive=show_inactive)


# one person ----------------------------------------------------------------------------------------

def _values(person: Staff) -> dict:
    return {"first_name": person.first_name, "last_name": person.last_name, "position": person.position,
            "role": person.role, "phone": person.phone or "", "email": person.email or "",
            "bookable": "1" if person.bookable else "", "color": person.color, "sort_order": str(person.sort_order),
            "username": person.username or "", "locale": person.locale}


def _read(form: Form, person: Staff | None) -> dict:
    data = {
        "first_name": form.text("first_name", max_length=100),
        "last_name": form.text("last_name", required=False, max_length=100),
        "position": form.text("position", required=False, max_length=100),
        "phone": form.text("phone", required=False, max_length=32) or None,
        "email": form.text("email", required=False) or None,
        "bookable": form.flag("bookable"),
        "color": form.text("color", required=False) or "#7c9cbf",
        "sort_order": form.integer("sort_order", 0, 10000, required=False) or 0,
        "locale": form.choice("locale", LANGUAGES) or "ru",
    }
    if data["email"] and not EMAIL_RE.match(data["email"]):
        form.error("email", _("Enter an e-mail address like name@example.com."))
    if not COLOR_RE.match(data["color"]):
        form.error("color", _("Choose a colour."))
    if _protected(person):
        return data  # an owner's role, sign-in name and password stay as they are
    data["role"] = form.choice("role", [r for r, _label in _role_options(person)])
    username = form.text("username", required=False, max_length=64)
    if username and not USERNAME_RE.match(username):
        form.error("username", _("3 to 64 Latin letters, digits, dots, dashes or underscores."))
    data["username"] = username or None
    password = form.values.get("password", "")
    if password:
        if not data["username"]:
            form.error("username", _("Set a sign-in name to give this person a password."))
        elif len(password) > 200:
            form.error("password", _("At most %(n)d characters.", n=200))
        data["password"] = password
    return data


def _staff_error(form: Form, exc: ServiceError) -> None:
    form.service_error(exc, STAFF_FIELDS)
    if "phone" in form.errors:  # the phone library's reasons are English only
        form.errors["phone"] = _("Enter a phone number with the country code, like +998 90 123 45 67.")
    if isinstance(exc, Forbidden) and "role" in form.values:
        form.errors.pop("_form", None)
        form.error("role", _("Only an owner can give or take the owner's role."))


def _person_page(form: Form, person: Staff | None, status: int = 200):
    return render_page("catalogue/staff_form.html", status, form=form, person=person, roles=_role_options(person),
                       languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
                       protected=_protected(person), is_self=person is not None and person.id == g.actor.id)


@bp.route("/catalogue/staff/new", methods=["GET", "POST"])
@page("staff.write")
def new_staff():
    """Add a staff member."""
    if request.method == "GET":
        return _person_page(Form({"role": "master", "bookable": "1", "color": "#7c9cbf", "sort_order": "0",
                                  "locale": g.staff.locale}, "person"), None)
    form = Form.posted(request, "person")
    data = _read(form, None)
    if form.ok:
        try:
            person = staff_service.create_staff(g.actor, data)
        except ServiceError as exc:
            _staff_error(form, exc)
    if not form.ok:
        return _person_page(form, None, 422)
    flash(_("%(name)s added.", name=person.first_name), "success")
    if person.bookable:
        return redirect(url_for(".skills", staff_id=person.id))
    return redirect(url_for(".staff", _anchor=f"p-{person.id}"))


@bp.route("/catalogue/staff/<staff_id>", methods=["GET", "POST"])
@page("staff.write")
def edit_staff(staff_id):
    """Change a staff member, their role, sign-in name or password."""
    person = Staff.get_or_none(Staff.id == staff_id) or abort(404)
    if request.method == "GET":
        return _person_page(Form(_values(person), "person"), person)
    form = Form.posted(request, "person")
    data = _read(form, person)
    if data.get("role") == person.role:
        data.pop("role")  # unchanged: no permission check, no audit entry
    if form.ok:
        try:
            staff_service.update_staff(g.actor, person.id, data)
        except ServiceError as exc:
            _staff_error(form, exc)
            person = Staff.get_by_id(staff_id)
    if not form.ok:
        return _person_page(form, person, 422)
    flash(_("%(name)s saved.", name=data["first_name"]) + (" " + _("The new password is in force.")
                                                           if data.get("password") else ""), "success")
    return redirect(url_for(".staff", inactive=None if person.active else "1", _anchor=f"p-{person.id}"))


@bp.post("/catalogue/staff/<staff_id>/active")
@page("staff.write")
def staff_active(staff_id):
    """Switch a staff member off (sign-in ends, never deleted) or back on."""
    person = Staff.get_or_none(Staff.id == staff_id) or abort(404)
    active = request.form.get("active") == "1"
    if not active and person.id == g.actor.id:
        flash(_("You cannot switch yourself off."), "error")
        return redirect(url_for(".edit_staff", staff_id=person.id))
    if _protected(person):
        abort(403)
    set_active(staff_service.update_staff, g.actor, person.id, active, person.first_name, BookingItem.master)
    return redirect(url_for(".staff", inactive=None if active else "1", _anchor=f"p-{person.id}"))


# skills --------------------------------------------------------------------------------------------

def _skill_rows(person: Staff) -> tuple[list, dict]:
    """(category path, [service, ...]) for active services and any the master already performs."""
    have = {s.service_id: s for s in StaffService.select().where(
        (StaffService.staff == person.id) & (StaffService.active == True))}  # noqa: E712
    services = defaultdict(list)
    for s in Service.select().order_by(Service.sort_order, Service.name):
        if s.active or s.id in have:
            services[s.category_id].append(s)
    groups = [(path, services[c.id]) for c, _depth, path in category_tree() if services.get(c.id)]
    return groups, have


def _skill_values(have: dict) -> dict:
    currency = g.salon_ctx.currency
    values = {}
    for service_id, skill in have.items():
        values.update({f"s-{service_id}-on": "1",
                       f"s-{service_id}-duration": str(skill.duration_min or ""),
                       f"s-{service_id}-price": money_value(skill.price, currency),
                       f"s-{service_id}-price_max": money_value(skill.price_max, currency)})
    return values


def _read_skills(form: Form, groups: list) -> tuple[list, dict]:
    currency = g.salon_ctx.currency
    skills, names = [], {}
    for _path, services in groups:
        for service in services:
            key = f"s-{service.id}"
            if not form.flag(f"{key}-on"):
                continue
            price = form.money(f"{key}-price", currency, required=False)
            price_max = form.money(f"{key}-price_max", currency, required=False)
            if price_max is not None and price_max < (price if price is not None else service.price):
                form.error(f"{key}-price_max", _("The upper price must not be below the price."))
            names[len(skills)] = key
            skills.append({"service_id": service.id, "duration_min": form.integer(f"{key}-duration", 5, 720,
                                                                                  required=False),
                           "price": price, "price_max": price_max})
    return skills, names


@bp.route("/catalogue/staff/<staff_id>/skills", methods=["GET", "POST"])
@page("staff.write")
def skills(staff_id):
    """Which services a master performs, with their own duration and price where they differ."""
    person = Staff.get_or_none(Staff.id == staff_id) or abort(404)
    groups, have = _skill_rows(person)
    if request.method == "GET":
        form = Form(_skill_values(have), "skills")
    else:
        form = Form.posted(request, "skills")
        wanted, names = _read_skills(form, groups)
        if form.ok:
            try:
                staff_service.set_skills(g.actor, person.id, wanted)
                flash(ngettext("Skills of %(name)s saved: %(num)d service.",
                               "Skills of %(name)s saved: %(num)d services.", len(wanted), name=person.first_name),
                      "success")
                return redirect(url_for(".skills", staff_id=person.id))
            except ServiceError as exc:
                fields = {f"skills.{i}.{part}": f"{key}-{target}" for i, key in names.items()
                          for part, target in (("price", "price"), ("price_max", "price_max"),
                                               ("duration_min", "duration"), ("service_id", "on"))}
                form.service_error(exc, fields)
    return render_page("catalogue/skills.html", 200 if form.ok else 422, person=person, groups=groups, form=form,
                       plain=lambda amount: money_value(amount, g.salon_ctx.currency),
                       count=sum(1 for key in form.values if key.endswith("-on") and form.flag(key)))
