"""The booking bench's closing table: each measure beside its target, PASS or MISS."""
from slot_search import percentile

SLOT_TARGET_MS = 20.0
RATIO_TARGET = 0.40


def _per_request_ms(phase) -> float:
    return 1000 * phase.server_cpu_s / max(phase.completed, 1)


def summary_rows(slots: dict, measured, cores: int, counted=None) -> list[tuple[str, str, str, bool | None]]:
    """(measure, value, target, verdict: True PASS, False MISS, None for information).

    ``counted``: instructions per request (bench/instructions.py), when they were counted.
    """
    ping, book = measured.ping, measured.booking
    ratio = measured.median_ratio
    pooled = book.throughput / ping.throughput if ping.throughput else 0.0
    cost_ratio = _per_request_ms(ping) / _per_request_ms(book) if book.completed else 0.0
    worst = max(w["median_ms"] for w in slots["worst"].values())
    rows = [
        ("slot search median (ms)", f"{slots['median_ms']:.1f}", f"<= {SLOT_TARGET_MS:.0f}",
         slots["median_ms"] <= SLOT_TARGET_MS),
        ("slot search p95 (ms)", f"{slots['p95_ms']:.1f}", f"<= {SLOT_TARGET_MS:.0f}", slots["p95_ms"] <= SLOT_TARGET_MS),
        ("slot search CPU median / p95 (ms)", f"{slots['cpu_median_ms']:.1f} / {slots['cpu_p95_ms']:.1f}", "(info)", None),
        ("slot search max / 14-day worst (ms)", f"{slots['max_ms']:.1f} / {worst:.0f}", "-", None),
        ("GET /ping req/s, p50/p99 (ms)", f"{ping.throughput:,.0f}, {percentile(ping.latencies_ms, .5):.1f}/"
         f"{percentile(ping.latencies_ms, .99):.1f}", "-", None),
        ("POST /bookings req/s, p50/p99 (ms)", f"{book.throughput:,.0f}, {percentile(book.latencies_ms, .5):.1f}/"
         f"{percentile(book.latencies_ms, .99):.1f}", "-", None),
        ("POST /bookings 201 / other", f"{book.count(201)} / {book.completed - book.count(201)}", "0 other",
         book.completed > 0 and book.completed == book.count(201)),
        ("booking/ping throughput, median of rounds", f"{ratio:.0%}", f">= {RATIO_TARGET:.0%}", ratio >= RATIO_TARGET),
        ("same, per round / pooled", " ".join(f"{r:.0%}" for r in measured.ratios) + f" / {pooled:.0%}",
         "(info)", None),
        ("server CPU per request ping / booking (ms)", f"{_per_request_ms(ping):.1f} / {_per_request_ms(book):.1f}",
         "(info)", None),
        ("booking/ping by server CPU per request", f"{cost_ratio:.0%}", "(info)", None),
        ("other processes' CPU in ping / booking", f"{ping.other_cpu_s / (ping.duration * cores):.0%} / "
         f"{book.other_cpu_s / (book.duration * cores):.0%}", "(info)", None),
    ]
    if counted is not None:
        rows.append(("booking/ping by instructions, 1 x 1 worker", f"{counted.ping / 1e6:.2f} / "
                     f"{counted.booking / 1e6:.2f} M: {counted.ratio:.0%}", "(info)", None))
    return rows


def print_summary(slots: dict, measured, cores: int, noise_limit: float, counted=None) -> None:
    """[4] The table, and a note on any measurement other processes disturbed beyond ``noise_limit``."""
    rows = summary_rows(slots, measured, cores, counted)
    print(f"\n[4] summary ({cores} cores shared by server and load generator)")
    width = max(len(r[0]) for r in rows)
    print(f"  {'measure':<{width}}  {'value':>22}  {'target':>8}  result")
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        print(f"  {name:<{width}}  {value:>22}  {target:>8}  {verdict}")
    ping, book = measured.ping, measured.booking
    disturbed = [name for name, share in (("slot search", slots["background"]), ("ping", ping.other_share),
                                          ("booking", book.other_share)) if share > noise_limit]
    if disturbed:
        cost_ratio = _per_request_ms(ping) / _per_request_ms(book) if book.completed else 0.0
        http_note = (f"; the throughput ratio is unreliable, the server-CPU ratio ({cost_ratio:.0%}) is the "
                     "better guide" if {"ping", "booking"} & set(disturbed) else "")
        print(f"  NOTE: other processes used over {noise_limit:.0%} of the machine during: "
              f"{', '.join(disturbed)}. Wall-clock figures there are inflated (the CPU rows much less)"
              f"{http_note}.")
