"""A salon's services and staff as head office edits them; each save reaches EntityRow and goes down (SY2, SV1)."""
import re
import uuid

from cloud.storage.models import EntityRow, Fanout
from cloud.storage.users import AuditEntry
from tests.cloud.head_office_seed import new_id


def field_block(html: str, name: str) -> str:
    """The markup of the field holding the input named ``name`` (label, input, error)."""
    at = html.index(f'name="{name}"')
    start = max(html.rfind('<label class="field', 0, at), html.rfind('<div class="field', 0, at))
    return html[start:html.index("</label>" if html.startswith("<label", start) else "</div>", at)]


def service_form(business, **changes) -> dict:
    return {"name": "Haircut", "category": business.hair_id, "duration_min": "60", "price": "150000",
            "price_max": "250000", "active": "1", "crev": "1", **changes}


def test_services_are_listed_with_category_duration_price_range_and_state(accountant, business):
    html = accountant.get(f"/salons/{business.salon_id}/services").get_data(as_text=True)
    haircut = html[html.index(f'id="s-{business.haircut_id}"'):]
    haircut = haircut[:haircut.index("</tr>")]
    assert "Haircut" in haircut and "Hair" in haircut and "60 min" in haircut
    assert re.search(r"150,000\sUZS – 250,000\sUZS", haircut)
    assert "Inactive" in html[html.index(f'id="s-{business.laser_id}"'):]
    assert "/services/" + business.haircut_id not in html and "Add a service" not in html  # read-only


def test_editing_a_price_reaches_the_cloud_row_and_is_queued_for_the_salons_boxes(head_office, business):
    path = f"/salons/{business.salon_id}/services/{business.haircut_id}"
    form = head_office.get(path).get_data(as_text=True)
    assert 'value="150000"' in field_block(form, "price") and 'value="250000"' in field_block(form, "price_max")
    response = head_office.post(path, service_form(business, price="175 000"))
    assert response.status_code == 302
    row = EntityRow.get_by_id(("service", business.haircut_id))
    assert row.data["price"] == "175000.00" and row.origin == "cloud" and row.crev == 2
    fanout = Fanout.get()
    assert (fanout.entity, fanout.entity_id, fanout.scope, fanout.salon_id) == (
        "service", business.haircut_id, "salon", business.salon_id)
    listed = head_office.get(f"/salons/{business.salon_id}/services").get_data(as_text=True)
    assert re.search(r"175,000\sUZS – 250,000\sUZS", listed)
    assert "Service Haircut is saved; the change goes to the salon&#39;s boxes." in listed
    entry = AuditEntry.get(AuditEntry.action == "service.price_changed")
    assert entry.actor_name == "head-office" and entry.details["changes"]["price"] == ["150000.00", "175000.00"]


