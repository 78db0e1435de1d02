"""Stock pages (IN1-IN7): products, on-hand per warehouse with low-stock marks, and the document forms.

Lines are typed (or scanned: a USB scanner types the barcode and Enter) by
barcode, SKU or exact product name; errors come back next to the line's field.
"""
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.domain.stock_rules import UNITS
from appliance.services import stock, stock_catalogue as catalogue, stock_reports as reports, stocktake
from appliance.services.errors import ServiceError
from appliance.services.lookup import fetch
from appliance.storage.models.stock import Product, Supplier
from appliance.web.form_support import Form
from appliance.web.session_auth import page

bp = Blueprint("web_stock", __name__)
LINES = 8
KINDS = ("receipt", "transfer", "write_off", "stocktake")
PRODUCT_TEXT = ("name", "sku", "barcode", "category")


@bp.get("/stock")
@page("stock.read")
def on_hand():
    """On-hand per warehouse, low stock marked, with the low-stock and expiry blocks."""
    warehouses = catalogue.warehouses()
    chosen = request.args.get("warehouse") or None
    rows = reports.on_hand(chosen, request.args.get("q", ""))
    today = datetime.now(g.salon_ctx.tz).date()
    return render_template("stock/on_hand.html", rows=rows, warehouses=warehouses, chosen=chosen,
                           low=reports.low_stock(), expiring=reports.expiring(today, 30), q=request.args.get("q", ""))


@bp.get("/stock/products")
@page("stock.read")
def products():
    """Products by name, SKU, barcode or category."""
    q = request.args.get("q", "")
    found = catalogue.find_products(q, include_inactive=bool(request.args.get("all")))
    return render_template("stock/products.html", products=found, q=q)


def _product_form(product: Product | None) -> Form:
    if product is None:
        return Form({"unit": "pcs", "pack_size": "1", "retail": "1"}, key="product")
    values = {name: "" if getattr(product, name) is None else str(getattr(product, name))
              for name in (*PRODUCT_TEXT, "unit", "pack_size", "retail_price", "staff_price", "cost_price",
                           "low_stock_level")}
    values.update({name: "1" if getattr(product, name) else "" for name in ("track_expiry", "retail", "material")})
    return Form(values, key="product")


def _quantity(form: Form, name: str, required: bool = True) -> Decimal | None:
    text = form.raw(name).replace(",", ".")
    if not text:
        if required:
            form.error(name, _("Fill this in."))
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        form.error(name, _("Enter a number like 2 or 0.25."))
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.001")):
        form.error(name, _("Enter a number like 2 or 0.25."))
        return None
    return value


def _product_data(form: Form) -> dict:
    currency = g.salon_ctx.currency
    data = {name: form.text(name, required=name == "name", max_length=100 if name == "category" else 200)
            for name in PRODUCT_TEXT}
    data["unit"] = form.choice("unit", UNITS)
    data["pack_size"] = _quantity(form, "pack_size")
    data["retail_price"] = form.money("retail_price", currency)
    data["staff_price"] = form.money("staff_price", currency, required=False)
    data["cost_price"] = form.money("cost_price", currency, required=False)
    data["low_stock_level"] = _quantity(form, "low_stock_level", required=False)
    data.update({name: form.flag(name) for name in ("track_expiry", "retail", "material")})
    return data


@bp.route("/stock/products/new", methods=["GET", "POST"], endpoint="new_product")
@bp.route("/stock/products/<product_id>", methods=["GET", "POST"])
@page("stock.manage")
def edit_product(product_id=None):
    """Create or edit a product; deactivate it (never deleted)."""
    product = fetch(Product, product_id) if product_id else None
    form = _product_form(product)
    if request.method == "POST":
        form = Form.posted(request, key="product")
        data = _product_data(form)
        if form.ok:
            try:
                if request.form.get("action") == "toggle" and product:
                    catalogue.set_product_active(g.actor, product.id, not product.active)
                elif product:
                    catalogue.update_product(g.actor, product.id, data)
                else:
                    catalogue.create_product(g.actor, data)
                flash(_("Saved."), "success")
                return redirect(url_for(".products"))
            except ServiceError as exc:
                form.service_error(exc)
    return render_template("stock/product_form.html", form=form, product=product,
                           units=[(u, u) for u in UNITS]), 422 if form.errors else 200


