"""Materials used up by visits (IN4, SV2): cost cards written off from the materials warehouse.

``consume_for_visit`` runs once per booking (a partial unique index on the
live consumption document makes a second one impossible, even from another
process); ``undo_visit_consumption`` puts it back when a completion is reversed.
Consumption never refuses for lack of stock: the material has already been
used, so refusing would only stop the checkout. It goes negative, flagged.
"""
from decimal import Decimal

from appliance.domain.stock_rules import QuantityError, check_quantity
from appliance.services.context import Actor
from appliance.services.errors import InvalidInput
from appliance.services.lookup import fetch
from appliance.services.stock_ledger import Context, default_warehouse, open_document, put, record, take
from appliance.storage.database import write_transaction
from appliance.storage.models.bookings import Booking, BookingItem
from appliance.storage.models.stock import CostCardLine, Product
from appliance.storage.models.stock_ledger import StockDocument, StockMovement


def live_consumption(booking_id: str) -> StockDocument | None:
    """The booking's consumption document that is not undone, if any."""
    return StockDocument.get_or_none((StockDocument.kind == "consumption") & (StockDocument.booking_id == booking_id)
                                     & (StockDocument.status == "posted"))


def _plan(booking: Booking, actual: dict) -> list[tuple[BookingItem, Product, Decimal, Decimal]]:
    """(item, product, norm, actual) per cost-card line of each service of the visit, plus extras."""
    items = list(BookingItem.select().where((BookingItem.booking == booking.id) & (BookingItem.active == True))  # noqa: E712
                 .order_by(BookingItem.position))
    cards = (CostCardLine.select(CostCardLine, Product).join(Product)
             .where(CostCardLine.service.in_([i.service_id for i in items]) & (CostCardLine.active == True)))  # noqa: E712
    by_service: dict[str, list] = {}
    for line in cards:
        by_service.setdefault(line.service_id, []).append(line)
    plan, seen = [], set()
    for item in items:
        for line in by_service.get(item.service_id, []):
            key = (item.service_id, line.product_id)
            plan.append((item, line.product, line.quantity, actual.get(key, line.quantity)))
            seen.add(key)
    first_item = {i.service_id: i for i in reversed(items)}
    for index, ((service_id, product_id), quantity) in enumerate(sorted(actual.items())):
        if (service_id, product_id) not in seen:
            if service_id not in first_item:
                raise InvalidInput(f"actual.{index}.service_id", "is not a service of this visit")
            product = fetch(Product, product_id, field=f"actual.{index}.product_id", active_only=True)
            plan.append((first_item[service_id], product, Decimal(0), quantity))
    return plan


def consume_for_visit(actor: Actor, booking_id: str,
                      actual: dict[tuple[str, str], Decimal] | None = None) -> StockDocument | None:
    """Write off the visit's materials by its services' cost cards, per master, service and client.

    ``actual`` ({(service_id, product_id): base units}) records what was
    really used where it differs from the card (IN8 overuse). Returns None
    when the visit's materials are already written off (a second call does
    nothing) or its services have no cost cards. Nests in the caller's transaction.
    """
    actual = dict(actual or {})
    for index, quantity in enumerate(actual.values()):
        try:
            check_quantity(quantity, positive=False)
        except QuantityError as exc:
            raise InvalidInput(f"actual.{index}.quantity", str(exc)) from None
    with write_transaction():
        if live_consumption(booking_id) is not None:
            return None
        booking = fetch(Booking, booking_id, field="booking_id")
        plan = _plan(booking, actual)
        if not plan:
            return None
        warehouse = default_warehouse("materials")
        doc = open_document(actor, "consumption", warehouse, booking_id=booking.id, client_id=booking.client_id,
                            master_id=plan[0][0].master_id)
        for item, product, norm, used in plan:
            context = Context(master_id=item.master_id, client_id=booking.client_id, service_id=item.service_id,
                              booking_id=booking.id)
            # A line with nothing used is still written (quantity 0) to keep its norm on record.
            take(doc, warehouse, product, used, context=context, norm=norm, force=True)
        record(actor, doc, [(p, -u) for _, p, _, u in plan])
    return doc


def undo_visit_consumption(actor: Actor, booking_id: str, reason: str = "completion reversed"
                           ) -> StockDocument | None:
    """Put a visit's written-off materials back (a reversed completion); None when nothing is written off.

    The consumption document becomes ``reversed`` and a ``consumption_undo``
    document carries the opposite movements; a later consume_for_visit writes off anew.
    """
    with write_transaction():
        done = live_consumption(booking_id)
        if done is None:
            return None
        doc = open_document(actor, "consumption_undo", done.warehouse, booking_id=booking_id,
                            client_id=done.client_id, master_id=done.master_id, reverses=done.id, reason=reason)
        moves = list(StockMovement.select().where(StockMovement.document == done.id).order_by(StockMovement.at))
        for move in moves:
            context = Context(master_id=move.master_id, client_id=move.client_id, service_id=move.service_id,
                              booking_id=move.booking_id)
            if move.quantity < 0:
                put(doc, move.warehouse, move.product, -move.quantity, context=context, unit_cost=move.unit_cost,
                    lot=move.lot)
        done.status = "reversed"
        done.save()
        record(actor, doc, [(m.product, -m.quantity) for m in moves])
    return doc
