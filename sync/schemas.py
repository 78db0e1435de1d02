"""Versions of the change payloads, and the steps that bring an older one up to date (SY6).

Each change-log entry records the payload schema it was written with. During
a rollout boxes on the previous version keep sending theirs; the cloud
upgrades each payload to the current schema before merging it, and a box
applies what comes down field by field, ignoring fields it does not know.
"""

CURRENT_SCHEMA = 2


def _v1_to_v2(entity: str, payload: dict) -> dict:
    # Version 2 added synced_rev: a version-1 box has never seen a cloud revision.
    return {**payload, "synced_rev": payload.get("synced_rev", 0)}


_UPGRADES = {1: _v1_to_v2}


def upgrade_payload(entity: str, payload: dict, schema: int) -> dict:
    """The payload as the current schema has it; one newer than this code is kept as it is."""
    while schema < CURRENT_SCHEMA:
        payload = _UPGRADES[schema](entity, payload)
        schema += 1
    return payload
