"""Products, warehouses, suppliers, cost cards and the negative-stock setting (IN1-IN3, SV2, SV3).

Products are never deleted (SV6): ``deactivate_product`` hides one from
daily work and frees its SKU and barcode for a new product. Price changes
are audited.
"""
from datetime import datetime
from decimal import Decimal

from peewee import fn

from appliance.domain.stock_rules import NEGATIVE_POLICIES, UNITS, QuantityError, check_barcode, check_quantity
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import apply_changes, fetch
from appliance.services.stock_ledger import checked_money, ensure_warehouses
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Service
from appliance.storage.models.stock import CostCardLine, Product, Supplier, SupplierPayment, Warehouse
from appliance.storage.models.stock_ledger import StockBalance

PRODUCT_FIELDS = {"name", "sku", "barcode", "unit", "pack_size", "retail_price", "staff_price", "cost_price",
                  "category", "low_stock_level", "track_expiry", "retail", "material"}
PRICE_FIELDS = ("retail_price", "staff_price", "cost_price")


def product_by_barcode(code: str) -> Product | None:
    """The active product with this barcode (or, failing that, this SKU), for the checkout and scanners."""
    code = (code or "").strip()
    if not code:
        return None
    active = Product.active == True  # noqa: E712
    return (Product.get_or_none((Product.barcode == code) & active)
            or Product.get_or_none((Product.sku == code) & active))


def find_products(text: str = "", include_inactive: bool = False, limit: int = 200) -> list[Product]:
    """Products whose name, SKU or barcode contains ``text``, by name."""
    query = Product.select()
    if not include_inactive:
        query = query.where(Product.active == True)  # noqa: E712
    text = text.strip()
    if text:
        lowered = text.lower()
        query = query.where(fn.LOWER(Product.name).contains(lowered) | fn.LOWER(Product.sku).contains(lowered)
                            | (Product.barcode == text) | fn.LOWER(Product.category).contains(lowered))
    return list(query.order_by(fn.LOWER(Product.name)).limit(limit))


def _clean(data: dict) -> dict:
    data = dict(data)
    currency = SalonContext.load().currency
    if "unit" in data and data["unit"] not in UNITS:
        raise InvalidInput("unit", f"must be one of {', '.join(UNITS)}")
    for name in ("sku", "barcode"):
        if name in data:
            data[name] = (data[name] or "").strip() or None
    if data.get("barcode"):
        try:
            data["barcode"] = check_barcode(data["barcode"])
        except ValueError as exc:
            raise InvalidInput("barcode", str(exc)) from None
    for name, positive in (("pack_size", True), ("low_stock_level", False)):
        if data.get(name) is not None:
            try:
                data[name] = check_quantity(data[name], positive=positive)
            except QuantityError as exc:
                raise InvalidInput(name, str(exc)) from None
    for name in PRICE_FIELDS:
        if name in data:
            data[name] = checked_money(data[name], name, currency)
    if data.get("retail_price", 0) is None:
        raise InvalidInput("retail_price", "is required")
    return data


def _check_unique(data: dict, product_id: str | None) -> None:
    for name in ("sku", "barcode"):
        value = data.get(name)
        if value is None:
            continue
        clash = Product.select().where((getattr(Product, name) == value) & (Product.active == True))  # noqa: E712
        if product_id:
            clash = clash.where(Product.id != product_id)
        other = clash.first()
        if other is not None:
            raise InvalidInput(name, f"is already used by the active product {other.name}")


def create_product(actor: Actor, data: dict) -> Product:
    """A new product; SKU and barcode unique among active products."""
    unknown = set(data) - PRODUCT_FIELDS
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "unknown field")
    if not (data.get("name") or "").strip():
        raise InvalidInput("name", "is required")
    data = _clean(data)
    with write_transaction():
        _check_unique(data, None)
        product = Product.create(**data)
        audit(actor, "product.created", "product", product.id,
              {name: str(getattr(product, name)) for name in PRICE_FIELDS})
    return product


def update_product(actor: Actor, product_id: str, changes: dict) -> Product:
    """Change a product; price changes go to the audit log with old and new values."""
    data = _clean(changes)
    with write_transaction():
        product = fetch(Product, product_id)
        _check_unique(data, product.id)
        diff = apply_changes(product, data, PRODUCT_FIELDS)
        if diff:
            product.save()
        prices = {k: [str(v[0]), str(v[1])] for k, v in diff.items() if k in PRICE_FIELDS}
        if prices:
            audit(actor, "product.prices_changed", "product", product.id, prices)
    return product


def set_product_active(actor: Actor, product_id: str, active: bool) -> Product:
    """Deactivate (hidden from daily work, kept for history) or reactivate a product."""
    with write_transaction():
        product = fetch(Product, product_id)
        if active and not product.active:
            _check_unique({"sku": product.sku, "barcode": product.barcode}, product.id)
        if product.active != active:
            product.active = active
            product.save()
            audit(actor, "product.activated" if active else "product.deactivated", "product", product.id)
    return product


def warehouses(include_inactive: bool = False) -> list[Warehouse]:
    """The salon's warehouses (the two defaults made on first use), defaults first."""
    with write_transaction():
        ensure_warehouses()
    query = Warehouse.select()
    if not include_inactive:
        query = query.where(Warehouse.active == True)  # noqa: E712
    return list(query.order_by(Warehouse.is_default.desc(), Warehouse.purpose, Warehouse.name))


