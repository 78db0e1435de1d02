"""Sync bench: box SQLite -> MQTT -> cloud PostgreSQL, beside PostgreSQL's own batched-insert rate.

Run from the repository root (Debian's postgresql and mosquitto packages installed; `./dev.sh test`
installs them):

    .venv/bin/python bench/sync_bench.py [--backlog 100000] [--trickle-s 15]

It starts a private PostgreSQL and Mosquitto (the test suite's own launchers, on free loopback
ports), a box database in a temporary folder, the real sync agent and cloud worker as processes, and
prints:

1. raw: how fast the same PostgreSQL accepts the same rows in batched INSERTs (500 a statement);
2. catch-up: a box with a backlog of ``--backlog`` changes (client cards, as the box's own services
   write them) comes online: time until the cloud has applied the last one, and events/s;
3. trickle: one change every 50 ms for ``--trickle-s`` seconds while both are running: latency from
   the box's commit to the cloud row's commit, p50/p99.

Targets (issue #4): end to end >= 50 % of the raw rate; trickle p99 < 250 ms.
"""
import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cloud.sync_processes import box_agent, cloud_worker, wait_until  # noqa: E402
from tests.infra.mosquitto import PrivateMosquitto  # noqa: E402
from tests.infra.postgres import PrivatePostgres  # noqa: E402

RAW_TARGET, P99_TARGET_MS = 0.50, 250.0
BOX_ID = "0192f4c1-0000-7000-8000-00000000b0c5"


def make_box(data_dir: Path):
    """A migrated box with a salon; returns the appliance database."""
    from appliance.services import salon as salon_service
    from appliance.services.context import Actor
    from appliance.storage.database import open_database
    from appliance.storage.migrate import upgrade

    db = open_database(str(data_dir / "box.sqlite3"))
    db.connect()
    upgrade(db)
    salon_service.set_up(Actor.system(), {"name": "Bench", "timezone": "Asia/Tashkent", "currency": "UZS",
                                          "country": "UZ", "opening_hours": [[["09:00", "21:00"]]] * 7})
    return db


