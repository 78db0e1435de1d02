"""The visit card at checkout (BK12, PO1): a sale opened from a booking or for a walk-in, edited until paid.

Lines are the booking's services (price adjustable within the service's
range), products by barcode or id (the stock's catalogue; ``products_for_sale``
finds them by a fragment of the name), gift certificates and deposit top-ups; discounts per line and per check with who
gave them and why; tips for masters. Every edit re-prices the whole check
with ``appliance.domain.checkout`` and stores each line's figures, so what
the page shows is what the receipt prints and what the cloud receives.
Price and discount changes are audited.
"""
from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from appliance.domain import booking_rules
from appliance.domain.checkout import DISCOUNT_KINDS, CartLine, CheckoutError, Discount, price_cart
from appliance.domain.stock_rules import to_packs
from appliance.services import fiscal_intents
from appliance.services.audit import audit
from appliance.services.cash import checkout_error, money
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput, NotFound
from appliance.services.lookup import fetch
from appliance.services.prepaid import new_certificate_code
from appliance.services.stock import product_by_barcode
from appliance.services.stock_catalogue import find_products
from appliance.storage.database import write_transaction
from appliance.storage.models.bookings import Booking, BookingItem
from appliance.storage.models.catalogue import Service, Staff, StaffService
from appliance.storage.models.checkout import Sale, SaleLine, SaleTip
from appliance.storage.models.clients import Client
from appliance.storage.models.stock import Product, Warehouse
from appliance.storage.models.stock_ledger import StockBalance

ONE = Decimal(1)


def sale_by_id(sale_id: str) -> Sale:
    """A sale by id (404 if unknown)."""
    return fetch(Sale, sale_id)


def lines_of(sale: Sale) -> list[SaleLine]:
    """The sale's active lines in order."""
    return list(SaleLine.select().where((SaleLine.sale == sale.id) & (SaleLine.active == True))  # noqa: E712
                .order_by(SaleLine.position))


def tips_of(sale: Sale) -> list[SaleTip]:
    """The sale's active tips."""
    return list(SaleTip.select().where((SaleTip.sale == sale.id) & (SaleTip.active == True))  # noqa: E712
                .order_by(SaleTip.created_at))


def editable_sale(sale_id: str, pending_ok: bool = False) -> Sale:
    """The sale if it can still be changed (an open sale, not a return); Conflict otherwise.

    Also Conflict(code="fiscal_pending") while a fiscal register may hold its
    receipt (an open intent, see fiscal_intents): paying again settles that.
    """
    sale = fetch(Sale, sale_id)
    if sale.status != "open" or sale.kind != "sale":
        raise Conflict(f"a {sale.status} {sale.kind} cannot be changed", code="sale_closed")
    if not pending_ok and fiscal_intents.pending_for_sale(sale.id):
        raise Conflict("the fiscal register may already hold this sale's receipt: pay again to settle it",
                       code="fiscal_pending")
    return sale


def reprice(sale: Sale, ctx: SalonContext) -> list[SaleLine]:
    """Price the check again and store every changed figure; its active lines come back."""
    lines = lines_of(sale)
    discount = (Discount(sale.check_discount_kind, sale.check_discount_value)
                if sale.check_discount_kind else None)
    cart_lines = [CartLine(l.quantity, l.unit_price, Discount(l.discount_kind, l.discount_value)
                           if l.discount_kind else None) for l in lines]
    try:
        cart = price_cart(cart_lines, discount, ctx.currency)
    except CheckoutError as exc:
        raise checkout_error(exc) from None
    for line, priced in zip(lines, cart.lines):
        figures = dict(gross=priced.gross, discount=priced.discount, check_share=priced.check_share, net=priced.net)
        if any(getattr(line, k) != v for k, v in figures.items()):
            for name, value in figures.items():
                setattr(line, name, value)
            line.save()
    tips = sum((t.amount for t in tips_of(sale)), Decimal(0))
    sale.subtotal, sale.line_discounts, sale.check_discount = cart.subtotal, cart.line_discounts, cart.check_discount
    sale.total, sale.tips_total = cart.total, tips
    sale.save()
    return lines


