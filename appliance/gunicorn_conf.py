"""Gunicorn settings for the box; command-line options override them."""
import multiprocessing
import os

bind = os.environ.get("SALON_BOX_BIND", "0.0.0.0:8080")
# Sync workers: SQLite takes one writer at a time anyway, and processes
# (not threads) keep one slow request from stalling the others.
workers = int(os.environ.get("SALON_BOX_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
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
