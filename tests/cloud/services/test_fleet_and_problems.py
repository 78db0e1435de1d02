"""The fleet and sync problems as head office handles them: register, revoke, resolve, all audited (CO6, SY3, SY4)."""
import pytest

from cloud.services import fleet_admin, problems
from cloud.services.errors import InvalidInput, NotFound, Refused
from cloud.storage.models import Box, SyncConflict
from cloud.storage.users import AuditEntry
from tests.cloud.head_office_seed import add_user, new_id, seed_business


@pytest.fixture
def business(cloud_db):
    return seed_business()


@pytest.fixture
def owner(cloud_db):
    return add_user("owner", "olga")


def test_the_fleet_view_names_salons_and_counts_each_boxs_own_conflicts(business):
    SyncConflict.create(entity="staff", entity_id=new_id(), field="role", kept="master", lost="manager",
                        kept_by=business.offline_box_id, lost_by=business.box_id)
    SyncConflict.create(entity="staff", entity_id=new_id(), field="role", kept="a", lost="b", kept_by="cloud",
                        lost_by=business.offline_box_id, resolved_at=SyncConflict.recorded_at.default())
    rows = {r["id"]: r for r in fleet_admin.fleet_rows()}
    assert rows[business.box_id]["salon_name"] == "Chilonzor"
    assert rows[business.box_id]["open_conflicts"] == 2 and rows[business.offline_box_id]["open_conflicts"] == 1
    assert rows[business.box_id]["online"] and not rows[business.offline_box_id]["online"]
    totals = fleet_admin.summary(list(rows.values()))
    assert (totals["online"], totals["offline"], totals["backlog"], totals["down_pending"]) == (1, 1, 7, 2)


def test_registering_checks_the_id_and_name_and_is_audited(business, owner):
    with pytest.raises(InvalidInput) as caught:
        fleet_admin.register(owner, {"box_id": "box-1", "name": ""})
    assert {f: r for f, (r, _) in caught.value.fields.items()} == {"box_id": "box_id_format", "name": "required"}
    box_id = new_id()
    box = fleet_admin.register(owner, {"box_id": box_id.upper(), "name": "Sergeli", "salon_id": business.salon_id})
    assert (box.id, box.name, Box.get_by_id(box_id).salon_id) == (box_id, "Sergeli", business.salon_id)
    entry = AuditEntry.get(AuditEntry.action == "box.registered")
    assert (entry.actor_name, entry.entity_id) == ("olga", box_id)
    with pytest.raises(Refused) as again:
        fleet_admin.register(owner, {"box_id": box_id, "name": "Twice"})
    assert (again.value.reason, again.value.field) == ("box_registered", "box_id")


def test_revoking_and_registering_again(business, owner):
    fleet_admin.revoke(owner, business.box_id)
    assert Box.get_by_id(business.box_id).status == "revoked"
    with pytest.raises(Refused):
        fleet_admin.revoke(owner, business.box_id)
    with pytest.raises(NotFound):
        fleet_admin.revoke(owner, new_id())
    fleet_admin.register(owner, {"box_id": business.box_id, "name": "Back again"})
    assert Box.get_by_id(business.box_id).status == "active"
    assert [e.action for e in AuditEntry.select().where(AuditEntry.entity == "box").order_by(AuditEntry.id)] == [
        "box.revoked", "box.reactivated"]


def test_resolving_a_conflict_keeps_it_and_audits_who(business, owner):
    listed, total = problems.open_conflicts()
    assert total == 1 and listed[0]["kept"] == "160000.00" and listed[0]["salon_id"] == business.salon_id
    conflict, changed = problems.resolve_conflict(owner, business.conflict_id)
    assert changed and conflict.resolved_at is not None
    assert problems.open_conflicts() == ([], 0)
    assert SyncConflict.select().count() == 1  # kept for history
    assert problems.resolve_conflict(owner, business.conflict_id)[1] is False
    assert AuditEntry.select().where(AuditEntry.action == "conflict.resolved").count() == 1
    with pytest.raises(NotFound):
        problems.resolve_conflict(owner, 999_999)


def test_dead_letters_show_the_start_of_the_payload(business):
    letters, total = problems.dead_letters()
    assert total == 1 and letters[0]["box_name"] == "Chilonzor front desk" and letters[0]["size"] == 2048
    assert letters[0]["preview"].startswith('{"kind": "changes"') and not letters[0]["truncated"]
