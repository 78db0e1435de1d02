"""Catalogue and staff rules that the pages and the API share."""
from datetime import date
from decimal import Decimal

import pytest

from appliance.domain.schedule import WEEKLY
from appliance.services import catalogue, schedules
from appliance.services.context import Actor
from appliance.services.errors import Forbidden, InvalidInput
from appliance.services.schedules import schedules_for
from appliance.services.staff import create_staff, set_skills, update_staff


def test_categories_cannot_form_a_loop(salon, system):
    top = catalogue.create_category(system, {"name": "Hair"})
    child = catalogue.create_category(system, {"name": "Colour", "parent_id": top.id})
    with pytest.raises(InvalidInput, match="under itself"):
        catalogue.update_category(system, top.id, {"parent_id": child.id})


def test_service_of_a_retired_category_stays_editable(salon, system):
    old = catalogue.create_category(system, {"name": "Old"})
    service = catalogue.create_service(system, {"category_id": old.id, "name": "Perm", "duration_min": 90,
                                                "price": Decimal("200000")})
    catalogue.update_category(system, old.id, {"active": False})
    assert not catalogue.update_service(system, service.id, {"active": False}).active


def test_only_an_owner_touches_an_owners_access(salon, system):
    owner = create_staff(system, {"first_name": "Lola", "role": "owner", "username": "lola", "password": "Owner-pass-1"})
    manager = Actor("staff", "m", "manager")
    for change in ({"password": "Taken-over-1"}, {"username": "mine"}, {"active": False}):
        with pytest.raises(Forbidden):
            update_staff(manager, owner.id, change)
    assert update_staff(manager, owner.id, {"position": "Founder"}).position == "Founder"


def test_skill_price_range_is_checked(small_salon, system):
    master = small_salon["masters"][0]
    with pytest.raises(InvalidInput) as error:
        set_skills(system, master.id, [{"service_id": small_salon["cut"].id, "price": Decimal("200000"),
                                        "price_max": Decimal("100000")}])
    assert error.value.fields[0][0] == "skills.0.price_max"


def test_the_template_created_last_wins_on_the_same_start_day(small_salon, system):
    master = small_salon["masters"][0]
    start = date(2027, 1, 4)
    for hours in (["09:00", "18:00"], ["12:00", "20:00"]):
        schedules.create_pattern(system, master.id, {"kind": WEEKLY, "days": [[hours]] * 7, "valid_from": start})
    (day,) = [str(t) for t in schedules_for([master.id], start, start)[master.id].intervals_on(start)[0][:1]]
    assert day == "12:00:00"


def test_long_absence_reason_fits(small_salon, system):
    absence = schedules.create_absence(system, small_salon["masters"][0].id, {
        "date_from": date(2027, 2, 1), "date_to": date(2027, 2, 2), "reason": "absence_without_leave"})
    assert absence.reason == "absence_without_leave"
