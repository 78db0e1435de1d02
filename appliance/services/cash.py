"""Cash registers and their shifts (PO2, PO4): open with a float, cash in and out, close by the Z report.

A closed shift is immutable: every write that names a shift checks, under
the write lock, that it is still open (``open_shift_for_update``), and the
shift row itself refuses to be saved again once closed (see ``_guard``).
An administrator works on the shifts they opened; managers and owners on any.
"""
import re
from decimal import Decimal

from appliance.domain.checkout import CheckoutError
from appliance.domain.money import MoneyError, check_money
from appliance.domain.permissions import ADMINISTRATOR
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from appliance.services.lookup import fetch
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.cash import FISCAL_DRIVERS, MOVEMENT_KINDS, CashMovement, CashRegister, CashShift
from hardware.fiscal import FiscalDevice, FiscalError, FiscalStatus, open_device

REGISTER_FIELDS = {"name", "driver", "address", "operator_password", "active"}
ADDRESS_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?:([0-9]{1,5})")
CASH_ITEMS = ("collection", "change_fund", "supplies", "salary_advance", "rent", "other_expense", "other_income")


def money(amount: Decimal, ctx: SalonContext, field: str) -> Decimal:
    """``amount`` if it is exact money of the salon's currency; InvalidInput naming ``field`` otherwise."""
    try:
        return check_money(amount, ctx.currency)
    except MoneyError as exc:
        raise InvalidInput(field, str(exc)) from None


def checkout_error(exc: CheckoutError) -> InvalidInput:
    """A domain refusal as the 422 of a use case."""
    return InvalidInput(exc.field, exc.reason)


def _clean_register(data: dict) -> dict:
    unknown = set(data) - REGISTER_FIELDS
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "unknown field")
    if "name" in data and not (data["name"] or "").strip():
        raise InvalidInput("name", "is required")
    if "driver" in data and data["driver"] not in FISCAL_DRIVERS:
        raise InvalidInput("driver", f"must be one of {', '.join(FISCAL_DRIVERS)}")
    if "address" in data:
        data["address"] = (data["address"] or "").strip()
        if data["address"] and not valid_address(data["address"]):
            raise InvalidInput("address", "must be host:port")
    if "operator_password" in data and not 0 <= int(data["operator_password"]) <= 99999999:
        raise InvalidInput("operator_password", "must be from 0 to 99999999")
    return data


def valid_address(address: str) -> bool:
    """``host:port`` of a fiscal register on the network: a host name or IPv4 address and a port 1-65535."""
    match = ADDRESS_RE.fullmatch(address)
    return bool(match) and 1 <= int(match.group(1)) <= 65535


def save_register(actor: Actor, data: dict, register_id: str | None = None) -> CashRegister:
    """Add a register or change its settings (the fiscal driver among them); audited."""
    data = _clean_register(dict(data))
    with write_transaction():
        if register_id is None:
            register = CashRegister.create(**{"name": "", **data})
        else:
            register = fetch(CashRegister, register_id)
            if data.get("active") is False and register.active and CashShift.select().where(
                    (CashShift.register == register.id) & (CashShift.status == "open")).exists():
                raise Conflict("this register has an open shift: close it with the Z report first",
                               code="shift_open")
            for name, value in data.items():
                setattr(register, name, value)
            register.save()
        if register.driver != "non_fiscal" and not register.address:
            raise InvalidInput("address", "a fiscal register needs its host:port")
        audit(actor, "cash_register.saved", "cash_register", register.id,
              {k: str(v) for k, v in data.items() if k != "operator_password"})
    return register


def registers(include_inactive: bool = False) -> list[CashRegister]:
    """The salon's registers, oldest first; one non-fiscal register is made on first use."""
    if not CashRegister.select().exists():
        with write_transaction():
            if not CashRegister.select().exists():
                CashRegister.create(name="1")
    query = CashRegister.select().order_by(CashRegister.created_at)
    return list(query if include_inactive else query.where(CashRegister.active == True))  # noqa: E712


def check_register(register_id: str) -> FiscalStatus:
    """Ask the register's fiscal device how it is (the answer, or why it cannot be asked)."""
    register = fetch(CashRegister, register_id)
    try:
        return device_of(register).status()
    except FiscalError as exc:
        return FiscalStatus.failed(exc)


def device_of(register: CashRegister) -> FiscalDevice:
    """The register's fiscal device, by its driver setting."""
    return open_device(register.driver, register.address, register.operator_password)


def current_shift(register_id: str | None = None) -> CashShift | None:
    """The open shift of the register (or of any register when only one is open)."""
    query = CashShift.select().where(CashShift.status == "open").order_by(CashShift.opened_at)
    if register_id:
        query = query.where(CashShift.register == register_id)
    shifts = list(query.limit(2))
    return shifts[0] if len(shifts) == 1 else None


def may_work_on(actor: Actor, shift: CashShift) -> None:
    """An administrator works on their own shift only."""
    if actor.role == ADMINISTRATOR and shift.opened_by_id != actor.id:
        raise Forbidden("an administrator works on the shift they opened")


def open_shift_for_update(actor: Actor, shift_id: str, field: str | None = None) -> CashShift:
    """The shift, re-read inside the caller's write transaction; Conflict once it is closed."""
    shift = fetch(CashShift, shift_id, field=field)
    if shift.status != "open":
        raise Conflict(f"shift {shift.number} is closed; nothing in it can change", code="shift_closed")
    may_work_on(actor, shift)
    return shift


def open_shift(actor: Actor, register_id: str, opening_cash: Decimal) -> CashShift:
    """Open the register's next shift with the float in the drawer; Conflict if one is open."""
    ctx = SalonContext.load()
    opening_cash = money(opening_cash, ctx, "opening_cash")
    if actor.kind != "staff":
        raise Forbidden("a shift is opened by a person")
    with write_transaction():
        register = fetch(CashRegister, register_id, field="register_id", active_only=True)
        if CashShift.select().where((CashShift.register == register.id) & (CashShift.status == "open")).exists():
            raise Conflict("this register already has an open shift", code="shift_open")
        register.last_shift_number += 1
        register.save()
        shift = CashShift.create(register=register.id, number=register.last_shift_number, opened_at=utc_now(),
                                 opened_by=actor.id, opening_cash=opening_cash)
        audit(actor, "shift.opened", "cash_shift", shift.id, {"opening_cash": str(opening_cash)})
    return shift


def move_cash(actor: Actor, shift_id: str, kind: str, amount: Decimal, item: str, note: str = "") -> CashMovement:
    """Put cash into the drawer or take it out, with its income or expense item (audited)."""
    ctx = SalonContext.load()
    if kind not in MOVEMENT_KINDS:
        raise InvalidInput("kind", f"must be one of {', '.join(MOVEMENT_KINDS)}")
    if money(amount, ctx, "amount") <= 0:
        raise InvalidInput("amount", "must be more than zero")
    if item not in CASH_ITEMS:
        raise InvalidInput("item", f"must be one of {', '.join(CASH_ITEMS)}")
    with write_transaction():
        shift = open_shift_for_update(actor, shift_id)
        row = CashMovement.create(shift=shift.id, kind=kind, amount=amount, item=item, note=note.strip(),
                                  created_by=actor.id)
        audit(actor, f"cash.{kind}", "cash_shift", shift.id, {"amount": str(amount), "item": item}, note or None)
    return row


def shift_by_id(shift_id: str) -> CashShift:
    """A shift by id (404 if unknown)."""
    if not isinstance(shift_id, str):
        raise NotFound("cash_shift", str(shift_id))
    return fetch(CashShift, shift_id)
