"""The journal page's set-up for its calendar: the day it opens on is the salon's, not the browser's."""
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.appliance.web.form_client import sign_in


def _setup(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="journal-setup">(.*?)</script>', html,
                                re.S).group(1))


def test_the_journal_opens_on_the_salons_today_and_on_a_chosen_day(app, small_salon):
    browser = sign_in(app, "administrator")
    today = datetime.now(ZoneInfo("Asia/Tashkent")).date().isoformat()
    opened = _setup(browser.get("/journal").get_data(as_text=True))
    # A browser in UTC (headless Chromium, a PC set to the wrong zone) has its own idea of
    # today for five hours of the salon's day; the calendar goes by the salon's.
    assert (opened["date"], opened["today"]) == (today, today)
    chosen = _setup(browser.get("/journal?date=2027-03-08").get_data(as_text=True))
    assert (chosen["date"], chosen["today"]) == ("2027-03-08", today)
