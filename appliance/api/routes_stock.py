"""Stock (IN1-IN9, SV2, SV3): products, warehouses, documents, on-hand, reports, cost cards, labels."""
from dataclasses import asdict

from flask import Blueprint

from appliance.api.framework import endpoint
from appliance.api.schemas import stock as schema
from appliance.api.schemas.common import Page
from appliance.api.views import local
from appliance.domain.wallclock import day_bounds
from appliance.services import stock, stock_catalogue as catalogue, stock_reports as reports, stocktake
from appliance.services.context import SalonContext
from appliance.services.errors import InvalidInput, NotFound
from appliance.services.lookup import fetch
from appliance.services.stock_labels import print_labels
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Service
from appliance.storage.models.stock import Product
from appliance.storage.models.stock_ledger import StockDocument

bp = Blueprint("stock", __name__)
MAX_DAYS = 400


def product_out(product) -> schema.ProductOut:
    """A product as the API shows it."""
    return schema.ProductOut(**{f: getattr(product, f) for f in schema.ProductOut.model_fields})


def document_out(doc) -> schema.DocumentOut:
    """A document with its movements, times in the salon's zone."""
    ctx = SalonContext.load()
    moves = [schema.MovementOut(product_id=m.product_id, warehouse_id=m.warehouse_id, quantity=m.quantity,
                                lot_id=m.lot_id, at=local(m.at, ctx)) for m in doc.movements]
    return schema.DocumentOut(id=doc.id, kind=doc.kind, status=doc.status, warehouse_id=doc.warehouse_id,
                              to_warehouse_id=doc.to_warehouse_id, supplier_id=doc.supplier_id,
                              total_cost=doc.total_cost, reason=doc.reason, went_negative=doc.went_negative,
                              posted_at=local(doc.posted_at, ctx), movements=moves)


def _lines(body) -> list[stock.LineIn]:
    return [stock.LineIn(**line.model_dump()) for line in body.lines]


@endpoint(bp, "GET", "/products", summary="Products by name, SKU, barcode or category", permission="stock.read",
          query=schema.ProductQuery, response=Page[schema.ProductOut])
def list_products(actor, query):
    items = [product_out(p) for p in catalogue.find_products(query.q, query.include_inactive)]
    return Page[schema.ProductOut](items=items, total=len(items))


@endpoint(bp, "POST", "/products", summary="Create a product", permission="stock.manage", body=schema.ProductIn,
          response=schema.ProductOut, status=201)
def create_product(actor, body):
    return product_out(catalogue.create_product(actor, body.model_dump()))


@endpoint(bp, "GET", "/products/by-barcode/<code>", summary="The active product with a barcode (or SKU)",
          permission="stock.read", response=schema.ProductOut)
def product_by_barcode(actor, code):
    product = stock.product_by_barcode(code)
    if product is None:
        raise NotFound("product", code)
    return product_out(product)


@endpoint(bp, "GET", "/products/<product_id>", summary="One product", permission="stock.read",
          response=schema.ProductOut)
def get_product(actor, product_id):
    return product_out(fetch(Product, product_id))


@endpoint(bp, "PATCH", "/products/<product_id>", summary="Change a product; active false deactivates it (never deleted)",
          permission="stock.manage", body=schema.ProductPatch, response=schema.ProductOut)
def update_product(actor, product_id, body):
    changes = body.changes()
    active = changes.pop("active", None)
    fetch(Product, product_id)
    product = catalogue.update_product(actor, product_id, changes) if changes else None
    if active is not None:
        product = catalogue.set_product_active(actor, product_id, active)
    return product_out(product or fetch(Product, product_id))


@endpoint(bp, "POST", "/products/<product_id>/labels", summary="Print price tags with barcodes on the label printer",
          permission="stock.write", body=schema.LabelsIn, response=schema.LabelsOut, status=201)
def product_labels(actor, product_id, body):
    fetch(Product, product_id)
    return schema.LabelsOut(job_ids=[j.id for j in print_labels(actor, product_id, body.copies, body.price)])


@endpoint(bp, "GET", "/warehouses", summary="Warehouses (the default retail and materials ones are made on first use)",
          permission="stock.read", response=Page[schema.WarehouseOut])
def list_warehouses(actor):
    items = [schema.WarehouseOut(**{f: getattr(w, f) for f in schema.WarehouseOut.model_fields})
             for w in catalogue.warehouses()]
    return Page[schema.WarehouseOut](items=items, total=len(items))


@endpoint(bp, "POST", "/warehouses", summary="Add a warehouse", permission="stock.manage", body=schema.WarehouseIn,
          response=schema.WarehouseOut, status=201)
def create_warehouse(actor, body):
    w = catalogue.save_warehouse(actor, body.model_dump())
    return schema.WarehouseOut(**{f: getattr(w, f) for f in schema.WarehouseOut.model_fields})


@endpoint(bp, "POST", "/stock/receipts", summary="Receive goods from a supplier", permission="stock.write",
          body=schema.ReceiptIn, response=schema.DocumentOut, status=201)
