"""Money paid in advance: gift certificates (LY3) and client deposits (PO4), each a ledger of entries.

A certificate is sold as a line of a check and becomes active when the
check is paid (activation); it is then spent in parts until its balance
is used up or its expiry date has passed in the salon's zone. A deposit is
topped up as a line of a check and spent as a payment; its balance is the
sum of its entries and never goes below zero. Every function here runs
inside the checkout's write transaction; each entry is a synced row, so the
cloud holds every balance's history.
"""
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from peewee import fn

from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.storage.models.base import utc_now
from appliance.storage.models.checkout import CertificateEntry, DepositEntry, GiftCertificate, Sale, SaleLine
from appliance.storage.models.clients import Client

CERTIFICATE_VALID_DAYS = 365
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on paper
ZERO = Decimal(0)


def new_certificate_code() -> str:
    """A code like GC-7KQ2-M9XD, printed on the receipt and typed at redemption."""
    for _ in range(20):
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"GC-{raw[:4]}-{raw[4:]}"
        if not GiftCertificate.select().where(GiftCertificate.code == code).exists():
            return code
    raise RuntimeError("no free certificate code")


def local_today(ctx: SalonContext, at: datetime | None = None) -> date:
    """The salon's calendar day of ``at`` (now by default)."""
    return (at or utc_now()).astimezone(ctx.tz).date()


def issue_certificate(actor: Actor, line: SaleLine, sale: Sale, ctx: SalonContext) -> GiftCertificate:
    """Activate the certificate a paid line sold: its full amount, valid for a year from today."""
    amount = line.unit_price  # its face value: a discount on the check does not shrink it
    certificate = GiftCertificate.create(
        code=line.certificate_code, amount=amount, balance=amount, sale_line=line.id, client=sale.client_id,
        activated_at=utc_now(), expires_on=local_today(ctx) + timedelta(days=CERTIFICATE_VALID_DAYS))
    CertificateEntry.create(certificate=certificate.id, sale=sale.id, kind="issue", amount=amount)
    audit(actor, "certificate.activated", "gift_certificate", certificate.id, {"amount": str(amount)})
    return certificate


def certificate_by_code(code: str, field: str = "code") -> GiftCertificate:
    """The certificate with ``code`` (case and spaces ignored); InvalidInput naming ``field`` if none."""
    cleaned = (code or "").strip().upper().replace(" ", "")
    found = GiftCertificate.get_or_none(GiftCertificate.code == cleaned)
    if found is None:
        raise InvalidInput(field, "no gift certificate with this code")
    return found


def usable(certificate: GiftCertificate, ctx: SalonContext, field: str) -> GiftCertificate:
    """``certificate`` if it can pay now: active and not past its expiry day."""
    if certificate.status != "active":
        raise InvalidInput(field, "the gift certificate is voided")
    if local_today(ctx) > certificate.expires_on:
        raise InvalidInput(field, f"the gift certificate expired on {certificate.expires_on.isoformat()}")
    return certificate


def move_certificate(certificate: GiftCertificate, sale: Sale, kind: str, amount: Decimal, field: str) -> None:
    """Add ``amount`` (negative to spend) to the balance; Conflict if the balance would go below zero."""
    fresh = GiftCertificate.get_by_id(certificate.id)  # re-read under the write lock
    if fresh.balance + amount < 0:
        raise InvalidInput(field, f"the gift certificate holds only {fresh.balance}")
    fresh.balance = fresh.balance + amount
    fresh.save()
    CertificateEntry.create(certificate=fresh.id, sale=sale.id, kind=kind, amount=amount)


def void_certificate(actor: Actor, line: SaleLine, sale: Sale) -> None:
    """A returned certificate line: only an unspent certificate can be taken back, and it is voided."""
    certificate = GiftCertificate.get_or_none(GiftCertificate.code == line.certificate_code)
    if certificate is None or certificate.status != "active":
        raise Conflict("the gift certificate is already voided", code="certificate_voided")
    if certificate.balance != certificate.amount:
        raise Conflict("part of the gift certificate is spent; it cannot be returned", code="certificate_spent")
    move_certificate(certificate, sale, "void", -certificate.balance, "lines")
    GiftCertificate.update(status="voided").where(GiftCertificate.id == certificate.id).execute()
    audit(actor, "certificate.voided", "gift_certificate", certificate.id, {"return": sale.id})


def deposit_balance(client_id: str) -> Decimal:
    """The client's deposit: the sum of its entries (exact: integers in SQL)."""
    raw = (DepositEntry.select(fn.COALESCE(fn.SUM(DepositEntry.amount), 0).coerce(False))
           .where(DepositEntry.client == client_id).scalar())
    return DepositEntry.amount.python_value(raw or 0)


def move_deposit(client: Client, sale: Sale, kind: str, amount: Decimal, field: str) -> Decimal:
    """Add ``amount`` (negative to spend) to the client's deposit; InvalidInput if it would go below zero."""
    balance = deposit_balance(client.id)
    if balance + amount < 0:
        raise InvalidInput(field, f"the client's deposit holds only {balance}")
    DepositEntry.create(client=client.id, sale=sale.id, kind=kind, amount=amount)
    return balance + amount
