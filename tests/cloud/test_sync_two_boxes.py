"""Two salons and head office on one client base: edits made in three places at once, and master data going down."""
import uuid
from contextlib import contextmanager
from decimal import Decimal

import pytest

from appliance.services import salon as salon_service
from appliance.services import sync_outbox
from appliance.services.clients import create_client, update_client
from appliance.storage.database import database, open_database
from appliance.storage.migrate import upgrade
from appliance.storage.models.catalogue import Service
from appliance.storage.models.clients import Client
from cloud.services.downstream import edit_row
from cloud.services.fleet import register_box
from cloud.storage.models import Box, EntityRow, SyncConflict
from sync.merge import META_FIELDS
from tests.cloud.sync_processes import box_agent, cloud_worker, wait_until
from tests.conftest import WEEK_9_TO_21


@contextmanager
def on_box(db):
    """Point the box models of this process at one box's database for a moment."""
    previous = database.obj
    database.initialize(db)
    db.connect(reuse_if_open=True)
    try:
        yield
    finally:
        database.initialize(previous)


@pytest.fixture
def two_boxes(small_salon, system, cloud_db, pg_dsn, mosquitto, tmp_path):
    """Box A (the suite's box) and box B (a second salon), both registered, with agents and two workers."""
    db_a = database.obj
    data_b = tmp_path / "box-b"
    data_b.mkdir()
    db_b = open_database(str(data_b / "box.sqlite3"))
    db_b.connect()
    upgrade(db_b)
    salon_service.set_up(system, {"name": "Yunusobod", "timezone": "Asia/Tashkent", "currency": "UZS",
                                  "country": "UZ", "opening_hours": WEEK_9_TO_21})
    database.initialize(db_a)
    ids = {"a": str(uuid.uuid4()), "b": str(uuid.uuid4())}
    register_box(ids["a"], "Chilonzor")
    register_box(ids["b"], "Yunusobod")
    processes = [box_agent(tmp_path / "data", ids["a"], mosquitto.port),
                 box_agent(data_b, ids["b"], mosquitto.port),
                 cloud_worker(pg_dsn, mosquitto.port, tmp_path, "w1"),
                 cloud_worker(pg_dsn, mosquitto.port, tmp_path, "w2")]
    for process in processes:
        process.start()
    yield {"db_a": db_a, "db_b": db_b, "ids": ids, "processes": processes}
    for process in processes:
        process.stop()
    db_b.close()


def content(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in META_FIELDS}


def card(db, client_id):
    with on_box(db):
        row = Client.get_or_none(Client.id == client_id)
        return None if row is None else content(row.snapshot())


def test_a_client_edited_in_two_salons_and_head_office_at_once_converges_by_the_rule(two_boxes, system):
    db_a, db_b, processes = two_boxes["db_a"], two_boxes["db_b"], two_boxes["processes"]
    client = create_client(system, {"first_name": "Gʻulom", "last_name": "Toshmatov", "phone": "+998901112233"})
    wait_until(lambda: card(db_b, client.id) is not None, 60, "the card to reach salon B", processes)

    update_client(system, client.id, {"phone": "+998935554433"})  # salon A
    with on_box(db_b):  # salon B, a moment later, on the card as it received it
        update_client(system, client.id, {"phone": "+998971234567", "notes": "allergic to latex"})
    salon_a = Box.get_by_id(two_boxes["ids"]["a"]).salon_id
    edit_row("client", client.id, salon_a, {"email": "gulom@example.uz"}, shared=True)  # head office

    def converged():
        cloud = EntityRow.get_or_none(EntityRow.entity == "client", EntityRow.entity_id == client.id)
        a, b = card(db_a, client.id), card(db_b, client.id)
        return cloud is not None and content(cloud.data) == a == b and a["email"] == "gulom@example.uz" \
            and a["notes"] == "allergic to latex"
    try:
        wait_until(converged, 60, "the three copies to agree", processes)
    except TimeoutError:
        cloud = EntityRow.get(EntityRow.entity == "client", EntityRow.entity_id == client.id)
        keys = ("phone", "notes", "email", "synced_rev")
        raise AssertionError({"cloud": {k: cloud.data.get(k) for k in keys}, "crev": cloud.crev,
                              "stamps": cloud.stamps, "a": {k: card(db_a, client.id).get(k) for k in keys},
                              "b": {k: card(db_b, client.id).get(k) for k in keys},
                              "conflicts": list(SyncConflict.select().dicts())}) from None
    final = card(db_a, client.id)
    assert final["phone"] == "+998971234567"  # the later of the two concurrent phone edits
    stamps = EntityRow.get(EntityRow.entity_id == client.id).stamps
    conflict = SyncConflict.get_or_none(SyncConflict.entity_id == client.id)
    assert conflict is not None, (stamps, list(SyncConflict.select().dicts()))
    assert (conflict.field, conflict.kept, conflict.lost) == ("phone", "+998971234567", "+998935554433")
    assert (conflict.kept_by, conflict.lost_by) == (two_boxes["ids"]["b"], two_boxes["ids"]["a"])


def test_a_price_changed_in_head_office_reaches_its_salon_only(two_boxes, small_salon):
    processes = two_boxes["processes"]
    cut = small_salon["cut"]
    wait_until(lambda: EntityRow.get_or_none(EntityRow.entity == "service", EntityRow.entity_id == cut.id),
               60, "the service in the cloud", processes)
    salon_a = Box.get_by_id(two_boxes["ids"]["a"]).salon_id
    edit_row("service", cut.id, salon_a, {"price": "175000.00"})

    def arrived():
        with on_box(two_boxes["db_a"]):
            return Service.get_by_id(cut.id).price == Decimal("175000")
    wait_until(arrived, 60, "the new price on box A", processes)
    with on_box(two_boxes["db_a"]):
        assert sync_outbox.sync_status()["down_applied"] >= 1
    with on_box(two_boxes["db_b"]):
        assert Service.get_or_none(Service.id == cut.id) is None
