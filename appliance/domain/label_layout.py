"""Price tags and product labels, laid out as print documents for the label printer."""
from dataclasses import dataclass
from decimal import Decimal

from appliance.domain.print_document import (
    Barcode, Cut, Document, DocumentError, Feed, Text, document, ean13_check_digit,
)
from appliance.domain.print_text import amount_text


@dataclass(frozen=True)
class ProductLabel:
    """A product's name, price and code, for a price tag or a shelf label."""

    name: str
    price: Decimal
    currency: str
    code: str = ""  # EAN-13 (12 or 13 digits) or any printable ASCII code; empty prints no barcode
    unit: str = ""  # e.g. "250 ml"


def barcode_for(code: str) -> Barcode:
    """EAN-13 for a 13-digit code with a valid check digit (or 12 digits, the check added), else CODE128."""
    if code.isascii() and code.isdigit() and len(code) == 12:
        return Barcode("EAN13", code + ean13_check_digit(code))
    if code.isascii() and code.isdigit() and len(code) == 13 and ean13_check_digit(code[:12]) == code[12]:
        return Barcode("EAN13", code)
    try:
        return document(Barcode("CODE128", code)).blocks[0]
    except DocumentError:
        raise DocumentError(f"{code!r} can be neither EAN-13 nor CODE128") from None


def product_label(label: ProductLabel) -> Document:
    """A label: the name, the unit, the price in large print, and the barcode."""
    blocks = [Text(label.name, align="center", bold=True)]
    if label.unit:
        blocks.append(Text(label.unit, align="center"))
    blocks.append(Text(f"{amount_text(label.price, label.currency)} {label.currency}", align="center",
                       bold=True, size="large"))
    if label.code:
        blocks.append(barcode_for(label.code))
    return document(*blocks, Feed(1), Cut())
