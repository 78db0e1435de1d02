"""Cost cards (SV2) and visit consumption (IN4): per master, service, client; once per visit; undone."""
from datetime import timedelta
from decimal import Decimal

import pytest

from appliance.services import stock, stock_catalogue as catalogue, stock_reports as reports
from appliance.services.bookings import create_booking
from appliance.services.errors import InvalidInput
from appliance.services.stock import LineIn
from appliance.services.stock_ledger import balance, default_warehouse
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.stock_ledger import StockDocument, StockMovement
from tests.appliance.services.stock_fixtures import goods  # noqa: F401


@pytest.fixture
def visit(small_salon, goods, system):
    """A haircut by Dilnoza for Aziza; the haircut's card: 30 ml of dye; 2 bottles of dye in materials."""
    catalogue.set_cost_card(system, small_salon["cut"].id, [(goods["dye"].id, Decimal(30))])
    with write_transaction():
        materials = default_warehouse("materials")
    stock.receive(system, [LineIn(goods["dye"].id, Decimal(2))], warehouse_id=materials.id)
    start = (utc_now() + timedelta(days=1)).replace(hour=5, minute=0, second=0, microsecond=0)
    booking = create_booking(system, {"client_id": small_salon["client"].id, "starts_at": start, "items": [
        {"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][0].id}]})
    return booking, materials


def test_consumption_follows_the_cost_card_once_per_visit(visit, goods, small_salon, system):
    booking, materials = visit
    doc = stock.consume_for_visit(system, booking.id)
    move = doc.movements.get()
    assert (move.quantity, move.norm, move.master_id, move.client_id, move.service_id) == (
        Decimal(-30), Decimal(30), small_salon["masters"][0].id, small_salon["client"].id, small_salon["cut"].id)
    assert stock.consume_for_visit(system, booking.id) is None  # a second call does nothing
    assert balance(materials.id, goods["dye"].id) == 1970


def test_undo_puts_materials_back_and_a_new_completion_consumes_again(visit, goods, system):
    booking, materials = visit
    first = stock.consume_for_visit(system, booking.id)
    undo = stock.undo_visit_consumption(system, booking.id)
    assert undo.reverses_id == first.id and StockDocument.get_by_id(first.id).status == "reversed"
    assert balance(materials.id, goods["dye"].id) == 2000
    assert stock.undo_visit_consumption(system, booking.id) is None
    assert stock.consume_for_visit(system, booking.id) is not None
    assert balance(materials.id, goods["dye"].id) == 1970


def test_overuse_against_the_norm_by_master(visit, goods, small_salon, system):
    booking, _ = visit
    stock.consume_for_visit(system, booking.id, actual={(small_salon["cut"].id, goods["dye"].id): Decimal(45)})
    start, end = utc_now() - timedelta(hours=1), utc_now() + timedelta(hours=1)
    [row] = reports.overuse(start, end)
    assert (row.key_id, row.norm, row.actual, row.overuse) == (
        small_salon["masters"][0].id, Decimal(30), Decimal(45), Decimal(15))
    [by_client] = reports.consumption(start, end, "client")
    assert by_client.key_id == small_salon["client"].id and by_client.actual == 45


def test_consumption_never_blocks_a_paid_visit(visit, goods, small_salon, system):
    booking, materials = visit
    catalogue.set_cost_card(system, small_salon["cut"].id, [(goods["dye"].id, Decimal(2500))])
    doc = stock.consume_for_visit(system, booking.id)
    assert doc.went_negative and balance(materials.id, goods["dye"].id) == -500


def test_cost_card_lines_are_checked(small_salon, goods, system):
    with pytest.raises(InvalidInput) as error:
        catalogue.set_cost_card(system, small_salon["cut"].id, [(goods["dye"].id, Decimal(-1))])
    assert error.value.fields[0][0] == "lines.0.quantity"
    catalogue.set_cost_card(system, small_salon["cut"].id, [(goods["dye"].id, Decimal(30))])
    catalogue.set_cost_card(system, small_salon["cut"].id, [(goods["dye"].id, Decimal(25))])
    assert [l.quantity for l in catalogue.cost_card(small_salon["cut"].id)] == [Decimal(25)]
    assert StockMovement.select().count() == 0
