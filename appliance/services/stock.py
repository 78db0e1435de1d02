"""Stock documents (IN2-IN5): receipts, transfers, write-offs, sales and returns; the checkout's entry points.

Line quantities are in pieces as sold or received (``unit="pack"``, the
default: 2 bottles) or in the product's base unit (``unit="base"``: 30 ml);
movements always store base units. Visit consumption (cost cards) is in
appliance.services.stock_visits and stocktakes in appliance.services.stocktake;
both are re-exported here for the checkout.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from appliance.domain.money import round_money
from appliance.domain.stock_rules import QuantityError, check_quantity, to_base
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import InvalidInput
from appliance.services.lookup import fetch
from appliance.services.stock_catalogue import product_by_barcode  # noqa: F401  (the checkout's lookup)
from appliance.services.stock_ledger import (
    Context, checked_money, open_document, put, record, take, warehouse_or_default,
)
from appliance.services.stock_visits import consume_for_visit, undo_visit_consumption  # noqa: F401
from appliance.storage.database import write_transaction
from appliance.storage.models.stock import Product, Supplier
from appliance.storage.models.stock_ledger import StockDocument, StockMovement


@dataclass(frozen=True)
class LineIn:
    """One line of a document as a person or the API gives it."""

    product_id: str
    quantity: Decimal
    unit: str = "pack"  # pack (pieces) or base (ml, g, pcs)
    unit_cost: Decimal | None = None  # receipts: per piece
    lot_code: str = ""
    expires_on: date | None = None


def resolve(lines: list[LineIn], field: str = "lines") -> list[tuple[Product, Decimal, LineIn]]:
    """Each line's active product and its quantity in base units; 422 naming ``lines.N.<field>``."""
    if not lines:
        raise InvalidInput(field, "give at least one line")
    out = []
    for index, line in enumerate(lines):
        product = fetch(Product, line.product_id, field=f"{field}.{index}.product_id", active_only=True)
        try:
            quantity = check_quantity(line.quantity)
            out.append((product, quantity if line.unit == "base" else to_base(quantity, product.pack_size), line))
        except QuantityError as exc:
            raise InvalidInput(f"{field}.{index}.quantity", str(exc)) from None
    return out


def receive(actor: Actor, lines: list[LineIn], supplier_id: str | None = None, warehouse_id: str | None = None,
            supplier_ref: str = "", paid: Decimal | None = None) -> StockDocument:
    """A goods receipt (IN3): stock in, lots with expiry dates, and what it makes payable to the supplier."""
    currency = SalonContext.load().currency
    with write_transaction():
        warehouse = warehouse_or_default(warehouse_id, "retail")
        supplier = fetch(Supplier, supplier_id, field="supplier_id", active_only=True) if supplier_id else None
        resolved = resolve(lines)
        total = Decimal(0)
        for index, (product, _, line) in enumerate(resolved):
            cost = checked_money(line.unit_cost, f"lines.{index}.unit_cost", currency)
            if cost is not None:
                total += cost * (line.quantity if line.unit == "pack" else line.quantity / product.pack_size)
        total = round_money(total, currency)  # a part-pack line may cost a fraction of the currency's step
        paid = checked_money(paid, "paid", currency)
        if paid is not None and paid > total:
            raise InvalidInput("paid", "is more than the receipt's value")
        doc = open_document(actor, "receipt", warehouse, supplier=supplier.id if supplier else None,
                            supplier_ref=supplier_ref, total_cost=total, paid=paid or Decimal(0))
        for index, (product, quantity, line) in enumerate(resolved):
            if line.expires_on and not product.track_expiry:
                raise InvalidInput(f"lines.{index}.expires_on", "the product does not track expiry dates")
            put(doc, warehouse, product, quantity, unit_cost=line.unit_cost, lot_code=line.lot_code,
                expires_on=line.expires_on)
        record(actor, doc, [(p, q) for p, q, _ in resolved])
    return doc


def transfer(actor: Actor, from_id: str, to_id: str, lines: list[LineIn]) -> StockDocument:
    """Move stock between two warehouses (IN2); lots travel with it."""
    with write_transaction():
        source = warehouse_or_default(from_id, "retail", "from_warehouse_id")
        target = warehouse_or_default(to_id, "materials", "to_warehouse_id")
        if source.id == target.id:
            raise InvalidInput("to_warehouse_id", "must differ from from_warehouse_id")
        resolved = resolve(lines)
        doc = open_document(actor, "transfer", source, to_warehouse=target.id)
        for product, quantity, _ in resolved:
            for move in take(doc, source, product, quantity):
                lot = move.lot
                put(doc, target, product, -move.quantity, unit_cost=move.unit_cost,
                    lot_code=lot.code if lot else "", expires_on=lot.expires_on if lot else None)
        record(actor, doc, [(p, q) for p, q, _ in resolved])
    return doc


