"""A box is upgraded in place: the first schema, filled with data, upgrades to head intact."""
import sqlite3

import pytest
from playhouse.schema_diff import diff_models

from appliance.storage.database import database, open_database
from appliance.storage.migrate import MIGRATIONS_DIR, migration_runner, pending, upgrade
from appliance.storage.models.registry import ALL_MODELS
from appliance.services.clients import search_clients

NOW = "2026-01-10 09:00:00.000000"
# Every numbered migration after the first, in order, as the folder holds them.
LATER_MIGRATIONS = sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))[1:]


@pytest.fixture
def old_box(tmp_path):
    """A box database at migration 0001 with a salon, a master, a client and a booking in it."""
    path = tmp_path / "box.sqlite3"
    db = open_database(str(path))
    db.connect()
    upgrade(db, "0001_initial")
    assert pending(db) == LATER_MIGRATIONS
    raw = db.connection()
    stamp = (0, NOW, NOW)
    raw.execute("INSERT INTO salon VALUES ('s1',?,?,?,'Old','Asia/Tashkent','UZS','UZ','',NULL,'[]',15,90,"
                "'last_first')", stamp)
    raw.execute("INSERT INTO staff (id,rev,created_at,updated_at,first_name,last_name,position,role,bookable,"
                "color,sort_order,locale,active) VALUES ('m1',?,?,?,'Dilnoza','','','master',1,'#000000',0,'uz',1)",
                stamp)
    raw.execute("INSERT INTO client (id,rev,created_at,updated_at,first_name,last_name,middle_name,phone,"
                "extra_phones,notes,allergies,preferences,consents,tags,joined_on,visit_count,active) VALUES "
                "('c1',?,?,?,'Gʻulom','Тошматов','','+998901234567','[\"+998935554433\"]','','','{}','{}',"
                "'[\"VIP\"]','2026-01-10',2,1)", stamp)
    raw.execute("INSERT INTO service_category VALUES ('k1',?,?,?,'Hair',NULL,0,1)", stamp)
    raw.execute("INSERT INTO service (id,rev,created_at,updated_at,category_id,name,description,duration_min,"
                "buffer_min,price,bookable_online,sort_order,active) VALUES "
                "('v1',?,?,?,'k1','Cut','',60,0,1500000000,1,0,1)", stamp)
    raw.execute("INSERT INTO booking (id,rev,created_at,updated_at,code,client_id,status,source,comment,"
                "status_reason,starts_at,ends_at,total) VALUES ('b1',?,?,?,'123456','c1','confirmed','admin','',"
                "'','2026-01-11 05:00:00.000000','2026-01-11 06:00:00.000000',1500000000)", stamp)
    yield db, path
    db.close()


def test_upgrade_keeps_data_and_backfills_the_search_column(old_box):
    db, path = old_box
    assert upgrade(db) == LATER_MIGRATIONS
    assert pending(db) == []
    rows = sqlite3.connect(path).execute("SELECT id, search_text, tags FROM client").fetchall()
    assert rows == [("c1", "тошматов gʻulom 998901234567 998935554433", '["VIP"]')]
    found, total = search_clients("тошм 4433")
    assert total == 1 and found[0].first_name == "Gʻulom"
    assert sqlite3.connect(path).execute("SELECT total, status FROM booking").fetchall() == [
        (1500000000, "confirmed")]


def test_head_schema_matches_the_models_and_upgrade_is_idempotent(old_box):
    db, _ = old_box
    upgrade(db)
    assert LATER_MIGRATIONS[:4] == ["0002_group_events_and_client_search", "0003_slimmer_booking_indexes",
                                    "0004_sync_state", "0005_online_requests"]
    assert not diff_models(db, list(ALL_MODELS))
    assert upgrade(db) == []


def test_migrations_can_be_reverted_to_the_first_schema(old_box):
    db, path = old_box
    upgrade(db)
    migration_runner(db).down("0002_group_events_and_client_search")
    columns = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(client)")]
    assert "search_text" not in columns
    indexes = {r[1] for r in sqlite3.connect(path).execute("PRAGMA index_list(booking_item)")}
    assert {"bookingitem_master_id", "bookingitem_room_id", "bookingitem_equipment_id"} <= indexes
    assert database.obj is db
