"""Stock set-up pages (IN2, IN3, IN7, SV2): suppliers and their payments, warehouses, cost cards, alerts.

Administrators see them (stock.read); managers change them (stock.manage).
``stock_alerts`` gives the journal's alert strip and the Stock menu badge
their two COUNTs, once per request.
"""
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.domain.permissions import allowed
from appliance.domain.wallclock import lenient_local_to_utc
from appliance.services import stock_catalogue as catalogue, stock_reports as reports, suppliers
from appliance.services.errors import Conflict, ServiceError
from appliance.services.lookup import fetch
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Service
from appliance.storage.models.stock import Product, Supplier, Warehouse
from appliance.web.form_support import Form
from appliance.web.session_auth import page

bp = Blueprint("web_stock_admin", __name__)
EXPIRY_DAYS = 30
EMPTY_COST_LINES = 3
MAX_COST_LINES = 30


def stock_alerts() -> dict:
    """{"low": N, "expiring": N} for staff who may read stock, else zeros; counted once per request."""
    actor = getattr(g, "actor", None)
    if actor is None or not allowed(actor.role, "stock.read") or getattr(g, "salon_ctx", None) is None:
        return {"low": 0, "expiring": 0, "total": 0}
    if "stock_alerts" not in g:
        today = datetime.now(g.salon_ctx.tz).date()
        low, expiring = reports.low_stock_count(), reports.expiring_count(today, EXPIRY_DAYS)
        g.stock_alerts = {"low": low, "expiring": expiring, "total": low + expiring}
    return g.stock_alerts


# suppliers -----------------------------------------------------------------------------------------

@bp.get("/stock/suppliers")
@page("stock.read")
def supplier_list():
    """Suppliers with what the salon owes each."""
    show_all = bool(request.args.get("all"))
    rows = suppliers.suppliers_with_balances(include_inactive=show_all)
    return render_template("stock/suppliers.html", rows=rows, show_all=show_all,
                           total=sum((r.balance for r in rows), Decimal(0)))


def _supplier_form(supplier: Supplier | None) -> Form:
    if supplier is None:
        return Form(key="supplier")
    return Form({"name": supplier.name, "phone": supplier.phone, "note": supplier.note}, key="supplier")


@bp.route("/stock/suppliers/new", methods=["GET", "POST"], endpoint="new_supplier")
@bp.route("/stock/suppliers/<supplier_id>/edit", methods=["GET", "POST"])
@page("stock.manage")
def edit_supplier(supplier_id=None):
    """Add or change a supplier; deactivate it (never deleted)."""
    supplier = fetch(Supplier, supplier_id) if supplier_id else None
    form = _supplier_form(supplier)
    if request.method == "POST":
        form = Form.posted(request, key="supplier")
        try:
            if request.form.get("action") == "toggle" and supplier:
                catalogue.save_supplier(g.actor, {"active": not supplier.active}, supplier.id)
                flash(_("Saved."), "success")
                return redirect(url_for(".supplier_list"))
            data = {"name": form.text("name"), "phone": form.text("phone", required=False, max_length=20),
                    "note": form.text("note", required=False, max_length=1000)}
            if form.ok:
                saved = catalogue.save_supplier(g.actor, data, supplier.id if supplier else None)
                flash(_("Saved."), "success")
                return redirect(url_for(".supplier", supplier_id=saved.id))
        except ServiceError as exc:
            form.service_error(exc)
    return render_template("stock/supplier_form.html", form=form, supplier=supplier), 422 if form.errors else 200


def _payment_form() -> Form:
    return Form({"day": datetime.now(g.salon_ctx.tz).date().isoformat()}, key="payment")


def _statement_page(supplier: Supplier, form: Form, status: int = 200):
    balance = suppliers.supplier_balance(supplier.id)
    return render_template("stock/supplier.html", supplier=supplier, lines=suppliers.statement(supplier.id),
                           balance=balance, form=form, tz=g.salon_ctx.tz), status


@bp.get("/stock/suppliers/<supplier_id>")
@page("stock.read")
def supplier(supplier_id):
    """A supplier's statement: receipts and payments with the running balance, and the payment form."""
    found = fetch(Supplier, supplier_id)
    return _statement_page(found, _payment_form())


def _payment_instant(day) -> datetime:
    """Now for today; local noon for an earlier day (the statement orders by it)."""
    tz = g.salon_ctx.tz
    if day == datetime.now(tz).date():
        return utc_now()
    return lenient_local_to_utc(datetime.combine(day, time(12)), tz)


@bp.post("/stock/suppliers/<supplier_id>/payments")
@page("stock.manage")
def pay(supplier_id):
    """Record a payment to the supplier (amount, date, note)."""
    found = fetch(Supplier, supplier_id)
    form = Form.posted(request, key="payment")
    amount = form.money("amount", g.salon_ctx.currency)
    day = form.day("day")
    note = form.text("note", required=False, max_length=500)
    if amount is not None and amount <= 0:
        form.error("amount", _("Enter an amount greater than zero."))
    if day is not None and day > datetime.now(g.salon_ctx.tz).date():
        form.error("day", _("The date is in the future."))
    if form.ok:
        try:
            catalogue.pay_supplier(g.actor, found.id, amount, note, _payment_instant(day))
            flash(_("Payment recorded."), "success")
            return redirect(url_for(".supplier", supplier_id=found.id))
        except ServiceError as exc:
            form.service_error(exc, {"at": "day"})
    return _statement_page(found, form, 422)


# warehouses ----------------------------------------------------------------------------------------

