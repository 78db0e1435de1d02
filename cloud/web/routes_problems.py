"""Sync problems: dead letters and open conflicts, with "mark resolved" (SY3, SY4)."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cloud.services import problems, salons
from cloud.services.errors import NotFound
from cloud.web.session_auth import page

bp = Blueprint("web_problems", __name__)
PAGE_SIZE = 50


def _page_number(name: str) -> int:
    value = request.args.get(name, "1")
    return max(1, min(int(value), 100_000)) if value.isdigit() else 1


@bp.get("/problems")
@page("problems.view")
def index():
    """Dead letters (newest first) and the conflicts nobody has looked at yet."""
    letters_page, conflicts_page = _page_number("letters"), _page_number("conflicts")
    letters, letters_total = problems.dead_letters(PAGE_SIZE, (letters_page - 1) * PAGE_SIZE)
    conflicts, conflicts_total = problems.open_conflicts(PAGE_SIZE, (conflicts_page - 1) * PAGE_SIZE)
    names = {p.id: p.name for p in salons.all_profiles()}
    return render_template("problems.html", letters=letters, letters_total=letters_total, letters_page=letters_page,
                           conflicts=conflicts, conflicts_total=conflicts_total, conflicts_page=conflicts_page,
                           page_size=PAGE_SIZE, salon_names=names)


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
    return redirect(url_for("web_problems.index") + "#conflicts")
