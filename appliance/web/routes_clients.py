"""Client pages: list with search and filters, the client card, duplicates and merge."""
from flask import Blueprint, render_template

from appliance.web.session_auth import page

bp = Blueprint("web_clients", __name__)


@bp.get("/clients")
@page("clients.read")
def index():
    """The client list (being built)."""
    return render_template("clients/index.html")
