"""The salons of the business as head office sees them, with their boxes (CO1).

A ``salon`` row is created by ingest with the id alone when a box first
reports; the salon's name, zone and currency arrive as the box's own synced
``salon`` row (EntityRow entity "salon"). A profile takes the name and
currency from the ``salon`` table where they are set there, else from the
synced row; the zone from the synced row, since the table's default "UTC"
cannot be told apart from a zone someone chose.
"""
from dataclasses import dataclass

from peewee import fn

from cloud.services.errors import NotFound
from cloud.storage.models import Box, EntityRow, Salon


@dataclass(frozen=True)
class SalonProfile:
    """What the pages show of a salon."""

    id: str
    name: str
    timezone: str
    currency: str
    active: bool
    address: str = ""


def _profile(salon: Salon, synced: dict | None) -> SalonProfile:
    synced = synced or {}
    return SalonProfile(id=salon.id, name=salon.name or str(synced.get("name") or ""),
                        timezone=str(synced.get("timezone") or salon.timezone or "UTC"),
                        currency=salon.currency or str(synced.get("currency") or ""),
                        active=salon.active, address=str(synced.get("address") or ""))


def _synced(ids) -> dict:
    if not ids:
        return {}
    rows = EntityRow.select(EntityRow.entity_id, EntityRow.data).where(
        (EntityRow.entity == "salon") & EntityRow.entity_id.in_(list(ids)))
    return {row.entity_id: row.data for row in rows}


def all_profiles() -> list[SalonProfile]:
    """Every salon, by name (one without a name yet sorts last, by id)."""
    salons = list(Salon.select())
    synced = _synced([s.id for s in salons])
    profiles = [_profile(s, synced.get(s.id)) for s in salons]
    return sorted(profiles, key=lambda p: (not p.name, p.name.casefold(), p.id))


def profile(salon_id: str) -> SalonProfile:
    """One salon; NotFound if the cloud does not know it."""
    salon = Salon.get_or_none(Salon.id == salon_id)
    if salon is None:
        raise NotFound("no such salon")
    return _profile(salon, _synced([salon_id]).get(salon_id))


def salons_with_boxes(fleet: list[dict]) -> list[dict]:
    """Each salon with its boxes (rows of the fleet view) and how many services and staff the cloud holds for it."""
    counts: dict = {}
    query = (EntityRow.select(EntityRow.salon_id, EntityRow.entity, fn.COUNT(EntityRow.entity_id).alias("n"))
             .where(EntityRow.entity.in_(["service", "staff"])).group_by(EntityRow.salon_id, EntityRow.entity))
    for row in query.dicts():
        counts.setdefault(row["salon_id"], {})[row["entity"]] = row["n"]
    by_salon: dict = {}
    for box in fleet:
        by_salon.setdefault(box["salon_id"], []).append(box)
    return [{"salon": p, "boxes": by_salon.get(p.id, []), "services": counts.get(p.id, {}).get("service", 0),
             "staff": counts.get(p.id, {}).get("staff", 0)} for p in all_profiles()]


def unassigned_boxes() -> list[Box]:
    """Boxes registered but not yet serving a salon (they have not reported yet)."""
    return list(Box.select().where(Box.salon.is_null()).order_by(Box.name))