def fill_backlog(db, count: int) -> float:
    """``count`` change-log entries of new client cards: one card made by the service, copied in bulk SQL."""
    from appliance.domain.ids import new_id
    from appliance.services.clients import create_client
    from appliance.services.context import Actor
    from appliance.storage.models.base import ChangeLog

    began = time.perf_counter()
    template = create_client(Actor.system(), {"first_name": "Gʻulom", "last_name": "Toshmatov",
                                               "phone": "+998901112233", "notes": "bench"})
    entry = ChangeLog.select().where(ChangeLog.entity_id == template.id).get()
    rows = []
    for i in range(count - 1):
        payload = {**entry.payload, "id": new_id(), "phone": f"+99890{i:07d}", "first_name": f"Client {i}"}
        rows.append(("client", payload["id"], "upsert", json.dumps(entry.changed), json.dumps(payload),
                     entry.schema, ChangeLog.recorded_at.db_value(entry.recorded_at)))
    with db.atomic():
        db.connection().executemany("INSERT INTO change_log (entity, entity_id, op, changed, payload, schema, recorded_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return time.perf_counter() - began


RAW_TABLE = ("CREATE TABLE {name} (entity text, entity_id text, salon_id text, data jsonb, stamps jsonb, crev int, "
             "origin text, schema int, updated_at timestamptz, PRIMARY KEY (entity, entity_id))")


def raw_insert_rates(dsn: str, payloads: list[dict]) -> dict:
    """Rows/s PostgreSQL takes the same rows at (as ingest stores them), 500 per INSERT, a transaction each.

    Two ways of batching, both measured: a multi-row VALUES list, and one JSON array parameter
    unpacked by jsonb_to_recordset (what ingest uses). The faster is the reference.
    """
    import psycopg
    from psycopg.types.json import Jsonb

    from sync.merge import merge_change

    rows = []
    for p in payloads:
        # The row exactly as ingest stores it: the data and its merge stamps.
        made = merge_change(None, {}, 0, p, None, 0, "box", "2026-12-01T10:00:00Z")
        rows.append({"entity": "client", "entity_id": p["id"], "salon_id": "salon", "data": made.data,
                     "stamps": made.stamps, "crev": 1, "origin": "box", "schema": 2})
    rates = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(RAW_TABLE.format(name="raw_values"))
        conn.execute(RAW_TABLE.format(name="raw_json"))
        began = time.perf_counter()
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            values = ", ".join(["(%s, %s, %s, %s, %s, 1, 'box', 2, now())"] * len(chunk))
            params = [v for r in chunk for v in (r["entity"], r["entity_id"], r["salon_id"], Jsonb(r["data"]),
                                                 Jsonb(r["stamps"]))]
            with conn.transaction():
                conn.execute(f"INSERT INTO raw_values VALUES {values}", params)
        rates["multi-row VALUES"] = len(rows) / (time.perf_counter() - began)
        began = time.perf_counter()
        for start in range(0, len(rows), 500):
            with conn.transaction():
                conn.execute("INSERT INTO raw_json SELECT r.entity, r.entity_id, r.salon_id, r.data, r.stamps, "
                             "r.crev, r.origin, r.schema, now() FROM jsonb_to_recordset(%s::jsonb) AS r(entity text, "
                             "entity_id text, salon_id text, data jsonb, stamps jsonb, crev int, origin text, "
                             "schema int)", (json.dumps(rows[start:start + 500], ensure_ascii=False),))
        rates["jsonb_to_recordset"] = len(rows) / (time.perf_counter() - began)
    return rates


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (Linux /proc)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu(postgres) -> float:
    """CPU of the private PostgreSQL server: its postmaster and the backends it forked."""
    master = int((postgres.data_dir / "postmaster.pid").read_text().split()[0])
    total = cpu_seconds(master)
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    total += cpu_seconds(int(proc.name))
            except (OSError, ValueError):
                continue
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--trickle-s", type=float, default=15.0)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="salon-sync-bench-"))
    postgres, broker = PrivatePostgres().start(), PrivateMosquitto().start()
    agent = worker = None
    try:
        dsn = postgres.create_database("bench")
        from cloud.services.fleet import register_box
        from cloud.storage.database import open_database as open_cloud
        from cloud.storage.migrate import upgrade as upgrade_cloud
        from cloud.storage.models import Box, EntityRow

        cloud = open_cloud(dsn)
        upgrade_cloud(cloud)
        register_box(BOX_ID, "Bench box")
        data_dir = work / "box"
        data_dir.mkdir()
        db = make_box(data_dir)
        print(f"sync bench - {time.strftime('%Y-%m-%d %H:%M')}; PostgreSQL {postgres.bin_dir.parent.name}, "
              f"mosquitto on :{broker.port}; data in {work}")

        fill_s = fill_backlog(db, args.backlog)
        from appliance.services.sync_outbox import last_seq, pending_changes

        total = last_seq()
        payloads = [c["payload"] for c in pending_changes(0, total) if c["entity"] == "client"]
        rates = raw_insert_rates(postgres.create_database("raw"), payloads)
        raw = max(rates.values())
        print(f"\n[1] raw batched INSERT of the same {len(payloads):,} rows, 500 a statement: "
              + "; ".join(f"{name} {rate:,.0f} rows/s" for name, rate in rates.items()))

        print(f"\n[2] catch-up: backlog of {total:,} changes (made in {fill_s:.1f} s) ...", flush=True)
        worker = cloud_worker(dsn, broker.port, work).start()
        pg_cpu_before = postgres_cpu(postgres)
        began = time.perf_counter()
        agent = box_agent(data_dir, BOX_ID, broker.port).start()
        wait_until(lambda: Box.get_by_id(BOX_ID).up_applied >= total, 1800, "the catch-up", (agent, worker))
        took = time.perf_counter() - began
        rate = total / took
        print(f"  {total:,} changes applied in {took:.1f} s (process start included): {rate:,.0f} events/s")
        print(f"  CPU: box agent {cpu_seconds(agent.process.pid):.1f} s, cloud worker "
              f"{cpu_seconds(worker.process.pid):.1f} s, PostgreSQL {postgres_cpu(postgres) - pg_cpu_before:.1f} s "
              f"(2 cores: {2 * took:.1f} core-s in the window)")

        print(f"\n[3] trickle: one change every 50 ms for {args.trickle_s:g} s ...", flush=True)
        latencies = trickle(args.trickle_s, EntityRow)
        p50, p99 = statistics.median(latencies), statistics.quantiles(latencies, n=100)[98]
        print(f"  {len(latencies)} changes: latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms")

        ratio = rate / raw
        print("\n[4] summary")
        print(f"  {'end to end / raw insert rate':<40} {ratio:6.0%}  target >= {RAW_TARGET:.0%}  "
              f"{'PASS' if ratio >= RAW_TARGET else 'MISS'}")
        print(f"  {'trickle latency p99':<40} {p99:6.1f} ms  target < {P99_TARGET_MS:g} ms  "
              f"{'PASS' if p99 < P99_TARGET_MS else 'MISS'}")
        print(f"  {'catch-up of the backlog':<40} {took:6.1f} s   ({total:,} changes)")
        return 0
    finally:
        for process in (agent, worker):
            if process:
                process.stop()
        broker.stop()
        postgres.stop()


def trickle(seconds: float, entity_row) -> list[float]:
    """Make a card every 50 ms; latency = cloud row's commit time - the box's commit time, in ms."""
    from appliance.services.clients import create_client
    from appliance.services.context import Actor

    made, deadline, i = [], time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        client = create_client(Actor.system(), {"first_name": f"Trickle {i}", "phone": f"+99899{i:07d}"})
        made.append((client.id, client.updated_at))
        i += 1
        time.sleep(0.05)
    wait_until(lambda: entity_row.select().where(entity_row.entity_id == made[-1][0]).exists(), 60, "the last one")
    arrived = {r.entity_id: r.updated_at for r in entity_row.select(entity_row.entity_id, entity_row.updated_at)
               .where(entity_row.entity_id.in_([m[0] for m in made]))}
    return [(arrived[cid] - at).total_seconds() * 1000 for cid, at in made]


if __name__ == "__main__":
    sys.exit(main())
