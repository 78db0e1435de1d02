"""A small business as the cloud holds it after its boxes have synced, for the head-office tests.

One salon in Tashkent (UZS) with two categories, three services, two people,
its box online with a backlog, a second box offline, a dead letter and an open conflict.
"""
from dataclasses import dataclass
from datetime import timedelta

import uuid6

from cloud.services.users import create_user
from cloud.storage.models import Box, DeadLetter, EntityRow, Salon, SyncConflict, utc_now

PASSWORD = "Head-office-1"


def new_id() -> str:
    """A UUIDv7 string, as the boxes make them."""
    return str(uuid6.uuid7())


@dataclass
class Business:
    """Ids of what ``seed_business`` made."""

    salon_id: str
    box_id: str
    offline_box_id: str
    hair_id: str
    closed_category_id: str
    haircut_id: str
    manicure_id: str
    laser_id: str
    master_id: str
    admin_id: str
    conflict_id: int


def _row(entity: str, entity_id: str, salon_id: str, box_id: str, data: dict) -> None:
    at = (utc_now() - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    EntityRow.create(entity=entity, entity_id=entity_id, salon_id=salon_id, origin=box_id, schema=2, crev=1,
                     data={"id": entity_id, "rev": 1, "synced_rev": 0, "created_at": at, "updated_at": at, **data},
                     stamps={name: {"rev": 1, "at": at, "by": box_id} for name in data})


def _service(category: str, name: str, minutes: int, price: str, price_max=None, active=True) -> dict:
    return {"category": category, "name": name, "description": "", "duration_min": minutes, "buffer_min": 0,
            "price": price, "price_max": price_max, "room_type": None, "equipment_type": None,
            "bookable_online": True, "sort_order": 0, "active": active}


def seed_business() -> Business:
    """Create the salon, its boxes, synced rows and sync problems; returns their ids."""
    ids = {name: new_id() for name in ("salon", "box", "offline", "hair", "closed", "haircut", "manicure",
                                        "laser", "master", "admin")}
    now = utc_now()
    Salon.create(id=ids["salon"])  # as ingest makes it: the id alone
    Box.create(id=ids["box"], name="Chilonzor front desk", salon=ids["salon"], online=True, software="0.1.0",
               schema=2, up_applied=1234, backlog=7, last_change_at=now - timedelta(seconds=95), down_seq=12,
               down_acked=10, last_seen_at=now - timedelta(seconds=20), last_error="staff 0192: bad row",
               last_error_at=now - timedelta(minutes=3))
    Box.create(id=ids["offline"], name="Yunusobod back office", salon=ids["salon"], online=False, software="0.0.9",
               schema=1, up_applied=40, last_seen_at=now - timedelta(days=2))
    salon, box = ids["salon"], ids["box"]
    _row("salon", salon, salon, box, {"name": "Chilonzor", "timezone": "Asia/Tashkent", "currency": "UZS",
                                      "country": "UZ", "address": "Bunyodkor 1"})
    _row("service_category", ids["hair"], salon, box, {"name": "Hair", "parent": None, "sort_order": 0, "active": True})
    _row("service_category", ids["closed"], salon, box, {"name": "Old things", "parent": None, "sort_order": 1,
                                                         "active": False})
    _row("service", ids["haircut"], salon, box, _service(ids["hair"], "Haircut", 60, "150000.00", "250000.00"))
    _row("service", ids["manicure"], salon, box, _service(ids["hair"], "Manicure", 45, "90000.00"))
    _row("service", ids["laser"], salon, box, _service(ids["closed"], "Laser", 30, "300000.00", active=False))
    _row("staff", ids["master"], salon, box, {"first_name": "Dilnoza", "last_name": "Karimova", "role": "master",
                                              "position": "", "bookable": True, "active": True})
    _row("staff", ids["admin"], salon, box, {"first_name": "Svetlana", "last_name": "Ivanova",
                                             "role": "administrator", "position": "", "bookable": False,
                                             "active": True})
    DeadLetter.create(box_id=box, topic=f"salons/{box}/up", reason="sender does not match the topic's box",
                      size=2048, payload='{"kind": "changes", "sender": "someone-else", "changes": []}')
    conflict = SyncConflict.create(entity="service", entity_id=ids["haircut"], field="price", kept="160000.00",
                                   lost="155000.00", kept_by=box, lost_by="cloud", kept_at="2026-11-30T10:00:00Z",
                                   lost_at="2026-11-30T09:59:00Z")
    return Business(salon, box, ids["offline"], ids["hair"], ids["closed"], ids["haircut"], ids["manicure"],
                    ids["laser"], ids["master"], ids["admin"], conflict.id)


def add_user(role: str, username: str | None = None, locale: str = "en", timezone: str = "Asia/Tashkent"):
    """A head-office user with the test password."""
    return create_user(None, {"username": username or role.replace("_", "-"), "full_name": role.title(),
                              "role": role, "password": PASSWORD, "locale": locale, "timezone": timezone})
