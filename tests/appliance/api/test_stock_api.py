"""The stock API (IN1-IN9): roles, 422 naming the field, documents, reports, labels."""
import pytest



@pytest.fixture
def product(api):
    response = api.post("/products", json={"name": "Shampoo", "sku": "SH-1", "barcode": "4006381333931",
                                           "retail_price": "85000", "cost_price": 50000, "low_stock_level": 2})
    assert response.status_code == 201, response.json
    return response.json


def test_roles(api, tokens, product):
    admin, master, manager = api.as_(tokens["administrator"]), api.as_(tokens["master"]), api.as_(tokens["manager"])
    assert admin.get("/stock/on-hand").status_code == 200
    assert admin.post("/stock/receipts", json={"lines": [{"product_id": product["id"], "quantity": 3}]}
                      ).status_code == 201
    assert admin.post("/products", json={"name": "X"}).status_code == 403  # products and prices: stock.manage
    assert manager.patch(f"/products/{product['id']}", json={"retail_price": "90000"}).status_code == 200
    for path in ("/stock/on-hand", "/products", "/warehouses", f"/products/by-barcode/{product['barcode']}"):
        assert master.get(path).status_code == 403
    counted = admin.post("/stock/stocktakes", json={"lines": [{"product_id": product["id"], "quantity": "2"}]}).json
    assert admin.post(f"/stock/stocktakes/{counted['id']}/approve").status_code == 403
    assert manager.post(f"/stock/stocktakes/{counted['id']}/approve").status_code == 200


def test_bad_input_names_the_field(api, product):
    cases = [
        ("/products", {"name": "Y", "barcode": "4006381333932"}, "barcode"),
        ("/products", {"name": "Y", "pack_size": 0.5}, "pack_size"),
        ("/products", {"name": "Y", "sku": "SH-1"}, "sku"),
        ("/stock/receipts", {"lines": [{"product_id": product["id"], "quantity": "1.0001"}]}, "lines.0.quantity"),
        ("/stock/receipts", {"lines": [{"product_id": "nope", "quantity": 1}]}, "lines.0.product_id"),
        ("/stock/receipts", {"lines": []}, "lines"),
        ("/stock/write-offs", {"lines": [{"product_id": product["id"], "quantity": 1}], "reason": ""}, "reason"),
    ]
    for path, body, field in cases:
        response = api.post(path, json=body)
        assert response.status_code == 422, (path, body, response.json)
        assert response.json["error"]["fields"][0]["field"] == field, response.json


def test_receive_sell_out_and_reports(api, product):
    doc = api.post("/stock/receipts", json={"lines": [{"product_id": product["id"], "quantity": 2,
                                                       "unit_cost": "50000"}]}).json
    assert doc["kind"] == "receipt" and doc["total_cost"] == "100000" and doc["movements"][0]["quantity"] == "2"
    refused = api.post("/stock/write-offs", json={"lines": [{"product_id": product["id"], "quantity": 5}],
                                                  "reason": "broken", "warehouse_id": doc["warehouse_id"]})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "insufficient_stock"
    assert refused.json["error"]["conflicts"][0]["resource_name"] == "Shampoo"
    [row] = api.get("/stock/on-hand").json["items"]
    assert (row["quantity"], row["low"]) == ("2", True)
    assert api.get("/stock/low").json["total"] == 1
    assert api.get(f"/products/by-barcode/{product['barcode']}").json["id"] == product["id"]
    assert api.get("/products/by-barcode/0000").status_code == 404
    today = doc["posted_at"][:10]
    [turn] = api.get(f"/stock/reports/turnover?date_from={today}&date_to={today}").json["items"]
    assert (turn["opening"], turn["incoming"], turn["outgoing"], turn["closing"]) == ("0", "2", "0", "2")
    bad = api.get(f"/stock/reports/turnover?date_from={today}&date_to=2000-01-01")
    assert bad.status_code == 422 and bad.json["error"]["fields"][0]["field"] == "date_to"
    assert api.patch(f"/products/{product['id']}", json={"active": False}).json["active"] is False
    assert api.get("/products").json["total"] == 0


def test_labels_and_settings(api, product):
    assert api.post(f"/products/{product['id']}/labels", json={"copies": 2}).status_code == 404  # no label printer
    assert api.post(f"/products/{product['id']}/labels", json={"copies": 0}).status_code == 422
    assert api.put("/stock/settings", json={"negative_stock": "allow"}).status_code == 200
    sold = api.post("/stock/write-offs", json={"lines": [{"product_id": product["id"], "quantity": 1}],
                                               "reason": "tester"})
    assert sold.status_code == 201 and sold.json["went_negative"] is True
