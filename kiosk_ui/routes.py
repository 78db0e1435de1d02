"""The kiosk blueprint with all its pages, for the box's app factory to register."""
from pathlib import Path

from kiosk_ui import routes_check_in, routes_start, routes_taps, routes_walk_in  # noqa: F401  (they add routes)
from kiosk_ui.blueprint import bp

KIOSK_TRANSLATIONS = Path(__file__).with_name("translations")

__all__ = ["bp", "KIOSK_TRANSLATIONS"]
