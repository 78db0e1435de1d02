"""Sign-in with argon2 password hashes, and bearer tokens for staff and devices."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from appliance.domain.permissions import KIOSK, STAFF_ROLES
from appliance.services.audit import audit
from appliance.services.context import Actor
from appliance.services.errors import InvalidInput, NotFound, Unauthorized
from appliance.storage.database import database
from appliance.storage.models.access import ApiToken, Device
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Staff

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
# A hash to verify against when the user does not exist, so that timing
# does not reveal which usernames are real.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` after checking the password policy."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if password.isdigit() or password.isalpha():
        raise InvalidInput("password", "must mix letters with digits or symbols")
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new bearer token; the clear text exists only in this object."""

    token: str
    expires_at: object


def login(username: str, password: str, ttl: timedelta) -> tuple[Staff, IssuedToken]:
    """Check a staff member's password and issue a token valid for ``ttl``."""
    staff = Staff.get_or_none((Staff.username == username) & (Staff.active == True))  # noqa: E712
    try:
        _hasher.verify(staff.password_hash if staff and staff.password_hash else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise Unauthorized("wrong username or password") from None
    if staff is None or not staff.password_hash:
        raise Unauthorized("wrong username or password")
    return staff, issue_token(staff, ttl)


def issue_token(staff: Staff, ttl: timedelta) -> IssuedToken:
    """A new bearer token for a staff member, valid for ``ttl``."""
    token = secrets.token_urlsafe(32)
    expires_at = utc_now() + ttl
    ApiToken.create(token_hash=_token_hash(token), staff=staff, expires_at=expires_at)
    return IssuedToken(token, expires_at)


def logout(token: str) -> None:
    """Revoke a token."""
    ApiToken.update(revoked=True).where(ApiToken.token_hash == _token_hash(token)).execute()


# The token with its staff member or device in one statement: every API call signs in this way, and
# under steady booking each separate read found another worker's commit and re-read its pages.
_TOKEN_WITH_HOLDER = (
    f"SELECT t.revoked, t.expires_at, t.staff_id, s.active, s.role, t.device_id, d.active "
    f"FROM {ApiToken._meta.table_name} t "
    f"LEFT JOIN {Staff._meta.table_name} s ON s.id = t.staff_id "
    f"LEFT JOIN {Device._meta.table_name} d ON d.id = t.device_id WHERE t.token_hash = ?")


def actor_for_token(token: str) -> Actor:
    """The actor a bearer token stands for; Unauthorized if it is unknown, expired or revoked."""
    row = database.execute_sql(_TOKEN_WITH_HOLDER, [_token_hash(token)]).fetchone()
    if row is None:
        raise Unauthorized("invalid or expired token")
    revoked, expires_at, staff_id, staff_active, role, device_id, device_active = row
    expires_at = ApiToken.expires_at.python_value(expires_at)
    if revoked or (expires_at is not None and expires_at <= utc_now()):
        raise Unauthorized("invalid or expired token")
    if staff_id is not None:
        if not staff_active or role not in STAFF_ROLES:
            raise Unauthorized("the staff member is inactive")
        return Actor("staff", staff_id, role)
    if not device_active:
        raise Unauthorized("the device is revoked")
    return Actor("device", device_id, KIOSK)


def enrol_device(actor: Actor, name: str) -> tuple[Device, str]:
    """Register a kiosk and return it with its token (shown once, stored hashed)."""
    token = secrets.token_urlsafe(32)
    with database.atomic():
        device = Device.create(name=name)
        ApiToken.create(token_hash=_token_hash(token), device=device, expires_at=None)
        audit(actor, "device.enrolled", "device", device.id, {"name": name})
    return device, token


def revoke_device(actor: Actor, device_id: str) -> Device:
    """Cut a device off: its tokens stop working at once."""
    device = Device.get_or_none(Device.id == device_id)
    if device is None:
        raise NotFound("device", device_id)
    with database.atomic():
        device.active = False
        device.save()
        ApiToken.update(revoked=True).where(ApiToken.device == device).execute()
        audit(actor, "device.revoked", "device", device.id)
    return device
