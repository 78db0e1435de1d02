"""Two checkouts of the last unit at once, in two real processes on one SQLite file: one wins, count stays 0."""
import multiprocessing
from decimal import Decimal

from appliance.services import stock
from appliance.services.stock import LineIn
from appliance.services.stock_ledger import balance, default_warehouse
from appliance.storage.database import write_transaction
from appliance.storage.models.stock_ledger import StockDocument
from tests.appliance.services.stock_fixtures import goods  # noqa: F401


def _checkout(path, product_id, sale_id, barrier, results):
    from appliance.services.context import Actor
    from appliance.services.errors import Conflict
    from appliance.storage.database import open_database

    db = open_database(path)
    db.connect()
    barrier.wait()
    try:
        with write_transaction():
            stock.sell(Actor.system(), sale_id, [(product_id, Decimal(1))])
        results.put((sale_id, "sold"))
    except Conflict as exc:
        results.put((sale_id, exc.code))
    finally:
        db.close()


def test_two_processes_sell_the_last_unit(app, goods, system):
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(1))])
    path = app.config["DATABASE"]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_checkout, args=(path, goods["shampoo"].id, f"sale-{n}", barrier, results))
               for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    outcomes = sorted(results.get(timeout=5)[1] for _ in workers)
    assert outcomes == ["insufficient_stock", "sold"]
    with write_transaction():
        assert balance(default_warehouse("retail").id, goods["shampoo"].id) == 0
    assert StockDocument.select().where(StockDocument.kind == "sale").count() == 1