def receive(actor, body):
    return document_out(stock.receive(actor, _lines(body), body.supplier_id, body.warehouse_id, body.supplier_ref,
                                      body.paid))


@endpoint(bp, "POST", "/stock/transfers", summary="Move stock between warehouses", permission="stock.write",
          body=schema.TransferIn, response=schema.DocumentOut, status=201, conflicts=True)
def transfer(actor, body):
    return document_out(stock.transfer(actor, body.from_warehouse_id, body.to_warehouse_id, _lines(body)))


@endpoint(bp, "POST", "/stock/write-offs", summary="Write stock off with a reason", permission="stock.write",
          body=schema.WriteOffIn, response=schema.DocumentOut, status=201, conflicts=True)
def write_off(actor, body):
    return document_out(stock.write_off(actor, _lines(body), body.reason, body.warehouse_id))


@endpoint(bp, "POST", "/stock/stocktakes", summary="Record a count (a draft until a manager approves it)",
          permission="stock.write", body=schema.StocktakeIn, response=schema.DocumentOut, status=201)
def start_stocktake(actor, body):
    return document_out(stocktake.start_stocktake(actor, _lines(body), body.warehouse_id, body.reason))


@endpoint(bp, "POST", "/stock/stocktakes/<doc_id>/approve", summary="Approve a count: post its differences",
          permission="stock.manage", response=schema.DocumentOut, conflicts=True)
def approve_stocktake(actor, doc_id):
    return document_out(stocktake.approve_stocktake(actor, doc_id))


@endpoint(bp, "GET", "/stock/documents/<doc_id>", summary="One stock document with its movements",
          permission="stock.read", response=schema.DocumentOut)
def get_document(actor, doc_id):
    return document_out(fetch(StockDocument, doc_id))


@endpoint(bp, "GET", "/stock/on-hand", summary="Stock on hand per warehouse, low stock marked",
          permission="stock.read", query=schema.OnHandQuery, response=Page[schema.OnHandOut])
def on_hand(actor, query):
    items = [schema.OnHandOut(**asdict(r)) for r in reports.on_hand(query.warehouse_id, query.q)]
    return Page[schema.OnHandOut](items=items, total=len(items))


@endpoint(bp, "GET", "/stock/low", summary="Products at or below their critical level", permission="stock.read",
          response=Page[schema.OnHandOut])
def low_stock(actor):
    items = [schema.OnHandOut(**asdict(r)) for r in reports.low_stock()]
    return Page[schema.OnHandOut](items=items, total=len(items))


@endpoint(bp, "GET", "/stock/expiring", summary="Lots that expire within N days", permission="stock.read",
          query=schema.ExpiryQuery, response=Page[schema.ExpiryOut])
def expiring(actor, query):
    today = utc_now().astimezone(SalonContext.load().tz).date()
    items = [schema.ExpiryOut(**asdict(r)) for r in reports.expiring(today, query.within_days)]
    return Page[schema.ExpiryOut](items=items, total=len(items))


def period(query) -> tuple:
    """A query's [date_from, date_to] as UTC instants of the salon's days; 422 on a reversed or huge span."""
    if query.date_to < query.date_from or (query.date_to - query.date_from).days >= MAX_DAYS:
        raise InvalidInput("date_to", f"must be on or after date_from and within {MAX_DAYS} days")
    tz = SalonContext.load().tz
    return day_bounds(query.date_from, tz)[0], day_bounds(query.date_to, tz)[1]


@endpoint(bp, "GET", "/stock/reports/turnover", summary="Turnover statement: opening, in, out, closing",
          permission="stock.read", query=schema.PeriodQuery, response=Page[schema.TurnoverOut])
def turnover(actor, query):
    items = [schema.TurnoverOut(**asdict(r)) for r in reports.turnover(*period(query), query.warehouse_id)]
    return Page[schema.TurnoverOut](items=items, total=len(items))


@endpoint(bp, "GET", "/stock/reports/consumption", summary="Visit consumption by master, service or client vs norm",
          permission="stock.read", query=schema.PeriodQuery, response=Page[schema.ConsumptionOut])
def consumption(actor, query):
    items = [schema.ConsumptionOut(**asdict(r)) for r in reports.consumption(*period(query), query.by)]
    return Page[schema.ConsumptionOut](items=items, total=len(items))


@endpoint(bp, "PUT", "/services/<service_id>/cost-card", summary="Replace a service's cost card (materials per visit)",
          permission="stock.manage", body=schema.CostCardIn, response=Page[schema.CostCardLineOut])
def set_cost_card(actor, service_id, body):
    fetch(Service, service_id)
    lines = catalogue.set_cost_card(actor, service_id, [(l.product_id, l.quantity) for l in body.lines])
    items = [schema.CostCardLineOut(product_id=l.product_id, quantity=l.quantity) for l in lines]
    return Page[schema.CostCardLineOut](items=items, total=len(items))


@endpoint(bp, "PUT", "/stock/settings", summary="Negative stock: refuse, or allow and flag",
          permission="stock.manage", body=schema.StockSettings, response=schema.StockSettings)
def stock_settings(actor, body):
    catalogue.set_negative_stock(actor, body.negative_stock)
    return body
