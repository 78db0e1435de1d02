"""The real gunicorn server on a loopback port, and a multi-process HTTP load generator for it.

Only 127.0.0.1 is ever contacted. Every load phase is bounded in time and in
request count (booking payloads are finite), and the server is stopped by the
caller through ``Server.stop`` (SIGTERM to the master it started, then SIGKILL).
"""
import http.client
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field

from machine import children_of, machine_cpu, tree_cpu_seconds
from slot_search import percentile

HOST = "127.0.0.1"
API = "/api/v1"


def free_port() -> int:
    """A currently unused TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the box's production config, in its own session, logs to a file."""

    def __init__(self, data_dir: str, log_path: str, port: int | None = None, workers: int | None = None,
                 threads: int | None = None, wrapper: tuple = (), gunicorn_args: tuple = (),
                 env: dict | None = None):
        """``wrapper``: a command the server runs under (valgrind); ``gunicorn_args`` and ``env``: added."""
        self.port = port or free_port()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("SALON_BOX_")}
        environment.update({"SALON_BOX_DATA_DIR": data_dir, "SALON_BOX_CONFIG": os.path.join(data_dir, "none.toml"),
                            "SALON_BOX_LOG_LEVEL": "WARNING"})
        if workers:
            environment["SALON_BOX_WORKERS"] = str(workers)
        if threads:
            environment["SALON_BOX_THREADS"] = str(threads)
        environment.update(env or {})
        self.log_path = log_path
        self._log = open(log_path, "ab")
        command = [*wrapper, sys.executable, "-m", "gunicorn", "--config", "python:appliance.gunicorn_conf",
                   *gunicorn_args, "--bind", f"{HOST}:{self.port}", "appliance.app:create_app()"]
        self.process = subprocess.Popen(command, env=environment, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_healthy(self, timeout: float = 30.0) -> dict:
        """Poll GET /health until it answers 200; returns its JSON body."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.flush()
                with open(self.log_path, errors="replace") as fh:
                    tail = "".join(fh.readlines()[-15:])
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; its log ends:\n{tail}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", API + "/health")
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status == 200:
                    return json.loads(body)
                last_error = f"HTTP {response.status}"
            except OSError as exc:
                last_error = repr(exc)
            time.sleep(0.1)
        raise RuntimeError(f"server not healthy after {timeout}s: {last_error}")

    def workers(self) -> list[int]:
        """Pids of the live worker processes."""
        return children_of(self.process.pid)

    def cpu_seconds(self) -> float:
        """CPU used so far by the master and its workers (including recycled ones)."""
        return tree_cpu_seconds(self.process.pid)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the master this object started; SIGKILL its process group if it lingers ``timeout`` s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the group this Popen created
                self.process.wait(timeout=5)
        self._log.close()


@dataclass
class PhaseResult:
    """What one fixed-duration load phase measured."""

    name: str
    duration: float
    clients: int
    latencies_ms: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)  # status (or error name) -> count, measured window only
    errors: int = 0
    client_cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    machine_busy_s: float = 0.0
    machine_idle_s: float = 0.0
    exhausted: int = 0  # clients that ran out of booking payloads before the end
    sent: int = 0  # all requests, warm-up included
    reconnects: int = 0  # responses after which the server closed the connection
    all_statuses: dict = field(default_factory=dict)  # warm-up included
    sent_by_client: dict = field(default_factory=dict)  # client index -> requests sent (payloads used)
    workers_recycled: int = 0

    @property
    def completed(self) -> int:
        return sum(self.statuses.values())

    @property
    def other_cpu_s(self) -> float:
        """Machine CPU used by processes other than the server and the load generator."""
        return max(0.0, self.machine_busy_s - self.server_cpu_s - self.client_cpu_s)

    @property
    def other_share(self) -> float:
        """Share of the machine that other processes used during the measured window."""
        capacity = self.machine_busy_s + self.machine_idle_s
        return self.other_cpu_s / capacity if capacity else 0.0

    @property
    def throughput(self) -> float:
        return self.completed / self.duration

    def count(self, status: int) -> int:
        return self.statuses.get(status, 0)


def _client(index, port, method, path, headers, payloads, window, go, results):
    """One load-generating process: one HTTP connection, requests back to back until the window ends."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    latencies, statuses, everything, reconnects = [], {}, {}, 0
    go.wait()
    measure_from, measure_until = window[0], window[1]
    cpu_at_start = cpu_at_end = None
    sent = 0
    while True:
        now = time.monotonic()
        if cpu_at_start is None and now >= measure_from:
            cpu_at_start = time.process_time()
        if now >= measure_until:
            break
        body = None
        if payloads is not None:
            if sent >= len(payloads):
                break
            body = payloads[sent]
        sent += 1
        began = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
        finished = time.monotonic()
        everything[status] = everything.get(status, 0) + 1
        if measure_from <= finished <= measure_until:
            latencies.append((time.perf_counter() - began) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
        if conn.sock is None:  # the server said Connection: close
            reconnects += 1
    cpu_at_end = time.process_time()
    conn.close()
    exhausted = payloads is not None and sent >= len(payloads) and time.monotonic() < measure_until
    results.put({"index": index, "latencies": latencies, "statuses": statuses,
                 "cpu": cpu_at_end - (cpu_at_start if cpu_at_start is not None else cpu_at_end),
                 "exhausted": exhausted, "reconnects": reconnects, "sent": sent,
                 "everything": everything})


def run_phase(server: Server, name: str, method: str, path: str, token: str, clients: int,
              duration: float, warmup: float, payloads_per_client: list | None = None) -> PhaseResult:
    """``clients`` processes hammer one endpoint for ``warmup`` + ``duration`` seconds; only the latter counts."""
    ctx = multiprocessing.get_context("fork")
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if method == "POST":
        headers["Content-Type"] = "application/json"
    go = ctx.Event()
    results = ctx.Queue()
    start_at = time.monotonic() + 1.0  # processes are forked and connected by then
    window = (start_at + warmup, start_at + warmup + duration)
    processes = []
    for i in range(clients):
        payloads = payloads_per_client[i] if payloads_per_client is not None else None
        p = ctx.Process(target=_client, args=(i, server.port, method, path, headers, payloads, window,
                                              go, results), daemon=True)
        p.start()
        processes.append(p)
    time.sleep(max(0.0, start_at - time.monotonic()))
    go.set()
    workers_before = set(server.workers())
    time.sleep(max(0.0, window[0] - time.monotonic()))
    cpu0, (busy0, idle0) = server.cpu_seconds(), machine_cpu()
    time.sleep(max(0.0, window[1] - time.monotonic()))
    cpu1, (busy1, idle1) = server.cpu_seconds(), machine_cpu()
    workers_after = set(server.workers())
    result = PhaseResult(name, duration, clients, server_cpu_s=cpu1 - cpu0, machine_busy_s=busy1 - busy0,
                         machine_idle_s=idle1 - idle0, workers_recycled=len(workers_before - workers_after))
    for _ in processes:
        item = results.get(timeout=120)
        result.latencies_ms.extend(item["latencies"])
        for status, n in item["statuses"].items():
            result.statuses[status] = result.statuses.get(status, 0) + n
        result.client_cpu_s += item["cpu"]
        result.exhausted += int(item["exhausted"])
        result.sent += item["sent"]
        result.sent_by_client[item["index"]] = item["sent"]
        result.reconnects += item["reconnects"]
        for status, n in item["everything"].items():
            result.all_statuses[status] = result.all_statuses.get(status, 0) + n
    for p in processes:
        p.join(timeout=30)
    return result


def describe_phase(r: PhaseResult, cores: int) -> list[str]:
    """Printable lines about one phase."""
    lat = r.latencies_ms
    window = r.duration * cores
    others = {k: v for k, v in r.statuses.items() if k not in (200, 201)}
    lines = [
        f"  completed {r.completed} in {r.duration:.0f} s -> {r.throughput:,.1f} req/s; "
        f"latency p50 {percentile(lat, 0.50):.1f} ms, p99 {percentile(lat, 0.99):.1f} ms, "
        f"max {max(lat) if lat else float('nan'):.1f} ms",
        f"  statuses: 2xx {r.count(200) + r.count(201)}, other {sum(others.values())} {others or ''}",
        f"  CPU over the window ({cores} cores = {window:.0f} core-s): server {r.server_cpu_s:.1f} core-s "
        f"({r.server_cpu_s / window:.0%}), load generator {r.client_cpu_s:.1f} core-s "
        f"({r.client_cpu_s / window:.0%}), other processes {r.other_cpu_s / window:.0%}, "
        f"idle {r.machine_idle_s / window:.0%}",
        f"  server CPU per request {1000 * r.server_cpu_s / max(r.completed, 1):.2f} ms; "
        f"client CPU per request {1000 * r.client_cpu_s / max(r.completed, 1):.2f} ms; "
        f"server closed the connection after {r.reconnects} of {r.sent} responses",
    ]
    if r.workers_recycled:
        lines.append(f"  note: {r.workers_recycled} worker(s) were recycled (max_requests) during the phase")
    if r.exhausted:
        lines.append(f"  WARNING: {r.exhausted} client(s) ran out of booking payloads before the end")
    return lines
