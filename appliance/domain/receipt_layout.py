"""Sale and return receipts and visit cards, laid out as print documents from plain data.

The checkout builds a ``SaleReceipt`` from its sale and calls
``sale_receipt``; the numbers printed are computed here by the same rules the
checkout must use (``line_total``, ``receipt_totals``), and a receipt whose
payments do not add up to what is due is refused rather than printed.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from appliance.domain.money import round_money
from appliance.domain.print_document import Columns, Cut, Document, Feed, QrCode, Separator, Text, document
from appliance.domain.print_text import amount_text, method_name, moment_text, quantity_text, word

ZERO = Decimal(0)


class ReceiptError(ValueError):
    """Receipt data that does not add up."""


@dataclass(frozen=True)
class SalonHeader:
    """Who prints: the salon's name and details, its zone, currency and language for paper."""

    name: str
    timezone: str
    currency: str
    language: str = "ru"
    address: str = ""
    phone: str = ""
    tax_id: str = ""  # INN / STIR, printed when set


@dataclass(frozen=True)
class SaleLine:
    """One service or product sold: quantity × unit price, less the line's discount."""

    name: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal = ZERO
    master: str = ""


@dataclass(frozen=True)
class Payment:
    """The part of the bill paid by one method; ``tendered`` is the cash handed over, if more."""

    method: str  # cash, card, transfer, certificate, bonus, or the salon's own
    amount: Decimal
    tendered: Decimal | None = None


@dataclass(frozen=True)
class Tip:
    """A tip for a master, paid with the bill."""

    recipient: str
    amount: Decimal


@dataclass(frozen=True)
class OriginalReceipt:
    """The receipt a return refers to."""

    number: str
    at: datetime


@dataclass(frozen=True)
class SaleReceipt:
    """A sale (or, with ``original`` set, a return) as printed on a receipt."""

    number: str
    at: datetime  # aware; printed in the salon's zone
    lines: tuple[SaleLine, ...]
    payments: tuple[Payment, ...]
    cashier: str = ""
    client: str = ""
    discount: Decimal = ZERO  # on the whole receipt, after the lines' own discounts
    tips: tuple[Tip, ...] = ()
    qr_data: str = ""  # e.g. the fiscal receipt's address or the sale's id
    is_copy: bool = False  # a re-print: marked COPY at the top and the bottom
    original: OriginalReceipt | None = None
    footer: str = ""


@dataclass(frozen=True)
class Totals:
    """What a receipt adds up to."""

    subtotal: Decimal
    discount: Decimal  # lines' and receipt's discounts together
    total: Decimal
    tips: Decimal
    to_pay: Decimal
    change: Decimal


def line_total(line: SaleLine, currency: str) -> Decimal:
    """quantity × unit price − discount, rounded half-up to the currency's step."""
    return round_money(line.quantity * line.unit_price, currency) - line.discount


def receipt_totals(receipt: SaleReceipt, currency: str) -> Totals:
    """The receipt's sums; ReceiptError if payments do not cover exactly what is due."""
    gross = sum((round_money(l.quantity * l.unit_price, currency) for l in receipt.lines), ZERO)
    line_discounts = sum((l.discount for l in receipt.lines), ZERO)
    total = gross - line_discounts - receipt.discount
    tips = sum((t.amount for t in receipt.tips), ZERO)
    if total < 0:
        raise ReceiptError("discounts exceed the sum")
    paid = sum((p.amount for p in receipt.payments), ZERO)
    if paid != total + tips:
        raise ReceiptError(f"payments {paid} do not add up to {total + tips}")
    change = ZERO
    for p in receipt.payments:
        if p.tendered is not None:
            if p.tendered < p.amount:
                raise ReceiptError("less cash handed over than paid in cash")
            change += p.tendered - p.amount
    return Totals(gross, line_discounts + receipt.discount, total, tips, total + tips, change)


def header_blocks(salon: SalonHeader) -> list:
    """The salon's name and details at the top of every document."""
    blocks = [Text(salon.name, align="center", bold=True, size="large")]
    blocks += [Text(t, align="center") for t in (salon.address, salon.phone) if t]
    if salon.tax_id:
        blocks.append(Text(f"INN/STIR {salon.tax_id}", align="center"))
    return blocks


