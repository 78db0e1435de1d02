"""Web sessions of head-office users: idle timeout and a longest lifetime, enforced on the server (PL2).

The browser's cookie carries a random token; the database keeps only its
SHA-256, so sign-out, a password change or deactivating a user ends a
session at once, whatever copy of the cookie is still around.
"""
import hashlib
import secrets
from datetime import timedelta

from cloud.storage.database import database
from cloud.storage.models import utc_now
from cloud.storage.users import HeadOfficeUser, WebSession

# Rows of sessions that ended longer ago than this are pruned at sign-in (they matter to nobody).
KEEP_ENDED = timedelta(days=30)
# last_seen_at is written at most this often: one UPDATE per page view buys nothing.
TOUCH_EVERY = timedelta(seconds=30)


def token_hash(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: HeadOfficeUser) -> str:
    """A new session for a user who has just proved their password; the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with database.atomic():
        WebSession.create(token_hash=token_hash(token), user=user.id, created_at=now, last_seen_at=now)
        HeadOfficeUser.update(last_sign_in_at=now).where(HeadOfficeUser.id == user.id).execute()
        WebSession.delete().where(WebSession.ended_at < now - KEEP_ENDED).execute()
    return token


def resume_session(token: str, idle: timedelta, lifetime: timedelta) -> tuple[HeadOfficeUser | None, str | None]:
    """The user of a session still valid, or (None, why: unknown, ended, idle, lifetime, inactive)."""
    row = WebSession.get_or_none(WebSession.token_hash == token_hash(token))
    if row is None:
        return None, "unknown"
    if row.ended_at is not None:
        return None, "ended"
    now = utc_now()
    reason = "idle" if now - row.last_seen_at > idle else "lifetime" if now - row.created_at > lifetime else None
    user = HeadOfficeUser.get_or_none(HeadOfficeUser.id == row.user_id)
    if reason is None and (user is None or not user.active):
        reason = "inactive"
    if reason:
        _end(row.token_hash, reason)
        return None, reason
    if now - row.last_seen_at > TOUCH_EVERY:
        WebSession.update(last_seen_at=now).where(WebSession.token_hash == row.token_hash).execute()
    return user, None


def end_session(token: str) -> None:
    """Sign out: the session cannot be used again."""
    _end(token_hash(token), "signed_out")


def _end(hashed: str, reason: str) -> None:
    WebSession.update(ended_at=utc_now(), end_reason=reason).where(
        (WebSession.token_hash == hashed) & WebSession.ended_at.is_null()).execute()
