"""Head-office users: accounts, roles, passwords (argon2id), language and time zone (PL1, PL2, PL5).

Every change of a role, of the active flag or of a password is audited. A
user is deactivated, never deleted; the last active owner can be neither
demoted nor deactivated, so the business never locks itself out.
"""
import re
from functools import lru_cache
from zoneinfo import available_timezones

import uuid6
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from cloud.services.access import OWNER, ROLES, audit
from cloud.services.errors import Errors, NotFound, Refused
from cloud.storage.database import database
from cloud.storage.models import utc_now
from cloud.storage.users import HeadOfficeUser, WebSession

LANGUAGES = ("ru", "uz", "en")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")

_hasher = PasswordHasher()
# Verified against when the name is unknown, so the time taken does not tell which names exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password-1")


@lru_cache(maxsize=1)
def time_zones() -> frozenset:
    """IANA zone names a user may choose."""
    return frozenset(available_timezones())


def password_problem(password: str) -> tuple[str, dict] | None:
    """Why ``password`` breaks the policy (reason code, parameters), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_too_short", {"n": MIN_PASSWORD_LENGTH}
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long", {"n": MAX_PASSWORD_LENGTH}
    if password.isdigit() or password.isalpha():
        return "password_needs_mix", {}
    return None


def _check_profile(errors: Errors, values: dict) -> None:
    full_name = values.get("full_name", "")
    if len(full_name) > 200:
        errors.add("full_name", "too_long", n=200)
    if values.get("role") not in ROLES:
        errors.add("role", "choose")
    if values.get("locale") not in LANGUAGES:
        errors.add("locale", "choose")
    if values.get("timezone") not in time_zones():
        errors.add("timezone", "unknown_zone")


def create_user(actor: HeadOfficeUser | None, values: dict) -> HeadOfficeUser:
    """A new user from ``username``, ``full_name``, ``role``, ``password``, ``locale``, ``timezone``."""
    values = {"full_name": "", "locale": "ru", "timezone": "UTC", **values}
    username = str(values.get("username", "")).strip().lower()
    errors = Errors()
    if not USERNAME_RE.fullmatch(username):
        errors.add("username", "username_format")
    elif HeadOfficeUser.select().where(HeadOfficeUser.username == username).exists():
        errors.add("username", "username_taken")
    _check_profile(errors, values)
    problem = password_problem(str(values.get("password", "")))
    if problem:
        errors.add("password", problem[0], **problem[1])
    errors.raise_if_any()
    now = utc_now()
    with database.atomic():
        user = HeadOfficeUser.create(id=str(uuid6.uuid7()), username=username, full_name=values["full_name"].strip(),
                                     role=values["role"], password_hash=_hasher.hash(values["password"]),
                                     locale=values["locale"], timezone=values["timezone"], password_changed_at=now)
        audit(actor, "user.created", "head_office_user", user.id,
                     {"username": username, "role": user.role})
    return user


def get_user(user_id: str) -> HeadOfficeUser:
    """The user with this id; NotFound otherwise."""
    user = HeadOfficeUser.get_or_none(HeadOfficeUser.id == user_id)
    if user is None:
        raise NotFound("no such user")
    return user


def list_users() -> list[HeadOfficeUser]:
    """Every user, active ones first, by name."""
    return list(HeadOfficeUser.select().order_by(HeadOfficeUser.active.desc(), HeadOfficeUser.username))


def _other_active_owners(user_id: str) -> int:
    return HeadOfficeUser.select().where((HeadOfficeUser.role == OWNER) & HeadOfficeUser.active
                                         & (HeadOfficeUser.id != user_id)).count()


def update_user(actor: HeadOfficeUser | None, user_id: str, values: dict) -> HeadOfficeUser:
    """Change ``full_name``, ``role``, ``locale``, ``timezone`` and ``active``; role and active changes are audited."""
    with database.atomic():
        user = HeadOfficeUser.select().where(HeadOfficeUser.id == user_id).for_update().first()
        if user is None:
            raise NotFound("no such user")
        values = {"full_name": user.full_name, "role": user.role, "locale": user.locale,
                  "timezone": user.timezone, "active": user.active, **values}
        errors = Errors()
        _check_profile(errors, values)
        errors.raise_if_any()
        active = bool(values["active"])
        losing_owner = user.role == OWNER and user.active and (values["role"] != OWNER or not active)
        if losing_owner and _other_active_owners(user.id) == 0:
            raise Refused("last_owner", "role" if values["role"] != OWNER else "active")
        before = {"role": user.role, "active": user.active}
        user.full_name, user.role = values["full_name"].strip(), values["role"]
        user.locale, user.timezone, user.active = values["locale"], values["timezone"], active
        user.updated_at = utc_now()
        user.save()
        if before["role"] != user.role:
            audit(actor, "user.role_changed", "head_office_user", user.id,
                         {"username": user.username, "from": before["role"], "to": user.role})
        if before["active"] != user.active:
            audit(actor, "user.activated" if active else "user.deactivated", "head_office_user", user.id,
                         {"username": user.username})
            if not active:
                end_sessions_of(user.id, "deactivated")
    return user


def set_password(actor: HeadOfficeUser | None, user_id: str, password: str, keep_session: str | None = None):
    """A new password; every other session of the user ends (``keep_session``: the token hash to keep)."""
    problem = password_problem(password)
    if problem:
        errors = Errors()
        errors.add("password", problem[0], **problem[1])
        errors.raise_if_any()
    with database.atomic():
        user = get_user(user_id)
        user.password_hash, user.password_changed_at = _hasher.hash(password), utc_now()
        user.updated_at = user.password_changed_at
        user.save()
        end_sessions_of(user.id, "password", except_hash=keep_session)
        audit(actor, "user.password_set", "head_office_user", user.id,
                     {"username": user.username, "own": actor is not None and actor.id == user.id})
    return user


def check_password(user: HeadOfficeUser, password: str) -> bool:
    """Whether ``password`` is the user's (for a change of one's own password)."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(username: str, password: str) -> HeadOfficeUser | None:
    """The active user with this name and password, or None; the hash is renewed if its parameters are old."""
    user = HeadOfficeUser.get_or_none(HeadOfficeUser.username == username.strip().lower())
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        user.save()
    return user


def set_own_preferences(user: HeadOfficeUser, locale: str | None = None, timezone: str | None = None) -> None:
    """One's own language or time zone (not audited: neither is a permission)."""
    errors = Errors()
    if locale is not None and locale not in LANGUAGES:
        errors.add("locale", "choose")
    if timezone is not None and timezone not in time_zones():
        errors.add("timezone", "unknown_zone")
    errors.raise_if_any()
    user.locale = locale or user.locale
    user.timezone = timezone or user.timezone
    HeadOfficeUser.update(locale=user.locale, timezone=user.timezone).where(HeadOfficeUser.id == user.id).execute()


def end_sessions_of(user_id: str, reason: str, except_hash: str | None = None) -> int:
    """End every open session of a user; how many were open."""
    query = WebSession.update(ended_at=utc_now(), end_reason=reason).where(
        (WebSession.user == user_id) & WebSession.ended_at.is_null())
    if except_hash:
        query = query.where(WebSession.token_hash != except_hash)
    return query.execute()
