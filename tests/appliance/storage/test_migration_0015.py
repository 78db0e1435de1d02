"""Migration 0015 (rooms and equipment counted as reference data) on a box that holds both."""
import sqlite3

NOW = "2026-01-10 09:00:00.000000"
MIGRATION = "0015_rooms_and_equipment_are_reference_data"


def _version(raw):
    return raw.execute("SELECT n FROM reference_version").fetchone()[0]


def test_0015_counts_every_change_to_rooms_and_equipment_and_goes_down_cleanly(box_before):
    db, runner, path = box_before("0015")
    db.connection().execute("INSERT INTO room (id,rev,synced_rev,created_at,updated_at,name,room_type,capacity,active)"
                            " VALUES ('r1',1,0,?,?,'Cabinet 1','cabinet',1,1)", (NOW, NOW))
    db.connection().commit()
    raw = sqlite3.connect(path)
    before = _version(raw)
    raw.execute("UPDATE room SET capacity = 2 WHERE id = 'r1'")
    assert _version(raw) == before  # not counted yet
    raw.commit()
    assert runner.up(MIGRATION) == [MIGRATION]
    raw.execute("UPDATE room SET active = 0 WHERE id = 'r1'")
    raw.execute("INSERT INTO equipment (id,rev,synced_rev,created_at,updated_at,name,equipment_type,active)"
                " VALUES ('e1',1,0,?,?,'Laser A','laser',1)", (NOW, NOW))
    raw.execute("UPDATE equipment SET active = 0 WHERE id = 'e1'")
    raw.execute("DELETE FROM equipment WHERE id = 'e1'")
    assert _version(raw) == before + 4
    raw.commit()
    assert raw.execute("SELECT capacity, active FROM room").fetchall() == [(2, 0)]
    raw.close()
    assert runner.down(MIGRATION) == [MIGRATION]
    raw = sqlite3.connect(path)
    triggers = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert not {t for t in triggers if "room" in t or "equipment" in t}
    assert "reference_service_update" in triggers  # 0013's own stay
    raw.execute("UPDATE room SET active = 1")
    assert _version(raw) == before + 4
    raw.close()
    db.close()
