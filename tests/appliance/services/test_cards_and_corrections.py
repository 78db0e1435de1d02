"""Enrolling and revoking cards, and the administrator's corrections of punches (ST4, KI2): audited, nothing lost."""
from datetime import date, datetime, timedelta, timezone

import pytest

from appliance.domain.card_ids import card_uid_hash
from appliance.services import punch_corrections as corrections
from appliance.services import time_clock
from appliance.services.cards import Holder, enrol_card, enrol_from_tap, list_cards, revoke_card
from appliance.services.context import Actor
from appliance.services.errors import Conflict, Forbidden, InvalidInput
from appliance.services.staff import create_staff
from appliance.storage.models.base import AuditLog
from appliance.storage.models.time_clock import Card, TimePunch
from appliance.storage.secrets import card_key

T0 = datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)  # Monday 09:00 in Tashkent


@pytest.fixture
def hashes(app):
    key = card_key(app.config["DATA_DIR"])
    return [card_uid_hash(bytes([4, n, 2, 3, 4, 5, 6]), key) for n in range(3)]


@pytest.fixture
def masters(small_salon):
    return small_salon["masters"]


@pytest.fixture
def admin(salon):
    staff = create_staff(Actor.system(), {"first_name": "Svetlana", "role": "administrator"})
    return Actor("staff", staff.id, "administrator")


def refused(call, *args) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call(*args)
    return caught.value


def test_a_card_active_for_someone_else_is_refused_naming_the_field(admin, masters, hashes):
    first = enrol_card(admin, Holder("staff", masters[0].id), hashes[0], "blue")
    assert enrol_card(admin, Holder("staff", masters[0].id), hashes[0]).id == first.id  # the same again: no change
    error = refused(enrol_card, admin, Holder("staff", masters[1].id), hashes[0])
    assert error.fields[0][0] == "uid_hash" and "Dilnoza" in error.fields[0][1]
    assert refused(enrol_card, admin, Holder("staff", "nobody"), hashes[1]).fields[0][0] == "staff_id"
    assert refused(enrol_card, admin, Holder("client", "nobody"), hashes[1]).fields[0][0] == "client_id"
    assert refused(enrol_card, admin, Holder("staff", masters[0].id), "plain-uid").fields[0][0] == "uid_hash"
    audited = AuditLog.select().where(AuditLog.action == "card.enrolled")
    assert [(a.actor_id, a.entity_id) for a in audited] == [(admin.id, first.id)]
    assert hashes[0] not in str([a.details for a in audited])


def test_a_revoked_card_stays_listed_and_may_be_enrolled_again(admin, masters, hashes):
    card = enrol_card(admin, Holder("staff", masters[0].id), hashes[0])
    assert refused(revoke_card, admin, card.id, " ").fields[0][0] == "reason"
    revoked = revoke_card(admin, card.id, "lost on the bus")
    assert (revoked.active, revoked.revoked_by, revoked.revoke_reason) == (False, admin.id, "lost on the bus")
    with pytest.raises(Conflict):
        revoke_card(admin, card.id, "again")
    again = enrol_card(admin, Holder("staff", masters[1].id), hashes[0])
    assert again.id != card.id
    assert [c.id for c in list_cards()] == [again.id]
    assert {c.id for c in list_cards(include_revoked=True)} == {card.id, again.id}
    with pytest.raises(TypeError):
        Card.get_by_id(card.id).delete_instance()
    assert AuditLog.get(AuditLog.action == "card.revoked").note == "lost on the bus"


def test_enrolling_from_an_unknown_tap(admin, masters, hashes):
    seen = time_clock.handle_tap("reception", hashes[2])
    card = enrol_from_tap(admin, Holder("staff", masters[1].id), seen.id, "spare")
    assert (card.uid_hash, card.staff_id, card.label, card.enrolled_by) == (hashes[2], masters[1].id, "spare", admin.id)
    assert refused(enrol_from_tap, admin, Holder("staff", masters[0].id), seen.id).fields[0][0] == "tap_id"
    assert refused(enrol_from_tap, admin, Holder("staff", masters[0].id), 999).fields[0][0] == "tap_id"
    assert time_clock.handle_tap("reception", hashes[2]).outcome == "clock_in"


def test_corrections_add_void_and_move_never_delete_and_are_audited(admin, masters, hashes):
    enrol_card(admin, Holder("staff", masters[0].id), hashes[0])
    clocked_in = time_clock.handle_tap("reception", hashes[0], T0 + timedelta(minutes=12))
    added = corrections.add_punch(admin, masters[0].id, T0 + timedelta(hours=9), "out", "forgot to tap out")
    assert (added.source, added.note, added.created_by, added.kind) == ("correction", "forgot to tap out", admin.id, "out")
    moved = corrections.move_punch(admin, clocked_in.punch_id, T0, "the reader was busy at nine")
    old = TimePunch.get_by_id(clocked_in.punch_id)
    assert (old.voided, old.void_reason, old.voided_by) == (True, "the reader was busy at nine", admin.id)
    assert (moved.at, moved.kind, moved.replaces_id, moved.voided) == (T0, "in", old.id, False)
    voided = corrections.void_punch(admin, added.id, "tapped by mistake")
    assert voided.voided and TimePunch.select().count() == 3
    with pytest.raises(Conflict):
        corrections.void_punch(admin, added.id, "twice")
    log = corrections.corrections_log(masters[0].id, date(2026, 3, 2))
    assert [(e.action, e.note) for e in log] == [
        ("timeclock.punch_voided", "tapped by mistake"), ("timeclock.punch_moved", "the reader was busy at nine"),
        ("timeclock.punch_added", "forgot to tap out")]
    assert corrections.corrections_log(masters[1].id, date(2026, 3, 2)) == []


def test_corrections_need_a_reason_a_real_time_and_someone_else(admin, masters):
    assert refused(corrections.add_punch, admin, masters[0].id, T0, "in", "").fields[0][0] == "reason"
    assert refused(corrections.add_punch, admin, masters[0].id, T0, "sideways", "x").fields[0][0] == "kind"
    future = datetime.now(timezone.utc) + timedelta(hours=1)
    assert refused(corrections.add_punch, admin, masters[0].id, future, "in", "x").fields[0][0] == "at"
    assert refused(corrections.add_punch, admin, "nobody", T0, "in", "x").fields[0][0] == "staff_id"
    with pytest.raises(Forbidden):
        corrections.add_punch(admin, admin.id, T0, "in", "my own hours")
    assert corrections.add_punch(Actor("staff", "boss", "manager"), admin.id, T0, "in", "approved").kind == "in"