def save_warehouse(actor: Actor, data: dict, warehouse_id: str | None = None) -> Warehouse:
    """Create or change a warehouse (name, purpose, active).

    The defaults cannot be deactivated, nor can a warehouse that still holds
    stock (Conflict ``warehouse_not_empty``: move or write it off first).
    """
    if "purpose" in data and data["purpose"] not in ("retail", "materials"):
        raise InvalidInput("purpose", "must be retail or materials")
    if "name" in data and not (data["name"] or "").strip():
        raise InvalidInput("name", "is required")
    if "name" in data:
        data = {**data, "name": data["name"].strip()}
    with write_transaction():
        if warehouse_id is None:
            row = Warehouse.create(name=data.get("name", "").strip(), purpose=data.get("purpose", "retail"))
        else:
            row = fetch(Warehouse, warehouse_id)
            if row.is_default and data.get("active") is False:
                raise Conflict("a default warehouse stays active", code="default_warehouse")
            if row.active and data.get("active") is False and warehouse_holds_stock(row.id):
                raise Conflict(f"{row.name} still holds stock: move it or write it off first",
                               code="warehouse_not_empty")
            if apply_changes(row, data, {"name", "purpose", "active"}):
                row.save()
        audit(actor, "warehouse.saved", "warehouse", row.id, {"name": row.name, "active": row.active})
    return row


def warehouse_holds_stock(warehouse_id: str) -> bool:
    """Some product's on-hand in the warehouse is not zero (above or below)."""
    return StockBalance.select().where((StockBalance.warehouse == warehouse_id)
                                       & (StockBalance.quantity != 0)).exists()


SUPPLIER_FIELDS = {"name", "phone", "note", "active"}


def save_supplier(actor: Actor, data: dict, supplier_id: str | None = None) -> Supplier:
    """Create or change a supplier (never deleted: ``active: False`` retires one); audited."""
    unknown = set(data) - SUPPLIER_FIELDS
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "unknown field")
    if supplier_id is None and "name" not in data:
        raise InvalidInput("name", "is required")
    if "name" in data and not (data["name"] or "").strip():
        raise InvalidInput("name", "is required")
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    with write_transaction():
        if supplier_id is None:
            row = Supplier.create(**data)
            audit(actor, "supplier.created", "supplier", row.id, {"name": row.name})
        else:
            row = fetch(Supplier, supplier_id)
            diff = apply_changes(row, data, SUPPLIER_FIELDS)
            if diff:
                row.save()
                audit(actor, "supplier.changed", "supplier", row.id,
                      {k: [str(old), str(new)] for k, (old, new) in diff.items()})
    return row


def set_cost_card(actor: Actor, service_id: str, lines: list[tuple[str, Decimal]]) -> list[CostCardLine]:
    """Replace a service's cost card (SV2): (product_id, quantity in base units) pairs."""
    with write_transaction():
        service = fetch(Service, service_id)
        wanted = {}
        for index, (product_id, quantity) in enumerate(lines):
            fetch(Product, product_id, field=f"lines.{index}.product_id", active_only=True)
            try:
                wanted[product_id] = check_quantity(quantity)
            except QuantityError as exc:
                raise InvalidInput(f"lines.{index}.quantity", str(exc)) from None
        for line in cost_card(service.id):
            if wanted.get(line.product_id) != line.quantity:
                line.active = False
                line.save()
            else:
                wanted.pop(line.product_id)
        for product_id, quantity in wanted.items():
            CostCardLine.create(service=service.id, product=product_id, quantity=quantity)
        audit(actor, "service.cost_card", "service", service.id,
              {"lines": [[p, str(q)] for p, q in lines]})
    return cost_card(service.id)


def cost_card(service_id: str) -> list[CostCardLine]:
    """A service's active cost card lines."""
    return list(CostCardLine.select().where((CostCardLine.service == service_id)
                                            & (CostCardLine.active == True)))  # noqa: E712


def set_negative_stock(actor: Actor, policy: str) -> None:
    """Whether stock may fall below zero: "refuse" (Conflict naming the product) or "allow" (flagged)."""
    if policy not in NEGATIVE_POLICIES:
        raise InvalidInput("negative_stock", "must be refuse or allow")
    with write_transaction():
        salon = SalonContext.load().salon
        if salon.negative_stock != policy:
            old, salon.negative_stock = salon.negative_stock, policy
            salon.save()
            audit(actor, "salon.negative_stock", "salon", salon.id, {"negative_stock": [old, policy]})


def pay_supplier(actor: Actor, supplier_id: str, amount: Decimal, note: str = "",
                 at: datetime | None = None) -> SupplierPayment:
    """Record money paid to a supplier (lowers what the salon owes), at ``at`` (default now); audited."""
    amount = checked_money(amount, "amount", SalonContext.load().currency)
    if not amount or amount < 0:
        raise InvalidInput("amount", "must be greater than zero")
    now = utc_now()
    at = at or now
    if at > now:
        raise InvalidInput("at", "is in the future")
    note = (note or "").strip()
    with write_transaction():
        supplier = fetch(Supplier, supplier_id, field="supplier_id")
        payment = SupplierPayment.create(supplier=supplier.id, amount=amount, note=note, at=at,
                                         created_by=actor.id if actor.kind == "staff" else None)
        audit(actor, "supplier.paid", "supplier", supplier.id,
              {"amount": str(amount), "at": at.isoformat(), "payment_id": payment.id}, note=note or None)
    return payment


def services_with_cost_cards() -> list[tuple[Service, int]]:
    """Active services by name with how many materials their cost card lists (0: none yet)."""
    lines = dict(CostCardLine.select(CostCardLine.service, fn.COUNT(CostCardLine.id))
                 .where(CostCardLine.active == True).group_by(CostCardLine.service).tuples())  # noqa: E712
    services = Service.select().where(Service.active == True).order_by(fn.LOWER(Service.name))  # noqa: E712
    return [(service, lines.get(service.id, 0)) for service in services]
