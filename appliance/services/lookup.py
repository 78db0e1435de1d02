"""Fetching referenced rows with errors that name the field that referenced them."""
from appliance.services.errors import InvalidInput, NotFound
from appliance.storage import statements


def fetch(model, row_id, field: str | None = None, active_only: bool = False):
    """The ``model`` row with ``row_id``.

    Referenced from a request body (``field`` given): an unknown or inactive
    id is bad input (422) naming the field. Addressed in the path: 404.
    """
    row = statements.get_by_id(model, row_id) if isinstance(row_id, str) else None
    return checked(model, row, row_id, field, active_only)


def checked(model, row, row_id, field: str | None = None, active_only: bool = False):
    """``row`` as ``fetch`` returns it, or the error ``fetch`` raises for a missing or inactive one."""
    entity = model._meta.table_name
    if row is None:
        if field:
            raise InvalidInput(field, f"no {entity} with id {row_id}")
        raise NotFound(entity, str(row_id))
    if active_only and not getattr(row, "active", True):
        if field:
            raise InvalidInput(field, f"{entity} {row_id} is inactive")
        raise NotFound(entity, str(row_id))
    return row


def apply_changes(row, changes: dict, allowed: set[str]) -> dict:
    """Set the ``allowed`` attributes present in ``changes``; return {field: (old, new)} that differ."""
    diff = {}
    for name, value in changes.items():
        if name not in allowed:
            raise InvalidInput(name, "cannot be changed here")
        old = getattr(row, name)
        if old != value:
            diff[name] = (old, value)
            setattr(row, name, value)
    return diff
