"""The fleet, salons and sync-problem pages (CO1, CO6, SY3, SY4): what each role sees and may do."""
import re

from cloud.storage.models import Box, SyncConflict
from cloud.storage.users import AuditEntry
from tests.cloud.head_office_seed import new_id


def row_of(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start:html.index("</tr>", start)]


def test_the_fleet_shows_each_box_with_its_link_streams_and_errors(accountant, business):
    html = accountant.get("/fleet").get_data(as_text=True)
    box = row_of(html, f"box-{business.box_id}")
    for text in ("Chilonzor front desk", "Chilonzor", "online", "0.1.0", ">2<", "1,234", ">7<", "1 min",
                 "staff 0192: bad row"):
        assert text in box, text
    cells = re.findall(r"<td[^>]*>(.*?)</td>", box, re.S)
    assert cells[8].strip() == "2"  # down pending: 12 queued, 10 acked
    assert cells[11].strip() == "1" and cells[12].strip() == "1"  # dead letters, open conflicts
    offline = row_of(html, f"box-{business.offline_box_id}")
    assert "offline" in offline and "0.0.9" in offline
    assert "Last seen <span class=\"zone\">(Asia/Tashkent)</span>" in html
    assert "Times are shown in Asia/Tashkent." in html
    # last seen 20 s ago, shown in the viewer's zone (UTC+5), never in UTC
    seen = Box.get_by_id(business.box_id).last_seen_at
    from zoneinfo import ZoneInfo
    assert seen.astimezone(ZoneInfo("Asia/Tashkent")).strftime("%-I:%M") in cells[9]
    assert "Register a box" not in html and "/revoke" not in html


def test_the_owner_registers_a_box_and_bad_input_stays_next_to_the_field(owner, business):
    page = owner.post("/fleet/register", {"box_id": "not-a-uuid", "name": "Sergeli"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'value="Sergeli"' in html and 'value="not-a-uuid"' in html
    assert re.search(r'has-error">\s*<span>Box id</span>.*?class="error"[^>]*>A box id is a UUID', html, re.S)
    taken = owner.post("/fleet/register", {"box_id": business.box_id, "name": "Again"}).get_data(as_text=True)
    assert "A box with this id is registered already." in taken
    box_id = new_id()
    response = owner.post("/fleet/register", {"box_id": box_id, "name": "Sergeli", "salon_id": business.salon_id})
    assert response.status_code == 302
    assert Box.get_by_id(box_id).salon_id == business.salon_id
    assert "Box Sergeli is registered." in owner.get("/fleet").get_data(as_text=True)
    assert AuditEntry.get(AuditEntry.action == "box.registered").actor_name == "owner"


def test_revoking_asks_first_and_only_the_owner_may(owner, head_office, business):
    path = f"/fleet/{business.box_id}/revoke"
    assert head_office.get(path).status_code == 403 and head_office.post(path).status_code == 403
    assert head_office.post("/fleet/register", {"box_id": new_id(), "name": "x"}).status_code == 403
    assert "Revoke box Chilonzor front desk?" in owner.get(path).get_data(as_text=True)
    assert Box.get_by_id(business.box_id).status == "active"
    assert owner.post(path).status_code == 302
    assert Box.get_by_id(business.box_id).status == "revoked"
    assert "revoked" in row_of(owner.get("/fleet").get_data(as_text=True), f"box-{business.box_id}")
    assert owner.get(f"/fleet/{new_id()}/revoke").status_code == 404


def test_salons_are_listed_with_their_boxes(head_office, business):
    html = head_office.get("/salons").get_data(as_text=True)
    card = html[html.index(f'id="salon-{business.salon_id}"'):]
    for text in ("Chilonzor", "Asia/Tashkent", "UZS", "3 services", "2 people", "Chilonzor front desk",
                 "Yunusobod back office"):
        assert text in card, text


def test_sync_problems_show_dead_letters_and_conflicts_and_resolving_is_audited(head_office, business):
    html = head_office.get("/problems").get_data(as_text=True)
    letter = html[html.index('id="letter-'):]
    for text in ("sender does not match the topic&#39;s box", "Chilonzor front desk", "2,048 bytes",
                 "{&#34;kind&#34;: &#34;changes&#34;"):
        assert text in letter, text
    conflict = row_of(html, f"conflict-{business.conflict_id}")
    for text in ("Service", "price", "160000.00", "155000.00", "Chilonzor front desk", "Head office", "Chilonzor"):
        assert text in conflict, text
    assert re.search(r"11/30/26, 3:00\W?PM", conflict)  # kept at 10:00 UTC, shown in Tashkent
    response = head_office.post(f"/problems/conflicts/{business.conflict_id}/resolve")
    assert response.status_code == 302
    assert SyncConflict.get_by_id(business.conflict_id).resolved_at is not None
    entry = AuditEntry.get(AuditEntry.action == "conflict.resolved")
    assert entry.actor_name == "head-office" and entry.details["field"] == "price"
    assert "No open conflicts." in head_office.get("/problems").get_data(as_text=True)
    assert head_office.post("/problems/conflicts/424242/resolve").status_code == 404


def test_an_accountant_reads_problems_but_does_not_resolve_them(accountant, business):
    html = accountant.get("/problems").get_data(as_text=True)
    assert "160000.00" in html and "Mark resolved" not in html
    assert accountant.post(f"/problems/conflicts/{business.conflict_id}/resolve").status_code == 403
    assert SyncConflict.get_by_id(business.conflict_id).resolved_at is None
