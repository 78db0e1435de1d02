"""The administrator's client pages: list, card, new and edit forms, duplicates and merge (CL1-CL3, CL7)."""
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from appliance.services.bookings import create_booking, set_status
from appliance.services.clients import create_client
from appliance.services.context import Actor
from appliance.services.staff import create_staff
from appliance.storage.models.base import ChangeLog, utc_now
from appliance.storage.models.bookings import Booking
from appliance.storage.models.clients import Client

PASSWORD = "Secret-123"
KARIMOVA_PHONE = "+998 90 123 45 67"  # small_salon's client, as the pages print it


# --- a tiny HTML tree, enough to find a field and its error -------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return " ".join(" ".join(c if isinstance(c, str) else c.text() for c in self.children).split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs) -> list["Node"]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def find(self, tag=None, cls=None, **attrs) -> "Node":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]

    def closest(self, cls) -> "Node":
        node = self
        while node is not None and cls not in node.classes:
            node = node.parent
        assert node is not None, f"no ancestor with class {cls}"
        return node


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = self.current = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def html(response) -> Node:
    builder = TreeBuilder()
    builder.feed(response.get_data(as_text=True))
    return builder.root


def field_of(doc: Node, name: str, tag: str = "input") -> Node:
    """The .field wrapper around the control called ``name``."""
    return doc.find(tag, name=name).closest("field")


def field_error(doc: Node, name: str, tag: str = "input") -> str | None:
    field = field_of(doc, name, tag)
    errors = field.find_all(cls="error")
    return errors[0].text() if errors and "has-error" in field.classes else None


def csrf_of(doc: Node) -> str:
    return doc.find("input", name="csrf_token").attrs["value"]


def table_rows(doc: Node, cls: str) -> list[Node]:
    """The body rows of the first table with class ``cls`` (none if there is no such table)."""
    tables = doc.find_all("table", cls=cls)
    return [row for body in tables[0].find_all("tbody") for row in body.find_all("tr")] if tables else []


# --- signing in ---------------------------------------------------------------------------------

def sign_in(app, username: str):
    client = app.test_client()
    token = csrf_of(html(client.get("/login")))
    response = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def as_admin(app, small_salon):
    """The test client of a signed-in administrator."""
    create_staff(Actor.system(), {"first_name": "Svetlana", "role": "administrator", "username": "svetlana", "locale": "en",
                                  "password": PASSWORD})
    return sign_in(app, "svetlana")


@pytest.fixture
def as_master(app, small_salon):
    """The test client of a signed-in as_master (no access to contacts, no writes)."""
    create_staff(Actor.system(), {"first_name": "Nodira", "role": "master", "username": "nodira", "locale": "en",
                                  "password": PASSWORD})
    return sign_in(app, "nodira")


@pytest.fixture
def karimova(small_salon):
    return small_salon["client"]


def form(**changes) -> dict:
    """A new-client form as a browser sends it (empty fields included)."""
    data = {name: "" for name in ("first_name", "last_name", "middle_name", "phone", "extra_phones", "email",
                                  "birthday", "gender", "source", "card_number", "tags", "notes", "allergies")}
    data.update(changes)
    return data


def post_form(client, path: str, data: dict):
    token = csrf_of(html(client.get(path)))
    return client.post(path, data={**data, "csrf_token": token})


def at_ten(days_from_today: int):
    """10:00 in Tashkent (05:00 UTC), ``days_from_today`` away."""
    return (utc_now() + timedelta(days=days_from_today)).replace(hour=5, minute=0, second=0, microsecond=0)


def book(salon_data, client, days_from_today: int, master_index: int = 0) -> Booking:
    return create_booking(Actor.system(), {"client_id": client.id, "starts_at": at_ten(days_from_today), "items": [
        {"service_id": salon_data["cut"].id, "master_id": salon_data["masters"][master_index].id}]})


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
