"""Migration 0007 (printing, KI3) on a box that already holds data, without the other migrations of its round."""
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
    """A box at 0005 with a salon and a manager, and a migrations folder holding 0001-0005 and 0007 only."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name in (*BEFORE, "0007_printing"):
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
    raw.execute("INSERT INTO staff (id,rev,synced_rev,created_at,updated_at,first_name,last_name,position,role,"
                "bookable,color,sort_order,locale,active) VALUES ('m1',0,0,?,?,'Malika','','','manager',0,"
                "'#000000',0,'uz',1)", (NOW, NOW))
    yield db, path, runner
    db.close()


def test_0007_adds_the_printing_tables_and_keeps_the_data(box_at_0005):
    db, path, runner = box_at_0005
    assert runner.up() == ["0007_printing"]
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT first_name FROM staff").fetchall() == [("Malika",)]
    raw.execute("INSERT INTO printer (id,name,role,connection,address,profile,paper_width_mm,code_page,active,"
                "created_at,updated_at) VALUES ('p1','Kassa','receipt','network','10.0.0.5:9100','TM-T88V',80,"
                "'auto',1,?,?)", (NOW, NOW))
    raw.execute("INSERT INTO print_job (printer_id,kind,title,document,state,attempts,next_attempt_at,created_at,"
                "created_by_id) VALUES ('p1','test','Test','{}','queued',0,?,?,'m1')", (NOW, NOW))
    raw.execute("INSERT INTO device_state (kind,name,state,detail,seen_at) VALUES ('reader','ACR122U','ready','',?)",
                (NOW,))
    raw.commit()
    with pytest.raises(sqlite3.IntegrityError):  # one row per device
        raw.execute("INSERT INTO device_state (kind,name,state,detail,seen_at) VALUES ('reader','ACR122U','x','',?)",
                    (NOW,))
    raw.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):  # jobs need their printer
        raw.execute("INSERT INTO print_job (printer_id,kind,title,document,next_attempt_at,created_at) "
                    "VALUES ('nope','test','T','{}',?,?)", (NOW, NOW))
    raw.close()


def test_0007_reverts_cleanly(box_at_0005):
    db, path, runner = box_at_0005
    runner.up()
    runner.down("0007_printing")
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not tables & {"printer", "print_job", "device_state"} and "staff" in tables
