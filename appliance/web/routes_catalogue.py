"""Catalogue pages for a salon without head office: services, categories, rooms, equipment, staff."""
from flask import Blueprint, render_template

from appliance.web.session_auth import page

bp = Blueprint("web_catalogue", __name__)


@bp.get("/catalogue/services")
@page("catalogue.write")
def services():
    """The service list (being built)."""
    return render_template("catalogue/services.html")
