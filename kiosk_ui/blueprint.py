"""The kiosk's blueprint: pages under /kiosk with their own templates and static files."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk", template_folder="templates",
               static_folder="static", static_url_path="/static")
