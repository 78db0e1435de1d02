"""The fleet of boxes, the salons they serve, and what sync set aside: dead letters and conflicts (CO1, CO6, SY3, SY4)."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cloud.services import fleet_admin, problems, salons
from cloud.services.errors import NotFound, Refused, ServiceError
from cloud.web.forms import Form, reason_text
from cloud.web.session_auth import page

bp = Blueprint("web_fleet", __name__)
PAGE_SIZE = 50  # dead letters or conflicts per page


def _fleet_page(form: Form, status: int = 200):
    rows = fleet_admin.fleet_rows()
    return render_template("fleet.html", rows=rows, summary=fleet_admin.summary(rows), form=form,
                           salon_choices=[(p.id, p.name or p.id) for p in salons.all_profiles()]), status


@bp.get("/fleet")
@page("fleet.view")
def fleet():
    """Every box: link state, version, streams, last seen, errors; the owner registers and revokes boxes here."""
    return _fleet_page(Form())


@bp.post("/fleet/register")
@page("fleet.manage")
def register():
    """Register a box by its id and a name (optionally the salon it will serve)."""
    form = Form.posted(request)
    try:
        box = fleet_admin.register(g.user, form.values)
    except ServiceError as exc:
        form.refused(exc)
        return _fleet_page(form, 422)
    flash(_("Box %(name)s is registered. Provision its broker account to let it connect.", name=box.name),
          "success")
    return redirect(url_for("web_fleet.fleet"))


@bp.route("/fleet/<box_id>/revoke", methods=["GET", "POST"])
@page("fleet.manage")
def revoke(box_id: str):
    """Ask, then revoke a box: the cloud refuses its messages from then on."""
    try:
        box = fleet_admin.get_box(box_id)
    except NotFound:
        abort(404)
    if request.method == "POST":
        try:
            fleet_admin.revoke(g.user, box_id)
        except Refused as exc:
            flash(reason_text(exc.reason), "error")
            return redirect(url_for("web_fleet.fleet"))
        flash(_("Box %(name)s is revoked.", name=box.name), "success")
        return redirect(url_for("web_fleet.fleet"))
    return render_template("revoke.html", box=box)


@bp.get("/salons")
@page("salons.view")
def salon_list():
    """Every salon of the business with its boxes and how much master data the cloud holds for it."""
    return render_template("salons.html", entries=salons.salons_with_boxes(fleet_admin.fleet_rows()),
                           unassigned=salons.unassigned_boxes())


def _page_number(name: str) -> int:
    value = request.args.get(name, "1")
    return max(1, min(int(value), 100_000)) if value.isdigit() else 1


@bp.get("/problems")
@page("problems.view")
def problem_list():
    """Dead letters (newest first) and the conflicts nobody has looked at yet."""
    letters_page, conflicts_page = _page_number("letters"), _page_number("conflicts")
    letters, letters_total = problems.dead_letters(PAGE_SIZE, (letters_page - 1) * PAGE_SIZE)
    conflicts, conflicts_total = problems.open_conflicts(PAGE_SIZE, (conflicts_page - 1) * PAGE_SIZE)
    return render_template("problems.html", letters=letters, letters_total=letters_total, letters_page=letters_page,
                           conflicts=conflicts, conflicts_total=conflicts_total, conflicts_page=conflicts_page,
                           page_size=PAGE_SIZE, salon_names={p.id: p.name for p in salons.all_profiles()})


@bp.post("/problems/conflicts/<int:conflict_id>/resolve")
@page("problems.resolve")
def resolve(conflict_id: int):
    """Mark one conflict resolved: someone has looked at it and settled the value (audited)."""
    try:
        conflict, changed = problems.resolve_conflict(g.user, conflict_id)
    except NotFound:
        abort(404)
    if changed:
        flash(_("The conflict on %(field)s is marked resolved.", field=conflict.field), "success")
    else:
        flash(_("This conflict was marked resolved already."), "info")
    return redirect(url_for("web_fleet.problem_list") + "#conflicts")
