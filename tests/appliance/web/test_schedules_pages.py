"""The month planner (ST2): templates, single-day changes and absences reach the working hours at once."""
import re
from datetime import date

import pytest

from appliance.services.context import Actor
from appliance.storage.models.schedules import WorkPattern

from tests.appliance.web.form_client import field_block, sign_in


@pytest.fixture
def manager(app, salon):
    return sign_in(app, "manager")


@pytest.fixture
def master_id(small_salon):
    """A master working Mon-Sun 09:00-18:00 since 2020 (small_salon's template)."""
    return small_salon["masters"][0].id


def place(staff_id, month="2026-03"):
    return {"staff": staff_id, "month": month}


def test_planner_shows_the_masters_month(manager, master_id):
    html = manager.get(f"/schedules?staff={master_id}&month=2026-03").get_data(as_text=True)
    assert "Dilnoza" in html
    assert html.count("09:00–18:00") >= 31  # every day of March from the template, plus the weeks' edges
    assert 'action="/schedules/template"' in html


def test_five_two_preset_changes_the_working_hours(manager, master_id):
    response = manager.post("/schedules/template", {**place(master_id), "preset": "5/2", "valid_from": "2026-03-02"})
    assert response.status_code == 302
    hours = manager.hours(master_id, "2026-03-01", "2026-03-08")
    assert hours["2026-03-01"] == [["09:00", "18:00"]]  # the old Mon-Sun template, ended the day before
    for day in ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"):
        assert hours[day] == [["09:00", "18:00"]]
    assert hours["2026-03-07"] == [] and hours["2026-03-08"] == []
    old = WorkPattern.select().where(WorkPattern.staff == master_id).order_by(WorkPattern.valid_from).first()
    assert old.valid_until == date(2026, 3, 1)


def test_two_two_preset_counts_from_the_start_date(manager, master_id):
    response = manager.post("/schedules/template", {**place(master_id), "preset": "2/2", "valid_from": "2026-03-10"})
    assert response.status_code == 302
    hours = manager.hours(master_id, "2026-03-10", "2026-03-16")
    assert [len(hours[f"2026-03-{d}"]) for d in range(10, 17)] == [1, 1, 0, 0, 1, 1, 0]
    assert hours["2026-03-10"] == [["09:00", "21:00"]]
    html = manager.get(f"/schedules?staff={master_id}&month=2026-03").get_data(as_text=True)
    assert "09:00–21:00" in html and "Day off" in html


def test_a_template_applied_again_from_the_same_date_replaces_the_first(manager, master_id):
    manager.post("/schedules/template", {**place(master_id), "preset": "5/2", "valid_from": "2026-03-02"})
    manager.post("/schedules/template", {**place(master_id), "preset": "2/2", "valid_from": "2026-03-02"})
    hours = manager.hours(master_id, "2026-03-02", "2026-03-08")
    assert [len(hours[f"2026-03-0{d}"]) for d in range(2, 9)] == [1, 1, 0, 0, 1, 1, 0]
    active = WorkPattern.select().where((WorkPattern.staff == master_id) & (WorkPattern.active == True))  # noqa: E712
    assert sorted(p.name for p in active) == ["", "2/2"]  # the 2020 template (ended) and the new one


def test_a_template_for_a_period_leaves_the_later_days_alone(manager, master_id):
    manager.post("/schedules/template", {**place(master_id), "preset": "5/2", "valid_from": "2026-03-02",
                                         "valid_until": "2026-03-08"})
    hours = manager.hours(master_id, "2026-03-07", "2026-03-09")
    assert hours["2026-03-07"] == [] and hours["2026-03-09"] == [["09:00", "18:00"]]


def test_custom_week_with_a_break(manager, master_id):
    week = {}
    for i in range(7):
        week.update({f"w{i}_start": "10:00", f"w{i}_end": "19:00", f"w{i}_break_start": "14:00",
                     f"w{i}_break_end": "15:00"})
    week.update(w0_on="1", w2_on="1", w5_on="1", w5_break_start="", w5_break_end="", w5_end="16:00")
    response = manager.post("/schedules/template", {**place(master_id), "preset": "weekly", "valid_from": "2026-03-02",
                                                    **week})
    assert response.status_code == 302
    hours = manager.hours(master_id, "2026-03-02", "2026-03-08")
    assert hours["2026-03-02"] == [["10:00", "14:00"], ["15:00", "19:00"]]
    assert hours["2026-03-03"] == []
    assert hours["2026-03-04"] == [["10:00", "14:00"], ["15:00", "19:00"]]
    assert hours["2026-03-07"] == [["10:00", "16:00"]]
    html = manager.get(f"/schedules?staff={master_id}&month=2026-03").get_data(as_text=True)
    assert "10:00–14:00" in html and "15:00–19:00" in html


