"""BK8 under real concurrency: 64 simultaneous requests at gunicorn worker processes.

Requests come in groups that overlap inside the group and never across groups,
so exactly one request per group may win; every loser must get a 409 naming
the resource and the booking it lost to.
"""
import multiprocessing
import threading
from datetime import date, datetime, timedelta

import pytest
import requests

from appliance.domain.booking_rules import HOLDING
from appliance.storage.models.bookings import Booking, BookingItem
from tests.live_server import LiveBox

THREADS_PER_PROCESS = 4
PROCESSES = 16
_barrier = None


@pytest.fixture
def live_box(app, small_salon, tokens):
    box = LiveBox(__import__("pathlib").Path(app.config["DATA_DIR"]), workers=4)
    yield box
    box.stop()


def _requests(s):
    day = date.today() + timedelta(days=2)
    requests_ = []
    for group in range(6):  # one master: 6 groups x 8 overlapping requests
        base = datetime(day.year, day.month, day.day, 9) + timedelta(minutes=90 * group)
        for offset in range(8):
            # 60 min + 15 buffer from base..base+14: overlaps inside the group, ends before the next one
            start = base + timedelta(minutes=2 * offset)
            requests_.append((("master", group), {"client_id": s["client"].id, "starts_at": start.isoformat(),
                                                  "items": [{"service_id": s["cut"].id,
                                                             "master_id": s["masters"][0].id}]}))
    day += timedelta(days=1)
    for group in range(4):  # the laser: 4 groups x 4 requests by two different masters
        start = datetime(day.year, day.month, day.day, 10) + timedelta(hours=2 * group)
        for n in range(4):
            requests_.append((("laser", group), {"client_id": s["client"].id,
                                                 "starts_at": (start + timedelta(minutes=5 * n)).isoformat(),
                                                 "items": [{"service_id": s["laser"].id,
                                                            "master_id": s["masters"][n % 2].id}]}))
    return requests_


def _init(barrier):
    global _barrier
    _barrier = barrier


def _fire(args):
    url, token, bodies = args
    results = [None] * len(bodies)

    def send(index, body):
        _barrier.wait(timeout=60)
        response = requests.post(url + "/api/v1/bookings", json=body,
                                 headers={"Authorization": f"Bearer {token}"}, timeout=60)
        results[index] = (response.status_code, response.json())

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_overlapping_bookings_exactly_one_wins_per_group(live_box, small_salon, tokens):
    planned = _requests(small_salon)
    assert len(planned) == PROCESSES * THREADS_PER_PROCESS
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(planned))
    chunks = [planned[i::PROCESSES] for i in range(PROCESSES)]
    with context.Pool(PROCESSES, initializer=_init, initargs=(barrier,)) as pool:
        answers = pool.map(_fire, [(live_box.url, tokens["administrator"], [b for _, b in c]) for c in chunks])
    outcome = {}
    for chunk, results in zip(chunks, answers):
        for (group, _), result in zip(chunk, results):
            outcome.setdefault(group, []).append(result)

    for group, results in outcome.items():
        statuses = sorted(status for status, _ in results)
        assert statuses == [201] + [409] * (len(results) - 1), (group, results)
        winner = next(body for status, body in results if status == 201)
        for status, body in results:
            if status == 409:
                conflicts = body["error"]["conflicts"]
                assert body["error"]["code"] == "booking_conflict"
                assert any(c.get("id") == winner["id"] for c in conflicts), (group, body)
                expected = {"master"} if group[0] == "master" else {"room", "equipment"}
                assert {c["resource"] for c in conflicts} & expected

    _assert_no_double_booking()


def _assert_no_double_booking():
    held = list(BookingItem.select().join(Booking).where(
        Booking.status.in_(HOLDING) & (BookingItem.active == True)))  # noqa: E712
    assert len(held) == 6 + 4
    for resource in ("master_id", "room_id", "equipment_id"):
        by_resource = {}
        for item in held:
            if getattr(item, resource):
                by_resource.setdefault(getattr(item, resource), []).append(item)
        for items in by_resource.values():
            items.sort(key=lambda i: i.starts_at)
            for before, after in zip(items, items[1:]):
                assert before.busy_until <= after.starts_at
