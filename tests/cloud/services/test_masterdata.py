"""Master data edited by head office: exact money, durations, ranges, and the way down to the boxes (SY2, SV1)."""
import uuid
from decimal import Decimal

import pytest

from cloud.services import masterdata
from cloud.services.errors import InvalidInput, NotFound, Refused
from cloud.services.money import form_text, parse_amount, to_snapshot
from cloud.storage.models import EntityRow, Fanout, Salon
from cloud.storage.users import AuditEntry
from tests.cloud.head_office_seed import add_user, new_id, seed_business


@pytest.fixture
def business(cloud_db):
    return seed_business()


@pytest.fixture
def editor(cloud_db):
    return add_user("head_office", "anna")


def form(**changes) -> dict:
    return {"name": "Haircut", "category": None, "duration_min": "60", "price": "150000", "price_max": "",
            "active": True, **changes}


def reasons(exc_info) -> dict:
    return {field: reason for field, (reason, _params) in exc_info.value.fields.items()}


@pytest.mark.parametrize("text, currency, amount", [
    ("150000", "UZS", Decimal(150000)), ("150 000", "UZS", Decimal(150000)), ("150,000", "UZS", Decimal(150000)),
    ("1.250.000", "UZS", Decimal(1250000)), ("99.50", "RUB", Decimal("99.50")), ("99,5", "RUB", Decimal("99.5")),
    ("1\u00a0500,25", "RUB", Decimal("1500.25")), ("0", "RUB", Decimal(0)),
])
def test_amounts_are_read_exactly(text, currency, amount):
    assert parse_amount(text, currency) == (amount, None)


@pytest.mark.parametrize("text, currency, reason", [
    ("12.5", "UZS", "whole_amounts"), ("150000.01", "UZS", "whole_amounts"), ("99.505", "RUB", "too_many_places"),
    ("abc", "RUB", "not_a_number"), ("-5", "RUB", "not_a_number"), ("1e3", "RUB", "not_a_number"),
    ("NaN", "UZS", "not_a_number"), ("1000000000000", "UZS", "too_large"), ("100", "", "currency_unknown"),
])
def test_amounts_finer_than_the_currency_or_not_numbers_are_refused(text, currency, reason):
    amount, problem = parse_amount(text, currency)
    assert amount is None and problem[0] == reason


def test_amounts_are_written_as_the_box_writes_them():
    assert to_snapshot(Decimal(150000)) == "150000.00" and to_snapshot(Decimal("99.5")) == "99.50"
    assert to_snapshot(None) is None
    assert form_text(Decimal("150000.00"), "UZS") == "150000" and form_text(Decimal("99.5"), "RUB") == "99.50"
    assert form_text(Decimal("10.50"), "UZS") == "10.50"  # shown as it is, so saving it is refused, not rounded


@pytest.mark.parametrize("changes, field, reason", [
    ({"duration_min": "4"}, "duration_min", "number_range"),
    ({"duration_min": "721"}, "duration_min", "number_range"),
    ({"duration_min": "60.5"}, "duration_min", "whole_number"),
    ({"duration_min": ""}, "duration_min", "required"),
    ({"price": ""}, "price", "required_price"),
    ({"price_max": "149999"}, "price_max", "below_price"),
    ({"name": "  "}, "name", "required"),
    ({"name": "x" * 201}, "name", "too_long"),
    ({"category": "nope"}, "category", "unknown_category"),
    ({"category": ""}, "category", "choose"),
])
def test_service_fields_are_checked(changes, field, reason):
    values = {"category": "c1", **changes} if "category" not in changes else changes
    with pytest.raises(InvalidInput) as caught:
        masterdata.check_service(form(**values), "UZS", {"c1"})
    assert reasons(caught) == {field: reason}


def test_the_edges_of_the_rules_are_allowed():
    for minutes in ("5", "720"):
        assert masterdata.check_service(form(category="c1", duration_min=minutes), "UZS", {"c1"})["duration_min"] \
            == int(minutes)
    clean = masterdata.check_service(form(category="c1", price_max="150 000"), "UZS", {"c1"})
    assert (clean["price"], clean["price_max"]) == ("150000.00", "150000.00")


def test_a_price_edit_reaches_the_row_goes_down_to_the_salon_and_is_audited(business, editor):
    before = EntityRow.get_by_id(("service", business.haircut_id))
    masterdata.update_service(editor, business.salon_id, business.haircut_id,
                              form(category=business.hair_id, price="175 000", price_max="250000"), before.crev)
    row = EntityRow.get_by_id(("service", business.haircut_id))
    assert row.data["price"] == "175000.00" and row.data["price_max"] == "250000.00"
    assert row.crev == before.crev + 1 and row.origin == "cloud" and row.stamps["price"]["by"] == "cloud"
    assert [(f.entity, f.entity_id, f.scope, f.salon_id) for f in Fanout.select()] == [
        ("service", business.haircut_id, "salon", business.salon_id)]
    entry = AuditEntry.get(AuditEntry.action == "service.price_changed")
    assert (entry.actor_name, entry.entity_id, entry.salon_id) == ("anna", business.haircut_id, business.salon_id)
    assert entry.details == {"changes": {"price": ["150000.00", "175000.00"]}}


