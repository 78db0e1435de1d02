"""Migration 0010 (checkout and the cash register) on a box that already holds data, without 0009 (stock)."""
import shutil
import sqlite3

import pytest
from playhouse.schema_diff import diff_models

from appliance.storage.database import open_database
from appliance.storage.migrate import MIGRATIONS_DIR, migration_runner
from appliance.storage.models.cash import CashMovement, CashRegister, CashShift
from appliance.storage.models.checkout import (
    CertificateEntry, DepositEntry, GiftCertificate, Sale, SaleLine, SalePayment, SaleTip,
)

NOW = "2026-01-10 09:00:00.000000"
BEFORE = sorted(p.stem for p in MIGRATIONS_DIR.glob("000[1-8]_*.py"))
MINE = (CashRegister, CashShift, CashMovement, Sale, SaleLine, SaleTip, GiftCertificate, SalePayment,
        CertificateEntry, DepositEntry)


@pytest.fixture
def box_at_0008(tmp_path):
    """A box at 0008 with a salon, a manager, a client and a booking; a folder holding 0001-0008 and 0010 only."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name in (*BEFORE, "0010_checkout"):
        shutil.copy(MIGRATIONS_DIR / f"{name}.py", folder)
    path = tmp_path / "box.sqlite3"
    db = open_database(str(path))
    db.connect()
    runner = migration_runner(db, folder)
    assert runner.up(BEFORE[-1]) == BEFORE
    raw = db.connection()
    stamp = (NOW, NOW)
    raw.execute("INSERT INTO staff (id,rev,synced_rev,created_at,updated_at,first_name,last_name,position,role,"
                "bookable,color,sort_order,locale,active) VALUES ('m1',0,0,?,?,'Malika','','','manager',0,"
                "'#000000',0,'uz',1)", stamp)
    raw.execute("INSERT INTO client (id,rev,synced_rev,created_at,updated_at,first_name,last_name,middle_name,"
                "extra_phones,notes,allergies,preferences,consents,tags,joined_on,visit_count,active,search_text) "
                "VALUES ('c1',0,0,?,?,'Gʻulom','','','[]','','','{}','{}','[]','2026-01-10',0,1,'')", stamp)
    raw.execute("INSERT INTO booking (id,rev,synced_rev,created_at,updated_at,code,client_id,status,source,comment,"
                "status_reason,starts_at,ends_at,total) VALUES ('b1',0,0,?,?,'123456','c1','confirmed','admin','',"
                "'',?,?,1500000000)", (*stamp, NOW, NOW))
    raw.commit()
    yield db, path, runner
    db.close()


def test_0010_adds_the_checkout_tables_and_keeps_the_data(box_at_0008):
    db, path, runner = box_at_0008
    assert runner.up() == ["0010_checkout"]
    assert not diff_models(db, list(MINE))
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA foreign_keys = ON")
    assert raw.execute("SELECT code FROM booking").fetchall() == [("123456",)]
    raw.execute("INSERT INTO cash_register (id,rev,synced_rev,created_at,updated_at,name,driver,address,operator_password,"
                "last_receipt_number,last_shift_number,active) VALUES ('r1',0,0,?,?,'K1','non_fiscal','',30,0,0,1)",
                (NOW, NOW))
    shift = ("INSERT INTO cash_shift (id,rev,synced_rev,created_at,updated_at,register_id,number,status,opened_at,"
             "opened_by_id,opening_cash) VALUES (?,0,0,?,?,'r1',?,?,?,'m1',0)")
    raw.execute(shift, ("s1", NOW, NOW, 1, "open", NOW))
    with pytest.raises(sqlite3.IntegrityError):  # one open shift per register
        raw.execute(shift, ("s2", NOW, NOW, 2, "open", NOW))
    raw.execute(shift, ("s0", NOW, NOW, 0, "closed", NOW))
    sale = ("INSERT INTO sale (id,rev,synced_rev,created_at,updated_at,booking_id,register_id,number,currency,kind,"
            "status,subtotal,line_discounts,check_discount,total,tips_total,change,check_discount_reason,reason,"
            "fiscal_driver,fiscal_document) VALUES (?,0,0,?,?,'b1','r1',?,'UZS','sale','paid',0,0,0,0,0,0,'','','','')")
    raw.execute(sale, ("x1", NOW, NOW, 1))
    raw.execute(sale, ("x2", NOW, NOW, None))
    raw.execute(sale, ("x3", NOW, NOW, None))
    with pytest.raises(sqlite3.IntegrityError):  # receipt numbers are unique per register
        raw.execute(sale, ("x4", NOW, NOW, 1))
    with pytest.raises(sqlite3.IntegrityError):  # payments need their shift
        raw.execute("INSERT INTO sale_payment (id,rev,synced_rev,created_at,updated_at,sale_id,shift_id,kind,method,"
                    "amount,change) VALUES ('p1',0,0,?,?,'x1','nope','sale','cash',1,0)", (NOW, NOW))
    raw.close()


def test_0010_reverts_cleanly(box_at_0008):
    db, path, runner = box_at_0008
    runner.up()
    runner.down("0010_checkout")
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not tables & {"sale", "cash_shift", "gift_certificate"} and "booking" in tables
