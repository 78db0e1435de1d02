"""In-process timing of the nearest-free-slot search (appliance.services.availability.free_slots)."""
import random
import statistics
import time
from datetime import datetime, timedelta, timezone

from machine import Meter
from seed import TZ, Seeded


def percentile(values, share: float) -> float:
    """Nearest-rank percentile of ``values`` (share in 0..1)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _timed(fn, *args, **kwargs):
    began = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - began) * 1000, result


def _timed_cpu(fn, *args, **kwargs):
    """(wall ms, CPU ms of this process, result)."""
    cpu, began = time.process_time(), time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000, result


def random_starts(seeded: Seeded, count: int, rng: random.Random) -> list[datetime]:
    """Random aware-UTC moments inside the seeded days (salon time), to the minute."""
    first = datetime.combine(seeded.first_day, datetime.min.time(), tzinfo=TZ)
    span = seeded.days * 24 * 60
    return [(first + timedelta(minutes=rng.randrange(span))).astimezone(timezone.utc) for _ in range(count)]


def measure(seeded: Seeded, queries: int = 200, days: int = 14, limit: int = 20, rng_seed: int = 7) -> dict:
    """Median, p95 and max of ``queries`` searches, plus two worst cases; the DB must be connected."""
    from appliance.services.availability import free_slots

    rng = random.Random(rng_seed)
    requested = [(seeded.service_id, None)]
    for start in random_starts(seeded, 10, rng):  # warm caches and imports
        free_slots(requested, start, days, limit)
    times, cpu_times, found, days_reached = [], [], [], []
    meter = Meter()
    for start in random_starts(seeded, queries, rng):
        ms, cpu_ms, slots = _timed_cpu(free_slots, requested, start, days, limit)
        times.append(ms)
        cpu_times.append(cpu_ms)
        found.append(len(slots))
        if slots:
            days_reached.append((slots[-1]["starts_at"] - start).total_seconds() / 86400)
    background = meter.read()["other_share"]
    first_moment = datetime.combine(seeded.first_day, datetime.min.time(), tzinfo=TZ).astimezone(timezone.utc)
    worst = {}
    for label, service, lim in (("unfittable service, 14 days scanned, 0 found", seeded.unfittable_id, limit),
                                ("measured service, limit=1000 (every slot of 14 days)", seeded.service_id, 1000)):
        runs = [_timed(free_slots, [(service, None)], first_moment, days, lim) for _ in range(5)]
        worst[label] = {"median_ms": statistics.median(r[0] for r in runs), "max_ms": max(r[0] for r in runs),
                        "slots": len(runs[0][1])}
    return {
        "queries": queries, "days": days, "limit": limit,
        "median_ms": statistics.median(times), "p95_ms": percentile(times, 0.95), "max_ms": max(times),
        "cpu_median_ms": statistics.median(cpu_times), "cpu_p95_ms": percentile(cpu_times, 0.95),
        "background": background,
        "mean_slots": statistics.mean(found), "short_answers": sum(1 for n in found if n < limit),
        "median_days_ahead": statistics.median(days_reached) if days_reached else float("nan"),
        "worst": worst,
    }