def test_saving_what_is_already_there_sends_nothing(business, editor):
    masterdata.update_service(editor, business.salon_id, business.haircut_id,
                              form(category=business.hair_id, price="150000", price_max="250 000"))
    assert Fanout.select().count() == 0 and AuditEntry.select().where(AuditEntry.entity == "service").count() == 0


def test_a_form_opened_before_another_change_is_refused_not_overwriting_it(business, editor):
    row = EntityRow.get_by_id(("service", business.haircut_id))
    with pytest.raises(Refused) as caught:
        masterdata.update_service(editor, business.salon_id, business.haircut_id,
                                  form(category=business.hair_id, price="1000"), row.crev - 1)
    assert caught.value.reason == "changed_meanwhile"
    assert EntityRow.get_by_id(("service", business.haircut_id)).data["price"] == "150000.00"


def test_a_service_is_found_only_in_its_own_salon(business, editor):
    Salon.create(id=new_id())
    other = Salon.select().where(Salon.id != business.salon_id).get().id
    with pytest.raises(NotFound):
        masterdata.update_service(editor, other, business.haircut_id, form(category=business.hair_id))


def test_a_new_service_gets_a_uuid7_and_a_whole_row_for_the_box(business, editor):
    row = masterdata.create_service(editor, business.salon_id,
                                    form(name="Colouring", category=business.hair_id, duration_min="90",
                                         price="350000", price_max="500 000"))
    assert uuid.UUID(row.entity_id).version == 7 and row.salon_id == business.salon_id
    data = EntityRow.get_by_id(("service", row.entity_id)).data
    assert {k: data[k] for k in ("id", "name", "category", "duration_min", "price", "price_max", "active")} == {
        "id": row.entity_id, "name": "Colouring", "category": business.hair_id, "duration_min": 90,
        "price": "350000.00", "price_max": "500000.00", "active": True}
    assert {"buffer_min", "bookable_online", "room_type", "equipment_type", "created_at"} <= data.keys()
    assert Fanout.get().entity_id == row.entity_id
    assert AuditEntry.get(AuditEntry.action == "service.created").entity_id == row.entity_id


def test_a_new_service_needs_an_active_category_of_the_salon(business, editor):
    with pytest.raises(InvalidInput) as caught:
        masterdata.create_service(editor, business.salon_id, form(category=business.closed_category_id))
    assert reasons(caught) == {"category": "unknown_category"}
    assert EntityRow.select().where(EntityRow.entity == "service").count() == 3


def test_without_a_known_currency_no_price_is_accepted(business, editor):
    salon = EntityRow.get_by_id(("salon", business.salon_id))
    salon.data = {**salon.data, "currency": ""}
    salon.save()
    with pytest.raises(InvalidInput) as caught:
        masterdata.update_service(editor, business.salon_id, business.haircut_id, form(category=business.hair_id))
    assert reasons(caught) == {"price": "currency_unknown"}


def test_a_staff_role_change_goes_down_and_is_audited_as_a_permission_change(business, editor):
    masterdata.update_staff(editor, business.salon_id, business.admin_id,
                            {"first_name": "Svetlana", "last_name": "Ivanova", "role": "manager", "active": True})
    assert EntityRow.get_by_id(("staff", business.admin_id)).data["role"] == "manager"
    entry = AuditEntry.get(AuditEntry.action == "staff.role_changed")
    assert entry.details == {"changes": {"role": ["administrator", "manager"]}}
    assert Fanout.get().entity == "staff"
    with pytest.raises(InvalidInput) as caught:
        masterdata.update_staff(editor, business.salon_id, business.admin_id, {"first_name": "", "role": "boss"})
    assert reasons(caught) == {"first_name": "required", "role": "choose"}


def test_lists_read_the_box_snapshots(business):
    services = masterdata.services(business.salon_id)
    assert [(s.name, s.category_name, s.duration_min, s.price, s.price_max, s.active) for s in services] == [
        ("Haircut", "Hair", 60, Decimal(150000), Decimal(250000), True),
        ("Manicure", "Hair", 45, Decimal(90000), None, True),
        ("Laser", "Old things", 30, Decimal(300000), None, False)]
    assert [(p.last_name, p.role) for p in masterdata.staff_members(business.salon_id)] == [
        ("Ivanova", "administrator"), ("Karimova", "master")]
