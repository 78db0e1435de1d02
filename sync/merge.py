"""The one rule for a row edited in more than one place: field-level merge, conflicts recorded (SY2, SY4).

Every synced row in the cloud keeps, per field, the cloud revision that last
changed it, when and by whom (``stamps``; the entry ``"*"`` stands for every
field not changed since the row was first received, which keeps a row's
stamps small). A change arrives with the fields it changed
and the cloud revision its sender had last seen (``base``, the row's
``synced_rev`` on the box when it was edited):

- a field nobody else changed since ``base`` takes the new value;
- a field another place changed since ``base`` to a different value is a
  conflict: the edit made later (by the editors' clocks) stays, and the other
  value is returned as a conflict record, never dropped silently;
- a field set to the value it already has changes nothing.

The journal and the other operational rows are only ever edited on their
own box, so for them this is always a fast-forward; catalogue, staff and
clients can be edited on several boxes and in head office.
"""
from dataclasses import dataclass, field

# Bookkeeping, not content: never merged field by field.
META_FIELDS = frozenset({"id", "rev", "synced_rev", "created_at", "updated_at"})
ALL_FIELDS = "*"  # the stamp of every field that has no stamp of its own


@dataclass
class Merged:
    """The row after a change: data, per-field stamps, revision, and what was decided."""

    data: dict
    stamps: dict
    crev: int
    changed: list = field(default_factory=list)  # content fields whose value changed
    conflicts: list = field(default_factory=list)


def _content(fields) -> list[str]:
    return sorted(f for f in fields if f not in META_FIELDS)


def merge_change(stored: dict | None, stamps: dict, crev: int, payload: dict, changed: list | None,
                 base: int, origin: str, at: str) -> Merged:
    """Apply one incoming change to the stored row (None when the cloud has never seen it)."""
    if stored is None:
        return Merged(dict(payload), {ALL_FIELDS: _stamp(1, at, origin)}, 1, _content(payload))
    data, stamps = dict(stored), {k: dict(v) for k, v in stamps.items()}
    names = _content(payload if changed is None else [f for f in changed if f in payload])
    result = Merged(data, stamps, crev)
    for name in names:
        _merge_field(result, name, payload[name], base, origin, at)
    for meta in ("created_at", "updated_at"):
        if payload.get(meta) and (not data.get(meta) or payload[meta] > data[meta]):
            data[meta] = payload[meta]
    if result.changed:
        result.crev = crev + 1
        for name in result.changed:
            if stamps[name].get("rev") is None:
                stamps[name]["rev"] = result.crev
    return result


def _stamp(rev, at, origin) -> dict:
    return {"rev": rev, "at": at, "by": origin}


def _merge_field(result: Merged, name: str, new, base: int, origin: str, at: str) -> None:
    old = result.data.get(name)
    if new == old:
        return
    stamp = result.stamps.get(name) or result.stamps.get(ALL_FIELDS)
    concurrent = stamp is not None and stamp.get("rev", 0) > base and stamp.get("by") != origin
    if concurrent:
        incoming_later = at > (stamp.get("at") or "")
        kept, lost = (new, old) if incoming_later else (old, new)
        result.conflicts.append({"field": name, "kept": kept, "lost": lost,
                                 "kept_by": origin if incoming_later else stamp.get("by"),
                                 "lost_by": stamp.get("by") if incoming_later else origin,
                                 "kept_at": at if incoming_later else stamp.get("at"),
                                 "lost_at": stamp.get("at") if incoming_later else at})
        if not incoming_later:
            return
    result.data[name] = new
    result.stamps[name] = _stamp(None, at, origin)  # the new revision is filled in once known
    result.changed.append(name)
