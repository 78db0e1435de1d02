"""Server-side form handling for the administrator's pages.

A ``Form`` keeps exactly what the user typed (so a page shown again after an
error loses nothing) and collects one error message per field, in the
user's language. Parsers return the clean value or None after noting the
error; a view checks ``form.ok`` before calling a use case.
"""
import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from appliance.domain.money import CURRENCY_EXPONENT
from appliance.services.auth import MIN_PASSWORD_LENGTH
from appliance.services.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError

FORM = "_form"  # errors that belong to no single field
TIME_RE = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
MAX_MONEY = Decimal(999_999_999_999)
# Reasons the use cases give, in the user's language (anything else is shown as given).
_REASONS = {
    "is taken": _l("This sign-in name is already taken."),
    "is required to set a password": _l("Set a sign-in name to give this person a password."),
    "must mix letters with digits or symbols": _l("Mix letters with digits or symbols."),
    "must not be below price": _l("The upper price must not be below the price."),
    "a category cannot be its own parent": _l("A category cannot be inside itself."),
    "intervals of one day overlap": _l("The intervals overlap."),
    "is before date_from": _l("The end date is before the start date."),
    "is before valid_from": _l("The end date is before the start date."),
    "amount must not be negative": _l("Enter an amount that is not negative."),
}


class Form:
    """What the user sent, and what is wrong with it."""

    def __init__(self, values=None, key: str = "f"):
        self.values = dict(values or {})
        self.errors: dict[str, str] = {}
        self.key = key  # tells apart the ids of several forms on one page

    @classmethod
    def posted(cls, request, key: str = "f") -> "Form":
        """The submitted form; checkboxes sent several times keep every value."""
        values = {}
        for name in request.form:
            items = request.form.getlist(name)
            values[name] = items if len(items) > 1 else items[0]
        values.pop("csrf_token", None)
        return cls(values, key)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def first_error(self) -> str | None:
        """The field to put the cursor in (and scroll to) when the page comes back with errors."""
        return next((name for name in self.errors if name in self.values), None)

    def raw(self, name: str) -> str:
        value = self.values.get(name, "")
        if isinstance(value, list):
            value = value[-1] if value else ""
        return str(value).strip()

    def error(self, name: str, message) -> None:
        """Note an error on ``name`` (the first one per field is shown)."""
        self.errors.setdefault(name, str(message))

    # parsers -------------------------------------------------------------------------------------

    def text(self, name: str, required: bool = True, max_length: int = 200) -> str:
        value = self.raw(name)
        if required and not value:
            self.error(name, _("Fill this in."))
        elif len(value) > max_length:
            self.error(name, _("At most %(n)d characters.", n=max_length))
        return value

    def flag(self, name: str) -> bool:
        return self.raw(name) in ("1", "on", "true", "yes")

    def choice(self, name: str, options, required: bool = True) -> str | None:
        value = self.raw(name)
        if not value:
            if required:
                self.error(name, _("Choose one."))
            return None
        if value not in options:
            self.error(name, _("Choose one of the offered values."))
            return None
        return value

    def integer(self, name: str, low: int, high: int, required: bool = True) -> int | None:
        value = self.raw(name)
        if not value:
            if required:
                self.error(name, _("Fill this in."))
            return None
        if not re.fullmatch(r"[0-9]+", value):
            self.error(name, _("Enter a whole number."))
            return None
        number = int(value)
        if not low <= number <= high:
            self.error(name, _("Enter a number from %(low)d to %(high)d.", low=low, high=high))
            return None
        return number

    def money(self, name: str, currency: str, required: bool = True) -> Decimal | None:
        value = self.raw(name)
        if not value:
            if required:
                self.error(name, _("Enter a price."))
            return None
        amount, message = parse_money(value, currency)
        if message:
            self.error(name, message)
        return amount

    def day(self, name: str, required: bool = True) -> date | None:
        value = self.raw(name)
        if not value:
            if required:
                self.error(name, _("Enter a date."))
            return None
        try:
            day = date.fromisoformat(value) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else None
        except ValueError:
            day = None
        if day is None or not date(2000, 1, 1) <= day <= date(2199, 12, 31):
            self.error(name, _("Enter a date like 2026-03-08."))
            return None
        return day

    def clock(self, name: str, required: bool = True) -> int | None:
        """A wall-clock time as minutes since midnight."""
        value = self.raw(name)
        if not value:
            if required:
                self.error(name, _("Enter a time."))
            return None
        match = TIME_RE.match(value)
        if not match:
            self.error(name, _("Enter a time like 09:30."))
            return None
        return int(match.group(1)) * 60 + int(match.group(2))

    # use-case errors -----------------------------------------------------------------------------

    def service_error(self, exc: ServiceError, fields: dict | None = None) -> None:
        """Show a use case's refusal next to the field it names (``fields`` maps its names to ours)."""
        fields = fields or {}
        if isinstance(exc, InvalidInput):
            for field, reason in exc.fields:
                target = fields.get(field, field)
                self.error(target if target in self.values or target in fields.values() else FORM,
                           reason_text(reason))
        elif isinstance(exc, NotFound) and exc.field:
            self.error(fields.get(exc.field, FORM), _("It no longer exists; reload the page."))
        elif isinstance(exc, Forbidden):
            self.error(FORM, _("You may not do this."))
        elif isinstance(exc, Conflict):
            self.error(FORM, exc.message)
        else:
            self.error(FORM, exc.message)


