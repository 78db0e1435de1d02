"""Forms on the head-office pages: keep what was typed, show each refusal next to its field, in the user's language.

The use cases (cloud.services) refuse with reason codes; ``REASONS`` turns
each into a sentence. A page shown again after an error loses nothing.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cloud.services.errors import InvalidInput, NotFound, Refused, ServiceError

FORM = "_form"  # errors that belong to no single field

REASONS = {
    "required": _l("Fill this in."),
    "required_price": _l("Enter a price."),
    "too_long": _l("At most %(n)d characters."),
    "choose": _l("Choose one of the offered values."),
    "whole_number": _l("Enter a whole number."),
    "number_range": _l("Enter a number from %(low)d to %(high)d."),
    "not_a_number": _l("Enter a number, like 150000 or 99.50."),
    "too_large": _l("The amount is too large."),
    "whole_amounts": _l("Prices in %(currency)s are whole numbers."),
    "too_many_places": _l("At most %(n)d digits after the decimal point."),
    "below_price": _l("The upper price must not be below the price."),
    "currency_unknown": _l("The salon's currency is not known yet: wait until its box has synced."),
    "unknown_category": _l("Choose one of the salon's active categories."),
    "username_format": _l("3 to 64 characters: Latin letters, digits, dot, dash or underscore."),
    "username_taken": _l("This sign-in name is already taken."),
    "password_too_short": _l("Use at least %(n)d characters."),
    "password_needs_mix": _l("Mix letters with digits or symbols."),
    "password_wrong": _l("This is not your current password."),
    "passwords_differ": _l("The two passwords differ."),
    "unknown_zone": _l("Choose a time zone from the list, like Asia/Tashkent."),
    "box_id_format": _l("A box id is a UUID, like 0192f1c4-7b1e-7cc0-9b55-2a4e1d3f6a10."),
    "box_registered": _l("A box with this id is registered already."),
    "box_revoked": _l("This box is revoked already."),
    "box_other_salon": _l("This box already serves another salon."),
    "last_owner": _l("The business needs at least one active owner."),
    "changed_meanwhile": _l("Someone changed this row while you were editing it. The form now shows what you "
                            "typed; check it against the saved values and save again."),
}


def reason_text(reason: str, params: dict | None = None) -> str:
    """A reason code in the user's language (an unknown code is shown as it is)."""
    text = REASONS.get(reason)
    return str(text) % params if text is not None and params else str(text or reason)


class Form:
    """What the user sent, and what is wrong with it."""

    def __init__(self, values: dict | None = None):
        self.values = {k: v for k, v in (values or {}).items() if k != "csrf_token"}
        self.errors: dict[str, str] = {}

    @classmethod
    def posted(cls, request) -> "Form":
        """The submitted form (one value per name)."""
        return cls(request.form.to_dict())

    @property
    def ok(self) -> bool:
        """True while no error was noted."""
        return not self.errors

    @property
    def first_error(self) -> str | None:
        """The field to put the cursor in when the page comes back with errors."""
        return next((name for name in self.errors if name != FORM), None)

    def raw(self, name: str) -> str:
        """The text as typed (stripped)."""
        return str(self.values.get(name, "")).strip()

    def flag(self, name: str) -> bool:
        """A checkbox."""
        return self.raw(name) in ("1", "on", "true", "yes")

    def error(self, name: str, message) -> None:
        """Note an error on ``name`` (the first one per field is shown)."""
        self.errors.setdefault(name, str(message))

    def refused(self, exc: ServiceError) -> None:
        """Show a use case's refusal next to the field it names, or above the form."""
        if isinstance(exc, InvalidInput):
            for name, (reason, params) in exc.fields.items():
                self.error(name, reason_text(reason, params))
        elif isinstance(exc, Refused):
            self.error(exc.field or FORM, reason_text(exc.reason))
        elif isinstance(exc, NotFound):
            self.error(FORM, _("It no longer exists; reload the page."))
        else:
            self.error(FORM, exc.message)
