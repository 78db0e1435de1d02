"""Every change to a synced row lands in the change log in the same transaction (SY1, SY3)."""
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from appliance.services.catalogue import create_category, create_service
from appliance.services.staff import create_staff, update_staff
from appliance.storage.database import database
from appliance.storage.fields import MoneyField, json_value
from appliance.storage.models.base import ChangeLog
from appliance.storage.models.bookings import BookingItem
from appliance.storage.statements import PreparedWrites, insert_columns
from appliance.storage.models.catalogue import Service, ServiceCategory


def test_create_and_update_are_logged_in_order_with_changed_fields(salon, system):
    before = ChangeLog.select().count()
    category = create_category(system, {"name": "Nails"})
    service = create_service(system, {"category_id": category.id, "name": "Manicure", "duration_min": 60,
                                      "price": Decimal("120000")})
    service.price = Decimal("130000")
    service.save()
    entries = list(ChangeLog.select().where(ChangeLog.seq > 0).order_by(ChangeLog.seq))[before:]
    assert [(e.entity, e.entity_id) for e in entries] == [
        ("service_category", category.id), ("service", service.id), ("service", service.id)]
    assert entries[-1].changed == ["price"]
    assert Decimal(entries[-1].payload["price"]) == Decimal("130000") and entries[-1].payload["rev"] == 2
    assert entries[1].seq < entries[2].seq


def test_a_rolled_back_change_leaves_no_log_entry(salon, system):
    before = ChangeLog.select().count()
    with pytest.raises(RuntimeError):
        with database.atomic():
            create_category(system, {"name": "Ghost"})
            raise RuntimeError("abort")
    assert ChangeLog.select().count() == before
    assert not ServiceCategory.select().where(ServiceCategory.name == "Ghost").exists()


def test_password_hash_never_enters_the_log(salon, system):
    staff = create_staff(system, {"first_name": "Ann", "role": "administrator", "username": "ann",
                                  "password": "Secret-123"})
    update_staff(system, staff.id, {"password": "Other-456"})
    for entry in ChangeLog.select().where(ChangeLog.entity_id == staff.id):
        assert "password_hash" not in entry.payload
        assert "argon2" not in str(entry.payload)


def test_synced_rows_are_never_deleted(salon, system):
    category = create_category(system, {"name": "Keep"})
    with pytest.raises(TypeError, match="deactivated"):
        category.delete_instance()
    assert ServiceCategory.select().where(ServiceCategory.id == category.id).exists()


def test_saving_a_row_that_does_not_exist_fails_loudly(salon, system):
    ghost = Service(id="00000000-0000-7000-8000-000000000000", name="x")
    with pytest.raises(LookupError):
        ghost.save()


def _reference_snapshot(row) -> dict:
    """What the outbox must show of ``row``, worked out the slow, general way: each field through
    json_value, money through its column and back."""
    shown = {}
    for field in type(row)._meta.sorted_fields:
        value = row.__data__.get(field.name)
        if isinstance(field, MoneyField) and value is not None:
            shown[field.name] = str(field.python_value(field.db_value(value)))
        else:
            shown[field.name] = json_value(value)
    return shown


_instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1),
                         timezones=st.sampled_from([timezone.utc, ZoneInfo("Asia/Tashkent"), ZoneInfo("Europe/Berlin")]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(price=st.decimals(min_value=0, max_value=10**9, places=2) | st.integers(0, 10**9).map(Decimal), starts=_instants, minutes=st.integers(1, 600),
       room=st.none() | st.just("01a233b9-0000-7000-8000-000000000001"), active=st.booleans())
def test_a_new_rows_outbox_payload_is_its_snapshot_and_the_insert_writes_its_values(app, price, starts, minutes,
                                                                                   room, active):
    # The INSERT's parameters and the payload come from one pass over the fields; both must be
    # what the column conversion and snapshot() give on their own.
    writes = PreparedWrites()
    item = BookingItem.prepare_create(
        writes, booking="b", position=0, service="s", master="m", room=room, equipment=None, starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes), busy_until=starts + timedelta(minutes=minutes),
        price=price, active=active)
    (insert_sql, params), (log_sql, log_params) = writes.statements
    fields, _, sql = insert_columns(BookingItem)
    assert insert_sql == sql
    assert params == [f.db_value(item.__data__.get(f.name)) for f in fields]
    log = dict(zip([f.name for f in insert_columns(ChangeLog)[0]], log_params))
    expected = _reference_snapshot(item)
    assert item.snapshot() == expected
    assert log["payload"] == ChangeLog.payload.db_value(expected)  # the same text, key order included
    assert log["recorded_at"] == params[[f.name for f in fields].index("updated_at")]
    assert json.loads(log["changed"]) == list(BookingItem._meta.sorted_field_names)
    assert (log["entity"], log["entity_id"], log["op"]) == ("booking_item", item.id, "upsert")
