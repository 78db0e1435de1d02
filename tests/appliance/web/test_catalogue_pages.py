"""Catalogue pages (SV1, ST3): services, categories, rooms, equipment, staff and skills; nothing is deleted."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from appliance.services.auth import login
from appliance.services.context import Actor
from appliance.services.staff import create_staff
from appliance.storage.models.catalogue import Equipment, Room, Service, ServiceCategory, Staff, StaffService

from tests.appliance.web.form_client import PASSWORD, field_block, sign_in


@pytest.fixture
def manager(app, small_salon):
    return sign_in(app, "manager")


def service_form(small_salon, **changes):
    data = {"name": "Colouring", "category_id": small_salon["cut"].category_id, "description": "",
            "duration_min": "90", "buffer_min": "10", "price": "350 000", "price_max": "", "room_type": "",
            "equipment_type": "", "bookable_online": "1", "sort_order": "0"}
    return {**data, **changes}


def test_services_are_listed_by_category_with_price_duration_and_needs(manager, small_salon):
    html = manager.get("/catalogue/services").get_data(as_text=True)
    assert "Hair" in html and "Haircut" in html and "Laser" in html
    assert re.search(r"150\D000\s*–\s*250\D000\D*UZS", html)  # a price range, the currency once
    assert "60 min" in html and "+15 min" in html
    assert "room</span>" not in html and "cabinet" in html and "laser" in html
    assert 'href="/catalogue/services/new"' in html


def test_adding_a_service(manager, small_salon):
    response = manager.post("/catalogue/services/new", service_form(small_salon, price_max="500000"))
    assert response.status_code == 302
    service = Service.get(Service.name == "Colouring")
    assert (service.price, service.price_max, service.duration_min, service.buffer_min) == (
        Decimal(350000), Decimal(500000), 90, 10)
    assert service.bookable_online and service.active
    assert "Colouring" in manager.get("/catalogue/services").get_data(as_text=True)


@pytest.mark.parametrize("price, message", [
    ("abc", "Enter a number, like 150000 or 99.50."),
    ("12.5", "Prices in UZS are whole numbers."),
    ("", "Enter a price."),
])
def test_a_bad_price_is_shown_next_to_the_field_and_nothing_is_lost(manager, small_salon, price, message):
    response = manager.post("/catalogue/services/new", service_form(small_salon, price=price,
                                                                     description="Long text typed by hand"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    block = field_block(html, "price")
    assert "has-error" in block and message in block and f'value="{price}"' in block
    assert 'value="Colouring"' in field_block(html, "name") and "Long text typed by hand" in html
    assert f'value="{small_salon["cut"].category_id}" selected' in html
    assert not Service.select().where(Service.name == "Colouring").exists()


def test_editing_a_service_and_its_price_checks(manager, small_salon):
    cut = small_salon["cut"]
    page = manager.get(f"/catalogue/services/{cut.id}").get_data(as_text=True)
    assert 'value="150000"' in field_block(page, "price") and 'value="250000"' in field_block(page, "price_max")

    response = manager.post(f"/catalogue/services/{cut.id}", service_form(small_salon, name="Haircut long",
                                                                          price="-5", price_max="100"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "has-error" in field_block(html, "price") and 'value="-5"' in field_block(html, "price")
    assert 'value="Haircut long"' in html
    assert Service.get_by_id(cut.id).name == "Haircut"

    response = manager.post(f"/catalogue/services/{cut.id}", service_form(small_salon, name="Haircut long",
                                                                          price="200000", price_max="100000"))
    assert "The upper price must not be below the price." in field_block(response.get_data(as_text=True),
                                                                          "price_max")

    response = manager.post(f"/catalogue/services/{cut.id}", service_form(
        small_salon, name="Haircut long", price="180 000", duration_min="75", room_type="chair"))
    assert response.status_code == 302
    cut = Service.get_by_id(cut.id)
    assert (cut.name, cut.price, cut.price_max, cut.duration_min, cut.room_type) == (
        "Haircut long", Decimal(180000), None, 75, "chair")
    html = manager.get("/catalogue/services").get_data(as_text=True)
    assert 'class="need missing"' in html  # no active room of type "chair"


def test_duration_out_of_range(manager, small_salon):
    html = manager.post("/catalogue/services/new", service_form(small_salon, duration_min="2")).get_data(as_text=True)
    assert "Enter a number from 5 to 720." in field_block(html, "duration_min")


def test_deactivating_a_service_keeps_it(manager, small_salon):
    cut = small_salon["cut"]
    assert manager.post(f"/catalogue/services/{cut.id}/active", {"active": "0"}).status_code == 302
    assert Service.get_by_id(cut.id).active is False
    assert f'id="s-{cut.id}"' not in manager.get("/catalogue/services").get_data(as_text=True)
    html = manager.get("/catalogue/services?inactive=1").get_data(as_text=True)
    assert f'id="s-{cut.id}" class="inactive"' in html and "Inactive" in html
    manager.post(f"/catalogue/services/{cut.id}/active", {"active": "1"})
    assert Service.get_by_id(cut.id).active is True


def test_categories_tree_add_move_and_deactivate(manager, small_salon):
    hair = ServiceCategory.get_by_id(small_salon["cut"].category_id)
    assert manager.post("/catalogue/categories", {"name": "Colour", "parent_id": hair.id,
                                                  "sort_order": "1"}).status_code == 302
    colour = ServiceCategory.get(ServiceCategory.name == "Colour")
    assert colour.parent_id == hair.id
    html = manager.get("/catalogue/categories").get_data(as_text=True)
    html = html[html.index("<table"):]
    assert html.index("Hair") < html.index("Colour") and "--depth: 1" in html

    response = manager.post("/catalogue/categories", {"name": "", "parent_id": hair.id, "sort_order": "x"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Fill this in." in field_block(html, "name") and "Enter a whole number." in field_block(html, "sort_order")

    # A category cannot move under its own child.
    response = manager.post(f"/catalogue/categories/{hair.id}", {"name": "Hair", "parent_id": colour.id,
                                                                 "sort_order": "0"})
    assert response.status_code == 422
    assert ServiceCategory.get_by_id(hair.id).parent_id is None

    # One that holds active services stays; an empty one becomes inactive (not deleted).
    manager.post(f"/catalogue/categories/{hair.id}/active", {"active": "0"})
    assert ServiceCategory.get_by_id(hair.id).active is True
    manager.post(f"/catalogue/categories/{colour.id}/active", {"active": "0"})
    assert ServiceCategory.get_by_id(colour.id).active is False


def test_rooms_and_equipment(manager, small_salon):
    response = manager.post("/catalogue/rooms", {"name": "Cabinet 2", "type": "cabinet", "capacity": "0"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter a number from 1 to 100." in field_block(html, "capacity") and 'value="Cabinet 2"' in html
    assert manager.post("/catalogue/rooms", {"name": "Cabinet 2", "type": "cabinet",
                                             "capacity": "2"}).status_code == 302
    room = Room.get(Room.name == "Cabinet 2")
    assert room.capacity == 2 and room.room_type == "cabinet"
    assert manager.post(f"/catalogue/rooms/{room.id}", {"name": "Cabinet II", "type": "cabinet",
                                                        "capacity": "3"}).status_code == 302
    manager.post(f"/catalogue/rooms/{room.id}/active", {"active": "0"})
    assert Room.get_by_id(room.id).active is False and Room.get_by_id(room.id).name == "Cabinet II"

    assert manager.post("/catalogue/equipment", {"name": "Laser B", "type": "laser"}).status_code == 302
    unit = small_salon["laser_unit"]
    manager.post(f"/catalogue/equipment/{unit.id}/active", {"active": "0"})
    assert Equipment.get_by_id(unit.id).active is False
    assert "cabinet" in manager.get("/catalogue/rooms").get_data(as_text=True)


def test_adding_staff_with_a_weak_password_shows_the_policy(manager, small_salon):
    person = {"first_name": "Anna", "last_name": "Lee", "position": "Stylist", "role": "master", "phone": "",
              "email": "", "bookable": "1", "color": "#aa3366", "sort_order": "0", "locale": "ru",
              "username": "anna", "password": "letters"}
    response = manager.post("/catalogue/staff/new", person)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    block = field_block(html, "password")
    assert "has-error" in block and "Use at least 8 characters." in block
    assert 'value="Anna"' in html and 'value="anna"' in html
    assert not Staff.select().where(Staff.username == "anna").exists()

    response = manager.post("/catalogue/staff/new", {**person, "password": "lettersonly"})
    assert "Mix letters with digits or symbols." in field_block(response.get_data(as_text=True), "password")

    response = manager.post("/catalogue/staff/new", {**person, "password": "Good-pass-1"})
    assert response.status_code == 302 and "/skills" in response.headers["Location"]
    login("anna", "Good-pass-1", timedelta(minutes=5))


def test_editing_staff_password_and_switching_off(manager, small_salon):
    master = small_salon["masters"][0]
    values = {"first_name": "Dilnoza", "last_name": "", "position": "", "role": "master", "phone": "",
              "email": "not-an-email", "bookable": "1", "color": "#7c9cbf", "sort_order": "0", "locale": "ru",
              "username": "dilnoza", "password": "New-pass-1"}
    html = manager.post(f"/catalogue/staff/{master.id}", values).get_data(as_text=True)
    assert "has-error" in field_block(html, "email") and 'value="New-pass-1"' in field_block(html, "password")
    assert manager.post(f"/catalogue/staff/{master.id}", {**values, "email": ""}).status_code == 302
    assert Staff.get_by_id(master.id).username == "dilnoza"
    login("dilnoza", "New-pass-1", timedelta(minutes=5))

    manager.post(f"/catalogue/staff/{master.id}/active", {"active": "0"})
    assert Staff.get_by_id(master.id).active is False


def test_a_manager_cannot_take_over_the_owner(app, small_salon):
    owner = create_staff(Actor.system(), {"first_name": "Boss", "role": "owner", "username": "boss",
                                          "password": PASSWORD})
    manager = sign_in(app, "manager")
    html = manager.get(f"/catalogue/staff/{owner.id}").get_data(as_text=True)
    assert 'name="password"' not in html and 'name="role"' not in html
    manager.post(f"/catalogue/staff/{owner.id}", {"first_name": "Boss", "role": "manager", "username": "boss",
                                                  "password": "Taken-over-1", "locale": "ru", "color": "#7c9cbf"})
    owner = Staff.get_by_id(owner.id)
    assert owner.role == "owner"
    login("boss", PASSWORD, timedelta(minutes=5))
    assert manager.post(f"/catalogue/staff/{owner.id}/active", {"active": "0"}).status_code == 403
    html = manager.get("/catalogue/staff/new").get_data(as_text=True)
    assert 'value="owner"' not in html


def test_skills_editor_saves_own_duration_and_price(manager, small_salon):
    master, cut, laser = small_salon["masters"][0], small_salon["cut"], small_salon["laser"]
    html = manager.get(f"/catalogue/staff/{master.id}/skills").get_data(as_text=True)
    assert f'name="s-{cut.id}-on" value="1" checked' in html

    response = manager.post(f"/catalogue/staff/{master.id}/skills", {
        f"s-{cut.id}-on": "1", f"s-{cut.id}-duration": "45", f"s-{cut.id}-price": "200 000",
        f"s-{cut.id}-price_max": "", f"s-{laser.id}-duration": "", f"s-{laser.id}-price": ""})
    assert response.status_code == 302
    skills = {s.service_id: s for s in StaffService.select().where(StaffService.staff == master.id)}
    assert skills[cut.id].active and skills[cut.id].duration_min == 45 and skills[cut.id].price == Decimal(200000)
    assert skills[laser.id].active is False  # dropped, not deleted


def test_a_bad_skill_price_keeps_the_ticks(manager, small_salon):
    master, cut, laser = small_salon["masters"][0], small_salon["cut"], small_salon["laser"]
    response = manager.post(f"/catalogue/staff/{master.id}/skills", {
        f"s-{cut.id}-on": "1", f"s-{cut.id}-price": "a lot", f"s-{laser.id}-on": "1",
        f"s-{laser.id}-duration": "1000"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "has-error" in field_block(html, f"s-{cut.id}-price") and 'value="a lot"' in html
    assert "Enter a number from 5 to 720." in field_block(html, f"s-{laser.id}-duration")
    assert f'name="s-{laser.id}-on" value="1" checked' in html
    assert StaffService.get((StaffService.staff == master.id) & (StaffService.service == cut.id)).price is None


def test_administrator_reads_the_catalogue_but_cannot_change_it(app, small_salon):
    admin = sign_in(app, "administrator")
    cut, master = small_salon["cut"], small_salon["masters"][0]
    html = admin.get("/catalogue/services").get_data(as_text=True)
    assert "Haircut" in html and "/catalogue/services/new" not in html
    assert admin.get("/catalogue/services/new").status_code == 403
    for path, data in ((f"/catalogue/services/{cut.id}", {"name": "X"}),
                       ("/catalogue/services/new", {"name": "X"}),
                       (f"/catalogue/services/{cut.id}/active", {"active": "0"}),
                       ("/catalogue/categories", {"name": "X"}),
                       ("/catalogue/rooms", {"name": "X", "type": "x", "capacity": "1"}),
                       (f"/catalogue/staff/{master.id}/skills", {}),
                       (f"/catalogue/staff/{master.id}/active", {"active": "0"})):
        assert admin.post(path, data).status_code == 403, path
    assert Service.get_by_id(cut.id).active and Staff.get_by_id(master.id).active


def test_pages_need_a_signed_in_user(app, small_salon):
    response = app.test_client().get("/catalogue/services")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_switching_off_a_master_with_future_bookings_warns(manager, small_salon):
    from appliance.services.bookings import create_booking
    from appliance.storage.models.base import utc_now

    master = small_salon["masters"][1]
    start = (utc_now() + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
    create_booking(Actor.system(), {"client_id": small_salon["client"].id, "starts_at": start, "items": [
        {"service_id": small_salon["cut"].id, "master_id": master.id}]})
    response = manager.post(f"/catalogue/staff/{master.id}/active", {"active": "0"})
    html = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 future booking still uses it" in html
    assert Staff.get_by_id(master.id).active is False


def test_a_bad_phone_is_shown_next_to_the_field(manager, small_salon):
    person = {"first_name": "Anna", "role": "administrator", "phone": "12", "color": "#aa3366", "locale": "ru",
              "sort_order": "0"}
    response = manager.post("/catalogue/staff/new", person)
    assert response.status_code == 422
    block = field_block(response.get_data(as_text=True), "phone")
    assert "Enter a phone number with the country code" in block and 'value="12"' in block
    assert manager.post("/catalogue/staff/new", {**person, "phone": "+998 90 765 43 21"}).status_code == 302
    assert Staff.get(Staff.first_name == "Anna").phone == "+998907654321"