def _find(code: str) -> Product | None:
    found = stock.product_by_barcode(code)
    if found is None:
        named = [p for p in catalogue.find_products(code) if p.name.lower() == code.lower()]
        found = named[0] if len(named) == 1 else None
    return found


def _lines(form: Form, kind: str) -> list[stock.LineIn]:
    lines = []
    for n in range(LINES):
        code = form.raw(f"code_{n}")
        if not code:
            continue
        product = _find(code)
        quantity = _quantity(form, f"qty_{n}")
        if product is None:
            form.error(f"code_{n}", _("No active product with this barcode, SKU or name."))
            continue
        cost = form.money(f"cost_{n}", g.salon_ctx.currency, required=False) if kind == "receipt" else None
        expires = form.day(f"expires_{n}", required=False) if kind == "receipt" else None
        unit = "base" if form.raw(f"unit_{n}") == "base" else "pack"
        if quantity is not None:
            lines.append(stock.LineIn(product.id, quantity, unit, cost, form.raw(f"lot_{n}")[:64], expires))
    if not lines and form.ok:
        form.error("code_0", _("Add at least one line."))
    return lines


def _post(form: Form, kind: str):
    lines = _lines(form, kind)
    if not form.ok:
        return None
    warehouse = form.raw("warehouse") or None
    if kind == "receipt":
        paid = form.money("paid", g.salon_ctx.currency, required=False)
        ref = form.text("supplier_ref", False, 64)
        if not form.ok:
            return None
        return stock.receive(g.actor, lines, supplier_id=form.raw("supplier") or None, warehouse_id=warehouse,
                             supplier_ref=ref, paid=paid)
    if kind == "transfer":
        return stock.transfer(g.actor, warehouse, form.raw("to_warehouse") or None, lines)
    if kind == "write_off":
        reason = form.text("reason", max_length=500)
        return stock.write_off(g.actor, lines, reason, warehouse_id=warehouse) if form.ok else None
    return stocktake.start_stocktake(g.actor, lines, warehouse, form.text("reason", False, 500))


@bp.route("/stock/documents/<kind>", methods=["GET", "POST"])
@page("stock.write")
def document(kind):
    """A receipt, transfer, write-off or stocktake count, line by line."""
    if kind not in KINDS:
        abort(404)
    warehouses = catalogue.warehouses()
    default = next((w.id for w in warehouses if w.purpose == ("materials" if kind == "write_off" else "retail")), "")
    form = Form({"warehouse": default, "supplier": request.args.get("supplier", "")}, key="doc")
    if request.method == "POST":
        form = Form.posted(request, key="doc")
        try:
            doc = _post(form, kind)
        except ServiceError as exc:
            doc = None
            form.service_error(exc, {f"lines.{n}.{part}": f"{name}_{n}" for n in range(LINES)
                                     for part, name in (("quantity", "qty"), ("product_id", "code"),
                                                        ("unit_cost", "cost"), ("expires_on", "expires"))}
                               | {"to_warehouse_id": "to_warehouse", "from_warehouse_id": "warehouse",
                                  "supplier_id": "supplier", "paid": "paid"})
        if doc is not None:
            flash(_("Posted."), "success")
            if kind == "stocktake":
                return redirect(url_for("web_stock_reports.stocktake", doc_id=doc.id))
            return redirect(url_for(".on_hand", warehouse=doc.warehouse_id))
    suppliers = [(r.id, r.name) for r in Supplier.select().where(Supplier.active == True)  # noqa: E712
                 .order_by(Supplier.name)] if kind == "receipt" else []
    return render_template("stock/document.html", kind=kind, form=form, lines=LINES, suppliers=suppliers,
                           warehouses=[(w.id, w.name) for w in warehouses]), 422 if form.errors else 200
