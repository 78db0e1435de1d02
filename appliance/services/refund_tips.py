"""Tips given back on a return (PO3, PO6): per master, at most what is left of their tip on the receipt.

A tip goes back when the whole check does (a refund that names no lines and no tips), or when
the manager names it: a mistyped tip (50 000 for 5 000) is the usual case, with or without lines.
A tip given back is a ``SaleTip`` of the return sale, so a master's tips are always those of
their paid sales less those of their paid returns.
"""
from collections import defaultdict
from decimal import Decimal

from peewee import fn

from appliance.services.cash import money
from appliance.services.context import SalonContext
from appliance.services.errors import InvalidInput
from appliance.storage.models.checkout import Sale, SaleTip

ZERO = Decimal(0)


def tips_on(original: Sale) -> list[tuple[str, Decimal, Decimal]]:
    """(master id, tip given, left to give back) for each master tipped on ``original`` (paid returns deducted)."""
    given = (SaleTip.select(SaleTip.master, fn.SUM(SaleTip.amount).coerce(False))
             .where((SaleTip.sale == original.id) & (SaleTip.active == True))  # noqa: E712
             .group_by(SaleTip.master).order_by(SaleTip.master).tuples())
    back = (SaleTip.select(SaleTip.master, fn.SUM(SaleTip.amount).coerce(False))
            .join(Sale, on=(SaleTip.sale == Sale.id))
            .where((Sale.original == original.id) & (Sale.kind == "return") & (Sale.status == "paid")
                   & (SaleTip.active == True))  # noqa: E712
            .group_by(SaleTip.master).tuples())
    money = SaleTip.amount.python_value
    returned = {master_id: money(amount) for master_id, amount in back}
    return [(master_id, money(amount), money(amount) - returned.get(master_id, ZERO)) for master_id, amount in given]


def tips_left(original: Sale) -> dict[str, Decimal]:
    """Master id -> what is left to give back of their tip on ``original``."""
    return {master_id: left for master_id, _, left in tips_on(original)}


def plan_tips(original: Sale, wanted: list[tuple[str, Decimal]] | None, ctx: SalonContext
              ) -> list[tuple[str, Decimal]]:
    """(master id, amount) to give back; ``wanted`` None = everything left. InvalidInput names the tip."""
    left = tips_left(original)
    if wanted is None:
        return [(master_id, amount) for master_id, amount in left.items() if amount > 0]
    planned, taken = [], defaultdict(lambda: ZERO)
    for index, (master_id, amount) in enumerate(wanted):
        if master_id not in left:
            raise InvalidInput(f"tips.{index}.master_id", "was given no tip on this receipt")
        if money(amount, ctx, f"tips.{index}.amount") <= 0:
            raise InvalidInput(f"tips.{index}.amount", "must be more than zero")
        taken[master_id] += amount
        if taken[master_id] > left[master_id]:
            raise InvalidInput(f"tips.{index}.amount", f"is more than is left of the tip ({left[master_id]})")
        planned.append((master_id, amount))
    return planned


def write_tips(ret: Sale, planned: list[tuple[str, Decimal]]) -> Decimal:
    """The return's tips as rows of its own (in the caller's transaction); their sum."""
    for master_id, amount in planned:
        SaleTip.create(sale=ret.id, master=master_id, amount=amount)
    return sum((amount for _, amount in planned), ZERO)