def test_bad_values_are_shown_next_to_their_fields_and_nothing_is_lost(head_office, business):
    path = f"/salons/{business.salon_id}/services/{business.haircut_id}"
    response = head_office.post(path, service_form(business, name="Haircut deluxe", price="12.5",
                                                   duration_min="721", price_max="10"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    price = field_block(html, "price")
    assert "has-error" in price and "Prices in UZS are whole numbers." in price and 'value="12.5"' in price
    assert "Enter a number from 5 to 720." in field_block(html, "duration_min")
    assert 'value="Haircut deluxe"' in field_block(html, "name")
    assert "Please correct the marked fields." in html
    upper = head_office.post(path, service_form(business, price_max="149999")).get_data(as_text=True)
    assert "The upper price must not be below the price." in field_block(upper, "price_max")
    assert EntityRow.get_by_id(("service", business.haircut_id)).data["price"] == "150000.00"
    assert Fanout.select().count() == 0


def test_an_edit_from_a_stale_form_is_refused_with_the_saved_values_beside_it(head_office, business):
    path = f"/salons/{business.salon_id}/services/{business.haircut_id}"
    assert head_office.post(path, service_form(business, price="160000")).status_code == 302
    stale = head_office.post(path, service_form(business, name="Old name", crev="1"))
    html = stale.get_data(as_text=True)
    assert stale.status_code == 422 and "Someone changed this row while you were editing it." in html
    assert "Saved now" in html and 'name="crev" value="2"' in html and 'value="Old name"' in html
    assert EntityRow.get_by_id(("service", business.haircut_id)).data["name"] == "Haircut"
    assert head_office.post(path, service_form(business, name="Old name", crev="2")).status_code == 302


def test_a_new_service_needs_a_category_and_gets_a_uuid7(head_office, business):
    path = f"/salons/{business.salon_id}/services/new"
    form = head_office.get(path).get_data(as_text=True)
    assert business.hair_id in form and business.closed_category_id not in form  # only active categories
    missing = head_office.post(path, {"name": "Colouring", "duration_min": "90", "price": "350000", "active": "1"})
    assert missing.status_code == 422
    assert "Choose one of the offered values." in field_block(missing.get_data(as_text=True), "category")
    closed = head_office.post(path, {"name": "Colouring", "category": business.closed_category_id,
                                     "duration_min": "90", "price": "350000", "active": "1"})
    assert "Choose one of the salon&#39;s active categories." in closed.get_data(as_text=True)
    made = head_office.post(path, {"name": "Colouring", "category": business.hair_id, "duration_min": "90",
                                   "price": "350 000", "price_max": "", "active": "1"})
    assert made.status_code == 302
    row = EntityRow.get((EntityRow.entity == "service") & (EntityRow.data["name"] == "Colouring"))
    assert uuid.UUID(row.entity_id).version == 7 and row.salon_id == business.salon_id
    assert row.data["price"] == "350000.00" and row.data["price_max"] is None and row.data["active"] is True
    assert Fanout.get().entity_id == row.entity_id and f"#s-{row.entity_id}" in made.location


def test_staff_are_listed_and_a_role_change_is_saved_and_audited(head_office, business):
    html = head_office.get(f"/salons/{business.salon_id}/staff").get_data(as_text=True)
    assert "Karimova" in html and "Dilnoza" in html and "Master" in html and "Administrator" in html
    path = f"/salons/{business.salon_id}/staff/{business.admin_id}"
    bad = head_office.post(path, {"first_name": "", "last_name": "Ivanova", "role": "boss", "crev": "1"})
    assert bad.status_code == 422 and "Fill this in." in field_block(bad.get_data(as_text=True), "first_name")
    response = head_office.post(path, {"first_name": "Svetlana", "last_name": "Ivanova", "role": "manager",
                                       "crev": "1"})  # the unticked box: she becomes inactive
    assert response.status_code == 302
    data = EntityRow.get_by_id(("staff", business.admin_id)).data
    assert (data["role"], data["active"]) == ("manager", False)
    assert AuditEntry.get(AuditEntry.action == "staff.role_changed").details["changes"]["role"] == [
        "administrator", "manager"]
    assert Fanout.get().entity == "staff"


def test_an_accountant_may_not_edit_and_unknown_rows_are_not_found(accountant, head_office, business):
    service = f"/salons/{business.salon_id}/services/{business.haircut_id}"
    assert accountant.get(service).status_code == 403
    assert accountant.post(service, service_form(business, price="1")).status_code == 403
    assert accountant.get(f"/salons/{business.salon_id}/services/new").status_code == 403
    assert accountant.post(f"/salons/{business.salon_id}/staff/{business.master_id}", {}).status_code == 403
    assert EntityRow.get_by_id(("service", business.haircut_id)).data["price"] == "150000.00"
    assert head_office.get(f"/salons/{business.salon_id}/services/{new_id()}").status_code == 404
    assert head_office.get(f"/salons/{new_id()}/services").status_code == 404
    assert head_office.get(f"/salons/{business.salon_id}/staff/{business.haircut_id}").status_code == 404
