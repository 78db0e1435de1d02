"""Phone numbers normalised to E.164 with Google's libphonenumber rules."""
import phonenumbers


class PhoneError(ValueError):
    """A phone number that cannot be a real one."""


def normalise_phone(raw: str, default_region: str) -> str:
    """Return ``raw`` as E.164 (+998901234567), reading local formats by ``default_region``."""
    try:
        parsed = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(f"not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneError("not a valid phone number for its country")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def digits_of(fragment: str) -> str:
    """Only the digits of a typed search fragment ("90 123-45" -> "9012345")."""
    return "".join(ch for ch in fragment if ch.isdigit())


def mask_phone(e164: str) -> str:
    """Hide all but the last four digits, for roles that may not see contacts."""
    return e164[:4] + "*" * max(len(e164) - 8, 0) + e164[-4:] if len(e164) > 8 else "****"
