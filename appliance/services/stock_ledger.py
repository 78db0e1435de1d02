"""Posting stock: documents, their movements, lots and the on-hand table, in one transaction.

Every function here runs inside the caller's ``write_transaction()`` (BEGIN
IMMEDIATE): the negative-stock check reads the on-hand row and writes the
new figure with no other process able to write in between, so two checkouts
of the last unit leave a consistent count.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from appliance.domain.money import MoneyError, check_money
from appliance.domain.stock_rules import draw_from_lots
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.storage.models.base import utc_now
from appliance.storage.models.stock import Product, Warehouse
from appliance.storage.models.stock_ledger import StockBalance, StockDocument, StockLot, StockMovement

DEFAULT_NAMES = {"retail": "Retail shelf", "materials": "Materials"}


def default_warehouse(purpose: str) -> Warehouse:
    """The salon's default retail or materials warehouse, created on first use (call in a write transaction)."""
    found = (Warehouse.select().where((Warehouse.purpose == purpose) & (Warehouse.is_default == True)  # noqa: E712
                                      & (Warehouse.active == True)).order_by(Warehouse.created_at).first())  # noqa: E712
    return found or Warehouse.create(name=DEFAULT_NAMES[purpose], purpose=purpose, is_default=True)


def ensure_warehouses() -> None:
    """Both default warehouses exist (call in a write transaction)."""
    for purpose in DEFAULT_NAMES:
        default_warehouse(purpose)


def warehouse_or_default(warehouse_id: str | None, purpose: str, field: str = "warehouse_id") -> Warehouse:
    """The active warehouse ``warehouse_id``, or the default one for ``purpose`` when None."""
    if warehouse_id is None:
        return default_warehouse(purpose)
    found = Warehouse.get_or_none(Warehouse.id == warehouse_id)
    if found is None or not found.active:
        raise InvalidInput(field, f"no active warehouse with id {warehouse_id}")
    return found


def checked_money(amount, field: str, currency: str) -> Decimal | None:
    """An amount typed for stock (a price, a cost, a payment), exact to the currency or 422 naming ``field``."""
    if amount is None:
        return None
    try:
        return check_money(Decimal(amount), currency)
    except MoneyError as exc:
        raise InvalidInput(field, str(exc)) from None


def negative_allowed() -> bool:
    """The salon lets stock fall below zero (flagged) instead of refusing."""
    return SalonContext.load().salon.negative_stock == "allow"


@dataclass(frozen=True)
class Context:
    """Who and what a movement was for (reports by master, client, service, visit, sale)."""

    master_id: str | None = None
    client_id: str | None = None
    service_id: str | None = None
    booking_id: str | None = None
    sale_id: str | None = None


def open_document(actor: Actor, kind: str, warehouse: Warehouse, **fields) -> StockDocument:
    """A new posted document; its movements follow with ``move``."""
    staff = actor.id if actor.kind == "staff" else None
    return StockDocument.create(kind=kind, warehouse=warehouse.id, posted_at=utc_now(), created_by=staff,
                                posted_by=staff, **fields)


def balance(warehouse_id: str, product_id: str) -> Decimal:
    """On-hand of a product in a warehouse now."""
    row = StockBalance.get_or_none((StockBalance.warehouse == warehouse_id) & (StockBalance.product == product_id))
    return row.quantity if row else Decimal(0)


def _add_balance(warehouse_id: str, product_id: str, quantity: Decimal) -> Decimal:
    row = StockBalance.get_or_none((StockBalance.warehouse == warehouse_id) & (StockBalance.product == product_id))
    if row is None:
        row = StockBalance.create(warehouse=warehouse_id, product=product_id, quantity=Decimal(0))
    new = row.quantity + quantity
    StockBalance.update(quantity=new).where(StockBalance.id == row.id).execute()
    return new


def _insufficient(product: Product, warehouse: Warehouse, on_hand: Decimal, wanted: Decimal) -> Conflict:
    return Conflict(f"not enough {product.name} in {warehouse.name}: {on_hand} {product.unit} on hand, "
                    f"{wanted} wanted", code="insufficient_stock",
                    conflicts=[{"resource": "product", "resource_id": product.id, "resource_name": product.name,
                                "warehouse_id": warehouse.id, "on_hand": str(on_hand), "wanted": str(wanted),
                                "reason": "insufficient_stock"}])