def test_custom_cycle(manager, master_id):
    response = manager.post("/schedules/template", {
        **place(master_id), "preset": "cycle", "valid_from": "2026-03-01", "c_on": "3", "c_off": "3",
        "c_start": "08:00", "c_end": "20:00"})
    assert response.status_code == 302
    hours = manager.hours(master_id, "2026-03-01", "2026-03-07")
    assert [len(hours[f"2026-03-0{d}"]) for d in range(1, 8)] == [1, 1, 1, 0, 0, 0, 1]
    assert hours["2026-03-01"] == [["08:00", "20:00"]]


def test_single_day_change_shows_on_the_planner_and_in_the_hours(manager, master_id):
    response = manager.post("/schedules/day", {**place(master_id), "day": "2026-03-10", "mode": "work",
                                               "start": "12:00", "end": "16:00", "note": "dentist"})
    assert response.status_code == 302
    assert manager.hours(master_id, "2026-03-10", "2026-03-10")["2026-03-10"] == [["12:00", "16:00"]]
    html = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "12:00–16:00" in html and "changed" in html and "dentist" in html

    manager.post("/schedules/day", {**place(master_id), "day": "2026-03-10", "mode": "off", "start": "12:00",
                                    "end": "16:00"})
    assert manager.hours(master_id, "2026-03-10", "2026-03-10")["2026-03-10"] == []

    manager.post("/schedules/day/clear", {**place(master_id), "day": "2026-03-10"})
    assert manager.hours(master_id, "2026-03-10", "2026-03-10")["2026-03-10"] == [["09:00", "18:00"]]


def test_absence_shows_on_the_planner_and_clears_the_hours(manager, master_id):
    response = manager.post("/schedules/absences", {**place(master_id), "date_from": "2026-03-16",
                                                    "date_to": "2026-03-18", "reason": "sick_leave", "note": "flu"})
    assert response.status_code == 302
    hours = manager.hours(master_id, "2026-03-15", "2026-03-19")
    assert hours["2026-03-15"] and hours["2026-03-19"]
    assert hours["2026-03-16"] == hours["2026-03-17"] == hours["2026-03-18"] == []
    html = manager.get(f"/schedules?staff={master_id}&month=2026-03").get_data(as_text=True)
    assert html.count("Sick leave") >= 4  # three days, the list, the legend
    assert "flu" in html
    absence_id = re.search(r'action="/schedules/absences/([^/]+)/cancel"', html).group(1)
    manager.post(f"/schedules/absences/{absence_id}/cancel", place(master_id))
    assert manager.hours(master_id, "2026-03-16", "2026-03-16")["2026-03-16"] == [["09:00", "18:00"]]


