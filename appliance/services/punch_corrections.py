"""The administrator's corrections of the time clock (ST4): add a missing punch, void a wrong one, move one.

Nothing is deleted or overwritten: a wrong punch is voided (with the reason,
who and when) and a moved one is voided and replaced by a new punch that
points back at it. Every correction needs a reason and goes to the audit log.
An administrator's own punches are corrected by a manager or the owner.
"""
from datetime import datetime, timedelta

from peewee import fn

from appliance.domain.permissions import ADMINISTRATOR
from appliance.domain.time_clock import KINDS
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, Forbidden, InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.database import write_transaction
from appliance.storage.models.base import AuditLog, utc_now
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.time_clock import TimePunch

CORRECTION = "correction"
MAX_REASON = 500
CLOCK_SKEW = timedelta(minutes=5)  # a punch "now" typed on a slightly fast clock is not the future
ACTIONS = ("timeclock.punch_added", "timeclock.punch_voided", "timeclock.punch_moved")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "say why the punches are corrected")
    if len(reason) > MAX_REASON:
        raise InvalidInput("reason", f"at most {MAX_REASON} characters")
    return reason


def _check_time(at: datetime) -> None:
    if at.tzinfo is None:
        raise InvalidInput("at", "must be an instant (with its offset)")
    if at > utc_now() + CLOCK_SKEW:
        raise InvalidInput("at", "is in the future")


def _check_actor(actor: Actor, staff_id: str) -> None:
    if actor.kind == "staff" and actor.id == staff_id and actor.role == ADMINISTRATOR:
        raise Forbidden("an administrator's own punches are corrected by a manager or the owner")


def _details(punch: TimePunch, ctx: SalonContext, **more) -> dict:
    local = punch.at.astimezone(ctx.tz)
    return {"staff_id": punch.staff_id, "day": local.date().isoformat(), "kind": punch.kind,
            "at": punch.at.isoformat(), **more}


def add_punch(actor: Actor, staff_id: str, at: datetime, kind: str, reason: str) -> TimePunch:
    """Add a clock-in or clock-out someone forgot to tap."""
    reason = _reason(reason)
    if kind not in KINDS:
        raise InvalidInput("kind", "must be in or out")
    _check_time(at)
    fetch(Staff, staff_id, field="staff_id")
    _check_actor(actor, staff_id)
    ctx = SalonContext.load()
    with write_transaction():
        punch = TimePunch.create(staff=staff_id, at=at, kind=kind, source=CORRECTION, note=reason,
                                 created_by=actor.id)
        audit(actor, "timeclock.punch_added", "time_punch", punch.id, _details(punch, ctx), note=reason)
    return punch


def _voidable(actor: Actor, punch_id: str) -> TimePunch:
    punch = fetch(TimePunch, punch_id)
    _check_actor(actor, punch.staff_id)
    if punch.voided:
        raise Conflict("the punch is already voided", code="already_voided")
    return punch


def _void(actor: Actor, punch: TimePunch, reason: str) -> None:
    punch.voided, punch.void_reason, punch.voided_by, punch.voided_at = True, reason, actor.id, utc_now()
    punch.save()


def void_punch(actor: Actor, punch_id: str, reason: str) -> TimePunch:
    """Void a wrong punch (a tap by mistake, someone else's card): it stays, struck out, with the reason."""
    reason = _reason(reason)
    ctx = SalonContext.load()
    with write_transaction():
        punch = _voidable(actor, punch_id)
        _void(actor, punch, reason)
        audit(actor, "timeclock.punch_voided", "time_punch", punch.id, _details(punch, ctx), note=reason)
    return punch


def move_punch(actor: Actor, punch_id: str, at: datetime, reason: str) -> TimePunch:
    """Change a punch's time: the old one is voided, a new one of the same kind replaces it; returns the new one."""
    reason = _reason(reason)
    _check_time(at)
    ctx = SalonContext.load()
    with write_transaction():
        old = _voidable(actor, punch_id)
        _void(actor, old, reason)
        new = TimePunch.create(staff=old.staff_id, at=at, kind=old.kind, source=CORRECTION, note=reason,
                               created_by=actor.id, replaces=old.id, card=old.card_id, reader=old.reader)
        audit(actor, "timeclock.punch_moved", "time_punch", new.id,
              _details(new, ctx, replaces=old.id, from_at=old.at.isoformat(),
                       from_day=old.at.astimezone(ctx.tz).date().isoformat()), note=reason)
    return new


def punches_between(start: datetime, end: datetime, staff_ids=None, include_voided: bool = True) -> list[TimePunch]:
    """Punches with start <= at < end, in time order; of some staff members if ``staff_ids`` is given."""
    query = TimePunch.select().where((TimePunch.at >= start) & (TimePunch.at < end))
    if staff_ids is not None:
        query = query.where(TimePunch.staff.in_(list(staff_ids)))
    if not include_voided:
        query = query.where(TimePunch.voided == False)  # noqa: E712
    return list(query.order_by(TimePunch.at, TimePunch.created_at))


def corrections_log(staff_id: str, day) -> list[AuditLog]:
    """The corrections made to one person's punches of one (local) day, newest first."""
    rows = (AuditLog.select().where(AuditLog.action.in_(ACTIONS) & (AuditLog.entity == "time_punch")
                                    & (fn.json_extract(AuditLog.details, "$.staff_id") == staff_id))
            .order_by(AuditLog.id.desc()))
    wanted = day.isoformat()
    return [r for r in rows if wanted in (r.details.get("day"), r.details.get("from_day"))]
