"""In Chromium (ST4, KI2): the administrator enrols a card from a tap, sees its punches, corrects one with a reason."""
from datetime import datetime, timedelta, timezone

from appliance.domain.card_ids import card_uid_hash
from appliance.services import time_clock
from appliance.storage.models.time_clock import Card, TimePunch
from appliance.storage.secrets import card_key
from tests.appliance.web.conftest import screenshot, sign_in

TASHKENT = timezone(timedelta(hours=5))


def test_enrol_a_card_see_the_punches_and_correct_one(page, app, small_salon):
    dilnoza = small_salon["masters"][0]
    uid_hash = card_uid_hash(bytes.fromhex("04a21b7c558001"), card_key(app.config["DATA_DIR"]))
    assert time_clock.handle_tap("reception", uid_hash).outcome == "unknown"

    sign_in(page)
    page.goto(page.base + "/time-clock/cards")
    page.select_option("select[name=staff_id]", dilnoza.id)
    page.wait_for_selector("#tap-seen:not([hidden])")
    page.fill("input[name=label]", "blue fob")
    screenshot(page, "time-clock-enrol")
    page.click("#enrol-button")
    page.wait_for_selector(".flash-success")
    assert "blue fob" in page.inner_text(".tc-cards")
    assert Card.get(Card.uid_hash == uid_hash).staff_id == dilnoza.id

    # Monday 2 March 2026: in at 09:12 (twelve minutes late), out at 18:00.
    came = time_clock.handle_tap("reception", uid_hash, datetime(2026, 3, 2, 9, 12, tzinfo=TASHKENT))
    left = time_clock.handle_tap("reception", uid_hash, datetime(2026, 3, 2, 18, 0, tzinfo=TASHKENT))
    assert (came.outcome, left.outcome) == ("clock_in", "clock_out")
    page.goto(page.base + "/time-clock/timesheet?date_from=2026-03-02&date_to=2026-03-08")
    cell = page.locator(f'tr[data-staff="{dilnoza.id}"] td[data-day="2026-03-02"]')
    assert "8:48" in cell.inner_text() and "L12" in cell.inner_text()
    screenshot(page, "time-clock-timesheet")

    cell.locator("a").click()
    page.wait_for_url("**/time-clock/punches**")
    row = page.locator(f"#punch-{came.punch_id}")
    row.locator("summary").click()
    move = row.locator("form[data-form=move]")
    move.locator("input[name=time]").fill("09:00")
    move.locator("button[type=submit]").click()  # no reason: refused, shown next to the field
    page.wait_for_selector(f"#punch-{came.punch_id} form[data-form=move] .has-error .error")
    move = page.locator(f"#punch-{came.punch_id} form[data-form=move]")
    move.locator("input[name=time]").fill("09:00")
    move.locator("input[name=reason]").fill("the reader was busy at nine")
    move.locator("button[type=submit]").click()
    page.wait_for_selector(".flash-success")
    assert "the reader was busy at nine" in page.inner_text(".tc-log")
    assert "Svetlana" in page.inner_text(".tc-log")
    assert "the reader was busy at nine" in page.inner_text(f"#punch-{came.punch_id} .tc-voided")
    assert "9:00" in page.inner_text(".tc-worked")
    screenshot(page, "time-clock-correction")
    assert TimePunch.get_by_id(came.punch_id).voided

    page.goto(page.base + "/time-clock/timesheet?date_from=2026-03-02&date_to=2026-03-08")
    cell = page.locator(f'tr[data-staff="{dilnoza.id}"] td[data-day="2026-03-02"]')
    assert "9:00" in cell.inner_text() and "L" not in cell.inner_text()
