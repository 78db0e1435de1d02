"""Client cards: normalised phones, fast search, status, duplicates and merge (CL1, CL2, CL7)."""
from datetime import timedelta

import pytest

from appliance.services.bookings import create_booking, set_status
from appliance.services.clients import create_client, duplicate_groups, merge_clients, search_clients, status_of
from appliance.services.context import SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking
from appliance.storage.models.clients import Client


@pytest.fixture
def people(salon, system):
    return [
        create_client(system, {"first_name": "Анна", "last_name": "Смирнова", "phone": "90 111 22 33",
                               "tags": ["VIP"]}),
        create_client(system, {"first_name": "Oʻgʻiloy", "last_name": "Rahimova", "phone": "+998 93 444 55 66"}),
        create_client(system, {"first_name": "Gʻulom", "last_name": "Karimov", "phone": "+7 916 123-45-67",
                               "card_number": "C-0042"}),
    ]


@pytest.mark.parametrize("query,expected", [
    ("смир", ["Анна"]), ("СМИРНОВА анна", ["Анна"]), ("4455", ["Oʻgʻiloy"]), ("+998 93", ["Oʻgʻiloy"]),
    ("oʻgʻil", ["Oʻgʻiloy"]), ("c-0042", ["Gʻulom"]), ("916123", ["Gʻulom"]), ("nobody", []), ("100%", []),
])
def test_search_by_name_part_phone_fragment_or_card(people, query, expected):
    rows, total = search_clients(query)
    assert sorted(r.first_name for r in rows) == expected and total == len(expected)


def test_phones_are_stored_in_e164_and_bad_ones_name_the_field(people, system):
    assert people[0].phone == "+998901112233"
    with pytest.raises(InvalidInput) as error:
        create_client(system, {"first_name": "X", "phone": "12"})
    assert error.value.fields[0][0] == "phone"
    with pytest.raises(InvalidInput) as error:
        create_client(system, {"first_name": "X", "extra_phones": ["+998901112234", "nope"]})
    assert error.value.fields[0][0] == "extra_phones.1"


def test_duplicate_phone_is_refused_unless_allowed_then_offered_for_merge(people, system):
    with pytest.raises(Conflict) as error:
        create_client(system, {"first_name": "Anya", "phone": "+998901112233"})
    assert error.value.conflicts[0]["id"] == people[0].id
    twin = create_client(system, {"first_name": "Anya", "phone": "+998901112233", "tags": ["new"]},
                         allow_duplicate=True)
    groups = duplicate_groups()
    assert [[c.id for c in g] for g in groups] == [[people[0].id, twin.id]]


def test_merge_moves_history_and_keeps_the_source_inactive(people, system, small_salon):
    target = people[0]
    twin = create_client(system, {"first_name": "Anya", "phone": "+998901112233", "tags": ["new"],
                                  "extra_phones": ["+998977776655"]}, allow_duplicate=True)
    start = utc_now().replace(microsecond=0) + timedelta(days=1)
    start = start.replace(hour=5, minute=0, second=0)  # 10:00 in Tashkent
    booking = create_booking(system, {"client_id": twin.id, "starts_at": start, "items": [
        {"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][0].id}]})
    merged = merge_clients(system, target.id, twin.id)
    assert Booking.get_by_id(booking.id).client_id == target.id
    assert set(merged.tags) == {"VIP", "new"} and "+998977776655" in merged.extra_phones
    source = Client.get_by_id(twin.id)
    assert not source.active and source.merged_into_id == target.id
    assert [r.id for r in search_clients("7776655")[0]] == [target.id]


def test_status_follows_completed_visits(people, system, small_salon):
    ctx = SalonContext.load()
    client = people[1]
    assert status_of(client, ctx) == "potential"
    start = (utc_now() + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
    booking = create_booking(system, {"client_id": client.id, "starts_at": start, "items": [
        {"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][1].id}]})
    set_status(system, booking.id, "arrived")
    set_status(system, booking.id, "completed")
    assert status_of(Client.get_by_id(client.id), ctx) == "new"
    assert [c.id for c in search_clients(status="new")[0]] == [client.id]
    assert search_clients(tag="VIP")[1] == 1


def test_roles_without_contacts_cannot_search_by_phone(people):
    assert search_clients("4455", by_phone=False)[1] == 3  # digit words are ignored, not matched
    assert [c.first_name for c in search_clients("Rahimova 4455", by_phone=False)[0]] == ["Oʻgʻiloy"]
