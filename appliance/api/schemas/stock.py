"""Stock (IN1-IN9, SV2, SV3): products, warehouses, documents, on-hand, reports, labels."""
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from appliance.api.schemas.common import Day, Id, Input, Money, Patch, ShortText, Title, integer

QUANTITY_PATTERN = r"^[0-9]{1,9}(\.[0-9]{1,3})?$"


def _quantity(value):
    """Quantities are exact: a decimal string ("1.5") or a whole JSON number; never a binary fraction."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        if not re.fullmatch(QUANTITY_PATTERN, value):
            raise ValueError("must be a decimal string like \"2\" or \"0.25\" (at most 3 decimals)")
        return Decimal(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise ValueError("send a quantity as a decimal string or a whole number")


Quantity = Annotated[
    Decimal, BeforeValidator(_quantity), Field(ge=0, le=Decimal(999999999)),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": QUANTITY_PATTERN},
                              {"type": "integer", "minimum": 0, "maximum": 999999999}],
                    "description": "Exact quantity: a decimal string (up to 3 decimals) or a whole number"},
                   mode="validation"),
    WithJsonSchema({"type": "string"}, mode="serialization"),
]
Unit = Literal["pcs", "ml", "g"]
Code = Annotated[str, Field(min_length=1, max_length=64)]


class ProductIn(Input):
    name: Title
    sku: Code | None = None
    barcode: Code | None = Field(default=None, description="EAN-13 (checked) or any printable code")
    unit: Unit = "pcs"
    pack_size: Quantity = Field(default=Decimal(1), description="base units in one piece sold (1000 for a 1 l bottle)")
    retail_price: Money = Decimal(0)
    staff_price: Money | None = None
    cost_price: Money | None = Field(default=None, description="write-off price per piece")
    category: Annotated[str, Field(max_length=100)] = ""
    low_stock_level: Quantity | None = Field(default=None, description="in base units")
    track_expiry: bool = False
    retail: bool = True
    material: bool = False


class ProductPatch(Patch):
    NULLABLE: ClassVar[frozenset] = frozenset({"sku", "barcode", "staff_price", "cost_price", "low_stock_level"})
    name: Title | None = None
    sku: Code | None = None
    barcode: Code | None = None
    unit: Unit | None = None
    pack_size: Quantity | None = None
    retail_price: Money | None = None
    staff_price: Money | None = None
    cost_price: Money | None = None
    category: Annotated[str, Field(max_length=100)] | None = None
    low_stock_level: Quantity | None = None
    track_expiry: bool | None = None
    retail: bool | None = None
    material: bool | None = None
    active: bool | None = None


class ProductOut(BaseModel):
    id: str
    name: str
    sku: str | None
    barcode: str | None
    unit: str
    pack_size: Decimal
    retail_price: Decimal
    staff_price: Decimal | None
    cost_price: Decimal | None
    category: str
    low_stock_level: Decimal | None
    track_expiry: bool
    retail: bool
    material: bool
    active: bool


class ProductQuery(Input):
    q: ShortText = ""
    include_inactive: bool = False


class WarehouseIn(Input):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    purpose: Literal["retail", "materials"] = "retail"


class WarehouseOut(BaseModel):
    id: str
    name: str
    purpose: str
    is_default: bool
    active: bool


class LineIn(Input):
    product_id: Id
    quantity: Quantity
    unit: Literal["pack", "base"] = Field(default="pack", description="pack: pieces as sold; base: pcs, ml, g")
    unit_cost: Money | None = Field(default=None, description="receipts: cost per piece")
    lot_code: Annotated[str, Field(max_length=64)] = ""
    expires_on: Day | None = None


Lines = Annotated[list[LineIn], Field(min_length=1, max_length=500)]
Reason = Annotated[str, Field(min_length=1, max_length=500)]


class ReceiptIn(Input):
    lines: Lines
    warehouse_id: Id | None = None
    supplier_id: Id | None = None
    supplier_ref: Annotated[str, Field(max_length=64)] = ""
    paid: Money | None = None


class TransferIn(Input):
    from_warehouse_id: Id
    to_warehouse_id: Id
    lines: Lines


class WriteOffIn(Input):
    lines: Lines
    reason: Reason
    warehouse_id: Id | None = None


class StocktakeIn(Input):
    lines: Lines = Field(description="what was counted; quantity 0 is a product found missing")
    warehouse_id: Id | None = None
    reason: Annotated[str, Field(max_length=500)] = ""


class MovementOut(BaseModel):
    product_id: str
    warehouse_id: str
    quantity: Decimal
    lot_id: str | None
    at: datetime


class DocumentOut(BaseModel):
    id: str
    kind: str
    status: str
    warehouse_id: str
    to_warehouse_id: str | None
    supplier_id: str | None
    total_cost: Decimal | None
    reason: str
    went_negative: bool
    posted_at: datetime | None
    movements: list[MovementOut]


class OnHandQuery(Input):
    warehouse_id: Id | None = None
    q: ShortText = ""


class OnHandOut(BaseModel):
    product_id: str
    product: str
    sku: str
    barcode: str
    unit: str
    warehouse_id: str
    warehouse: str
    quantity: Decimal
    packs: Decimal
    low_stock_level: Decimal | None
    low: bool
    negative: bool


class PeriodQuery(Input):
    date_from: Day
    date_to: Day
    warehouse_id: Id | None = None
    by: Literal["master", "service", "client"] = "master"


class TurnoverOut(BaseModel):
    product_id: str
    product: str
    unit: str
    warehouse_id: str
    warehouse: str
    opening: Decimal
    incoming: Decimal
    outgoing: Decimal
    closing: Decimal


class ConsumptionOut(BaseModel):
    key_id: str | None
    product_id: str
    product: str
    unit: str
    norm: Decimal
    actual: Decimal
    overuse: Decimal


class ExpiryQuery(Input):
    within_days: integer(ge=0, le=3650) = 30


class ExpiryOut(BaseModel):
    lot_id: str
    product_id: str
    product: str
    warehouse: str
    code: str
    expires_on: date
    remaining: Decimal
    unit: str
    expired: bool


class CostCardLineIn(Input):
    product_id: Id
    quantity: Quantity = Field(description="in the product's base unit")


class CostCardIn(Input):
    lines: Annotated[list[CostCardLineIn], Field(max_length=100)]


class CostCardLineOut(BaseModel):
    product_id: str
    quantity: Decimal


class LabelsIn(Input):
    copies: integer(ge=1, le=100) = 1
    price: Literal["retail", "staff"] = "retail"


class LabelsOut(BaseModel):
    job_ids: list[int]


class StockSettings(Input):
    negative_stock: Literal["refuse", "allow"]


