"""Applying box batches on PostgreSQL: order, idempotence, dead letters, the sender check, the merge rule."""
import pytest

from cloud.services.downstream import fan_out, pending_down, record_down_ack
from cloud.services.fleet import register_box, revoke_box
from cloud.services.ingest import ingest
from cloud.storage.models import Box, DeadLetter, EntityRow, SyncConflict
from sync.messages import changes_message, encode

LIMIT = 256 * 1024
SALON_A, SALON_B = "salon-a", "salon-b"


def client_change(seq, client_id="c1", base=0, schema=2, at="2026-12-01T10:00:00Z", changed=None, **fields):
    payload = {"id": client_id, "rev": seq, "first_name": "Aziza", "phone": "+998901234567", "notes": "",
               **fields}
    if schema >= 2:
        payload["synced_rev"] = base
    return {"seq": seq, "entity": "client", "id": client_id, "op": "upsert", "schema": schema, "at": at,
            "changed": changed, "payload": payload}


def send(box, changes, salon=SALON_A, sender=None):
    raw = encode(changes_message(sender or box, salon, changes))
    return ingest(box, f"salons/{box}/up", raw, LIMIT)


@pytest.fixture
def boxes(cloud_db):
    register_box("box-a", "Chilonzor")
    register_box("box-b", "Yunusobod")
    return cloud_db


def test_batches_apply_in_order_once_and_a_gap_asks_for_a_resend(boxes):
    assert send("box-a", [client_change(1), client_change(2, notes="x")]).upto == 2
    duplicate = send("box-a", [client_change(1), client_change(2, notes="x")])
    assert (duplicate.kind, duplicate.upto, duplicate.applied) == ("ack", 2, 0)
    gap = send("box-a", [client_change(5, notes="too early")])
    assert (gap.kind, gap.start, gap.upto) == ("resend", 3, 2)
    overlap = send("box-a", [client_change(2, notes="x"), client_change(3, notes="y")])
    assert (overlap.kind, overlap.upto, overlap.applied) == ("ack", 3, 1)
    row = EntityRow.get(EntityRow.entity == "client", EntityRow.entity_id == "c1")
    assert row.data["notes"] == "y" and row.salon_id == SALON_A
    assert Box.get_by_id("box-a").salon_id == SALON_A  # bound on first contact


def test_what_cannot_be_applied_is_dead_lettered_with_the_reason(boxes):
    assert send("box-a", [client_change(1)]).kind == "ack"
    cases = [
        (b"{not json", "not JSON"),
        (b"x" * (LIMIT + 1), "oversized"),
        (encode(changes_message("box-b", SALON_A, [client_change(2)])), "does not match the topic"),
        (encode(changes_message("box-a", SALON_B, [client_change(2)])), "claims salon salon-b"),
    ]
    for raw, reason in cases:
        reply = ingest("box-a", "salons/box-a/up", raw, LIMIT)
        assert reply.kind == "refused" and reason in reply.reason
    reasons = [d.reason for d in DeadLetter.select().order_by(DeadLetter.id)]
    assert [any(r in reason for reason in reasons) for _, r in cases] == [True] * 4
    assert Box.get_by_id("box-a").up_applied == 1  # nothing else moved
    assert "claims salon salon-b" in Box.get_by_id("box-a").last_error
    assert ingest("box-z", "salons/box-z/up", encode(changes_message("box-z", SALON_A, [client_change(1)])),
                  LIMIT).reason == "unknown box"


def test_an_oversized_marker_is_recorded_and_the_stream_goes_on(boxes):
    marker = {"seq": 1, "entity": "booking", "id": "b1", "op": "oversized", "changed": [], "schema": 2,
              "payload": {"bytes": 999999}, "at": "2026-12-01T10:00:00Z"}
    assert send("box-a", [marker, client_change(2)]).upto == 2
    letter = DeadLetter.get(DeadLetter.entity_id == "b1")
    assert (letter.seq, letter.size, letter.reason) == (1, 999999, "a change too large for any packet")


def test_a_revoked_box_is_refused(boxes):
    revoke_box("box-a")
    assert send("box-a", [client_change(1)]).reason == "the box is revoked"
    assert not EntityRow.select().exists()


def test_a_box_one_schema_version_behind_keeps_syncing(boxes):
    assert send("box-a", [client_change(1, schema=1)]).upto == 1
    row = EntityRow.get(EntityRow.entity_id == "c1")
    assert row.data["synced_rev"] == 0 and row.data["first_name"] == "Aziza"


def test_two_boxes_editing_one_client_merge_field_by_field_and_conflicts_are_kept(boxes):
    send("box-a", [client_change(1)])
    fan_out()
    # box-b received the card at crev 1; both now edit it without having seen each other.
    send("box-a", [client_change(2, base=1, changed=["phone"], phone="+998935554433", at="2026-12-01T11:00:05Z")])
    send("box-b", [client_change(1, base=1, changed=["notes", "phone"], notes="allergic to latex",
                                 phone="+998971112233", at="2026-12-01T11:00:01Z")], salon=SALON_B)
    row = EntityRow.get(EntityRow.entity_id == "c1")
    assert (row.data["phone"], row.data["notes"]) == ("+998935554433", "allergic to latex")
    conflict = SyncConflict.get()
    assert (conflict.field, conflict.kept, conflict.lost, conflict.kept_by, conflict.lost_by) == (
        "phone", "+998935554433", "+998971112233", "box-a", "box-b")
    assert fan_out() > 0
    # box-b is sent the merged card (it lost the phone); box-a gets box-b's notes.
    to_b = pending_down("box-b", 0, 100)
    assert to_b[-1]["payload"]["phone"] == "+998935554433" and to_b[-1]["payload"]["synced_rev"] == row.crev
    to_a = pending_down("box-a", 0, 100)
    assert to_a[-1]["payload"]["notes"] == "allergic to latex"
    record_down_ack("box-b", to_b[-1]["seq"])
    record_down_ack("box-b", 10**6)  # an ack beyond what was queued is not believed
    assert Box.get_by_id("box-b").down_acked == to_b[-1]["seq"]
