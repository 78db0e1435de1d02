"""The checkout and cash-register API (PO1-PO4): roles, field errors, 409 on a fiscal refusal, receipts, Z."""
import pytest

from appliance.services import cash
from hardware.fiscal import shtrih_protocol as p
from tests.appliance.services.checkout_fixtures import visit  # noqa: F401  (fixture)
from tests.infra.shtrih_register import ShtrihRegister


@pytest.fixture
def admin(api, tokens):
    return api.as_(tokens["administrator"])


def test_a_visit_is_paid_refunded_and_the_shift_closed_over_the_api(api, admin, tokens, visit, small_salon):
    register = admin.get("/cash-registers").json["items"][0]
    shift = admin.post("/shifts", json={"register_id": register["id"], "opening_cash": "50000"})
    assert shift.status_code == 201, shift.json
    sale = admin.post("/sales", json={"booking_id": visit.id}).json
    line = sale["lines"][0]
    refused = admin.patch(f"/sales/{sale['id']}/lines/{line['id']}", json={"unit_price": "300000"})
    assert refused.status_code == 422 and refused.json["error"]["fields"][0]["field"] == "unit_price"
    changed = admin.patch(f"/sales/{sale['id']}/lines/{line['id']}", json={"unit_price": "180000"})
    assert changed.json["total"] == "180000.00"
    tips = admin.put(f"/sales/{sale['id']}/tips", json={"tips": [{"master_id": line["master_id"], "amount": 20000}]})
    assert tips.json["due"] == "200000.00"
    paid = admin.post(f"/sales/{sale['id']}/pay", json={"payments": [
        {"method": "card", "amount": "100000"}, {"method": "cash", "amount": "100000", "tendered": "150000"}]})
    assert paid.status_code == 200, paid.json
    assert (paid.json["status"], paid.json["receipt_number"], paid.json["change"]) == ("paid", "000001", "50000.00")
    assert admin.get(f"/bookings/{visit.id}").json["status"] == "completed"
    body = {"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "unhappy"}
    assert admin.post(f"/sales/{sale['id']}/refund", json=body).status_code == 403
    manager = api.as_(tokens["manager"])
    back = manager.post(f"/sales/{sale['id']}/refund", json=body)
    assert back.status_code == 201, back.json
    assert back.json["kind"] == "return" and back.json["receipt_number"] == "000002"
    assert [p["method"] for p in back.json["payments"]] == ["cash", "card"]  # latest payment first
    moved = admin.post(f"/shifts/{shift.json['id']}/cash-movements", json={"kind": "out", "amount": "10000",
                                                                           "item": "supplies"})
    assert moved.status_code == 201
    receipts = admin.get(f"/receipts?shift_id={shift.json['id']}").json
    assert [r["receipt_number"] for r in receipts["items"]] == ["000001", "000002"]
    z = admin.post(f"/shifts/{shift.json['id']}/close", json={})
    assert z.status_code == 200
    assert {m["method"]: (m["sales"], m["returns"]) for m in z.json["by_method"]} == {
        "cash": ("100000.00", "100000.00"), "card": ("100000.00", "80000.00")}
    assert z.json["cash_in_drawer"] == "40000.00"  # 50 000 + 100 000 - 100 000 - 10 000
    again = admin.post(f"/shifts/{shift.json['id']}/cash-movements", json={"kind": "in", "amount": 1, "item": "other_income"})
    assert again.status_code == 409 and again.json["error"]["code"] == "shift_closed"


def test_a_fiscal_refusal_is_a_409_with_the_reason_and_masters_may_not_check_out(api, admin, tokens, visit, system):
    device = ShtrihRegister().start()
    try:
        register = api.post("/cash-registers", json={"name": "ШТРИХ", "driver": "shtrih_m", "address": device.address})
        assert register.status_code == 201
        admin.post("/shifts", json={"register_id": register.json["id"], "opening_cash": 0})
        sale = admin.post("/sales", json={"booking_id": visit.id}).json
        device.fail(p.OPEN_CHECK, 0x73)
        body = {"payments": [{"method": "card", "amount": "150000"}], "register_id": register.json["id"]}
        refused = admin.post(f"/sales/{sale['id']}/pay", json=body)
        assert refused.status_code == 409 and refused.json["error"]["code"] == "fiscal_failed"
        assert "0x73" in refused.json["error"]["message"]
        assert admin.get(f"/sales/{sale['id']}").json["status"] == "open"
        paid = admin.post(f"/sales/{sale['id']}/pay", json=body)
        assert paid.status_code == 200 and paid.json["fiscal_document"] == "1"
        assert cash.registers(include_inactive=True)
        master = api.as_(tokens["master"])
        assert master.post("/sales", json={}).status_code == 403
        assert master.get("/cash-registers").status_code == 403
    finally:
        device.stop()


def test_a_tip_is_given_back_over_the_api_and_a_wrong_one_is_named(api, admin, tokens, visit):
    register = admin.get("/cash-registers").json["items"][0]
    admin.post("/shifts", json={"register_id": register["id"], "opening_cash": "0"})
    sale = admin.post("/sales", json={"booking_id": visit.id}).json
    master = sale["lines"][0]["master_id"]
    admin.put(f"/sales/{sale['id']}/tips", json={"tips": [{"master_id": master, "amount": "50000"}]})
    admin.post(f"/sales/{sale['id']}/pay", json={"payments": [{"method": "card", "amount": "200000"}]})
    manager = api.as_(tokens["manager"])
    too_much = manager.post(f"/sales/{sale['id']}/refund", json={
        "tips": [{"master_id": master, "amount": "60000"}], "reason": "typo"})
    assert too_much.status_code == 422
    assert too_much.json["error"]["fields"][0]["field"] == "tips.0.amount"
    back = manager.post(f"/sales/{sale['id']}/refund", json={
        "tips": [{"master_id": master, "amount": "45000"}], "reason": "typo: 5 000 meant"})
    assert back.status_code == 201, back.json
    assert (back.json["total"], back.json["tips_total"], back.json["lines"]) == ("0.00", "45000.00", [])
    assert [(p["method"], p["amount"]) for p in back.json["payments"]] == [("card", "45000.00")]
