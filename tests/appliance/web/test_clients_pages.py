"""The administrator's client pages: list, new and edit forms, roles and forgery (CL1, CL3).

The card, duplicates and merge are in test_client_card_pages.py.
"""
from datetime import date, timedelta

import pytest

from appliance.services.clients import create_client
from appliance.storage.models.base import ChangeLog, utc_now
from appliance.storage.models.clients import Client
from tests.appliance.web.client_pages_fixtures import KARIMOVA_PHONE, form, post_form
from tests.appliance.web.client_pages_fixtures import as_admin, as_master, karimova  # noqa: F401  (fixtures)
from tests.appliance.web.html_tree import csrf_of, field_error, field_of, html, table_rows


# --- list ---------------------------------------------------------------------------------------

@pytest.fixture
def people(small_salon, system):
    now = utc_now()
    return {
        "smirnova": create_client(system, {"first_name": "Анна", "last_name": "Смирнова", "phone": "90 111 22 33",
                                           "tags": ["VIP"], "visit_count": 5, "first_visit_at": now - timedelta(days=400),
                                           "last_visit_at": now - timedelta(days=10)}),
        "rahimova": create_client(system, {"first_name": "Oʻgʻiloy", "last_name": "Rahimova",
                                           "phone": "+998 93 444 55 66", "visit_count": 2,
                                           "first_visit_at": now - timedelta(days=300),
                                           "last_visit_at": now - timedelta(days=200)}),
        "karimov": create_client(system, {"first_name": "Gʻulom", "last_name": "Karimov", "phone": "+7 916 123-45-67",
                                          "card_number": "C-0042", "active": False}),
    }


def names_listed(response) -> list[str]:
    assert response.status_code == 200
    return [row.find("td", cls="name").find("a").text() for row in table_rows(html(response), "clients-table")]


def test_list_finds_clients_by_phone_fragment_name_part_or_card(as_admin, people):
    assert names_listed(as_admin.get("/clients?q=4455")) == ["Rahimova Oʻgʻiloy"]
    assert names_listed(as_admin.get("/clients?q=90 123")) == ["Karimova Aziza"]
    assert names_listed(as_admin.get("/clients?q=смир")) == ["Смирнова Анна"]
    assert names_listed(as_admin.get("/clients?q=karim")) == ["Karimova Aziza"]  # the archived Karimov is not listed
    page = html(as_admin.get("/clients?q=nobody"))
    assert "No clients match the search." in page.text()
    assert page.find("a", cls="button", href="/clients/new?name=nobody")  # offer to add who was not found


def test_list_shows_phone_status_visits_and_tags(as_admin, people):
    row = next(r for r in table_rows(html(as_admin.get("/clients?q=Смирнова")), "clients-table"))
    assert "+998 90 111 22 33" in row.text()
    assert row.find("span", cls="status-regular")
    assert row.find("td", cls="num").text() == "5"
    assert row.find("a", cls="tag").text() == "VIP"


def test_list_filters_by_status_tag_and_archived(as_admin, people):
    assert names_listed(as_admin.get("/clients?status=regular")) == ["Смирнова Анна"]
    assert names_listed(as_admin.get("/clients?status=lost")) == ["Rahimova Oʻgʻiloy"]
    assert names_listed(as_admin.get("/clients?status=potential")) == ["Karimova Aziza"]
    assert names_listed(as_admin.get("/clients?status=bogus")) == ["Karimova Aziza", "Rahimova Oʻgʻiloy",
                                                                 "Смирнова Анна"]  # unknown status: no filter
    assert names_listed(as_admin.get("/clients?tag=VIP")) == ["Смирнова Анна"]
    assert names_listed(as_admin.get("/clients?inactive=1&q=karimov")) == ["Karimov Gʻulom", "Karimova Aziza"]
    page = html(as_admin.get("/clients?status=lost&tag=VIP"))
    assert page.find("select", name="status").find("option", value="lost").attrs.keys() >= {"selected"}
    assert page.find("option", value="VIP").attrs.keys() >= {"selected"}


def test_a_scanned_card_number_opens_the_card(as_admin, people, system):
    card = create_client(system, {"first_name": "Lola", "card_number": "10077"})
    response = as_admin.get("/clients?q=10077")
    assert response.status_code == 302 and response.headers["Location"] == f"/clients/{card.id}"


def test_list_is_paged_and_keeps_the_filters(as_admin, system, small_salon):
    for n in range(55):
        create_client(system, {"first_name": f"Client{n:02d}", "last_name": "Test", "tags": ["bulk"]})
    first = html(as_admin.get("/clients?tag=bulk"))
    assert len(table_rows(first, "clients-table")) == 50
    assert "1–50 of 55" in first.text()
    following = first.find("a", rel="next").attrs["href"]
    assert "tag=bulk" in following and "page=2" in following
    assert len(table_rows(html(as_admin.get(following)), "clients-table")) == 5


