"""The administrator's client card, duplicates and merge (CL2, CL7)."""
from datetime import date, timedelta

from appliance.services.bookings import create_booking, set_status
from appliance.services.clients import create_client
from appliance.services.context import Actor
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking
from appliance.storage.models.clients import Client
from tests.appliance.web.client_pages_fixtures import KARIMOVA_PHONE, post_form
from tests.appliance.web.client_pages_fixtures import as_admin, karimova  # noqa: F401  (fixtures)
from tests.appliance.web.html_tree import csrf_of, html, table_rows


def at_ten(days_from_today: int):
    """10:00 in Tashkent (05:00 UTC), ``days_from_today`` away."""
    return (utc_now() + timedelta(days=days_from_today)).replace(hour=5, minute=0, second=0, microsecond=0)


def book(salon_data, client, days_from_today: int, master_index: int = 0) -> Booking:
    return create_booking(Actor.system(), {"client_id": client.id, "starts_at": at_ten(days_from_today), "items": [
        {"service_id": salon_data["cut"].id, "master_id": salon_data["masters"][master_index].id}]})


# --- card ---------------------------------------------------------------------------------------

def test_card_shows_details_upcoming_bookings_and_visit_history(as_admin, karimova, small_salon, system):
    Client.update(allergies="Latex", notes="Likes green tea", tags=["VIP"], birthday=date(1990, 5, 31),
                  consents={"sms": True, "telegram": False}).where(Client.id == karimova.id).execute()
    done = book(small_salon, karimova, -1)
    set_status(system, done.id, "arrived")
    set_status(system, done.id, "completed")
    cancelled = book(small_salon, karimova, -2, master_index=1)
    set_status(system, cancelled.id, "cancelled", "Fell ill")
    book(small_salon, karimova, 2, master_index=1)

    response = as_admin.get(f"/clients/{karimova.id}")
    assert response.status_code == 200
    page = html(response)
    assert page.find("h1").text() == "Karimova Aziza"
    assert page.find(cls="allergy-alert").text() == "Allergies: Latex"
    assert page.find("a", href="tel:+998901234567").text() == KARIMOVA_PHONE
    assert "Likes green tea" in page.text() and page.find("span", cls="consent").text() == "SMS"
    assert page.find("span", cls="status-new")  # one completed visit, recently

    upcoming, history = page.find_all("section", cls="bookings")
    assert "Upcoming 1" in upcoming.find("h2").text()
    assert "Olga" in upcoming.text() and "Confirmed" in upcoming.text()
    rows = [r.text() for r in history.find_all("tbody", cls="booking")]
    assert len(rows) == 2
    assert "Haircut" in rows[0] and "Dilnoza" in rows[0] and "150,000" in rows[0] and "Completed" in rows[0]
    assert "Olga" in rows[1] and "Cancelled" in rows[1] and "Fell ill" in rows[1]
    kpis = page.find("dl", cls="kpis").text()
    assert "Visits 1" in kpis and "Cancelled 1" in kpis and "150,000" in kpis


def test_unknown_client_is_404(as_admin, small_salon):
    assert as_admin.get("/clients/no-such-client").status_code == 404


# --- duplicates and merge -----------------------------------------------------------------------

def test_merge_from_the_duplicates_page_moves_history_and_archives_the_source(as_admin, karimova, small_salon, system):
    twin = create_client(system, {"first_name": "Aziza", "phone": "+998901234567", "tags": ["new"],
                                  "card_number": "5001"}, allow_duplicate=True)
    booking = book(small_salon, twin, 1)

    duplicates = html(as_admin.get("/clients/duplicates"))
    group = duplicates.find("section", cls="dup-group")
    assert KARIMOVA_PHONE in group.find("h2").text()
    assert len(table_rows(group, "list")) == 2
    link = next(a for a in group.find_all("a", cls="button") if a.attrs["href"].startswith(f"/clients/{karimova.id}/"))
    assert link.attrs["href"] == f"/clients/{karimova.id}/merge?source={twin.id}"

    confirm = as_admin.get(link.attrs["href"])
    assert confirm.status_code == 200
    page = html(confirm)
    assert "Merge 1 card" in page.find("button", type="submit", cls="primary").text()
    assert Booking.get_by_id(booking.id).client_id == twin.id  # nothing happens before the POST

    response = as_admin.post(f"/clients/{karimova.id}/merge", data={"csrf_token": csrf_of(page), "source": twin.id})
    assert response.status_code == 302 and response.headers["Location"] == f"/clients/{karimova.id}"
    assert Booking.get_by_id(booking.id).client_id == karimova.id
    source = Client.get_by_id(twin.id)
    assert not source.active and source.merged_into_id == karimova.id
    kept = Client.get_by_id(karimova.id)
    assert kept.tags == ["new"] and kept.card_number == "5001"

    card = html(as_admin.get(f"/clients/{karimova.id}"))
    assert "Upcoming 1" in card.find("section", cls="bookings").find("h2").text()
    assert "No duplicates found" in html(as_admin.get("/clients/duplicates")).text()
    merged = html(as_admin.get(f"/clients/{twin.id}"))
    assert merged.find("p", cls="notice").find("a", href=f"/clients/{karimova.id}")


def test_merge_of_any_card_found_by_search(as_admin, karimova, system):
    other = create_client(system, {"first_name": "Aziza", "last_name": "K.", "phone": "+998935554433"})
    page = html(as_admin.get(f"/clients/{karimova.id}/merge?q=5554433"))
    assert page.find("a", href=f"/clients/{karimova.id}/merge?source={other.id}")
    response = post_form(as_admin, f"/clients/{karimova.id}/merge?source={other.id}", {"source": other.id})
    assert response.status_code == 302
    assert "+998935554433" in Client.get_by_id(karimova.id).extra_phones


def test_merging_a_card_that_is_gone_shows_an_error(as_admin, karimova, system):
    other = create_client(system, {"first_name": "Lola"})
    token = csrf_of(html(as_admin.get(f"/clients/{karimova.id}/merge?source={other.id}")))
    Client.update(active=False).where(Client.id == other.id).execute()
    response = as_admin.post(f"/clients/{karimova.id}/merge", data={"csrf_token": token, "source": other.id})
    assert response.status_code == 422
    assert "no longer active" in html(response).find(cls="flash-error").text()