def _warehouse_page(form: Form | None = None, failed_id: str | None = None, row_error: str = "",
                    status: int = 200):
    rows = catalogue.warehouses(include_inactive=True)
    held = {w.id: catalogue.warehouse_holds_stock(w.id) for w in rows}
    return render_template("stock/warehouses.html", rows=rows, held=held, form=form or Form(key="warehouse"),
                           failed_id=failed_id, row_error=row_error,
                           purposes=[("retail", _("Retail")), ("materials", _("Materials"))]), status


@bp.get("/stock/warehouses")
@page("stock.read")
def warehouse_list():
    """Warehouses, the default retail and materials ones marked."""
    return _warehouse_page()


@bp.post("/stock/warehouses")
@page("stock.manage")
def add_warehouse():
    """Add a warehouse."""
    form = Form.posted(request, key="warehouse")
    name = form.text("name", max_length=100)
    purpose = form.choice("purpose", ("retail", "materials"))
    if form.ok:
        try:
            catalogue.save_warehouse(g.actor, {"name": name, "purpose": purpose})
            flash(_("Saved."), "success")
            return redirect(url_for(".warehouse_list"))
        except ServiceError as exc:
            form.service_error(exc)
    return _warehouse_page(form, status=422)


@bp.post("/stock/warehouses/<warehouse_id>")
@page("stock.manage")
def change_warehouse(warehouse_id):
    """Rename a warehouse, or deactivate (refused while it holds stock) or reactivate it."""
    row = fetch(Warehouse, warehouse_id)
    action = request.form.get("action", "rename")
    form = Form.posted(request, key=f"wh-{row.id}")
    try:
        if action == "toggle":
            catalogue.save_warehouse(g.actor, {"active": not row.active}, row.id)
        else:
            name = form.text("name", max_length=100)
            if not form.ok:
                return _warehouse_page(failed_id=row.id, row_error=form.errors["name"], status=422)
            catalogue.save_warehouse(g.actor, {"name": name}, row.id)
    except Conflict as exc:
        message = {"warehouse_not_empty": _("%(name)s still holds stock: move it to another warehouse or write "
                                            "it off first.", name=row.name),
                   "default_warehouse": _("A default warehouse stays active.")}.get(exc.code, exc.message)
        return _warehouse_page(failed_id=row.id, row_error=message, status=409)
    except ServiceError as exc:
        form.service_error(exc)
        return _warehouse_page(failed_id=row.id, row_error=next(iter(form.errors.values())), status=422)
    flash(_("Saved."), "success")
    return redirect(url_for(".warehouse_list"))


# cost cards ----------------------------------------------------------------------------------------

@bp.get("/stock/cost-cards")
@page("stock.read")
def cost_cards():
    """Services with and without a cost card."""
    show = request.args.get("show", "")
    rows = catalogue.services_with_cost_cards()
    if show == "without":
        rows = [r for r in rows if not r[1]]
    elif show == "with":
        rows = [r for r in rows if r[1]]
    return render_template("stock/cost_cards.html", rows=rows, show=show)


def _materials() -> list[Product]:
    """Active products, materials first, by name."""
    found = catalogue.find_products("", limit=2000)
    return sorted(found, key=lambda p: (not p.material, p.name.lower()))


def _card_form(service: Service) -> tuple[Form, int]:
    lines = catalogue.cost_card(service.id)
    values = {}
    for n, line in enumerate(lines):
        values[f"product_{n}"], values[f"qty_{n}"] = line.product_id, str(line.quantity)
    return Form(values, key="card"), len(lines) + EMPTY_COST_LINES


def _card_page(service: Service, form: Form, count: int, status: int = 200):
    products = _materials()
    return render_template("stock/cost_card.html", service=service, form=form, count=min(count, MAX_COST_LINES),
                           products=products, units={p.id: p.unit for p in products}), status


@bp.get("/stock/cost-cards/<service_id>")
@page("stock.read")
def cost_card(service_id):
    """A service's cost card: the materials one visit uses, in each product's base unit."""
    service = fetch(Service, service_id)
    return _card_page(service, *_card_form(service))


@bp.post("/stock/cost-cards/<service_id>")
@page("stock.manage")
def save_cost_card(service_id):
    """Replace the service's cost card with the lines filled in (an empty form clears it)."""
    service = fetch(Service, service_id)
    form = Form.posted(request, key="card")
    count = min(int(request.form.get("count", 0) or 0), MAX_COST_LINES)
    lines, seen = [], set()
    for n in range(count):
        product_id, text = form.raw(f"product_{n}"), form.raw(f"qty_{n}").replace(",", ".")
        if not product_id and not text:
            continue
        if not product_id:
            form.error(f"product_{n}", _("Choose one."))
            continue
        if product_id in seen:
            form.error(f"product_{n}", _("This product is already on the card."))
            continue
        seen.add(product_id)
        try:
            quantity = Decimal(text) if text else None
        except InvalidOperation:
            quantity = None
        if quantity is None or not quantity.is_finite() or quantity <= 0 \
                or quantity != quantity.quantize(Decimal("0.001")):
            form.error(f"qty_{n}", _("Enter a number like 2 or 0.25."))
            continue
        lines.append((n, product_id, quantity))
    if form.ok:
        try:
            catalogue.set_cost_card(g.actor, service.id, [(p, q) for _n, p, q in lines])
            flash(_("Saved."), "success")
            return redirect(url_for(".cost_cards"))
        except ServiceError as exc:
            mapping = {}
            for index, (n, _p, _q) in enumerate(lines):
                mapping[f"lines.{index}.product_id"], mapping[f"lines.{index}.quantity"] = f"product_{n}", f"qty_{n}"
            form.service_error(exc, mapping)
    return _card_page(service, form, count, 422)
