"""Languages of the head-office pages (ru, uz Latin, en) and locale-aware formatting (PL5).

Times are stored in UTC and shown in the viewer's own zone (their profile's
``timezone``, UTC unless they chose one); pages label which zone it is.
Money is shown with the salon's currency and that currency's own decimals.
"""
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal
from flask import g, request, session
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cloud.services.money import exponent
from cloud.services.users import LANGUAGES

LANGUAGE_NAMES = {"ru": "Русский", "uz": "Oʻzbekcha", "en": "English"}
ROLE_NAMES = {"owner": _l("Owner"), "head_office": _l("Head office"), "accountant": _l("Accountant")}
ACTION_NAMES = {
    "user.created": _l("User added"), "user.role_changed": _l("Role changed"),
    "user.activated": _l("User made active"), "user.deactivated": _l("User deactivated"),
    "user.password_set": _l("Password set"), "box.registered": _l("Box registered"),
    "box.reactivated": _l("Box registered again"), "box.revoked": _l("Box revoked"),
    "conflict.resolved": _l("Conflict marked resolved"), "service.created": _l("Service added"),
    "service.changed": _l("Service changed"), "service.price_changed": _l("Service price changed"),
    "staff.changed": _l("Person changed"), "staff.role_changed": _l("Staff role changed"),
}
# What a synced or audited row is, for the problem and audit pages (an entity not listed shows its own name).
ENTITY_NAMES = {
    "service": _l("Service"), "service_category": _l("Category"), "staff": _l("Staff member"),
    "client": _l("Client"), "booking": _l("Booking"), "salon": _l("Salon"), "box": _l("Box"),
    "head_office_user": _l("User"), "sync_conflict": _l("Conflict"),
}
STAFF_ROLE_NAMES = {"owner": _l("Salon owner"), "manager": _l("Manager"), "administrator": _l("Administrator"),
                    "master": _l("Master")}


def select_locale() -> str:
    """The signed-in user's language, else the one chosen this session, else the browser's."""
    user = getattr(g, "user", None)
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    if session.get("locale") in LANGUAGES:
        return session["locale"]
    return request.accept_languages.best_match(LANGUAGES) or "ru"


def viewer_zone() -> str:
    """The zone times are shown in: the user's own, or UTC."""
    user = getattr(g, "user", None)
    return user.timezone if user is not None and user.timezone else "UTC"


def init_babel(app) -> None:
    """Attach Flask-Babel and the template helpers."""
    Babel(app, locale_selector=select_locale, timezone_selector=viewer_zone,
          default_translation_directories=str(Path(__file__).with_name("translations")))
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, LANGUAGE_NAMES=LANGUAGE_NAMES, get_locale=get_locale,
                                 viewer_zone=viewer_zone, role_names=ROLE_NAMES, staff_role_names=STAFF_ROLE_NAMES,
                                 action_names=ACTION_NAMES, entity_names=ENTITY_NAMES)
    app.jinja_env.filters.update(money=money, moment=moment, number=number, span=span, json_text=json_text,
                                 short_id=short_id)


def _locale() -> Locale:
    return Locale.parse(select_locale())


def money(amount: Decimal | None, currency: str) -> str:
    """An amount with the currency, grouped, with the currency's own decimals ("150 000 UZS")."""
    if amount is None:
        return ""
    digits = exponent(currency)
    if digits is None:
        return format_decimal(amount, locale=_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0¤"
    return format_currency(amount, currency, format=pattern, locale=_locale(), currency_digits=False)


def number(value) -> str:
    """A plain number for the interface language (grouped thousands)."""
    return format_decimal(value, locale=_locale())


def moment(value: datetime | None) -> str:
    """Date and time of an instant in the viewer's zone; empty when there is none."""
    if value is None:
        return ""
    return format_datetime(value, format="short", tzinfo=ZoneInfo(viewer_zone()), locale=_locale())


def short_id(value) -> str:
    """The tail of a UUIDv7: its head is a timestamp, the same for rows made in one millisecond."""
    text = str(value or "")
    return text if len(text) <= 10 else "…" + text[-8:]


def json_text(value) -> str:
    """A JSON value as readable text (letters of every alphabet as they are, not escaped)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def span(seconds: float | None) -> str:
    """A length of time, roughly: "45 s", "12 min", "3 h 5 min", "2 d 4 h"."""
    if not seconds or seconds < 1:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return _("%(n)d s", n=seconds)
    if seconds < 3600:
        return _("%(n)d min", n=seconds // 60)
    if seconds < 86400:
        return _("%(h)d h %(m)d min", h=seconds // 3600, m=seconds % 3600 // 60)
    return _("%(d)d d %(h)d h", d=seconds // 86400, h=seconds % 86400 // 3600)
