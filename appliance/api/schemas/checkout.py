"""Checkout, receipts, gift certificates, deposits (PO1-PO3, PO6, LY3) and the cash register (PO2, PO4)."""
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, Field

from appliance.api.schemas.common import Id, Input, Money, Name, Patch, ShortText, integer
from appliance.domain.checkout import METHODS
from appliance.services.cash import CASH_ITEMS

Language = Literal["ru", "uz", "en"]
DiscountKind = Literal["percent", "amount"]
Reason = Annotated[str, Field(min_length=1, max_length=500)]


class SaleIn(Input):
    booking_id: Id | None = None
    client_id: Id | None = None


class LineIn(Input):
    kind: Literal["product", "service", "certificate", "deposit"]
    barcode: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    product_id: Id | None = None
    quantity: Money | None = None
    service_id: Id | None = None
    master_id: Id | None = None
    amount: Money | None = None


class LinePatch(Patch):
    NULLABLE: ClassVar[frozenset] = frozenset({"discount_kind", "discount_value"})
    unit_price: Money | None = None
    quantity: Money | None = None
    discount_kind: DiscountKind | None = None
    discount_value: Money | None = None
    discount_reason: ShortText | None = None


class DiscountIn(Input):
    kind: DiscountKind | None = None
    value: Money | None = None
    reason: ShortText = ""


class TipIn(Input):
    master_id: Id
    amount: Money


class TipsIn(Input):
    tips: Annotated[list[TipIn], Field(max_length=10)]


class PaymentIn(Input):
    method: Literal[METHODS]
    amount: Money
    tendered: Money | None = None
    reference: Annotated[str, Field(max_length=32)] = ""


class PayIn(Input):
    payments: Annotated[list[PaymentIn], Field(max_length=10)]
    register_id: Id | None = None
    language: Language = "ru"


class RefundLineIn(Input):
    line_id: Id
    quantity: Money


class RefundIn(Input):
    # No lines and no tips: the whole check, tips included. Lines alone: no tip goes back.
    # Tips alone (lines empty): only those tips.
    lines: Annotated[list[RefundLineIn], Field(max_length=50)] = []
    tips: Annotated[list[TipIn], Field(max_length=10)] | None = None
    reason: Reason
    register_id: Id | None = None
    language: Language = "ru"


class LanguageIn(Input):
    language: Language = "ru"


class LineOut(BaseModel):
    id: str
    position: int
    kind: str
    name: str
    service_id: str | None
    product_id: str | None
    master_id: str | None
    booking_item_id: str | None
    quantity: Money
    unit_price: Money
    price_min: Money | None
    price_max: Money | None
    discount_kind: str | None
    discount_value: Money | None
    discount_by: str | None
    discount_reason: str
    gross: Money
    discount: Money
    check_share: Money
    net: Money
    certificate_code: str | None
    original_line_id: str | None


class TipOut(BaseModel):
    master_id: str
    amount: Money


class PaymentOut(BaseModel):
    id: str
    method: str
    amount: Money
    tendered: Money | None
    change: Money
    certificate_id: str | None
    refund_of_id: str | None


class SaleOut(BaseModel):
    id: str
    kind: str
    status: str
    booking_id: str | None
    client_id: str | None
    original_id: str | None
    register_id: str | None
    shift_id: str | None
    number: int | None
    receipt_number: str
    currency: str
    subtotal: Money
    line_discounts: Money
    check_discount: Money
    check_discount_kind: str | None
    check_discount_value: Money | None
    check_discount_reason: str
    total: Money
    tips_total: Money
    due: Money
    change: Money
    paid_at: datetime | None
    fiscal_document: str
    reason: str
    lines: list[LineOut]
    tips: list[TipOut]
    payments: list[PaymentOut]
    printed: bool | None = None


class ReceiptQuery(Input):
    shift_id: Id


class CertificateOut(BaseModel):
    code: str
    amount: Money
    balance: Money
    status: str
    expires_on: date


class DepositOut(BaseModel):
    client_id: str
    balance: Money


class RegisterIn(Input):
    name: Name
    driver: Literal["non_fiscal", "shtrih_m"] = "non_fiscal"
    address: Annotated[str, Field(max_length=200)] = ""
    operator_password: integer(ge=0, le=99999999) = 30


class RegisterPatch(Patch):
    name: Name | None = None
    driver: Literal["non_fiscal", "shtrih_m"] | None = None
    address: Annotated[str, Field(max_length=200)] | None = None
    operator_password: integer(ge=0, le=99999999) | None = None
    active: bool | None = None


class RegisterOut(BaseModel):
    id: str
    name: str
    driver: str
    address: str
    last_receipt_number: int
    last_shift_number: int
    active: bool


class ShiftIn(Input):
    register_id: Id
    opening_cash: Money


class ShiftQuery(Input):
    register_id: Id | None = None


class MovementIn(Input):
    kind: Literal["in", "out"]
    amount: Money
    item: Literal[CASH_ITEMS]
    note: ShortText = ""


class MovementOut(BaseModel):
    id: str
    kind: str
    amount: Money
    item: str
    note: str
    created_at: datetime


class ShiftOut(BaseModel):
    id: str
    register_id: str
    number: int
    status: str
    opened_at: datetime
    opened_by_id: str
    opening_cash: Money
    closed_at: datetime | None
    closed_by_id: str | None
    z_totals: dict | None
    movements: list[MovementOut]


class MethodOut(BaseModel):
    method: str
    sales: Money
    returns: Money


class ReportOut(BaseModel):
    kind: str
    shift_number: int
    by_method: list[MethodOut]
    sales_count: int
    returns_count: int
    opening_cash: Money
    cash_in: Money
    cash_out: Money
    tips: Money
    cash_in_drawer: Money