# --- new client ---------------------------------------------------------------------------------

def test_a_bad_phone_is_shown_next_to_the_field_and_nothing_typed_is_lost(as_admin, small_salon):
    response = post_form(as_admin, "/clients/new", form(
        first_name="Malika", last_name="Yusupova", phone="12345", email="not-an-email", birthday="1990-02-31",
        notes="Prefers mornings", tags="VIP, new", consents="sms"))
    assert response.status_code == 422
    page = html(response)
    assert "Not a valid phone number" in field_error(page, "phone")
    assert field_error(page, "email") == "Not a valid email address."
    assert field_error(page, "birthday") == "Not a valid date."
    assert field_error(page, "first_name") is None
    assert page.find("input", name="first_name").attrs["value"] == "Malika"
    assert page.find("input", name="last_name").attrs["value"] == "Yusupova"
    assert page.find("input", name="phone").attrs["value"] == "12345"
    assert page.find("input", name="tags").attrs["value"] == "VIP, new"
    assert page.find("textarea", name="notes").text() == "Prefers mornings"
    assert page.find("input", name="consents", value="sms").attrs.keys() >= {"checked"}
    assert page.find("input", name="phone").attrs.get("aria-invalid") == "true"
    assert Client.select().where(Client.first_name == "Malika").count() == 0


def test_first_name_is_required(as_admin, small_salon):
    response = post_form(as_admin, "/clients/new", form(last_name="Yusupova"))
    assert response.status_code == 422
    assert field_error(html(response), "first_name") == "Enter the first name."


def test_a_new_client_is_saved_and_opens_its_card(as_admin, small_salon):
    response = post_form(as_admin, "/clients/new", form(
        first_name="Malika", last_name="Yusupova", phone="93 555 44 33", birthday="1991-03-08", gender="female",
        tags="VIP, Morning", source="instagram", allergies="Lidocaine", consents=["sms", "telegram"],
        pref_masters=small_salon["masters"][1].id))
    assert response.status_code == 302
    client = Client.get(Client.first_name == "Malika")
    assert response.headers["Location"] == f"/clients/{client.id}"
    assert client.phone == "+998935554433" and client.birthday == date(1991, 3, 8) and client.gender == "female"
    assert client.tags == ["Morning", "VIP"] and client.consents["telegram"] is True and not client.consents["calls"]
    assert client.preferences == {"masters": [small_salon["masters"][1].id]}
    card = html(as_admin.get(response.headers["Location"]))
    assert "Client added." in card.text() and "Olga" in card.text()


def test_a_phone_already_on_a_card_links_to_it_and_can_be_added_anyway(as_admin, karimova):
    data = form(first_name="Aziza", last_name="Karimova", phone=KARIMOVA_PHONE)
    response = post_form(as_admin, "/clients/new", data)
    assert response.status_code == 409
    page = html(response)
    assert field_error(page, "phone") == "This phone is already on another card."
    assert field_of(page, "phone").find("a", href=f"/clients/{karimova.id}").text() == "Karimova Aziza"
    assert page.find("input", name="first_name").attrs["value"] == "Aziza"
    assert Client.select().count() == 1

    response = post_form(as_admin, "/clients/new", {**data, "allow_duplicate": "1"})
    assert response.status_code == 302
    assert Client.select().where(Client.phone == "+998901234567").count() == 2

    card = html(as_admin.get(f"/clients/{karimova.id}"))
    assert "Possible duplicate." in card.find(cls="twins").text()  # the card suggests merging


# --- edit ---------------------------------------------------------------------------------------

def test_edit_changes_the_card(as_admin, karimova, small_salon):
    page = html(as_admin.get(f"/clients/{karimova.id}/edit"))
    assert page.find("input", name="phone").attrs["value"] == KARIMOVA_PHONE
    response = post_form(as_admin, f"/clients/{karimova.id}/edit", form(
        first_name="Aziza", last_name="Karimova-Said", phone=KARIMOVA_PHONE, extra_phones="93 111 22 33",
        email="aziza@example.uz", tags="VIP", notes="Green tea", consents="whatsapp",
        pref_services=small_salon["cut"].id))
    assert response.status_code == 302 and response.headers["Location"] == f"/clients/{karimova.id}"
    client = Client.get_by_id(karimova.id)
    assert client.last_name == "Karimova-Said" and client.extra_phones == ["+998931112233"]
    assert client.email == "aziza@example.uz" and client.tags == ["VIP"] and client.notes == "Green tea"
    assert client.consents["whatsapp"] is True and client.preferences == {"services": [small_salon["cut"].id]}
    assert client.phone == "+998901234567" and client.active