def _lots_of(product: Product, warehouse: Warehouse):
    lots = (StockLot.select().where((StockLot.product == product.id) & (StockLot.warehouse == warehouse.id)
                                    & (StockLot.remaining > 0))
            .order_by(StockLot.expires_on.is_null(), StockLot.expires_on, StockLot.received_at))
    return [(lot, lot.remaining) for lot in lots]


def _movement(doc, product, warehouse, quantity, unit_cost, lot, context, norm=None) -> StockMovement:
    return StockMovement.create(document=doc.id, product=product.id, warehouse=warehouse.id, quantity=quantity,
                                pack_size=product.pack_size, unit_cost=unit_cost, norm=norm, at=doc.posted_at,
                                lot=lot.id if lot else None, master_id=context.master_id,
                                client_id=context.client_id, service_id=context.service_id,
                                booking_id=context.booking_id, sale_id=context.sale_id)


def take(doc: StockDocument, warehouse: Warehouse, product: Product, quantity: Decimal, *,
         context: Context = Context(), unit_cost=None, norm=None, force: bool = False) -> list[StockMovement]:
    """Write ``quantity`` (base units, > 0) out of ``warehouse``: from lots first-expiring-first.

    Refuses with Conflict(insufficient_stock) when stock would fall below
    zero and neither the salon's setting nor ``force`` allows it; when it is
    allowed the document is flagged ``went_negative``.
    """
    after = _add_balance(warehouse.id, product.id, -quantity)
    if after < 0:
        if not (force or negative_allowed()):
            raise _insufficient(product, warehouse, after + quantity, quantity)
        if not doc.went_negative:
            doc.went_negative = True
            doc.save()
    cost = product.cost_price if unit_cost is None else unit_cost
    parts = (draw_from_lots(_lots_of(product, warehouse), quantity) if product.track_expiry else []) or [(None, quantity)]
    moves = []
    for index, (lot, part) in enumerate(parts):
        if lot is not None:  # through save(): lots sync, so each change goes to the change log
            lot.remaining -= part
            lot.save()
        # The norm belongs to the whole line: it stays on the first part only, so sums stay right.
        moves.append(_movement(doc, product, warehouse, -part, cost, lot, context, norm if index == 0 else None))
    return moves


def put(doc: StockDocument, warehouse: Warehouse, product: Product, quantity: Decimal, *,
        context: Context = Context(), unit_cost=None, lot_code: str = "", expires_on: date | None = None,
        lot: StockLot | None = None) -> StockMovement:
    """Write ``quantity`` (base units, > 0) into ``warehouse``; a lot is kept for expiry-tracked products."""
    _add_balance(warehouse.id, product.id, quantity)
    if lot is None and product.track_expiry and (lot_code or expires_on):
        lot = _lot_for(product, warehouse, lot_code, expires_on)
    if lot is not None:
        lot = StockLot.get_by_id(lot.id)
        lot.remaining += quantity
        lot.save()
    return _movement(doc, product, warehouse, quantity, product.cost_price if unit_cost is None else unit_cost,
                     lot, context)


def _lot_for(product, warehouse, code: str, expires_on: date | None) -> StockLot:
    found = StockLot.get_or_none((StockLot.product == product.id) & (StockLot.warehouse == warehouse.id)
                                 & (StockLot.code == code) & (StockLot.expires_on == expires_on)
                                 if expires_on else
                                 (StockLot.product == product.id) & (StockLot.warehouse == warehouse.id)
                                 & (StockLot.code == code) & StockLot.expires_on.is_null())
    return found or StockLot.create(product=product.id, warehouse=warehouse.id, code=code, expires_on=expires_on,
                                    remaining=Decimal(0))


def record(actor: Actor, doc: StockDocument, lines: list[tuple[Product, Decimal]]) -> None:
    """The audit entry of a posted document: what moved, signed, in base units."""
    audit(actor, f"stock.{doc.kind}", "stock_document", doc.id,
          {"warehouse_id": doc.warehouse_id, "to_warehouse_id": doc.to_warehouse_id,
           "lines": [{"product_id": p.id, "quantity": str(q)} for p, q in lines],
           "went_negative": doc.went_negative}, note=doc.reason or None)
