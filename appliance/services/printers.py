"""The box's printers (KI3): added, edited and made inactive by managers, never deleted."""
from appliance.domain.printer_config import CODE_PAGE_CHOICES, CONNECTION_KINDS, PAPER_WIDTHS, ROLES, parse_address
from appliance.services.audit import audit
from appliance.services.context import Actor
from appliance.services.errors import InvalidInput, NotFound
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.printing import Printer

FIELDS = ("name", "role", "connection", "address", "profile", "paper_width_mm", "code_page")


def _checked(data: dict) -> dict:
    """The printer's settings, or InvalidInput naming every bad field."""
    problems = []
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        problems.append(("name", "must be 1-100 characters"))
    choices = {"role": ROLES, "connection": CONNECTION_KINDS, "code_page": CODE_PAGE_CHOICES,
               "paper_width_mm": PAPER_WIDTHS}
    for field, options in choices.items():
        if data.get(field) not in options:
            problems.append((field, f"must be one of {', '.join(map(str, options))}"))
    address = str(data.get("address") or "").strip()
    if data.get("connection") in CONNECTION_KINDS:
        try:
            parse_address(data["connection"], address)
        except ValueError as exc:
            problems.append(("address", str(exc)))
    profile = str(data.get("profile") or "").strip()
    if not profile or len(profile) > 64:
        problems.append(("profile", "must be 1-64 characters"))
    if problems:
        raise InvalidInput(*problems[0], *problems[1:])
    return {"name": name, "role": data["role"], "connection": data["connection"], "address": address,
            "profile": profile, "paper_width_mm": data["paper_width_mm"], "code_page": data["code_page"]}


def list_printers(include_inactive: bool = False) -> list[Printer]:
    """Printers by role and name; active ones only unless asked."""
    query = Printer.select().order_by(Printer.role, Printer.name)
    return list(query if include_inactive else query.where(Printer.active == True))  # noqa: E712


def get_printer(printer_id: str) -> Printer:
    """One printer, or NotFound."""
    printer = Printer.get_or_none(Printer.id == printer_id)
    if printer is None:
        raise NotFound("printer", printer_id)
    return printer


def create_printer(actor: Actor, data: dict) -> Printer:
    """Add a printer (audited)."""
    values = _checked(data)
    with write_transaction():
        printer = Printer.create(**values)
        audit(actor, "printer.created", "printer", printer.id, values)
    return printer


def update_printer(actor: Actor, printer_id: str, data: dict) -> Printer:
    """Change a printer's settings (audited with what changed); ``active`` may be sent to reactivate."""
    values = _checked(data)
    with write_transaction():
        printer = get_printer(printer_id)
        changed = {k: v for k, v in values.items() if getattr(printer, k) != v}
        if "active" in data and bool(data["active"]) != printer.active:
            changed["active"] = bool(data["active"])
        for key, value in changed.items():
            setattr(printer, key, value)
        printer.updated_at = utc_now()
        printer.save()
        if changed:
            audit(actor, "printer.updated", "printer", printer.id, changed)
    return printer


def deactivate_printer(actor: Actor, printer_id: str) -> Printer:
    """Take a printer out of use; its jobs and history stay (audited)."""
    with write_transaction():
        printer = get_printer(printer_id)
        if printer.active:
            printer.active, printer.updated_at = False, utc_now()
            printer.save()
            audit(actor, "printer.deactivated", "printer", printer.id)
    return printer
