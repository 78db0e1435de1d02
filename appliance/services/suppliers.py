"""What the salon owes its suppliers (IN3): balances and a supplier's statement.

A posted receipt makes its value payable (less what was paid on delivery);
a ``SupplierPayment`` lowers it. Sums run in SQL over the integer
ten-thousandths ``MoneyField`` stores, so they are exact. Creating,
changing and paying suppliers is in appliance.services.stock_catalogue.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from peewee import fn

from appliance.storage.fields import MoneyField
from appliance.storage.models.stock import Supplier, SupplierPayment
from appliance.storage.models.stock_ledger import StockDocument

_M = MoneyField()


def _money(value) -> Decimal:
    return _M.python_value(int(value or 0))


@dataclass(frozen=True)
class SupplierRow:
    """A supplier with what its receipts made payable, what was paid, and what is still owed."""

    supplier: Supplier
    received: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        """What the salon owes (negative: paid in advance)."""
        return self.received - self.paid


def _receipts():
    return StockDocument.select().where((StockDocument.kind == "receipt") & (StockDocument.status == "posted")
                                        & StockDocument.supplier.is_null(False))


def suppliers_with_balances(include_inactive: bool = False, supplier_id: str | None = None) -> list[SupplierRow]:
    """Suppliers by name with their balances: three grouped SUMs, whatever the number of documents."""
    receipts = {sid: (total, paid) for sid, total, paid in _receipts()
                .select(StockDocument.supplier, fn.SUM(StockDocument.total_cost), fn.SUM(StockDocument.paid))
                .group_by(StockDocument.supplier).tuples()}
    payments = dict(SupplierPayment.select(SupplierPayment.supplier, fn.SUM(SupplierPayment.amount))
                    .group_by(SupplierPayment.supplier).tuples())
    query = Supplier.select().order_by(fn.LOWER(Supplier.name))
    if not include_inactive:
        query = query.where(Supplier.active == True)  # noqa: E712
    if supplier_id:
        query = query.where(Supplier.id == supplier_id)
    rows = []
    for supplier in query:
        total, on_delivery = receipts.get(supplier.id, (0, 0))
        rows.append(SupplierRow(supplier, _money(total),
                                _money(on_delivery) + _money(payments.get(supplier.id))))
    return rows


def supplier_balance(supplier_id: str) -> Decimal:
    """What the salon owes one supplier now."""
    rows = suppliers_with_balances(include_inactive=True, supplier_id=supplier_id)
    return rows[0].balance if rows else Decimal(0)


@dataclass(frozen=True)
class StatementLine:
    """One receipt or payment in a supplier's statement, with the balance after it."""

    at: datetime
    kind: str  # receipt, payment
    reference: str  # the supplier's invoice number, or the payment's note
    received: Decimal  # what the receipt made payable
    paid: Decimal  # paid on delivery, or the payment
    balance: Decimal
    document_id: str | None = None


def statement(supplier_id: str) -> list[StatementLine]:
    """A supplier's receipts and payments, oldest first, with the running balance."""
    events = []
    for doc in _receipts().where(StockDocument.supplier == supplier_id):
        events.append((doc.posted_at, 0, "receipt", doc.supplier_ref, doc.total_cost or Decimal(0),
                       doc.paid or Decimal(0), doc.id))
    for payment in SupplierPayment.select().where(SupplierPayment.supplier == supplier_id):
        events.append((payment.at, 1, "payment", payment.note, Decimal(0), payment.amount, None))
    lines, balance = [], Decimal(0)
    for at, _, kind, reference, received, paid, doc_id in sorted(events, key=lambda e: (e[0], e[1])):
        balance += received - paid
        lines.append(StatementLine(at, kind, reference, received, paid, balance, doc_id))
    return lines
