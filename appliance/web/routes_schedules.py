"""Staff schedules: the month planner per master (ST2)."""
from flask import Blueprint, render_template

from appliance.web.session_auth import page

bp = Blueprint("web_schedules", __name__)


@bp.get("/schedules")
@page("schedules.read")
def month():
    """The month planner (being built)."""
    return render_template("schedules/month.html")
