"""Where the time goes, in-process and in CPU time (robust to other processes on the machine).

- ``slot_stages``: CPU per slot search split into its stages (build_need,
  load_calendar = working_spans + occupations, the pure domain search).
- ``request_costs``: CPU and SQL statements per request of GET /ping and
  POST /bookings through the Flask test client (no HTTP server, no sockets),
  with a cProfile of the booking request restricted to the box's own code.
"""
import cProfile
import io
import json
import pstats
import random
import time
from contextlib import contextmanager
from datetime import datetime, time as wall, timedelta

from seed import CLOSE, OPEN, TZ, Seeded
from slot_search import random_starts


@contextmanager
def counting_statements():
    """Count the statements SQLite runs on this thread's connection (BEGIN and COMMIT included)."""
    from appliance.storage.database import database

    counter = {"n": 0}

    def counted(sql):
        counter["n"] += 1

    connection = database.connection()
    connection.set_trace_callback(counted)
    try:
        yield counter
    finally:
        connection.set_trace_callback(None)


def slot_stages(seeded: Seeded, queries: int = 100) -> tuple[float, list[tuple[str, float, float]]]:
    """(CPU ms per query, [(stage, CPU ms per query, calls per query)]) over random starts."""
    from appliance.services import availability, calendar

    totals = {}
    patched = []

    def wrap(module, name, label):
        original = getattr(module, name)

        def timed(*args, **kwargs):
            began = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                entry = totals.setdefault(label, [0.0, 0])
                entry[0] += time.process_time() - began
                entry[1] += 1

        setattr(module, name, timed)
        patched.append((module, name, original))

    wrap(availability, "build_need", "build_need (service, qualified masters, rooms)")
    wrap(availability, "load_calendar", "load_calendar (per searched day)")
    wrap(calendar, "working_spans", "  of which working_spans (3 queries + local times)")
    wrap(calendar, "occupations", "  of which occupations (3 queries + rows)")
    wrap(availability, "find_slots", "find_slots (pure domain search)")
    try:
        starts = random_starts(seeded, queries, random.Random(5))
        requested = [(seeded.service_id, None)]
        began = time.process_time()
        for start in starts:
            availability.free_slots(requested, start, 14, 20)
        total = (time.process_time() - began) * 1000 / queries
    finally:
        for module, name, original in reversed(patched):
            setattr(module, name, original)
    stages = [(label, sec * 1000 / queries, calls / queries) for label, (sec, calls) in totals.items()]
    return total, stages


def free_booking_bodies(seeded: Seeded, first_day, count: int) -> list[dict]:
    """``count`` booking bodies at free master/time pairs from ``first_day`` on (days without bookings)."""
    bodies, day = [], first_day
    while len(bodies) < count:
        minute = OPEN.hour * 60
        while minute + seeded.service_duration <= CLOSE.hour * 60:
            at = datetime.combine(day, wall(minute // 60, minute % 60), tzinfo=TZ).isoformat()
            for master in seeded.masters:
                bodies.append({"client_id": seeded.clients[len(bodies) % len(seeded.clients)], "starts_at": at,
                               "items": [{"service_id": seeded.service_id, "master_id": master}]})
            minute += seeded.service_minutes
        day += timedelta(days=1)
    return bodies[:count]


def request_costs(seeded: Seeded, first_free_day, requests: int = 200, top: int = 30) -> tuple[list, str]:
    """Per-request CPU and statements of ping and booking in-process; and a profile of the booking path.

    Bookings go to ``first_free_day`` onwards, which must hold no bookings.
    The connection stays open between requests, as the app keeps it.
    """
    from appliance.app import create_app
    from appliance.storage.database import database

    if not database.is_closed():
        database.close()
    app = create_app({"DATA_DIR": seeded.data_dir, "LOG_LEVEL": "WARNING"})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {seeded.token}"}
    bodies = iter(free_booking_bodies(seeded, first_free_day, 3 * requests + 40))

    def ping():
        response = client.get("/api/v1/ping", headers=headers)
        assert response.status_code == 200, response.data

    def book():
        response = client.post("/api/v1/bookings", headers=headers, data=json.dumps(next(bodies)),
                               content_type="application/json")
        assert response.status_code == 201, response.data

    rows = []
    for name, call in (("GET /ping", ping), ("POST /bookings", book)):
        for _ in range(20):
            call()
        with counting_statements() as counter:
            began = time.process_time()
            for _ in range(requests):
                call()
            cpu = (time.process_time() - began) * 1000 / requests
        rows.append((name, cpu, counter["n"] / requests))
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        book()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"appliance[/\\]", top)
    return rows, out.getvalue()