def _price_range(item: BookingItem) -> tuple[Decimal, Decimal]:
    service = Service.get_by_id(item.service_id)
    skill = StaffService.get_or_none((StaffService.staff == item.master_id) & (StaffService.service == service.id))
    low, high = service.price, service.price_max
    if skill is not None and skill.price is not None:
        low, high = skill.price, skill.price_max
    high = high if high is not None else low
    return min(low, item.price), max(high, item.price)  # a price agreed at booking stays allowed


def _add_line(sale: Sale, **values) -> SaleLine:
    position = 1 + max((l.position for l in SaleLine.select().where(SaleLine.sale == sale.id)), default=0)
    return SaleLine.create(sale=sale.id, position=position, quantity=values.pop("quantity", ONE), **values)


def open_for_booking(actor: Actor, booking_id: str) -> Sale:
    """The booking's open sale, or a new one holding its services; Conflict once paid or called off."""
    ctx = SalonContext.load()
    with write_transaction():
        booking = fetch(Booking, booking_id, field="booking_id")
        existing = Sale.get_or_none((Sale.booking == booking.id) & (Sale.kind == "sale") & (Sale.status != "cancelled"))
        if existing is not None:
            return existing
        if booking.status in (booking_rules.CANCELLED, booking_rules.NO_SHOW):
            raise Conflict(f"a {booking.status} booking is not checked out", code="booking_final")
        sale = Sale.create(booking=booking.id, client=booking.client_id, currency=ctx.currency, opened_by=actor.id)
        items = (BookingItem.select().where((BookingItem.booking == booking.id) & (BookingItem.active == True))  # noqa: E712
                 .order_by(BookingItem.position))
        for item in items:
            low, high = _price_range(item)
            _add_line(sale, kind="service", name=Service.get_by_id(item.service_id).name, booking_item=item.id,
                      service=item.service_id, master=item.master_id, unit_price=item.price, price_min=low,
                      price_max=high)
        reprice(sale, ctx)
        audit(actor, "sale.opened", "sale", sale.id, {"booking": booking.id})
    return sale


def open_walk_in(actor: Actor, client_id: str | None = None) -> Sale:
    """A new empty sale (a retail sale, a certificate, a deposit top-up), for a client or nobody."""
    ctx = SalonContext.load()
    with write_transaction():
        client = fetch(Client, client_id, field="client_id", active_only=True) if client_id else None
        sale = Sale.create(client=client.id if client else None, currency=ctx.currency, opened_by=actor.id)
        audit(actor, "sale.opened", "sale", sale.id, {"walk_in": True})
    return sale


def add_line(actor: Actor, sale_id: str, data: dict) -> SaleLine:
    """Add a product (``barcode`` or ``product_id``, ``quantity``), a ``service`` with its master,
    a gift ``certificate`` or a ``deposit`` top-up (``amount``); the check is priced again."""
    ctx = SalonContext.load()
    kind = data.get("kind")
    with write_transaction():
        sale = editable_sale(sale_id)
        if kind == "product":
            values = _product_line(data, ctx)
        elif kind == "service":
            values = _service_line(data)
        elif kind in ("certificate", "deposit"):
            amount = money(data.get("amount") or Decimal(0), ctx, "amount")
            if amount <= 0:
                raise InvalidInput("amount", "must be more than zero")
            if kind == "deposit" and not sale.client_id:
                raise InvalidInput("kind", "a deposit is topped up for a client: open the sale for one")
            values = dict(kind=kind, name=kind, unit_price=amount,
                          certificate_code=new_certificate_code() if kind == "certificate" else None)
        else:
            raise InvalidInput("kind", "must be one of product, service, certificate, deposit")
        line = _add_line(sale, **values)
        reprice(sale, ctx)
        audit(actor, "sale.line_added", "sale", sale.id, {"line": line.id, "kind": kind, "price": str(line.unit_price)})
    return SaleLine.get_by_id(line.id)


