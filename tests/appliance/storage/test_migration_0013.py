"""Migration 0013 (the reference version and its triggers) on a box that holds a catalogue."""
import sqlite3


NOW = "2026-01-10 09:00:00.000000"


def _version(raw):
    return raw.execute("SELECT n FROM reference_version").fetchone()[0]


def test_0013_counts_every_change_to_reference_data_and_goes_down_cleanly(box_before):
    db, runner, path = box_before("0013")
    db.connection().execute(
        "INSERT INTO staff (id,rev,synced_rev,created_at,updated_at,first_name,last_name,position,role,phone,email,"
        "bookable,color,sort_order,locale,active) VALUES ('m1',1,0,?,?,'Olga','','','master','','',1,'',0,'ru',1)",
        (NOW, NOW))
    db.connection().commit()
    assert runner.up("0013_reference_version") == ["0013_reference_version"]
    raw = sqlite3.connect(path)
    assert _version(raw) == 0
    assert len(raw.execute("SELECT generation FROM reference_version").fetchone()[0]) == 16
    raw.execute("UPDATE staff SET first_name = 'Olya' WHERE id = 'm1'")
    assert _version(raw) == 1
    raw.execute("INSERT INTO schedule_day (id,rev,synced_rev,created_at,updated_at,staff_id,day,intervals,note,active)"
                " VALUES ('d1',1,0,?,?,'m1','2026-01-12','[]','',1)", (NOW, NOW))
    raw.execute("DELETE FROM schedule_day WHERE id = 'd1'")
    assert _version(raw) == 3
    raw.execute("INSERT INTO client (id,rev,synced_rev,created_at,updated_at,first_name,last_name,middle_name,"
                "extra_phones,notes,allergies,preferences,consents,tags,joined_on,visit_count,active,search_text) "
                "VALUES ('c1',0,0,?,?,'Aziza','','','[]','','','{}','{}','[]','2026-01-10',0,1,'')", (NOW, NOW))
    assert _version(raw) == 3  # clients are not reference data
    raw.commit()
    raw.close()
    assert runner.down("0013_reference_version") == ["0013_reference_version"]
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT name FROM sqlite_master WHERE name LIKE 'reference%'").fetchall() == []
    assert raw.execute("SELECT first_name FROM staff").fetchall() == [("Olya",)]
    db.close()
