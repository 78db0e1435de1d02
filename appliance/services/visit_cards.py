"""Printing a client's visit card (KI3): the booking's services, masters, times and its code as a QR code.

The kiosk's scanner reads that QR code at the next visit (KI1), so a card
printed at the desk is also the client's quickest way to check in.
"""
from appliance.domain.receipt_layout import SalonHeader, VisitCard, VisitItem, visit_card
from appliance.services import print_queue
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, NotFound
from appliance.services.lookup import fetch
from appliance.storage.models.bookings import Booking, BookingItem
from appliance.storage.models.catalogue import Service, Staff
from appliance.storage.models.printing import PrintJob


def salon_header(ctx: SalonContext, language: str) -> SalonHeader:
    """The salon as its paper shows it, in ``language`` (ru, uz or en)."""
    salon = ctx.salon
    return SalonHeader(salon.name, salon.timezone, salon.currency, language, salon.address or "", salon.phone or "")


def visit_card_of(booking: Booking) -> VisitCard:
    """The visit card's content for a booking: active items in order, first name of the client."""
    items = (BookingItem.select(BookingItem, Service, Staff).join(Service).switch(BookingItem)
             .join(Staff, on=(BookingItem.master == Staff.id))
             .where((BookingItem.booking == booking) & (BookingItem.active == True))  # noqa: E712
             .order_by(BookingItem.position))
    return VisitCard(booking.client.first_name, booking.code,
                     tuple(VisitItem(i.service.name, i.master.first_name, i.starts_at) for i in items))


def print_visit_card(actor: Actor, booking_id: str, language: str = "ru") -> PrintJob:
    """Queue the booking's visit card for the salon's receipt printer."""
    booking = fetch(Booking, booking_id)
    ctx = SalonContext.load()
    document = visit_card(salon_header(ctx, language), visit_card_of(booking))
    try:
        return print_queue.enqueue(actor, "receipt", document, "visit_card", f"{booking.code}")
    except NotFound:
        raise Conflict("no receipt printer is set up (Devices page)", code="no_printer") from None
