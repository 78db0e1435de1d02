"""Instructions a request costs in a real gunicorn worker, counted by callgrind (``--instructions``).

On a shared virtual machine the wall-clock and CPU-time figures of the same code drift by a
quarter between runs, so a change worth 3 % needs a dozen alternated runs to be seen. The
instruction count of a request does not drift (the same code counts the same within 1 %), so one
run per version of the code is enough to compare them. What it leaves out is what instructions do
not show: cache misses and the kernel's share (pages read again after another worker's commit,
WAL writes), which the HTTP phases measure.

One gunicorn worker with one thread runs under ``valgrind --tool=callgrind``; after a warm-up its
counters are zeroed (``callgrind_control``), then one keep-alive connection sends the bookings and
the pings in turn, and a dump after each gives its count.
"""
import http.client
import os
import subprocess
from dataclasses import dataclass

from http_load import API, HOST, Server

# valgrind runs Python about 50 times slower: the app's start takes a minute or more.
START_TIMEOUT_S = 600.0


@dataclass
class Counted:
    """Instructions per request of each endpoint in a 1 x 1 worker."""

    requests: int
    ping: float
    booking: float

    @property
    def ratio(self) -> float:
        """ping's instructions over booking's: the cost ratio free of the machine's drift."""
        return self.ping / self.booking if self.booking else 0.0


def count_instructions(data_dir: str, token: str, bodies: list[bytes], requests: int = 300,
                       warmup: int = 100) -> Counted:
    """Count a booking's and a ping's instructions; ``bodies`` needs ``requests + warmup`` free slots."""
    if len(bodies) < requests + warmup:
        raise ValueError(f"{requests + warmup} booking bodies needed, {len(bodies)} given")
    out_dir = os.path.join(data_dir, "callgrind")
    os.makedirs(out_dir, exist_ok=True)
    server = Server(data_dir, os.path.join(out_dir, "gunicorn.log"), workers=1, threads=1,
                    wrapper=("valgrind", "--tool=callgrind", "--trace-children=yes",
                             f"--callgrind-out-file={out_dir}/callgrind.%p"),
                    # Heartbeats come late under valgrind: the master must not take the worker for hung.
                    gunicorn_args=("--timeout", "600"),
                    # The same hash seed each run: dict and set layouts, and so the count, repeat.
                    env={"PYTHONHASHSEED": "0"})
    try:
        server.wait_healthy(START_TIMEOUT_S)
        connection = http.client.HTTPConnection(HOST, server.port, timeout=120)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        posted = iter(bodies)

        def ping():
            _expect(connection, "GET", "/ping", None, headers, 200)

        def book():
            _expect(connection, "POST", "/bookings", next(posted), {**headers, "Content-Type": "application/json"}, 201)

        for _ in range(warmup):
            ping()
            book()
        worker = _only_worker(server)
        _control(worker, "--zero")
        for _ in range(requests):
            book()
        _control(worker, "--dump")
        for _ in range(requests):
            ping()
        _control(worker, "--dump")
        booking_total, ping_total = _dumped_totals(out_dir, worker)
        return Counted(requests, ping_total / requests, booking_total / requests)
    finally:
        server.stop(timeout=120)


def _expect(connection, method: str, path: str, body, headers: dict, status: int) -> None:
    connection.request(method, API + path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    if response.status != status:
        raise RuntimeError(f"{method} {path} answered {response.status}: {data[:300]!r}")


def _only_worker(server: Server) -> int:
    workers = server.workers()
    if len(workers) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {len(workers)}")
    return workers[0]


def _control(pid: int, action: str) -> None:
    subprocess.run(["callgrind_control", action, str(pid)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300)


def _dumped_totals(out_dir: str, pid: int) -> tuple[int, int]:
    """The instruction totals of the worker's first and second dumps."""
    totals = []
    for number in (1, 2):
        path = os.path.join(out_dir, f"callgrind.{pid}.{number}")
        with open(path) as dump:
            line = next((text for text in dump if text.startswith("summary:")), None)
        if line is None:
            raise RuntimeError(f"no summary line in {path}")
        totals.append(int(line.split()[1]))
    return totals[0], totals[1]


def describe(counted: Counted) -> list[str]:
    """Lines for the bench's output."""
    return [f"  {counted.requests} of each over one keep-alive connection to a 1 x 1 worker: ping "
            f"{counted.ping / 1e6:.2f} M instructions, booking {counted.booking / 1e6:.2f} M "
            f"-> {counted.ratio:.0%} by instructions (no drift; cache misses and kernel time not counted)"]
