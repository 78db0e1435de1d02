"""Languages (ru, uz Latin, en) and locale-aware formatting of dates, times and money (PL5)."""
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_decimal
from flask import g, request, session
from flask_babel import Babel, get_locale

from appliance.domain.money import CURRENCY_EXPONENT

LANGUAGES = ("ru", "uz", "en")
LANGUAGE_NAMES = {"ru": "Русский", "uz": "Oʻzbekcha", "en": "English"}


def select_locale() -> str:
    """The signed-in user's language, else the one chosen this session, else the browser's."""
    staff = getattr(g, "staff", None)
    if staff is not None and staff.locale in LANGUAGES:
        return staff.locale
    if session.get("locale") in LANGUAGES:
        return session["locale"]
    return request.accept_languages.best_match(LANGUAGES) or "ru"


def select_timezone() -> str | None:
    """Times are shown in the salon's zone, whatever the browser's."""
    ctx = getattr(g, "salon_ctx", None)
    return ctx.salon.timezone if ctx else None


def init_babel(app, more_translations: tuple[Path, ...] = ()) -> None:
    """Attach Flask-Babel and the template helpers; ``more_translations`` adds catalogues (the kiosk's)."""
    directories = (Path(__file__).with_name("translations"), *more_translations)
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone,
          default_translation_directories=";".join(str(d) for d in directories))
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, LANGUAGE_NAMES=LANGUAGE_NAMES, get_locale=get_locale)
    app.jinja_env.filters.update(money=money, day=day_text, clock=clock_text, moment=moment_text)
    app.jinja_env.globals["first_weekday"] = first_weekday


def _locale() -> Locale:
    return Locale.parse(select_locale())


def first_weekday() -> int:
    """0 = Monday ... 6 = Sunday, per the interface language (CLDR)."""
    return _locale().first_week_day


def money(amount: Decimal | None, currency: str) -> str:
    """An amount with the currency, grouped and with the currency's own decimals."""
    if amount is None:
        return ""
    digits = CURRENCY_EXPONENT.get(currency, 2)
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0¤"
    return format_currency(amount, currency, format=pattern, locale=_locale(), currency_digits=False)


def number(value) -> str:
    """A plain number formatted for the interface language."""
    return format_decimal(value, locale=_locale())


def day_text(value, fmt: str = "medium") -> str:
    """A date (or the salon-local date of an instant) in the interface language."""
    return format_date(value, format=fmt, locale=_locale())


def clock_text(value, tz=None) -> str:
    """Hours and minutes of an instant, in the salon's zone."""
    return format_time(value, format="HH:mm", tzinfo=tz, locale=_locale())


def moment_text(value, tz=None) -> str:
    """Date and time of an instant, in the salon's zone."""
    return format_datetime(value, format="short", tzinfo=tz, locale=_locale())