def reason_text(reason: str) -> str:
    """A use case's reason in the user's language where it is a known one."""
    if reason in _REASONS:
        return str(_REASONS[reason])
    if reason.startswith("must be at least") and "characters" in reason:
        return _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if "decimal places" in reason:
        return _("Too many digits after the decimal point.")
    if reason.endswith("is inactive"):
        return _("It is inactive; choose an active one.")
    if reason.startswith("is more than is left of the tip"):
        return _("That is more than is left of the tip.")
    return reason


def parse_money(text: str, currency: str) -> tuple[Decimal | None, str | None]:
    """An amount typed by a person: spaces group digits; a comma or a point marks the fraction.

    In a currency without fractions (UZS) "150,000" and "150.000" are
    grouped thousands, never 150.
    """
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", text)
    digits = CURRENCY_EXPONENT.get(currency, 2)
    if digits == 0 and re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", cleaned):
        return None, _("Enter a number, like 150000 or 99.50.")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None, _("Enter a number, like 150000 or 99.50.")
    if amount > MAX_MONEY:
        return None, _("The amount is too large.")
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        if digits == 0:
            return None, _("Prices in %(currency)s are whole numbers.", currency=currency)
        return None, _("At most %(n)d digits after the decimal point.", n=digits)
    return amount, None


def money_value(amount: Decimal | None, currency: str) -> str:
    """An amount as a form field shows it (no grouping, the currency's decimals)."""
    if amount is None:
        return ""
    digits = CURRENCY_EXPONENT.get(currency, 2)
    return f"{amount:.{digits}f}"


def clock_text(minutes: int) -> str:
    """Minutes since midnight as HH:MM (1440 is midnight at the end of the day)."""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def period_form(args, today: date, max_days: int, too_long: str) -> tuple[date, date, Form]:
    """The period a report's picker asks for (this month up to today by default), kept within
    ``max_days``; errors (``too_long`` for a period that is too long) are shown on the picker."""
    form = Form(args, key="period")
    first = form.day("date_from", required=False) or today.replace(day=1)
    last = form.day("date_to", required=False) or max(today, first)
    if last < first:
        form.error("date_to", _("The end date is before the start date."))
        last = first
    if (last - first).days >= max_days:
        form.error("date_to", too_long)
        last = first + timedelta(days=max_days - 1)
    return first, last, form
