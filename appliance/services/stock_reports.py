"""Stock reports (IN7, IN8) as plain rows: on hand, low stock, expiry, turnover, consumption, overuse.

Sums run in SQL over the integer thousandths the ledger stores, so they are
exact; each row says its unit. Periods are [start, end) instants in UTC.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from peewee import Case, fn

from appliance.domain.stock_rules import is_low, to_packs
from appliance.storage.fields import QuantityField
from appliance.storage.models.stock import Product, Supplier, SupplierPayment, Warehouse
from appliance.storage.models.stock_ledger import StockBalance, StockDocument, StockLot, StockMovement

_Q = QuantityField()
CONSUMPTION = ("consumption", "consumption_undo")


def _qty(value) -> Decimal:
    return _Q.python_value(int(value or 0))


@dataclass(frozen=True)
class OnHandRow:
    """A product in a warehouse now; ``packs`` is the same quantity in pieces."""

    product_id: str
    product: str
    sku: str
    barcode: str
    unit: str
    warehouse_id: str
    warehouse: str
    quantity: Decimal
    packs: Decimal
    low_stock_level: Decimal | None
    low: bool
    negative: bool


def on_hand(warehouse_id: str | None = None, text: str = "") -> list[OnHandRow]:
    """Every active product with stock (or matching its warehouse's purpose) per warehouse, by name."""
    warehouses = [w for w in Warehouse.select().where(Warehouse.active == True)  # noqa: E712
                  if warehouse_id in (None, w.id)]
    held = {(b.warehouse_id, b.product_id): b.quantity for b in StockBalance.select()}
    products = list(Product.select().where(Product.active == True).order_by(fn.LOWER(Product.name)))  # noqa: E712
    text = text.strip().lower()
    rows = []
    for w in warehouses:
        for p in products:
            if text and text not in f"{p.name} {p.sku or ''} {p.barcode or ''}".lower():
                continue
            quantity = held.get((w.id, p.id))
            fits = p.retail if w.purpose == "retail" else p.material
            if quantity is None and not fits:
                continue
            quantity = quantity or Decimal(0)
            rows.append(OnHandRow(p.id, p.name, p.sku or "", p.barcode or "", p.unit, w.id, w.name, quantity,
                                  to_packs(quantity, p.pack_size), p.low_stock_level,
                                  is_low(quantity, p.low_stock_level), quantity < 0))
    return rows


def low_stock() -> list[OnHandRow]:
    """Products at or below their critical level, all warehouses together (the dashboard block)."""
    totals = {pid: _qty(q) for pid, q in StockBalance.select(StockBalance.product, fn.SUM(StockBalance.quantity))
              .group_by(StockBalance.product).tuples()}
    rows = []
    for p in Product.select().where((Product.active == True) & Product.low_stock_level.is_null(False)):  # noqa: E712
        quantity = totals.get(p.id, Decimal(0))
        if is_low(quantity, p.low_stock_level):
            rows.append(OnHandRow(p.id, p.name, p.sku or "", p.barcode or "", p.unit, "", "", quantity,
                                  to_packs(quantity, p.pack_size), p.low_stock_level, True, quantity < 0))
    return sorted(rows, key=lambda r: r.product.lower())


@dataclass(frozen=True)
class ExpiryRow:
    """A lot still in stock that expires soon (or has)."""

    lot_id: str
    product_id: str
    product: str
    warehouse: str
    code: str
    expires_on: date
    remaining: Decimal
    unit: str
    expired: bool


def expiring(today: date, within_days: int = 30) -> list[ExpiryRow]:
    """Lots with stock left whose expiry date falls within ``within_days`` of ``today``, soonest first."""
    lots = (StockLot.select(StockLot, Product, Warehouse).join(Product).switch(StockLot).join(Warehouse)
            .where((StockLot.remaining > 0) & StockLot.expires_on.is_null(False)
                   & (StockLot.expires_on <= today + timedelta(days=within_days)) & (Product.active == True))  # noqa: E712
            .order_by(StockLot.expires_on))
    return [ExpiryRow(l.id, l.product_id, l.product.name, l.warehouse.name, l.code, l.expires_on, l.remaining,
                      l.product.unit, l.expires_on < today) for l in lots]


@dataclass(frozen=True)
class TurnoverRow:
    """Opening, in, out and closing of a product in a warehouse: closing = opening + incoming - outgoing."""

    product_id: str
    product: str
    unit: str
    warehouse_id: str
    warehouse: str
    opening: Decimal
    incoming: Decimal
    outgoing: Decimal
    closing: Decimal


def turnover(start: datetime, end: datetime, warehouse_id: str | None = None,
             product_id: str | None = None) -> list[TurnoverRow]:
    """The turnover statement for [start, end) per product and warehouse (rows with any figure not zero)."""
    m = StockMovement
    before, inside = m.at < start, (m.at >= start) & (m.at < end)
    query = (m.select(m.product, m.warehouse, Product.name, Product.unit, Warehouse.name.alias("wname"),
                      fn.SUM(Case(None, [(before, m.quantity)], 0)),
                      fn.SUM(Case(None, [(inside & (m.quantity > 0), m.quantity)], 0)),
                      fn.SUM(Case(None, [(inside & (m.quantity < 0), 0 - m.quantity)], 0)))
             .join(Product, on=(m.product == Product.id)).switch(m).join(Warehouse, on=(m.warehouse == Warehouse.id))
             .where(m.at < end).group_by(m.product, m.warehouse).order_by(fn.LOWER(Product.name), Warehouse.name))
    if warehouse_id:
        query = query.where(m.warehouse == warehouse_id)
    if product_id:
        query = query.where(m.product == product_id)
    rows = []
    for pid, wid, name, unit, wname, opening, incoming, outgoing in query.tuples():
        o, i, out = _qty(opening), _qty(incoming), _qty(outgoing)
        if o or i or out:
            rows.append(TurnoverRow(pid, name, unit, wid, wname, o, i, out, o + i - out))
    return rows


@dataclass(frozen=True)
class ConsumptionRow:
    """Materials used for visits, by one key (master, service or client) and product."""

    key_id: str | None
    product_id: str
    product: str
    unit: str
    norm: Decimal
    actual: Decimal
    overuse: Decimal  # actual - norm; positive: more used than the cost card says (IN8)


GROUPS = {"master": StockMovement.master_id, "service": StockMovement.service_id,
          "client": StockMovement.client_id}


def consumption(start: datetime, end: datetime, by: str = "master") -> list[ConsumptionRow]:
    """Visit consumption for [start, end) by master, service or client, against the cost card norms.

    Consumptions later undone are left out together with their undo.
    """
    key = GROUPS[by]
    m = StockMovement
    query = (m.select(key, m.product, Product.name, Product.unit, fn.SUM(m.norm), fn.SUM(0 - m.quantity))
             .join(StockDocument, on=(m.document == StockDocument.id)).switch(m)
             .join(Product, on=(m.product == Product.id))
             .where((StockDocument.kind == "consumption") & (StockDocument.status == "posted")
                    & (m.at >= start) & (m.at < end))
             .group_by(key, m.product).order_by(key, fn.LOWER(Product.name)))
    rows = []
    for key_id, pid, name, unit, norm, actual in query.tuples():
        norm, actual = _qty(norm), _qty(actual)
        rows.append(ConsumptionRow(key_id, pid, name, unit, norm, actual, actual - norm))
    return rows


def overuse(start: datetime, end: datetime) -> list[ConsumptionRow]:
    """Masters' consumption above the cost card norm (IN8), largest overuse first."""
    return sorted((r for r in consumption(start, end, "master") if r.overuse > 0), key=lambda r: -r.overuse)


def supplier_balances() -> list[dict]:
    """What the salon owes each supplier: receipts' value less paid on delivery and later payments."""
    rows = []
    for supplier in Supplier.select().order_by(Supplier.name):
        received = paid = Decimal(0)
        for doc in StockDocument.select().where((StockDocument.supplier == supplier.id)
                                                & (StockDocument.status == "posted")):
            received += doc.total_cost or 0
            paid += doc.paid or 0
        paid += sum((p.amount for p in SupplierPayment.select().where(SupplierPayment.supplier == supplier.id)),
                    Decimal(0))
        rows.append({"supplier_id": supplier.id, "supplier": supplier.name, "received": received, "paid": paid,
                     "payable": received - paid})
    return rows


def low_stock_count() -> int:
    """How many active products are at or below their low-stock level (one COUNT, for the menu and journal)."""
    held = (StockBalance.select(fn.COALESCE(fn.SUM(StockBalance.quantity), 0))
            .where(StockBalance.product == Product.id))
    return (Product.select().where((Product.active == True) & Product.low_stock_level.is_null(False)  # noqa: E712
                                   & (held <= Product.low_stock_level)).count())


def expiring_count(today: date, within_days: int = 30) -> int:
    """How many lots with stock left expire within ``within_days`` of ``today`` (as ``expiring`` lists them)."""
    return (StockLot.select().join(Product)
            .where((StockLot.remaining > 0) & StockLot.expires_on.is_null(False)
                   & (StockLot.expires_on <= today + timedelta(days=within_days)) & (Product.active == True))  # noqa: E712
            .count())
