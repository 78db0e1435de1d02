"""Who is acting, and the salon's settings every use case needs."""
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from appliance.storage.models.catalogue import Salon
from appliance.storage.statements import first_row


@dataclass(frozen=True)
class Actor:
    """The caller of a use case, for permission checks and the audit log."""

    kind: str  # staff, device, system
    id: str | None
    role: str

    @classmethod
    def system(cls) -> "Actor":
        """The box itself (migrations, demo data, scheduled jobs)."""
        return cls("system", None, "owner")


@dataclass(frozen=True)
class SalonContext:
    """The salon's zone, currency and rules, read once per use case."""

    salon: Salon
    tz: ZoneInfo
    currency: str
    region: str

    @classmethod
    def load(cls) -> "SalonContext":
        """Read the one salon of this box; raises LookupError before set-up."""
        salon = first_row(Salon, "created_at")
        if salon is None:
            raise LookupError("the salon is not set up yet (run `salon-box setup` or `salon-box demo`)")
        return cls(salon, ZoneInfo(salon.timezone), salon.currency, salon.country)
