"""What the hardware service last saw of each reader and printer, for the Devices page (KI3).

The card reader loop and the print worker call ``report`` whenever a
device's state changes (and now and then while it stays the same, so
``seen_at`` tells a device that went quiet from one that is idle).
"""
from appliance.storage.models.base import utc_now
from appliance.storage.models.printing import DEVICE_KINDS, DeviceState

MAX_DETAIL = 500


def report(kind: str, name: str, state: str, detail: str = "") -> None:
    """Record that device ``name`` of ``kind`` (reader | printer) is in ``state`` now.

    One row per device, replaced on every report. For a printer, ``name``
    is its Printer id (names can be edited; the id stays).
    """
    if kind not in DEVICE_KINDS:
        raise ValueError(f"kind must be one of {DEVICE_KINDS}")
    values = {"kind": kind, "name": name[:200], "state": state[:32], "detail": (detail or "")[:MAX_DETAIL],
              "seen_at": utc_now()}
    (DeviceState.insert(**values)
     .on_conflict(conflict_target=[DeviceState.kind, DeviceState.name],
                  update={DeviceState.state: values["state"], DeviceState.detail: values["detail"],
                          DeviceState.seen_at: values["seen_at"]})
     .execute())


def seen(kind: str) -> list[DeviceState]:
    """Every device of ``kind`` ever reported, the most recently seen first."""
    return list(DeviceState.select().where(DeviceState.kind == kind).order_by(DeviceState.seen_at.desc()))


def states_by_name(kind: str) -> dict[str, DeviceState]:
    """The last report of each device of ``kind``, by name."""
    return {row.name: row for row in seen(kind)}
