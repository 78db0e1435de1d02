"""Ping and booking phases in alternated rounds, so that the machine's drift falls on both.

This machine's speed drifts (other tenants of the host): the same code measured ping at
0.73-1.22 ms and booking at 2.1-3.7 ms of CPU a request within one hour. One long ping phase
followed by one long booking phase compares two different moments; several short rounds of
ping-then-booking compare like with like round by round, and their median ratio is what a
single lucky or unlucky round cannot move much.
"""
import statistics
from dataclasses import dataclass, field, fields

import http_load
from http_load import PhaseResult


@dataclass
class Rounds:
    """The rounds measured: per-round pairs, and both phases pooled over the rounds."""

    pairs: list = field(default_factory=list)  # (ping PhaseResult, booking PhaseResult) per round

    @property
    def ratios(self) -> list[float]:
        return [book.throughput / ping.throughput if ping.throughput else 0.0 for ping, book in self.pairs]

    @property
    def median_ratio(self) -> float:
        return statistics.median(self.ratios) if self.pairs else 0.0

    @property
    def ping(self) -> PhaseResult:
        return combine([ping for ping, _ in self.pairs])

    @property
    def booking(self) -> PhaseResult:
        return combine([book for _, book in self.pairs])


def combine(results: list[PhaseResult]) -> PhaseResult:
    """One phase's results over several rounds, as if measured in one window as long as theirs together."""
    first = results[0]
    pooled = PhaseResult(first.name, 0.0, first.clients)
    counters = [f.name for f in fields(PhaseResult) if f.type in (int, float, "int", "float") and f.name != "clients"]
    for r in results:
        pooled.latencies_ms.extend(r.latencies_ms)
        for target, source in ((pooled.statuses, r.statuses), (pooled.all_statuses, r.all_statuses)):
            for status, n in source.items():
                target[status] = target.get(status, 0) + n
        for name in counters:
            setattr(pooled, name, getattr(pooled, name) + getattr(r, name))
    return pooled


def measured_rounds(rounds: int, attempts: int, noise_limit: float, quiet, run_ping, run_booking) -> Rounds:
    """``rounds`` rounds of ping then booking; a round disturbed by other processes is run again
    (up to ``attempts`` times) and its quietest attempt kept. ``quiet()`` waits for a calm machine."""
    measured = Rounds()
    for number in range(1, rounds + 1):
        tries = []
        for attempt in range(1, attempts + 1):
            quiet()
            ping, book = run_ping(), run_booking()
            tries.append((ping, book))
            noise = max(ping.other_share, book.other_share)
            if noise <= noise_limit or attempt == attempts:
                break
            print(f"  round {number}, attempt {attempt}: other processes took {ping.other_share:.0%} / "
                  f"{book.other_share:.0%} of the machine; trying again", flush=True)
        ping, book = min(tries, key=lambda pair: max(pair[0].other_share, pair[1].other_share))
        measured.pairs.append((ping, book))
        print(f"  round {number}: ping {ping.throughput:,.0f} req/s ({_cpu_ms(ping):.2f} ms CPU), booking "
              f"{book.throughput:,.0f} req/s ({_cpu_ms(book):.2f} ms CPU) -> {measured.ratios[-1]:.0%}", flush=True)
    return measured


def _cpu_ms(r: PhaseResult) -> float:
    return 1000 * r.server_cpu_s / max(r.completed, 1)


def describe(rounds: int, ping: PhaseResult, book: PhaseResult, cores: int, span: str) -> list[str]:
    """Printable lines about both phases pooled over the rounds."""
    return [f"\n  (a) GET /api/v1/ping, {rounds} rounds pooled", *http_load.describe_phase(ping, cores),
            f"\n  (b) POST /api/v1/bookings, {rounds} rounds pooled, distinct free slots on {span}",
            *http_load.describe_phase(book, cores)]
