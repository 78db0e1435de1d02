"""What the checkout tests share: an administrator at the desk, a booked visit, a shampoo in stock, a printer."""
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest

from appliance.services import bookings, printers, stock, stock_catalogue
from appliance.services.context import Actor, SalonContext
from appliance.services.staff import create_staff

SHAMPOO_BARCODE = "4006381333931"


@pytest.fixture
def desk(small_salon):
    """An administrator (the actor) who works the register."""
    person = create_staff(Actor.system(), {"first_name": "Svetlana", "role": "administrator"})
    return Actor("staff", person.id, "administrator")


def book_visit(small_salon, hour: int, master: int = 0, service: str = "cut"):
    """A confirmed booking tomorrow at ``hour`` in the salon's zone."""
    ctx = SalonContext.load()
    day = datetime.now(ctx.tz).date() + timedelta(days=1)
    return bookings.create_booking(Actor.system(), {
        "client_id": small_salon["client"].id, "starts_at": datetime.combine(day, time(hour), ctx.tz),
        "items": [{"service_id": small_salon[service].id, "master_id": small_salon["masters"][master].id}]})


@pytest.fixture
def visit(small_salon):
    """Aziza's haircut with Dilnoza tomorrow at 10 (150 000 UZS, range 150 000-250 000)."""
    return book_visit(small_salon, 10)


@pytest.fixture
def shampoo(small_salon, system):
    """A shampoo at 85 000 with ten bottles on the retail shelf."""
    product = stock_catalogue.create_product(system, {"name": "Shampoo", "barcode": SHAMPOO_BARCODE,
                                                      "retail_price": Decimal("85000")})
    stock.receive(system, [stock.LineIn(product.id, Decimal(10))])
    return product


def add_printer(system, address: str):
    """A receipt printer on ``address`` (a TcpPrinter's)."""
    return printers.create_printer(system, {"name": "Kassa", "role": "receipt", "connection": "network",
                                            "address": address, "profile": "TM-T88V", "paper_width_mm": 80,
                                            "code_page": "auto"})


class BoxDied(BaseException):
    """The process is gone: nothing of the box's runs after it (no handler of the box catches it)."""


def dies_while(monkeypatch, where: tuple, action) -> None:
    """Run ``action`` with the box dying at ``where`` (module, name); its transaction is rolled back."""
    def died(*args, **kwargs):
        raise BoxDied

    with monkeypatch.context() as patch:
        patch.setattr(*where, died)
        with pytest.raises(BoxDied):
            action()
