"""Gunicorn settings for the box; command-line options override them."""
import multiprocessing
import os

bind = os.environ.get("SALON_BOX_BIND", "0.0.0.0:8080")
# Sync workers: SQLite takes one writer at a time anyway, and processes
# (not threads) keep one slow request from stalling the others.
# One worker per core and one spare, not gunicorn's usual 2 x cores + 1: every write takes SQLite's one
# lock and drops the other workers' page caches, so extra workers add contention, not throughput
# (on 2 cores, 3 workers: booking p99 75 ms against 125-142 ms with 5, and as many bookings a second).
workers = int(os.environ.get("SALON_BOX_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 10
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
# Path without the query string: queries can carry phone fragments (no personal data in logs).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# The control socket defaults to one path per user, which two boxes' servers
# on one machine (tests, benchmarks) would fight over; the box does not use it.
control_socket_disable = True
