"""The cash register (PO2, PO4): registers and their fiscal driver, shifts, cash in and out, X and Z reports."""
from flask import Blueprint

from appliance.api.framework import endpoint
from appliance.api.schemas import checkout as schema
from appliance.api.schemas.common import Page
from appliance.api.views import local
from appliance.domain.report_layout import cash_in_drawer
from appliance.services import cash, shift_reports
from appliance.services.context import SalonContext
from appliance.services.errors import NotFound
from appliance.storage.models.cash import CashMovement, CashShift

bp = Blueprint("cash", __name__)


def register_out(register) -> schema.RegisterOut:
    """A register's settings and counters (never its operator password)."""
    return schema.RegisterOut(**{f: getattr(register, f) for f in schema.RegisterOut.model_fields})


def shift_out(shift: CashShift) -> schema.ShiftOut:
    """A shift with its cash movements; times in the salon's zone."""
    ctx = SalonContext.load()
    shift = CashShift.get_by_id(shift.id)
    moves = CashMovement.select().where(CashMovement.shift == shift.id).order_by(CashMovement.created_at)
    data = {f: getattr(shift, f) for f in schema.ShiftOut.model_fields if f not in ("movements",)}
    data.update(opened_at=local(shift.opened_at, ctx), closed_at=local(shift.closed_at, ctx))
    return schema.ShiftOut(**data, movements=[schema.MovementOut(
        id=m.id, kind=m.kind, amount=m.amount, item=m.item, note=m.note, created_at=local(m.created_at, ctx))
        for m in moves])


def report_out(report) -> schema.ReportOut:
    """An X or Z report's figures."""
    return schema.ReportOut(
        kind=report.kind, shift_number=report.shift_number, sales_count=report.sales_count,
        returns_count=report.returns_count, opening_cash=report.opening_cash, cash_in=report.cash_in,
        cash_out=report.cash_out, tips=report.tips, cash_in_drawer=cash_in_drawer(report),
        by_method=[schema.MethodOut(method=m.method, sales=m.sales, returns=m.returns) for m in report.by_method])


@endpoint(bp, "GET", "/cash-registers", summary="The salon's cash registers", permission="cash.manage",
          response=Page[schema.RegisterOut])
def list_registers(actor):
    items = [register_out(r) for r in cash.registers(include_inactive=True)]
    return Page[schema.RegisterOut](items=items, total=len(items))


@endpoint(bp, "POST", "/cash-registers", summary="Add a register with its fiscal driver", permission="devices.manage",
          body=schema.RegisterIn, response=schema.RegisterOut, status=201)
def add_register(actor, body):
    return register_out(cash.save_register(actor, body.model_dump()))


@endpoint(bp, "PATCH", "/cash-registers/<register_id>", summary="Change a register's settings (its fiscal driver)",
          permission="devices.manage", body=schema.RegisterPatch, response=schema.RegisterOut)
def update_register(actor, register_id, body):
    return register_out(cash.save_register(actor, body.changes(), register_id))


@endpoint(bp, "POST", "/shifts", summary="Open a shift with the float in the drawer", permission="cash.manage",
          body=schema.ShiftIn, response=schema.ShiftOut, status=201, conflicts=True)
def open_shift(actor, body):
    return shift_out(cash.open_shift(actor, body.register_id, body.opening_cash))


@endpoint(bp, "GET", "/shifts/current", summary="The open shift (of a register, or the only one open)",
          permission="cash.manage", query=schema.ShiftQuery, response=schema.ShiftOut, extra_errors=(404,))
def current_shift(actor, query):
    shift = cash.current_shift(query.register_id)
    if shift is None:
        raise NotFound("cash_shift", "current")
    return shift_out(shift)


@endpoint(bp, "GET", "/shifts/<shift_id>", summary="A shift with its cash movements (and Z figures once closed)",
          permission="cash.manage", response=schema.ShiftOut)
def get_shift(actor, shift_id):
    return shift_out(cash.shift_by_id(shift_id))


@endpoint(bp, "POST", "/shifts/<shift_id>/cash-movements", summary="Cash in or out with its income or expense item",
          permission="cash.manage", body=schema.MovementIn, response=schema.ShiftOut, status=201, conflicts=True)
def move_cash(actor, shift_id, body):
    cash.shift_by_id(shift_id)
    cash.move_cash(actor, shift_id, body.kind, body.amount, body.item, body.note)
    return shift_out(cash.shift_by_id(shift_id))


@endpoint(bp, "POST", "/shifts/<shift_id>/x-report", summary="Print the X report (the shift stays open)",
          permission="cash.manage", body=schema.LanguageIn, response=schema.ReportOut, conflicts=True)
def x_report(actor, shift_id, body):
    return report_out(shift_reports.x_report(actor, shift_id, body.language))


@endpoint(bp, "POST", "/shifts/<shift_id>/close", summary="Close the shift with the Z report (printed; final)",
          permission="cash.manage", body=schema.LanguageIn, response=schema.ReportOut, conflicts=True)
def close_shift(actor, shift_id, body):
    return report_out(shift_reports.close_shift(actor, shift_id, body.language))
