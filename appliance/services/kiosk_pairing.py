"""Pairing a kiosk screen with the box: a one-time code typed on the kiosk itself (KI4).

The administrator enrols a kiosk and asks for a code; the kiosk's screen shows a
keypad, the code is typed there, and the kiosk gets its own device token in a
cookie. No token is ever copied by hand or put in a URL.
"""
import hashlib
import secrets
from datetime import timedelta

from appliance.services.audit import audit
from appliance.services.auth import IssuedToken
from appliance.services.context import Actor
from appliance.services.errors import InvalidInput, NotFound
from appliance.storage.database import database
from appliance.storage.models.access import ApiToken, Device
from appliance.storage.models.base import utc_now

CODE_TTL = timedelta(minutes=10)
# Every wrong code counts against every open code: ten guesses in all, out of a million.
MAX_FAILURES = 10


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def start_pairing(actor: Actor, device_id: str) -> str:
    """A fresh six-digit code that pairs the kiosk ``device_id`` for the next ten minutes."""
    device = Device.get_or_none((Device.id == device_id) & (Device.active == True))  # noqa: E712
    if device is None:
        raise NotFound("device", device_id)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with database.atomic():
        device.pairing_hash = _hash(code)
        device.pairing_expires_at = utc_now() + CODE_TTL
        device.pairing_failures = 0
        device.save()
        audit(actor, "device.pairing_started", "device", device.id)
    return code


def pair(code: str) -> tuple[Device, IssuedToken]:
    """Exchange a pairing code for the kiosk's own token; a wrong or old code is refused."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        raise InvalidInput("code", "a pairing code has six digits")
    now = utc_now()
    with database.atomic():
        open_codes = Device.select().where(Device.pairing_hash.is_null(False) & (Device.active == True)  # noqa: E712
                                           & (Device.pairing_expires_at > now))
        device = next((d for d in open_codes if secrets.compare_digest(d.pairing_hash, _hash(code))), None)
        if device is None:
            _count_failure(now)  # committed: the refusal below must not roll it back
        else:
            token = _issue(device)
    if device is None:
        raise InvalidInput("code", "this code is wrong or has expired; ask the administrator for a new one")
    return device, token


def _issue(device: Device) -> IssuedToken:
    token = secrets.token_urlsafe(32)
    ApiToken.create(token_hash=hashlib.sha256(token.encode()).hexdigest(), device=device, expires_at=None)
    device.pairing_hash = None
    device.pairing_expires_at = None
    device.save()
    audit(Actor("device", device.id, "kiosk"), "device.paired", "device", device.id)
    return IssuedToken(token, None)


def _count_failure(now) -> None:
    (Device.update(pairing_failures=Device.pairing_failures + 1)
     .where(Device.pairing_hash.is_null(False) & (Device.pairing_expires_at > now)).execute())
    (Device.update(pairing_hash=None, pairing_expires_at=None)
     .where(Device.pairing_failures >= MAX_FAILURES).execute())


def set_reader(actor: Actor, device_id: str, reader: str) -> Device:
    """Bind a kiosk to the card reader beside it ("" = taps on any reader)."""
    device = Device.get_or_none(Device.id == device_id)
    if device is None:
        raise NotFound("device", device_id)
    reader = reader.strip()
    if len(reader) > 200:
        raise InvalidInput("reader", "at most 200 characters")
    with database.atomic():
        old, device.reader = device.reader, reader
        device.save()
        audit(actor, "device.reader_set", "device", device.id, {"reader": [old, reader]})
    return device