def test_bad_times_show_the_error_next_to_the_field_and_keep_the_input(manager, master_id):
    response = manager.post("/schedules/day", {**place(master_id), "day": "2026-03-10", "mode": "work",
                                               "start": "18:00", "end": "09:00", "note": "keep me"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    end = field_block(html, "end")
    assert "has-error" in end and "The end must be after the start." in end and 'value="09:00"' in end
    assert 'value="18:00"' in field_block(html, "start") and "has-error" not in field_block(html, "start")
    assert 'value="keep me"' in html
    assert manager.hours(master_id, "2026-03-10", "2026-03-10")["2026-03-10"] == [["09:00", "18:00"]]

    html = manager.post("/schedules/day", {**place(master_id), "day": "2026-03-10", "mode": "work",
                                           "start": "25:00", "end": "18:00"}).get_data(as_text=True)
    start = field_block(html, "start")
    assert "Enter a time like 09:30." in start and 'value="25:00"' in start

    html = manager.post("/schedules/day", {**place(master_id), "day": "2026-03-10", "mode": "work",
                                           "start": "09:00", "end": "18:00", "break_start": "19:00",
                                           "break_end": "20:00"}).get_data(as_text=True)
    assert "The break must start within the working hours." in field_block(html, "break_start")


def test_bad_custom_week_keeps_every_typed_value(manager, master_id):
    week = {"w0_on": "1", "w0_start": "09:00", "w0_end": "18:00", "w0_break_start": "13:00", "w0_break_end": "",
            "w1_on": "1", "w1_start": "11:00", "w1_end": "17:30"}
    response = manager.post("/schedules/template", {**place(master_id), "preset": "weekly",
                                                    "valid_from": "2026-03-02", **week})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Give both ends of the break, or neither." in field_block(html, "w0_break_end")
    assert 'value="13:00"' in field_block(html, "w0_break_start")
    assert 'value="17:30"' in field_block(html, "w1_end")
    assert re.search(r'<details class="custom" open>\s*<summary>Custom week', html)
    assert WorkPattern.select().where(WorkPattern.staff == master_id).count() == 1


def test_absence_dates_in_the_wrong_order(manager, master_id):
    response = manager.post("/schedules/absences", {**place(master_id), "date_from": "2026-03-18",
                                                    "date_to": "2026-03-16", "reason": "vacation", "note": "sea"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The end date is before the start date." in field_block(html, "date_to")
    assert 'value="2026-03-18"' in field_block(html, "date_from") and 'value="sea"' in html


def test_administrator_can_edit_schedules(app, salon, master_id):
    admin = sign_in(app, "administrator")
    response = admin.post("/schedules/template", {**place(master_id), "preset": "5/2", "valid_from": "2026-03-02"})
    assert response.status_code == 302
    assert admin.hours(master_id, "2026-03-07", "2026-03-07")["2026-03-07"] == []
    assert admin.post("/schedules/day", {**place(master_id), "day": "2026-03-09", "mode": "off"}).status_code == 302


def test_master_sees_the_planner_but_cannot_change_it(app, salon, master_id):
    master = sign_in(app, "master")
    html = master.get(f"/schedules?staff={master_id}&month=2026-03&day=2026-03-10").get_data(as_text=True)
    assert "09:00–18:00" in html
    assert "/schedules/template" not in html and "Save hours" not in html and "Add the absence" not in html
    for path, data in (("/schedules/day", {"day": "2026-03-10", "mode": "off"}),
                       ("/schedules/template", {"preset": "5/2", "valid_from": "2026-03-02"}),
                       ("/schedules/absences", {"date_from": "2026-03-10", "date_to": "2026-03-10",
                                                "reason": "vacation"})):
        assert master.post(path, {**place(master_id), **data}).status_code == 403
    assert master.hours(master_id, "2026-03-10", "2026-03-10")["2026-03-10"] == [["09:00", "18:00"]]


def test_weeks_start_on_the_locales_first_weekday(app, salon, master_id, monkeypatch):
    russian = sign_in(app, "owner", locale="ru")  # CLDR: Monday first
    html = russian.get(f"/schedules?staff={master_id}&month=2026-03").get_data(as_text=True)
    assert re.search(r'<thead>\s*<tr><th scope="col" class="">Пн</th>', html)
    assert re.search(r'<tbody>\s*<tr>\s*<td[^>]*>\s*<a href="[^"]*day=2026-02-23', html)  # the Monday before March 1

    from appliance.web import routes_schedules
    monkeypatch.setattr(routes_schedules, "first_weekday", lambda: 6)  # a Sunday-first locale (en_US)
    html = russian.get(f"/schedules?staff={master_id}&month=2026-03").get_data(as_text=True)
    assert re.search(r'<thead>\s*<tr><th scope="col" class="weekend">Вс</th>', html)
    assert re.search(r'<tbody>\s*<tr>\s*<td[^>]*>\s*<a href="[^"]*day=2026-03-01', html)  # March 1 is a Sunday


def test_unknown_master_or_month_falls_back(manager, master_id):
    response = manager.get("/schedules?staff=nobody&month=2026-13&day=garbage")
    assert response.status_code == 200
    assert manager.post("/schedules/day", {"staff": "nobody", "month": "2026-03", "day": "2026-03-10",
                                           "mode": "off"}).status_code == 404


def test_a_day_off_over_existing_bookings_is_flagged(manager, small_salon, master_id):
    from datetime import datetime

    from appliance.domain.wallclock import local_to_utc
    from appliance.services.bookings import create_booking
    from appliance.services.context import SalonContext

    start = local_to_utc(datetime(2026, 3, 10, 10, 0), SalonContext.load().tz)
    create_booking(Actor.system(), {"client_id": small_salon["client"].id, "starts_at": start, "items": [
        {"service_id": small_salon["cut"].id, "master_id": master_id}]})
    html = manager.get(f"/schedules?staff={master_id}&month=2026-03").get_data(as_text=True)
    assert "1 booking" in html and "bk warn" not in html
    response = manager.post("/schedules/day", {**place(master_id), "day": "2026-03-10", "mode": "off"})
    html = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bookings lie outside the working hours on 10 March 2026" in html
    assert 'class="bk warn"' in html and "Some bookings lie outside the working hours." in html


def test_one_change_for_several_days(manager, master_id):
    response = manager.post("/schedules/day", {**place(master_id), "day": "2026-03-10", "until": "2026-03-12",
                                               "mode": "work", "start": "10:00", "end": "15:00"})
    assert response.status_code == 302
    hours = manager.hours(master_id, "2026-03-09", "2026-03-13")
    assert hours["2026-03-09"] == hours["2026-03-13"] == [["09:00", "18:00"]]
    assert hours["2026-03-10"] == hours["2026-03-11"] == hours["2026-03-12"] == [["10:00", "15:00"]]
    response = manager.post("/schedules/day", {**place(master_id), "day": "2026-03-10", "until": "2026-03-09",
                                               "mode": "off"})
    assert "The end date is before the start date." in field_block(response.get_data(as_text=True), "until")
