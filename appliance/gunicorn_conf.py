"""Gunicorn settings for the box; command-line options override them."""
import multiprocessing
import os

bind = os.environ.get("SALON_BOX_BIND", "0.0.0.0:8080")
# Worker processes, each with a few threads (gthread). Not plain sync workers: a sync worker blocks
# on a connection until its first request arrives, and Chromium opens spare "preconnect" sockets
# that send nothing, so two idle sockets stalled a two-worker box for the 30 s worker timeout.
# gthread parks silent connections in a selector and serves keep-alive.
# One worker per core and one spare, not gunicorn's usual 2 x cores + 1: every write takes SQLite's one
# lock and drops the other workers' page caches, so extra workers add contention, not throughput
# (on 2 cores, 3 workers: booking p99 75 ms against 125-142 ms with 5, and as many bookings a second).
workers = int(os.environ.get("SALON_BOX_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
# Threads wait on SQLite's one write lock, not on the CPU: a few per process keep reads flowing past a write.
threads = int(os.environ.get("SALON_BOX_THREADS", 4))
# The app is imported and built once, in the master, and forked into each worker: a worker that
# max_requests recycles serves again within milliseconds instead of importing everything anew
# (2 s of CPU on the bench machine, several on a Pi, in the middle of the salon's day), and the
# workers share the master's memory pages. pre_fork keeps the master's database closed.
preload_app = True
keepalive = 5
timeout = 30
graceful_timeout = 10
# Recycling is a guard against slow leaks, and rare: a worker grew 7 MB over 40,000 requests
# (bench, 2026-12). At 5,000 ± 500 the workers, started together, were recycled together (every
# few seconds under load): their keep-alive clients reconnected while only the third worker was
# accepting, all 16 stayed on it, one GIL served everything and a third of the CPU sat idle
# (ping 1,100-1,500 req/s instead of 2,600, bookings down by 15 %) until the next recycle.
# The jitter as wide as the limit spreads the recycles of workers started together.
max_requests = 50000
max_requests_jitter = 50000
accesslog = "-"
# Path without the query string: queries can carry phone fragments (no personal data in logs).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# The control socket defaults to one path per user, which two boxes' servers
# on one machine (tests, benchmarks) would fight over; the box does not use it.
control_socket_disable = True


def pre_fork(server, worker):
    """Before each fork: no SQLite connection may pass from the master into a worker.

    A connection used on both sides of a fork corrupts the database; the app opens its
    connections per worker thread, on the first request, so the master should hold none.
    """
    from appliance.storage.database import database

    if database.obj is not None and not database.is_closed():
        database.close()


def post_fork(server, worker):
    """In each worker: a new connection holds a thread for half a second at most, not five.

    gthread gives each accepted connection to a thread that waits for its first bytes
    before parking it in the selector (gunicorn's DEFAULT_WORKER_DATA_TIMEOUT, 5 s).
    Clients on the salon's network send their request at once; Chromium's spare sockets
    send nothing, and four of them could make a page wait five seconds.
    """
    from gunicorn.workers import gthread

    gthread.DEFAULT_WORKER_DATA_TIMEOUT = 0.5