@dataclass(frozen=True)
class ProductChoice:
    """A retail product the desk may add: its price and the pieces on the retail shelves."""

    id: str
    name: str
    barcode: str
    price: Decimal
    on_hand: Decimal


def products_for_sale(text: str, limit: int = 10) -> list[ProductChoice]:
    """Active retail products whose name, SKU, barcode or category holds ``text`` (at least 2 letters), by name."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    found = [p for p in find_products(text, limit=limit * 4) if p.retail][:limit]
    held = {}
    if found:
        rows = (StockBalance.select(StockBalance.product, fn.SUM(StockBalance.quantity).coerce(False))
                .join(Warehouse, on=(StockBalance.warehouse == Warehouse.id))
                .where((Warehouse.purpose == "retail") & (Warehouse.active == True)  # noqa: E712
                       & StockBalance.product.in_([p.id for p in found]))
                .group_by(StockBalance.product).tuples())
        held = {pid: StockBalance.quantity.python_value(q or 0) for pid, q in rows}
    return [ProductChoice(p.id, p.name, p.barcode or p.sku or "", p.retail_price,
                          to_packs(held.get(p.id) or Decimal(0), p.pack_size)) for p in found]


def _product_line(data: dict, ctx: SalonContext) -> dict:
    if data.get("barcode"):
        product = product_by_barcode(data["barcode"])
        if product is None:
            raise InvalidInput("barcode", "no active product has this barcode")
    else:
        product = fetch(Product, data.get("product_id"), field="product_id", active_only=True)
    quantity = data.get("quantity") or ONE
    if quantity <= 0 or quantity != quantity.to_integral_value():
        raise InvalidInput("quantity", "products are sold in whole pieces")
    return dict(kind="product", name=product.name, product_id=product.id, quantity=quantity,
                unit_price=product.retail_price, master=data.get("master_id"))


def _service_line(data: dict) -> dict:
    service = fetch(Service, data.get("service_id"), field="service_id", active_only=True)
    master = fetch(Staff, data.get("master_id"), field="master_id", active_only=True)
    high = service.price_max if service.price_max is not None else service.price
    return dict(kind="service", name=service.name, service=service.id, master=master.id, unit_price=service.price,
                price_min=service.price, price_max=high)


def update_line(actor: Actor, sale_id: str, line_id: str, changes: dict) -> SaleLine:
    """Change a line's ``unit_price`` (a service within its range), ``quantity`` (products) or discount
    (``discount_kind`` percent|amount|None, ``discount_value``, ``discount_reason``)."""
    ctx = SalonContext.load()
    with write_transaction():
        sale = editable_sale(sale_id)
        line = _line_of(sale, line_id)
        before = {"price": str(line.unit_price), "discount": f"{line.discount_kind}:{line.discount_value}"}
        if changes.get("unit_price") is not None:
            line.unit_price = _price_in_range(line, money(changes["unit_price"], ctx, "unit_price"))
        if changes.get("quantity") is not None:
            quantity = changes["quantity"]
            if line.kind != "product" or quantity <= 0 or quantity != quantity.to_integral_value():
                raise InvalidInput("quantity", "only products change quantity, in whole pieces")
            line.quantity = quantity
        if "discount_kind" in changes:
            _set_discount(line, actor, changes, "discount")
        line.save()
        reprice(sale, ctx)
        audit(actor, "sale.line_changed", "sale", sale.id, {"line": line.id, "before": before, "after": {
            "price": str(line.unit_price), "discount": f"{line.discount_kind}:{line.discount_value}"}},
              note=line.discount_reason or None)
    return SaleLine.get_by_id(line.id)


def _line_of(sale: Sale, line_id: str) -> SaleLine:
    line = SaleLine.get_or_none((SaleLine.id == line_id) & (SaleLine.sale == sale.id) & (SaleLine.active == True))  # noqa: E712
    if line is None:
        raise NotFound("sale_line", str(line_id))
    return line


def _price_in_range(line: SaleLine, price: Decimal) -> Decimal:
    if line.kind in ("certificate", "deposit"):
        raise InvalidInput("unit_price", "the amount of a certificate or deposit is set when it is added")
    if line.price_min is not None and not line.price_min <= price <= line.price_max:
        raise InvalidInput("unit_price", f"must be from {line.price_min} to {line.price_max}")
    return price


def _set_discount(target, actor: Actor, changes: dict, prefix: str) -> None:
    """Set (or clear, with kind None) a discount on a line or the sale, with who gave it and why."""
    kind = changes.get(f"{prefix}_kind")
    if kind is None:
        setattr(target, f"{prefix}_kind", None)
        setattr(target, f"{prefix}_value", None)
        return
    if kind not in DISCOUNT_KINDS:
        raise InvalidInput(f"{prefix}_kind", f"must be one of {', '.join(DISCOUNT_KINDS)}")
    value = changes.get(f"{prefix}_value")
    if value is None:
        raise InvalidInput(f"{prefix}_value", "is required")
    reason = (changes.get(f"{prefix}_reason") or "").strip()
    if not reason:
        raise InvalidInput(f"{prefix}_reason", "say why the discount is given")
    setattr(target, f"{prefix}_kind", kind)
    setattr(target, f"{prefix}_value", value)
    setattr(target, f"{prefix}_by", actor.id)
    setattr(target, f"{prefix}_reason", reason)


def remove_line(actor: Actor, sale_id: str, line_id: str) -> Sale:
    """Take a line off the check (it stays, inactive)."""
    ctx = SalonContext.load()
    with write_transaction():
        sale = editable_sale(sale_id)
        line = _line_of(sale, line_id)
        line.active = False
        line.save()
        reprice(sale, ctx)
        audit(actor, "sale.line_removed", "sale", sale.id, {"line": line.id, "price": str(line.unit_price)})
    return sale


def set_check_discount(actor: Actor, sale_id: str, changes: dict) -> Sale:
    """A discount on the whole check (``check_discount_kind``/``_value``/``_reason``), shared over its lines."""
    ctx = SalonContext.load()
    with write_transaction():
        sale = editable_sale(sale_id)
        _set_discount(sale, actor, changes, "check_discount")
        reprice(sale, ctx)
        audit(actor, "sale.discount", "sale", sale.id, {"kind": sale.check_discount_kind,
                                                        "value": str(sale.check_discount_value)},
              note=sale.check_discount_reason or None)
    return sale


def set_tips(actor: Actor, sale_id: str, tips: list[tuple[str, Decimal]]) -> Sale:
    """The check's tips, one amount per master (replacing the earlier ones)."""
    ctx = SalonContext.load()
    with write_transaction():
        sale = editable_sale(sale_id)
        for index, (master_id, amount) in enumerate(tips):
            fetch(Staff, master_id, field=f"tips.{index}.master_id", active_only=True)
            if money(amount, ctx, f"tips.{index}.amount") <= 0:
                raise InvalidInput(f"tips.{index}.amount", "must be more than zero")
        for old in tips_of(sale):
            old.active = False
            old.save()
        for master_id, amount in tips:
            SaleTip.create(sale=sale.id, master=master_id, amount=amount)
        reprice(sale, ctx)
        audit(actor, "sale.tips", "sale", sale.id, {m: str(a) for m, a in tips})
    return sale


def cancel_sale(actor: Actor, sale_id: str) -> Sale:
    """Drop an open sale that will not be paid (kept, cancelled)."""
    with write_transaction():
        sale = editable_sale(sale_id)
        sale.status = "cancelled"
        sale.save()
        audit(actor, "sale.cancelled", "sale", sale.id)
    return sale
