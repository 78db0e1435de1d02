"""Stock report pages (IN6, IN8, IN9): period reports with XLSX/CSV, the stocktake discrepancy report, labels."""
from datetime import date, datetime

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.domain.permissions import allowed
from appliance.domain.wallclock import day_bounds
from appliance.services import stock_export, stock_reports as reports, stocktake
from appliance.services.errors import ServiceError
from appliance.services.lookup import fetch
from appliance.services.stock_labels import print_labels
from appliance.storage.models.catalogue import Service, Staff
from appliance.storage.models.clients import Client
from appliance.storage.models.stock import Product
from appliance.storage.models.stock_ledger import StockDocument
from appliance.web.form_support import Form, period_form
from appliance.web.session_auth import page

bp = Blueprint("web_stock_reports", __name__)
FILE_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "csv": "text/csv; charset=utf-8"}
REPORTS = ("turnover", "consumption", "on_hand")
MAX_DAYS = 400


def labels() -> dict:
    """Column headers in the user's language."""
    return {"product": _("Product"), "sku": _("SKU"), "barcode": _("Barcode"), "warehouse": _("Warehouse"),
            "quantity": _("On hand"), "unit": _("Unit"), "packs": _("Pieces"), "low_stock_level": _("Low-stock level"),
            "opening": _("Opening"), "incoming": _("In"), "outgoing": _("Out"), "closing": _("Closing"),
            "key": _("Who or what"), "norm": _("Norm"), "actual": _("Used"), "overuse": _("Overuse"),
            "expected": _("Expected"), "counted": _("Counted"), "difference": _("Difference"), "value": _("Value"),
            "code": _("Lot"), "expires_on": _("Expires"), "remaining": _("Remaining")}


def _period() -> tuple[date, date, Form]:
    """The period asked for, or this month up to today; errors are shown on the picker."""
    return period_form(request.args, datetime.now(g.salon_ctx.tz).date(), MAX_DAYS, _("A report covers at most %(n)d days.", n=MAX_DAYS))


def _rows(report: str, first: date, last: date, by: str):
    start, end = day_bounds(first, g.salon_ctx.tz)[0], day_bounds(last, g.salon_ctx.tz)[1]
    if report == "turnover":
        return reports.turnover(start, end)
    if report == "consumption":
        return reports.consumption(start, end, by)
    return reports.on_hand()


@bp.get("/stock/reports")
@page("stock.read")
def index():
    """Turnover, consumption (by master, service or client, against the norm) or on-hand, for a period."""
    report = request.args.get("report", "turnover")
    by = request.args.get("by", "master")
    if report not in REPORTS or by not in reports.GROUPS:
        abort(404)
    first, last, form = _period()
    rows = _rows(report, first, last, by)
    return render_template("stock/reports.html", report=report, by=by, form=form, first=first, last=last,
                           rows=rows, labels=labels(), names=_key_names(rows, by)), 422 if form.errors else 200


def _key_names(rows, by: str) -> dict:
    """Names of the masters, services or clients a consumption report is grouped by."""
    ids = {getattr(r, "key_id", None) for r in rows} - {None}
    if not ids:
        return {}
    if by == "service":
        return {s.id: s.name for s in Service.select().where(Service.id.in_(ids))}
    model = Staff if by == "master" else Client
    return {p.id: f"{p.first_name} {p.last_name}".strip() for p in model.select().where(model.id.in_(ids))}


@bp.get("/stock/reports.<fmt>")
@page("stock.read")
def export(fmt):
    """The chosen report as XLSX or CSV."""
    report, by = request.args.get("report", "turnover"), request.args.get("by", "master")
    if fmt not in FILE_TYPES or report not in REPORTS or by not in reports.GROUPS:
        abort(404)
    first, last, _form = _period()
    rows = _rows(report, first, last, by)
    names = _key_names(rows, by)
    rows = [{**r.__dict__, "key": names.get(r.key_id, "")} if report == "consumption" else r for r in rows]
    data = (stock_export.to_xlsx if fmt == "xlsx" else stock_export.to_csv)(report, rows, labels())
    name = f"stock-{report}-{first.isoformat()}-{last.isoformat()}.{fmt}"
    return Response(data, mimetype=FILE_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/stock/stocktakes/<doc_id>", methods=["GET", "POST"], endpoint="stocktake")
@page("stock.read")
def stocktake_page(doc_id):
    """A stocktake's discrepancy report; a manager approves (posts) or cancels a draft."""
    doc = StockDocument.get_or_none((StockDocument.id == doc_id) & (StockDocument.kind == "stocktake"))
    if doc is None:
        abort(404)
    form = Form(key="stocktake")
    if request.method == "POST":
        if not allowed(g.actor.role, "stock.manage"):
            abort(403)
        try:
            if request.form.get("action") == "approve":
                stocktake.approve_stocktake(g.actor, doc.id)
            else:
                stocktake.cancel_stocktake(g.actor, doc.id)
            flash(_("Saved."), "success")
            return redirect(url_for(".stocktake", doc_id=doc.id))
        except ServiceError as exc:
            form.service_error(exc)
    return render_template("stock/stocktake.html", doc=doc, rows=stocktake.discrepancy_report(doc.id), form=form)



@bp.route("/stock/products/<product_id>/labels", methods=["POST"])
@page("stock.write")
def product_labels(product_id):
    """Queue price tags with barcodes for a product on the label printer."""
    product = fetch(Product, product_id)
    form = Form.posted(request, key="labels")
    copies = form.integer("copies", 1, 100)
    if form.ok:
        try:
            print_labels(g.actor, product.id, copies)
            flash(_("%(n)d labels sent to the label printer.", n=copies), "success")
        except ServiceError as exc:
            flash(_("No label printer is set up.") if exc.status == 404 else exc.message)
    else:
        flash(next(iter(form.errors.values())))
    return redirect(url_for("web_stock.products", q=product.name))
