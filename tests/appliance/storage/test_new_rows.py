"""New rows built by per-model plans are what peewee's accessors and conversions would make."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st

from appliance.storage.fields import utc_iso, utc_text
from appliance.storage.models.bookings import Booking, BookingItem
from appliance.storage.models.catalogue import Service
from appliance.storage.models.clients import Client
from appliance.storage.models.new_rows import iso_from_utc_text

_zones = st.sampled_from([timezone.utc, timezone(timedelta(hours=5)), ZoneInfo("Asia/Tashkent"),
                          ZoneInfo("Europe/Berlin"), ZoneInfo("America/St_Johns")])


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_zones))
def test_the_outbox_form_of_an_instant_follows_from_its_column_text(moment):
    assert iso_from_utc_text(utc_text(moment)) == utc_iso(moment)


def _through_accessors(model, values: dict):
    row = model()  # peewee's own way: its default dict, then one accessor per value
    for name, value in values.items():
        setattr(row, name, value)
    return row


def test_a_new_row_holds_what_the_accessors_would_set(app):
    client = Client(id="c-1", first_name="Dilnoza")
    service = Service(id="s-1", name="Manicure")
    at = datetime(2026, 12, 3, 9, tzinfo=timezone.utc)
    values = dict(booking="b-1", position=0, service=service, master="m-1", room=None, equipment=None,
                  starts_at=at, ends_at=at, busy_until=at, price=Decimal("120000"), active=True)
    fast, slow = BookingItem.new(**values), _through_accessors(BookingItem, values)
    generated = {"id", "created_at", "updated_at"}
    assert {k: v for k, v in fast.__data__.items() if k not in generated} == \
        {k: v for k, v in slow.__data__.items() if k not in generated}
    assert set(fast.__data__) == set(slow.__data__)
    assert fast.__rel__ == slow.__rel__ == {"service": service}
    assert fast.service is service and fast.booking_id == "b-1"
    booking = Booking.new(client=client, code="123456", status="confirmed", starts_at=at, ends_at=at,
                          total=Decimal(0))
    assert booking.client is client and booking.client_id == "c-1"
    assert booking.source == "admin" and booking.comment == ""  # static defaults
    assert booking.id and booking.id != BookingItem.new().id  # a new id per row
