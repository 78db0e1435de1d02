"""Compiled row statements read and write exactly what peewee's own queries would."""
import sqlite3
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.storage import statements
from appliance.storage.models.base import AuditLog, ChangeLog
from appliance.storage.models.bookings import Booking
from appliance.storage.models.catalogue import Service, ServiceCategory, StaffService
from appliance.storage.models.clients import Client


@pytest.fixture
def category(salon, system):
    from appliance.services.catalogue import create_category

    return create_category(system, {"name": "Hair"})


def test_a_row_written_by_create_reads_back_equal_through_peewee_and_statements(category):
    service = Service.create(category=category, name="Cut ʻoʻ", duration_min=45, buffer_min=5,
                             price=Decimal("150000.50"), price_max=None, room_type="", equipment_type="")
    by_peewee = Service.get_by_id(service.id)
    by_statement = statements.get_by_id(Service, service.id)
    assert by_statement.__data__ == by_peewee.__data__
    assert by_statement.price == Decimal("150000.50") and by_statement.category_id == category.id
    assert isinstance(by_statement.created_at, datetime) and by_statement.created_at.tzinfo is not None


def test_update_row_writes_every_field_and_counts_rows(category):
    service = Service.create(category=category, name="Cut", duration_min=45, price=Decimal("100"))
    service.name, service.active = "Cut and style", False
    assert statements.update_row(service) == 1
    again = Service.get_by_id(service.id)
    assert (again.name, again.active) == ("Cut and style", False)
    ghost = Service(id="no-such-id", category=category, name="x", duration_min=1, price=Decimal("1"))
    assert statements.update_row(ghost) == 0


def test_find_one_by_several_fields_and_refuses_ambiguity(category):
    Service.create(category=category, name="Twin", duration_min=30, price=Decimal("1"))
    Service.create(category=category, name="Twin", duration_min=30, price=Decimal("2"))
    assert statements.find_one(Service, name="Nobody") is None
    with pytest.raises(LookupError):
        statements.find_one(Service, name="Twin", duration_min=30)
    assert statements.find_one(Service, name="Twin", price=Decimal("2")).price == Decimal("2")


def test_rows_where_in_reads_past_the_chunk_size(category, monkeypatch):
    made = [ServiceCategory.create(name=f"C{i}", sort_order=i).id for i in range(7)]
    monkeypatch.setattr(statements, "IN_CHUNK", 3)
    found = statements.rows_where_in(ServiceCategory, "id", made + ["missing"], active=True)
    assert sorted(r.id for r in found) == sorted(made)
    assert statements.rows_where_in(ServiceCategory, "id", []) == []


def test_auto_increment_rows_get_their_key(salon):
    entry = AuditLog.create(actor_kind="system", action="test", entity="x", entity_id="1", details={"a": 1})
    assert entry.id == AuditLog.select().order_by(AuditLog.id.desc()).first().id
    assert AuditLog.get_by_id(entry.id).details == {"a": 1}


def test_inserts_inside_a_transaction_roll_back_with_it(category):
    from appliance.storage.database import database

    before = ChangeLog.select().count()
    with pytest.raises(RuntimeError):
        with database.atomic():
            Service.create(category=category, name="Ghost", duration_min=10, price=Decimal("1"))
            raise RuntimeError
    assert ChangeLog.select().count() == before
    assert not Service.select().where(Service.name == "Ghost").exists()


texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=texts, notes=texts, visits=st.integers(0, 10**6), birthday=st.none() | st.dates(date(1900, 1, 1)),
       tags=st.lists(texts, max_size=3), consents=st.dictionaries(st.sampled_from(["sms", "email"]), st.booleans()))
def test_client_rows_round_trip_any_values(salon, first, notes, visits, birthday, tags, consents):
    client = Client.create(first_name=first, notes=notes, visit_count=visits, birthday=birthday, tags=tags,
                           consents=consents, joined_on=date(2026, 1, 1))
    read = statements.get_by_id(Client, client.id)
    assert read.__data__ == Client.get_by_id(client.id).__data__
    assert (read.first_name, read.notes, read.visit_count, read.birthday, read.tags, read.consents) == (
        first, notes, visits, birthday, tags, consents)


def test_first_row_orders_by_the_named_field(salon):
    from appliance.storage.models.catalogue import Salon

    assert statements.first_row(Salon, "created_at").id == Salon.select().order_by(Salon.created_at).first().id


def test_partial_indexes_serve_the_resource_lookups(app, tmp_path):
    path = tmp_path / "data" / "box.sqlite3"
    plan = sqlite3.connect(path).execute(
        "EXPLAIN QUERY PLAN SELECT booking_id FROM booking_item WHERE room_id IN (?) AND starts_at < ? "
        "AND starts_at > ?", ["r", "2", "1"]).fetchall()
    assert "bookingitem_room_id_starts_at" in plan[0][3]
    assert Booking._meta.fields["status"].index is False
    assert StaffService._meta.indexes  # the (staff, service) uniqueness stays
