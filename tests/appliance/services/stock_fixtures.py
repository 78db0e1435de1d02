"""Shared stock fixtures: a shampoo sold by the bottle, a dye used by the millilitre with expiry dates."""
from decimal import Decimal

import pytest

from appliance.services import stock_catalogue as catalogue


@pytest.fixture
def goods(salon, system):
    """Shampoo (retail, pcs, EAN-13) and Dye (material, 1000 ml bottles, expiry tracked)."""
    shampoo = catalogue.create_product(system, {"name": "Shampoo", "sku": "SH-1", "barcode": "4006381333931",
                                                "unit": "pcs", "retail_price": Decimal("85000"),
                                                "staff_price": Decimal("70000"), "cost_price": Decimal("50000"),
                                                "low_stock_level": Decimal(2)})
    dye = catalogue.create_product(system, {"name": "Dye", "sku": "DY-7", "unit": "ml", "pack_size": Decimal(1000),
                                            "retail_price": Decimal("120000"), "cost_price": Decimal("90000"),
                                            "track_expiry": True, "retail": False, "material": True,
                                            "low_stock_level": Decimal(500)})
    return {"shampoo": shampoo, "dye": dye}
