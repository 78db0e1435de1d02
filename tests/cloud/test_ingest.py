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


# -- the new-row fast path (step 1 of ingest._merge_all) ------------------------------------------


def _stored(keys) -> dict:
    rows = EntityRow.select().where(EntityRow.entity_id.in_([k[1] for k in keys]))
    return {(r.entity, r.entity_id): (r.data, r.stamps, r.crev) for r in rows}


def _expected(box, batch) -> dict:
    """What applying ``batch`` change by change with merge_change gives (the rule, without the fast path)."""
    from sync.merge import merge_change
    from sync.schemas import upgrade_payload

    state = _stored({(c["entity"], c["id"]) for c in batch})
    for change in batch:
        key = (change["entity"], change["id"])
        payload = upgrade_payload(change["entity"], change["payload"], change["schema"])
        base = int(payload.get("synced_rev") or 0)
        data, stamps, crev = state.get(key, (None, {}, 0))
        merged = merge_change(data, stamps, crev, payload, None if data is None else change.get("changed"), base,
                              box, change.get("at") or "")
        state[key] = (merged.data, merged.stamps, merged.crev)
    return state


def test_new_rows_skip_the_merge_yet_end_as_the_merge_rule_makes_them(boxes):
    """Created once, created and edited in one batch, edited without the cloud having the row, old schema."""
    batches = [
        [client_change(1, "n1", rev=1), client_change(2, "n2", rev=1),
         client_change(3, "n2", rev=2, changed=["notes"], notes="edited in the same batch", at="2026-12-01T10:00:03Z"),
         client_change(4, "n3", rev=7, changed=["notes"], notes="the cloud never had it")],
        [client_change(5, "n4", rev=1, schema=1), client_change(6, "n1", rev=2, changed=["phone"], phone="+998900000001",
                                                               at="2026-12-01T10:00:06Z")],
    ]
    for batch in batches:
        expected = _expected("box-a", batch)
        reply = send("box-a", batch)
        assert (reply.kind, reply.upto, reply.applied) == ("ack", batch[-1]["seq"], len(batch))
        assert _stored(expected) == expected
    n2 = EntityRow.get(EntityRow.entity_id == "n2")
    assert (n2.crev, n2.data["notes"], n2.stamps["notes"]["rev"]) == (2, "edited in the same batch", 2)
    assert EntityRow.get(EntityRow.entity_id == "n4").data["synced_rev"] == 0  # upgraded from schema 1
    assert {r.salon_id for r in EntityRow.select()} == {SALON_A}
    # Every new shared row goes down to the other box, once per change that made or changed it.
    fan_out()
    assert sorted(c["id"] for c in pending_down("box-b", 0, 100)) == ["n1", "n1", "n2", "n2", "n3", "n4"]
    assert pending_down("box-a", 0, 100) == []


def test_a_first_version_of_a_row_the_cloud_already_has_is_merged_and_its_conflict_kept(boxes):
    """A box's "new" row (rev 1, never synced) that exists already: not skipped by the insert, merged."""
    from cloud.services.downstream import edit_row

    edit_row("client", "c7", None, {"first_name": "Head office", "phone": "+998901111111"}, shared=True)
    fan_out()
    stale = "2020-01-01T00:00:00Z"  # older than head office's edit: the box's phone loses
    batch = [client_change(1, "c7", rev=1, at=stale, phone="+998902222222", notes="from the box")]
    expected = _expected("box-a", batch)
    reply = send("box-a", batch)
    assert _stored(expected) == expected
    row = EntityRow.get(EntityRow.entity_id == "c7")
    # Every field of the box's copy lost to head office's later card: nothing changed, all kept aside.
    assert (row.data["phone"], row.data.get("notes"), row.crev) == ("+998901111111", None, 1)
    assert row.salon_id is None  # the salon a row first came from stays
    conflicts = {(c.field, c.kept, c.lost, c.kept_by, c.lost_by) for c in SyncConflict.select()}
    assert ("phone", "+998901111111", "+998902222222", "cloud", "box-a") in conflicts
    assert ("notes", None, "from the box", "cloud", "box-a") in conflicts
    assert {c["field"] for c in reply.conflicts} == {"first_name", "phone", "notes"}
    down_before = len(pending_down("box-b", 0, 100))
    fan_out()
    # box-a lost, so the card goes back to it; box-b already has it as it stands.
    assert pending_down("box-a", 0, 100)[-1]["payload"]["phone"] == "+998901111111"
    assert len(pending_down("box-b", 0, 100)) == down_before
    # A later edit of the box wins its field again, through the same path.
    newer = [client_change(2, "c7", rev=1, at="2099-01-01T00:00:00Z", changed=None, phone="+998903333333")]
    expected = _expected("box-a", newer)
    send("box-a", newer)
    assert _stored(expected) == expected
    assert EntityRow.get(EntityRow.entity_id == "c7").data["phone"] == "+998903333333"
    fan_out()
    assert pending_down("box-b", 0, 100)[-1]["payload"]["phone"] == "+998903333333"


def test_a_batch_resent_after_its_rows_were_stored_changes_nothing(boxes):
    """A worker that died after commit but before its ack: the resend is a duplicate, the rows stay."""
    batch = [client_change(1, "r1", rev=1), client_change(2, "r2", rev=1)]
    send("box-a", batch)
    before = _stored({("client", "r1"), ("client", "r2")})
    Box.update(up_applied=0).where(Box.id == "box-a").execute()  # as if the position had not moved
    assert send("box-a", batch).kind == "ack"
    assert _stored(before) == before  # the rows existed: merged, a no-op, no revision added
    assert not SyncConflict.select().exists()


def test_the_sync_tables_keep_only_the_indexes_their_queries_use(cloud_db):
    """No GIN index on the JSON columns (peewee's default): they cost most of an applied change."""
    indexes = {(t, n): d for t, n, d in cloud_db.execute_sql(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename IN ('entity_row', 'down_change', 'sync_conflict')").fetchall()}
    assert not [d for d in indexes.values() if "USING gin" in d]
    assert sorted(n for t, n in indexes if t == "entity_row") == ["entity_row_pkey", "entity_row_salon_id_entity"]
    assert sorted(n for t, n in indexes if t == "down_change") == ["down_change_pkey"]
