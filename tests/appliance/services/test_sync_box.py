"""The box's ends of the streams: what goes up, what comes down, and what the administrator sees (SY1-SY3)."""
from decimal import Decimal

from appliance.services import sync_inbox, sync_outbox
from appliance.services.catalogue import create_category, create_service
from appliance.services.clients import create_client, search_clients, update_client
from appliance.storage.models.base import ChangeLog
from appliance.storage.models.catalogue import Service
from appliance.storage.models.clients import Client


def test_pending_changes_follow_the_change_log_and_acks_shrink_the_backlog(salon, system):
    start = sync_outbox.last_seq()
    category = create_category(system, {"name": "Brows"})
    changes = sync_outbox.pending_changes(start, 100)
    assert [(c["entity"], c["id"]) for c in changes] == [("service_category", category.id)]
    assert changes[0]["seq"] == start + 1 and changes[0]["payload"]["name"] == "Brows"
    assert changes[0]["schema"] == 2 and changes[0]["at"].endswith("Z")
    assert sync_outbox.sync_status()["backlog"] == start + 1
    sync_outbox.record_ack(start + 1)
    sync_outbox.record_ack(start)  # an older ack never moves the position back
    status = sync_outbox.sync_status()
    assert (status["backlog"], status["up_acked"]) == (0, start + 1) and status["last_ack_at"] is not None


def test_a_row_from_the_cloud_is_stored_without_a_change_log_entry(salon, system):
    category = create_category(system, {"name": "Hair"})
    service_id = "0190f0f0-0000-7000-8000-000000000001"
    before = ChangeLog.select().count()
    applied, problems = sync_inbox.apply_down([{
        "seq": 1, "entity": "service", "id": service_id, "op": "upsert", "schema": 2, "payload": {
            "id": service_id, "category": category.id, "name": "Keratin", "duration_min": 120, "buffer_min": 15,
            "price": "450000", "price_max": None, "room_type": "", "equipment_type": "", "active": True,
            "synced_rev": 4, "rev": 99, "updated_at": "2026-12-01T10:00:00Z", "created_at": "2026-12-01T10:00:00Z",
            "field_from_a_newer_version": "ignored"}}], last=1)
    assert (applied, problems) == (1, [])
    service = Service.get_by_id(service_id)
    assert (service.name, service.price, service.synced_rev, service.rev) == ("Keratin", Decimal("450000"), 4, 0)
    assert ChangeLog.select().count() == before
    assert sync_outbox.sync_status()["down_applied"] == 1


def test_a_local_edit_not_yet_acked_keeps_its_value_against_the_cloud_row(salon, system):
    client = create_client(system, {"first_name": "Aziza", "phone": "+998901234567"})
    sync_outbox.record_ack(sync_outbox.last_seq())
    update_client(system, client.id, {"notes": "local note"})
    down = {"seq": 1, "entity": "client", "id": client.id, "op": "upsert", "schema": 2,
            "payload": {**Client.get_by_id(client.id).snapshot(), "notes": "cloud note", "last_name": "Karimova",
                        "synced_rev": 7}}
    sync_inbox.apply_down([down], last=1)
    stored = Client.get_by_id(client.id)
    assert (stored.notes, stored.last_name, stored.synced_rev) == ("local note", "Karimova", 7)
    found, total = search_clients("karimova")
    assert total == 1 and found[0].id == client.id  # derived search text recomputed on the box


def test_a_row_that_cannot_be_stored_is_skipped_with_the_reason(salon, system):
    applied, problems = sync_inbox.apply_down([
        {"seq": 5, "entity": "service", "id": "x1", "op": "upsert", "schema": 2, "payload": {"price": "not money"}},
        {"seq": 6, "entity": "teleporter", "id": "x2", "op": "upsert", "schema": 3, "payload": {}}], last=6)
    assert applied == 6 and len(problems) == 1 and "service x1" in problems[0]
    assert "service x1" in sync_outbox.sync_status()["last_error"]
    assert Service.get_or_none(Service.id == "x1") is None


def test_a_row_queued_before_the_cloud_merged_a_local_edit_never_overwrites_it_even_once_acked(salon, system):
    client = create_client(system, {"first_name": "Aziza", "phone": "+998901234567"})
    merged_upto = sync_outbox.last_seq()  # the cloud queued the row having applied this much
    update_client(system, client.id, {"notes": "local note"})
    sync_outbox.record_ack(sync_outbox.last_seq())  # the edit is acked before the older row arrives
    stale = {"seq": 1, "entity": "client", "id": client.id, "op": "upsert", "schema": 2, "merged_upto": merged_upto,
             "payload": {**Client.get_by_id(client.id).snapshot(), "notes": "", "email": "a@example.uz",
                         "synced_rev": 3}}
    sync_inbox.apply_down([stale], last=1)
    stored = Client.get_by_id(client.id)
    assert (stored.notes, stored.email) == ("local note", "a@example.uz")
    newer = {**stale, "seq": 2, "merged_upto": sync_outbox.last_seq(), "payload": {**stale["payload"], "notes": "merged"}}
    sync_inbox.apply_down([newer], last=2)
    assert Client.get_by_id(client.id).notes == "merged"
