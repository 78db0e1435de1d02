"""Migration 0006 (time clock) upgrades a box with data in it, enforces one active card per hash, and reverts."""
import sqlite3

import pytest
from playhouse.schema_diff import diff_models

from appliance.storage.database import open_database
from appliance.storage.migrate import migration_runner, upgrade
from appliance.storage.models.time_clock import Card, CardTap, TimePunch

NOW = "2026-01-10 09:00:00.000000"
HASH = "ab" * 32


@pytest.fixture
def box_at_0005(tmp_path):
    """A box database at migration 0005 with a salon, a master and a client."""
    path = tmp_path / "box.sqlite3"
    db = open_database(str(path))
    db.connect()
    upgrade(db, "0005_online_requests")
    raw = db.connection()
    stamp = (0, NOW, NOW)
    raw.execute("INSERT INTO salon (id,synced_rev,rev,created_at,updated_at,name,timezone,currency,country,address,opening_hours,"
                "slot_step_min,lost_after_days,name_order) VALUES ('s1',0,?,?,?,'Old','Asia/Tashkent','UZS','UZ','',"
                "'[]',15,90,'last_first')", stamp)
    raw.execute("INSERT INTO staff (id,synced_rev,rev,created_at,updated_at,first_name,last_name,position,role,bookable,"
                "color,sort_order,locale,active) VALUES ('m1',0,?,?,?,'Dilnoza','','','master',1,'#000000',0,'uz',1)",
                stamp)
    raw.execute("INSERT INTO client (id,synced_rev,rev,created_at,updated_at,first_name,last_name,middle_name,phone,"
                "extra_phones,notes,allergies,preferences,consents,tags,joined_on,visit_count,active,search_text) "
                "VALUES ('c1',0,?,?,?,'Aziza','','','+998901234567','[]','','','{}','{}','[]','2026-01-10',0,1,'')",
                stamp)
    raw.commit()
    yield db, path
    db.close()


def _card(raw, card_id, staff=None, client=None, active=1):
    raw.execute("INSERT INTO card (id,rev,synced_rev,created_at,updated_at,uid_hash,staff_id,client_id,label,active,"
                "enrolled_at,revoke_reason) VALUES (?,1,0,?,?,?,?,?,'',?,?,'')",
                (card_id, NOW, NOW, HASH, staff, client, active, NOW))


def test_upgrade_adds_the_tables_keeps_the_data_and_matches_the_models(box_at_0005):
    db, path = box_at_0005
    assert upgrade(db, "0006_time_clock") == ["0006_time_clock"]
    assert not diff_models(db, [Card, TimePunch, CardTap])
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT first_name FROM staff").fetchall() == [("Dilnoza",)]
    _card(raw, "k1", staff="m1")
    raw.execute("INSERT INTO time_punch (id,rev,synced_rev,created_at,updated_at,staff_id,at,kind,source,card_id,"
                "reader,note,voided,void_reason) VALUES ('p1',1,0,?,?,'m1',?,'in','card','k1','desk','',0,'')",
                (NOW, NOW, NOW))
    raw.execute("INSERT INTO card_tap (reader,at,uid_hash,outcome,card_id,staff_id,punch_id) "
                "VALUES ('desk',?,?,'clock_in','k1','m1','p1')", (NOW, HASH))
    raw.commit()
    assert raw.execute("SELECT outcome FROM card_tap").fetchall() == [("clock_in",)]


def test_one_active_card_per_hash_and_exactly_one_holder(box_at_0005):
    db, path = box_at_0005
    upgrade(db, "0006_time_clock")
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA foreign_keys = ON")
    _card(raw, "k1", staff="m1")
    with pytest.raises(sqlite3.IntegrityError):
        _card(raw, "k2", client="c1")
    raw.execute("UPDATE card SET active = 0 WHERE id = 'k1'")
    _card(raw, "k2", client="c1")  # the revoked one keeps its hash beside the new one
    with pytest.raises(sqlite3.IntegrityError):
        _card(raw, "k3", staff="m1", client="c1", active=0)
    with pytest.raises(sqlite3.IntegrityError):
        _card(raw, "k4", active=0)
    with pytest.raises(sqlite3.IntegrityError):
        _card(raw, "k5", staff="nobody", active=0)


def test_the_migration_reverts(box_at_0005):
    db, path = box_at_0005
    upgrade(db, "0006_time_clock")
    migration_runner(db).down("0006_time_clock")
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not {"card", "time_punch", "card_tap"} & tables and "staff" in tables