def sale_receipt(salon: SalonHeader, receipt: SaleReceipt) -> Document:
    """The receipt of a sale or a return, with COPY marks on a re-print."""
    lang, cur = salon.language, salon.currency
    totals = receipt_totals(receipt, cur)
    money = lambda amount: amount_text(amount, cur)  # noqa: E731
    copy_mark = [Text(f"*** {word('copy', lang)} ***", align="center", bold=True, size="tall")]
    title = word("return_receipt" if receipt.original else "receipt", lang)
    blocks = [*(copy_mark if receipt.is_copy else []), *header_blocks(salon), Separator("="),
              Text(f"{title} № {receipt.number}", align="center", bold=True),
              Text(moment_text(receipt.at, salon.timezone), align="center")]
    if receipt.original:
        blocks.append(Text(f"{word('for_receipt', lang)} № {receipt.original.number} "
                           f"{moment_text(receipt.original.at, salon.timezone)}", align="center"))
    blocks += [Columns(word(k, lang), v) for k, v in (("cashier", receipt.cashier), ("client", receipt.client)) if v]
    blocks.append(Separator("-"))
    for line in receipt.lines:
        blocks.append(Text(line.name + (f" ({line.master})" if line.master else "")))
        blocks.append(Columns(f"  {quantity_text(line.quantity)} x {money(line.unit_price)}",
                              money(round_money(line.quantity * line.unit_price, cur))))
        if line.discount:
            blocks.append(Columns(f"  {word('discount', lang)}", money(-line.discount)))
    blocks.append(Separator("-"))
    blocks += _total_blocks(receipt, totals, lang, money)
    blocks += _payment_blocks(receipt, totals, lang, money)
    if receipt.qr_data:
        blocks += [Feed(1), QrCode(receipt.qr_data)]
    blocks += [Feed(1), Text(receipt.footer or word("thanks", lang), align="center"),
               *(copy_mark if receipt.is_copy else []), Feed(2), Cut()]
    return document(*blocks, copy_mark="" if receipt.is_copy else word("copy", lang))


def _total_blocks(receipt: SaleReceipt, totals: Totals, lang: str, money) -> list:
    blocks = []
    if totals.discount:
        blocks += [Columns(word("subtotal", lang), money(totals.subtotal)),
                   Columns(word("discount", lang), money(-totals.discount))]
    refund = receipt.original is not None
    if not receipt.tips:
        blocks.append(Columns(word("refund_total" if refund else "total", lang), money(totals.total), bold=True,
                              size="tall"))
        return blocks
    # With tips the lines' total is a step on the way; a return gives back lines and tips in all.
    if receipt.lines or not refund:
        blocks.append(Columns(word("total", lang), money(totals.total), bold=True, size="tall"))
    blocks += [Columns(f"{word('tips', lang)}: {t.recipient}", money(t.amount)) for t in receipt.tips]
    if refund:
        blocks.append(Columns(word("refund_total", lang), money(totals.to_pay), bold=True, size="tall"))
    else:
        blocks.append(Columns(word("to_pay", lang), money(totals.to_pay), bold=True))
    return blocks


def _payment_blocks(receipt: SaleReceipt, totals: Totals, lang: str, money) -> list:
    blocks = [Text(word("payments", lang) + ":")]
    for p in receipt.payments:
        blocks.append(Columns(f"  {method_name(p.method, lang)}", money(p.amount)))
        if p.tendered is not None:
            blocks.append(Columns(f"  {word('received', lang)}", money(p.tendered)))
    if totals.change:
        blocks.append(Columns(word("change", lang), money(totals.change), bold=True))
    return blocks


@dataclass(frozen=True)
class VisitItem:
    """One service of a booked visit."""

    service: str
    master: str
    starts_at: datetime  # aware


@dataclass(frozen=True)
class VisitCard:
    """A client's booking, handed over or printed at the kiosk."""

    client: str
    code: str  # the booking code; also printed as a QR code for the kiosk's scanner
    items: tuple[VisitItem, ...]
    note: str = ""


def visit_card(salon: SalonHeader, card: VisitCard) -> Document:
    """The visit card: services with master and time, the booking code and its QR code."""
    lang = salon.language
    blocks = [*header_blocks(salon), Separator("="), Text(word("visit", lang), align="center", bold=True),
              Text(card.client, align="center")]
    for item in card.items:
        blocks += [Separator("-"), Text(item.service, bold=True),
                   Columns(word("master", lang), item.master),
                   Text(moment_text(item.starts_at, salon.timezone))]
    if card.note:
        blocks += [Separator("-"), Text(card.note)]
    blocks += [Separator("="), Text(f"{word('booking_code', lang)}: {card.code}", align="center", bold=True,
                                    size="large"),
               QrCode(card.code), Feed(2), Cut()]
    return document(*blocks, copy_mark=word("copy", lang))
