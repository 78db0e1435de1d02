"""The fiscal crash window (PO2): what is about to go to a fiscal register is recorded before it goes.

A receipt is booked by the register and the sale committed by the box: two
systems, one of which may die between the two. So before the register is
called, an intent is committed on its own — sale, register, attempt, the
register's last document number then, and the tenders sent — and the sale's
own commit marks it ``done``. An intent still ``open`` afterwards means the
box does not know whether the register issued the receipt; it is settled by
asking the register (``appliance.services.checkout.settle_intents``) before
the next receipt, X or Z report on that register and before the sale is
paid or changed again. Box-local: intents never leave the box.
"""
from decimal import Decimal

from appliance.domain.checkout import Tender
from appliance.services.errors import Conflict
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.cash import FiscalIntent
from hardware.fiscal import FiscalError

OPEN = "open"


def open_intents(register_id: str | None = None, sale_id: str | None = None) -> list[FiscalIntent]:
    """Open intents, oldest first: of a register, of a sale, or all."""
    query = FiscalIntent.select().where(FiscalIntent.state == OPEN).order_by(FiscalIntent.id)
    if register_id:
        query = query.where(FiscalIntent.register == register_id)
    if sale_id:
        query = query.where(FiscalIntent.sale == sale_id)
    return list(query)


def pending_for_sale(sale_id: str) -> bool:
    """True while the register may hold a receipt of this sale the box has not recorded."""
    return FiscalIntent.select().where((FiscalIntent.sale == sale_id) & (FiscalIntent.state == OPEN)).exists()


def tenders_data(tenders) -> list[dict]:
    """Tenders as the intent keeps them."""
    return [{"method": t.method, "amount": str(t.amount), "tendered": None if t.tendered is None else str(t.tendered),
             "reference": t.reference} for t in tenders]


def tenders_of(intent: FiscalIntent) -> tuple[Tender, ...]:
    """The tenders the register was sent."""
    return tuple(Tender(t["method"], Decimal(t["amount"]), None if t["tendered"] is None else Decimal(t["tendered"]),
                        t["reference"]) for t in intent.tenders)


def document_before(register_id: str, device) -> int | None:
    """The register's last document number, read once nothing else may move it (None: it keeps none).

    Conflict(code="fiscal_pending") while the register has an open intent,
    Conflict(code="fiscal_failed") when it cannot be reached.
    """
    if open_intents(register_id):
        raise Conflict("the fiscal register is busy with another receipt; try again", code="fiscal_pending")
    try:
        return device.last_document()
    except FiscalError as exc:
        raise Conflict(f"the fiscal register cannot be reached: {exc}", code="fiscal_failed") from None


def begin(actor_id: str | None, sale_id: str, register_id: str, shift_id: str, tenders, total: Decimal,
          document_before: int, kind: str = "sale", detail: dict | None = None) -> FiscalIntent:
    """Record the intent (call inside a write transaction that commits before the register is called).

    Conflict(code="fiscal_pending") if the register already has an open one:
    its document counter must not move for anything else until that is settled.
    """
    if open_intents(register_id):
        raise Conflict("the fiscal register is busy with another receipt; try again", code="fiscal_pending")
    attempt = 1 + FiscalIntent.select().where(FiscalIntent.sale == sale_id).count()
    return FiscalIntent.create(sale=sale_id, register=register_id, shift=shift_id, attempt=attempt, kind=kind,
                               document_before=document_before, tenders=tenders_data(tenders), total=total,
                               started_by=actor_id, detail=detail)


def finish(intent_id: int, state: str, document: str = "", note: str = "", detail: dict | None = None) -> bool:
    """Close an open intent (in the caller's transaction); False if it was no longer open."""
    values = dict(state=state, document=document, note=note, finished_at=utc_now())
    if detail is not None:
        values["detail"] = detail
    return bool(FiscalIntent.update(**values)
                .where((FiscalIntent.id == intent_id) & (FiscalIntent.state == OPEN)).execute())


def cancel(intent_id: int, note: str) -> None:
    """The register was never called for it: close the intent in a transaction of its own."""
    with write_transaction():
        finish(intent_id, "cancelled", note=note[:500])
