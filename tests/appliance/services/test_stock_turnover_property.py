"""The turnover statement in SQL reconciles over random documents and matches the pure rule (IN8)."""
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from appliance.domain.stock_rules import turnover as pure_turnover
from appliance.services import stock, stock_catalogue as catalogue, stock_reports as reports
from appliance.services.stock import LineIn
from appliance.services.stock_ledger import default_warehouse
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.stock_ledger import StockMovement

steps = st.lists(st.tuples(st.sampled_from(["receive", "sell", "write_off", "transfer"]),
                           st.decimals(min_value=Decimal("0.001"), max_value=Decimal(50), places=3)),
                 min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps, cut=st.integers(0, 12))
def test_turnover_reconciles_over_random_movements(salon, system, sequence, cut):
    with write_transaction():
        retail, materials = default_warehouse("retail"), default_warehouse("materials")
    catalogue.set_negative_stock(system, "allow")
    product = catalogue.create_product(system, {"name": f"P{utc_now().timestamp()}", "unit": "ml"})
    begin = utc_now()
    middle = None
    for index, (kind, quantity) in enumerate(sequence):
        if index == cut:
            middle = utc_now()
        line = [LineIn(product.id, quantity)]
        if kind == "receive":
            stock.receive(system, line)
        elif kind == "sell":
            stock.sell(system, f"{product.id}-{index}", [(product.id, quantity)])
        elif kind == "write_off":
            stock.write_off(system, line, "test", warehouse_id=retail.id)
        else:
            stock.transfer(system, retail.id, materials.id, line)
    middle = middle or utc_now()
    end = utc_now() + timedelta(seconds=1)
    for start, stop in ((begin, middle), (middle, end)):
        for row in reports.turnover(start, stop, product_id=product.id):
            assert row.closing == row.opening + row.incoming - row.outgoing
            moves = [(m.at, m.quantity) for m in StockMovement.select().where(
                (StockMovement.product == product.id) & (StockMovement.warehouse == row.warehouse_id))]
            expected = pure_turnover(moves, start, stop)
            assert (row.opening, row.incoming, row.outgoing, row.closing) == (
                expected.opening, expected.incoming, expected.outgoing, expected.closing)
    closing = {r.warehouse_id: r.closing for r in reports.turnover(begin, end, product_id=product.id)}
    on_hand = {r.warehouse_id: r.quantity for r in reports.on_hand() if r.product_id == product.id}
    assert all(on_hand.get(w, 0) == q for w, q in closing.items())
