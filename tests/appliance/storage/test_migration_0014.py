"""Migration 0014 (booking items without their service index) on a box that holds bookings."""
import sqlite3

from playhouse.schema_diff import diff_models

from appliance.storage.models.bookings import BookingItem

NOW = "2026-01-10 09:00:00.000000"
LATER = "2026-01-12 10:00:00.000000"


def _indexes(path) -> set:
    return {r[1] for r in sqlite3.connect(path).execute("PRAGMA index_list(booking_item)")}


def _fill(db) -> None:
    raw = db.connection()
    raw.execute("INSERT INTO staff (id,rev,synced_rev,created_at,updated_at,first_name,last_name,position,role,phone,"
                "email,bookable,color,sort_order,locale,active) VALUES ('m1',1,0,?,?,'Olga','','','master','','',1,"
                "'',0,'ru',1)", (NOW, NOW))
    raw.execute("INSERT INTO service_category (id,rev,synced_rev,created_at,updated_at,name,parent_id,sort_order,"
                "active) VALUES ('k1',1,0,?,?,'Nails',NULL,0,1)", (NOW, NOW))
    raw.execute("INSERT INTO service (id,rev,synced_rev,created_at,updated_at,category_id,name,description,"
                "duration_min,buffer_min,price,price_max,room_type,equipment_type,bookable_online,sort_order,active) "
                "VALUES ('s1',1,0,?,?,'k1','Manicure','',45,5,1200000000,NULL,NULL,NULL,1,0,1)", (NOW, NOW))
    raw.execute("INSERT INTO client (id,rev,synced_rev,created_at,updated_at,first_name,last_name,middle_name,"
                "extra_phones,notes,allergies,preferences,consents,tags,joined_on,visit_count,active,search_text) "
                "VALUES ('c1',1,0,?,?,'Aziza','','','[]','','','{}','{}','[]','2026-01-10',0,1,'')", (NOW, NOW))
    raw.execute("INSERT INTO booking (id,rev,synced_rev,created_at,updated_at,code,client_id,status,source,comment,"
                "status_reason,series_id,starts_at,ends_at,total,created_by) VALUES ('b1',1,0,?,?,'123456','c1',"
                "'confirmed','admin','','',NULL,?,?,1200000000,NULL)", (NOW, NOW, LATER, LATER))
    raw.execute("INSERT INTO booking_item (id,rev,synced_rev,created_at,updated_at,booking_id,position,service_id,"
                "master_id,room_id,equipment_id,starts_at,ends_at,busy_until,price,active) VALUES ('i1',1,0,?,?,'b1',"
                "0,'s1','m1',NULL,NULL,?,?,?,1200000000,1)", (NOW, NOW, LATER, LATER, LATER))
    raw.commit()


def test_0014_drops_the_service_index_keeps_the_items_and_reverts(box_before):
    db, runner, path = box_before("0014")
    _fill(db)
    assert "bookingitem_service_id" in _indexes(path)
    assert runner.up("0014_drop_booking_item_service_index") == ["0014_drop_booking_item_service_index"]
    assert "bookingitem_service_id" not in _indexes(path)
    assert {"bookingitem_booking_id", "bookingitem_master_id_starts_at"} <= _indexes(path)
    assert not diff_models(db, [BookingItem])  # (0016 adds a column to bookings)
    item = BookingItem.get_by_id("i1")
    assert (item.service_id, item.master_id, item.booking_id, str(item.price)) == ("s1", "m1", "b1", "120000.00")
    # The one lookup by service (a service being deactivated) still finds its items, by a scan.
    assert BookingItem.select().where(BookingItem.service == "s1").count() == 1
    assert runner.down("0014_drop_booking_item_service_index") == ["0014_drop_booking_item_service_index"]
    assert "bookingitem_service_id" in _indexes(path)
    assert sqlite3.connect(path).execute("SELECT service_id, price FROM booking_item").fetchall() == [
        ("s1", 1200000000)]
    db.close()
