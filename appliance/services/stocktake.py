"""Stocktakes (IN6): counts recorded as a draft, approved by a manager, differences posted.

What the books "expected" is read again when the count is approved, so
sales between counting and approval do not show up as discrepancies twice.
"""
from dataclasses import dataclass
from decimal import Decimal

from appliance.domain.stock_rules import discrepancies
from appliance.services.context import Actor
from appliance.services.errors import Conflict
from appliance.services.lookup import fetch
from appliance.services.stock import LineIn, resolve
from appliance.services.stock_ledger import balance, open_document, put, record, take, warehouse_or_default
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.stock import Product
from appliance.storage.models.stock_ledger import StockDocument, StocktakeLine


def start_stocktake(actor: Actor, lines: list[LineIn], warehouse_id: str | None = None,
                    reason: str = "") -> StockDocument:
    """Record what was counted (a draft: nothing moves until a manager approves it)."""
    with write_transaction():
        warehouse = warehouse_or_default(warehouse_id, "retail")
        resolved = resolve(lines)
        doc = open_document(actor, "stocktake", warehouse, reason=reason.strip())
        doc.status, doc.posted_at, doc.posted_by = "draft", None, None
        doc.save()
        counted: dict[str, Decimal] = {}
        for product, quantity, _ in resolved:
            counted[product.id] = counted.get(product.id, Decimal(0)) + quantity  # a product counted twice adds up
        for product_id, quantity in counted.items():
            StocktakeLine.create(document=doc.id, product=product_id, counted=quantity,
                                 expected=balance(warehouse.id, product_id))
    return doc


def _draft(doc_id: str) -> StockDocument:
    doc = fetch(StockDocument, doc_id)
    if doc.kind != "stocktake" or doc.status != "draft":
        raise Conflict(f"stocktake {doc_id} is {doc.status}, not a draft", code="not_a_draft")
    return doc


def approve_stocktake(actor: Actor, doc_id: str) -> StockDocument:
    """Post the differences between counted and on-hand now (shortages out, surpluses in)."""
    with write_transaction():
        doc = _draft(doc_id)
        warehouse = doc.warehouse
        doc.status, doc.posted_at = "posted", utc_now()
        doc.posted_by = actor.id if actor.kind == "staff" else None
        doc.save()
        moved = []
        for line in StocktakeLine.select().where(StocktakeLine.document == doc.id):
            line.expected = balance(warehouse.id, line.product_id)
            line.save()
            product = Product.get_by_id(line.product_id)
            difference = line.counted - line.expected
            if difference < 0:
                take(doc, warehouse, product, -difference, force=True)
            elif difference > 0:
                put(doc, warehouse, product, difference)
            moved.append((product, difference))
        record(actor, doc, moved)
    return doc


def cancel_stocktake(actor: Actor, doc_id: str) -> StockDocument:
    """Drop a draft count; it stays listed, cancelled."""
    with write_transaction():
        doc = _draft(doc_id)
        doc.status = "cancelled"
        doc.save()
    return doc


@dataclass(frozen=True)
class DiscrepancyRow:
    """One line of the discrepancy report."""

    product_id: str
    product: str
    unit: str
    expected: Decimal
    counted: Decimal
    difference: Decimal
    value: Decimal  # the difference at the write-off price (negative: a loss)


def discrepancy_report(doc_id: str) -> list[DiscrepancyRow]:
    """Counted against expected for every product of the stocktake, shortages first."""
    doc = fetch(StockDocument, doc_id)
    lines = list(StocktakeLine.select(StocktakeLine, Product).join(Product).where(StocktakeLine.document == doc.id))
    found = discrepancies({l.product_id: l.expected for l in lines}, {l.product_id: l.counted for l in lines})
    products = {l.product_id: l.product for l in lines}
    rows = []
    for item in found:
        product = products[item.product_id]
        per_unit = (product.cost_price or Decimal(0)) / product.pack_size
        rows.append(DiscrepancyRow(product.id, product.name, product.unit, item.expected, item.counted,
                                   item.difference, (item.difference * per_unit).quantize(Decimal("0.01"))))
    return sorted(rows, key=lambda r: (r.difference, r.product))