def test_saving_an_unchanged_card_writes_nothing(as_admin, karimova, system):
    Client.update(consents={"sms": False}, preferences={"products": ["p-1"]}).where(
        Client.id == karimova.id).execute()
    page = html(as_admin.get(f"/clients/{karimova.id}/edit"))
    data = {node.attrs["name"]: node.attrs.get("value") or "" for node in page.find("form", cls="client-form")
            .find_all("input") if node.attrs.get("type") not in ("checkbox",)}
    data.update({node.attrs["name"]: node.text() for node in page.find_all("textarea")})
    before = ChangeLog.select().count()
    assert as_admin.post(f"/clients/{karimova.id}/edit", data=data).status_code == 302
    assert ChangeLog.select().count() == before
    assert Client.get_by_id(karimova.id).preferences == {"products": ["p-1"]}  # not on the form: kept


def test_edit_errors_keep_what_was_typed(as_admin, karimova):
    response = post_form(as_admin, f"/clients/{karimova.id}/edit", form(
        first_name="", last_name="Karimova", phone=KARIMOVA_PHONE, extra_phones="93 111 22 33, 77",
        notes="New note"))
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "first_name") == "Enter the first name."
    assert field_error(page, "extra_phones") == "77 is not a valid phone number."
    assert page.find("textarea", name="notes").text() == "New note"
    assert Client.get_by_id(karimova.id).notes == ""


def test_edit_to_a_phone_of_another_card_is_refused_with_a_link(as_admin, karimova, system):
    other = create_client(system, {"first_name": "Lola", "phone": "+998935554433"})
    response = post_form(as_admin, f"/clients/{other.id}/edit", form(first_name="Lola", phone=KARIMOVA_PHONE))
    assert response.status_code == 409
    page = html(response)
    assert field_error(page, "phone") == "This phone is already on another card."
    assert field_of(page, "phone").find("a", href=f"/clients/{karimova.id}")
    assert Client.get_by_id(other.id).phone == "+998935554433"


def test_archiving_hides_the_card_from_search(as_admin, karimova):
    response = post_form(as_admin, f"/clients/{karimova.id}/edit", form(
        first_name="Aziza", last_name="Karimova", phone=KARIMOVA_PHONE, archived="1"))
    assert response.status_code == 302 and not Client.get_by_id(karimova.id).active
    assert names_listed(as_admin.get("/clients?q=karimova")) == []
    assert names_listed(as_admin.get("/clients?q=karimova&inactive=1")) == ["Karimova Aziza"]


# --- roles and forgery --------------------------------------------------------------------------

def test_a_master_sees_masked_phones_and_cannot_edit(as_master, karimova, app):
    listing = as_master.get("/clients")
    assert listing.status_code == 200
    text = listing.get_data(as_text=True)
    assert "+998*****4567" in text and "901234567" not in text and KARIMOVA_PHONE not in text
    assert "/clients/new" not in text and "/clients/duplicates" not in text

    card = as_master.get(f"/clients/{karimova.id}")
    assert card.status_code == 200
    text = card.get_data(as_text=True)
    assert "+998*****4567" in text and "tel:" not in text and f"/clients/{karimova.id}/edit" not in text

    assert as_master.get(f"/clients/{karimova.id}/edit").status_code == 403
    token = csrf_of(html(as_master.get("/clients")))
    response = as_master.post(f"/clients/{karimova.id}/edit", data=form(first_name="Hacked", csrf_token=token))
    assert response.status_code == 403
    assert as_master.post("/clients/new", data=form(first_name="Hacked", csrf_token=token)).status_code == 403
    assert as_master.get("/clients/duplicates").status_code == 403
    assert Client.get_by_id(karimova.id).first_name == "Aziza"


def test_a_form_without_the_csrf_token_is_refused(as_admin, karimova):
    assert as_admin.post("/clients/new", data=form(first_name="Forged")).status_code == 400
    assert as_admin.post("/clients/new", data=form(first_name="Forged", csrf_token="wrong")).status_code == 400
    assert as_admin.post(f"/clients/{karimova.id}/edit", data=form(first_name="Forged")).status_code == 400
    assert Client.select().where(Client.first_name == "Forged").count() == 0
    assert Client.get_by_id(karimova.id).first_name == "Aziza"


def test_signed_out_visitors_are_sent_to_sign_in(app, small_salon):
    response = app.test_client().get("/clients?q=90")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