def write_off(actor: Actor, lines: list[LineIn], reason: str, warehouse_id: str | None = None,
              master_id: str | None = None, booking_id: str | None = None) -> StockDocument:
    """A manual write-off with its reason (IN4): damage, expiry, testers, or extra material for a visit."""
    if not reason.strip():
        raise InvalidInput("reason", "say why the stock is written off")
    with write_transaction():
        warehouse = warehouse_or_default(warehouse_id, "materials")
        resolved = resolve(lines)
        doc = open_document(actor, "write_off", warehouse, reason=reason.strip(), master_id=master_id,
                            booking_id=booking_id)
        for product, quantity, _ in resolved:
            take(doc, warehouse, product, quantity, context=Context(master_id=master_id, booking_id=booking_id))
        record(actor, doc, [(p, q) for p, q, _ in resolved])
    return doc


def sell(actor: Actor, sale_id: str, lines: list[tuple[str, Decimal]], client_id: str | None = None,
         master_id: str | None = None, warehouse_id: str | None = None) -> StockDocument:
    """Write off what a sale took from the retail warehouse (IN5); lines are (product_id, pieces).

    Raises Conflict(code="insufficient_stock") naming the product when the
    salon refuses negative stock. Runs inside the caller's open
    write_transaction() as a savepoint, so the sale and its stock commit or
    fail together. Calling it again for the same sale returns the first document.
    """
    with write_transaction():
        done = StockDocument.get_or_none((StockDocument.kind == "sale") & (StockDocument.sale_id == sale_id))
        if done is not None:
            return done
        warehouse = warehouse_or_default(warehouse_id, "retail")
        resolved = resolve([LineIn(pid, Decimal(q)) for pid, q in lines])
        doc = open_document(actor, "sale", warehouse, sale_id=sale_id, client_id=client_id, master_id=master_id)
        context = Context(master_id=master_id, client_id=client_id, sale_id=sale_id)
        for product, quantity, _ in resolved:
            take(doc, warehouse, product, quantity, context=context, unit_cost=product.cost_price)
        record(actor, doc, [(p, q) for p, q, _ in resolved])
    return doc


def _sold_less_returned(sale_id: str) -> dict[str, Decimal]:
    left: dict[str, Decimal] = {}
    rows = (StockMovement.select(StockMovement.product, StockMovement.quantity, StockDocument.kind)
            .join(StockDocument).where(StockDocument.sale_id == sale_id).tuples())
    for product_id, quantity, _ in rows:
        left[product_id] = left.get(product_id, Decimal(0)) - quantity
    return left


def return_sale(actor: Actor, sale_id: str, return_id: str, lines: list[tuple[str, Decimal]]) -> StockDocument:
    """Put returned pieces back into the warehouse the sale took them from (IN5).

    Refuses (422 on lines.N.quantity) to take back more than the sale still
    holds; calling it again for the same return_id returns the first document.
    """
    with write_transaction():
        done = StockDocument.get_or_none((StockDocument.kind == "return") & (StockDocument.return_id == return_id))
        if done is not None:
            return done
        sale = StockDocument.get_or_none((StockDocument.kind == "sale") & (StockDocument.sale_id == sale_id))
        if sale is None:
            raise InvalidInput("sale_id", f"no stock was sold in sale {sale_id}")
        resolved = resolve([LineIn(pid, Decimal(q)) for pid, q in lines])
        left = _sold_less_returned(sale_id)
        for index, (product, quantity, _) in enumerate(resolved):
            left[product.id] = left.get(product.id, Decimal(0)) - quantity
            if left[product.id] < 0:
                raise InvalidInput(f"lines.{index}.quantity", "is more than the sale still holds")
        doc = open_document(actor, "return", sale.warehouse, sale_id=sale_id, return_id=return_id,
                            client_id=sale.client_id, master_id=sale.master_id)
        context = Context(master_id=sale.master_id, client_id=sale.client_id, sale_id=sale_id)
        for product, quantity, _ in resolved:
            put(doc, sale.warehouse, product, quantity, context=context)
        record(actor, doc, [(p, q) for p, q, _ in resolved])
    return doc
