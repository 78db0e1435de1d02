"""Migration 0009 (stock) on a box that already holds data, without the other migrations of its round."""
import shutil
import sqlite3

import pytest

from appliance.storage.database import open_database
from appliance.storage.migrate import MIGRATIONS_DIR, migration_runner

NOW = "2026-01-10 09:00:00.000000"
BEFORE = ["0001_initial", "0002_group_events_and_client_search", "0003_slimmer_booking_indexes",
          "0004_sync_state", "0005_online_requests"]


@pytest.fixture
def box_at_0005(tmp_path):
    """A box at 0005 with a salon and a service, and a migrations folder holding 0001-0005 and 0009 only."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name in (*BEFORE, "0009_stock"):
        shutil.copy(MIGRATIONS_DIR / f"{name}.py", folder)
    path = tmp_path / "box.sqlite3"
    db = open_database(str(path))
    db.connect()
    runner = migration_runner(db, folder)
    assert runner.up("0005_online_requests") == BEFORE
    raw = db.connection()
    raw.execute("INSERT INTO salon (id,rev,synced_rev,created_at,updated_at,name,timezone,currency,country,address,phone,"
                "opening_hours,slot_step_min,lost_after_days,name_order) VALUES ('s1',0,0,?,?,'Old','Asia/Tashkent',"
                "'UZS','UZ','',NULL,'[]',15,90,'last_first')", (NOW, NOW))
    raw.execute("INSERT INTO service_category (id,rev,synced_rev,created_at,updated_at,name,parent_id,sort_order,active)"
                " VALUES ('k1',0,0,?,?,'Hair',NULL,0,1)", (NOW, NOW))
    raw.execute("INSERT INTO service (id,rev,synced_rev,created_at,updated_at,category_id,name,description,"
                "duration_min,buffer_min,price,bookable_online,sort_order,active) VALUES "
                "('v1',0,0,?,?,'k1','Colour','',60,0,1500000000,1,0,1)", (NOW, NOW))
    yield db, path, runner
    db.close()


def _product(raw, pid, barcode, active=1):
    raw.execute("INSERT INTO product (id,rev,synced_rev,created_at,updated_at,name,sku,barcode,unit,pack_size,"
                "retail_price,category,track_expiry,retail,material,active) VALUES (?,0,0,?,?,'Dye',NULL,?,'ml',"
                "1000000,0,'',1,0,1,?)", (pid, NOW, NOW, barcode, active))


def test_0009_adds_stock_and_the_negative_stock_setting_keeping_the_data(box_at_0005):
    db, path, runner = box_at_0005
    assert runner.up() == ["0009_stock"]
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA foreign_keys = ON")
    assert raw.execute("SELECT name, negative_stock FROM salon").fetchall() == [("Old", "refuse")]
    _product(raw, "p1", "4006381333931")
    _product(raw, "p0", "4006381333931", active=0)  # a retired product may keep the code
    with pytest.raises(sqlite3.IntegrityError):  # unique among active products
        _product(raw, "p2", "4006381333931")
    raw.execute("INSERT INTO cost_card_line (id,rev,synced_rev,created_at,updated_at,service_id,product_id,quantity,"
                "active) VALUES ('c1',0,0,?,?,'v1','p1',30000,1)", (NOW, NOW))
    with pytest.raises(sqlite3.IntegrityError):  # cost cards need their service
        raw.execute("INSERT INTO cost_card_line (id,rev,synced_rev,created_at,updated_at,service_id,product_id,"
                    "quantity,active) VALUES ('c2',0,0,?,?,'nope','p1',1,1)", (NOW, NOW))
    raw.close()


def test_0009_reverts_cleanly(box_at_0005):
    db, path, runner = box_at_0005
    runner.up()
    runner.down("0009_stock")
    raw = sqlite3.connect(path)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not tables & {"product", "stock_movement", "stock_balance", "warehouse"} and "salon" in tables
    assert "negative_stock" not in [r[1] for r in raw.execute("PRAGMA table_info(salon)")]
    assert raw.execute("SELECT name FROM salon").fetchall() == [("Old",)]
