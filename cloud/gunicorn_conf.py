"""Gunicorn settings for the cloud's head-office pages; command-line options override them."""
import multiprocessing
import os

# Loopback by default: the cloud is meant to sit behind a TLS-terminating reverse proxy.
bind = os.environ.get("SALON_CLOUD_BIND", "127.0.0.1:8090")
# Worker processes with a few threads each (gthread): each request holds its own PostgreSQL
# connection; sync workers would block on browsers' silent preconnect sockets (see the box's conf).
workers = int(os.environ.get("SALON_CLOUD_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "gthread"
threads = int(os.environ.get("SALON_CLOUD_THREADS", 4))
keepalive = 5
timeout = 30
graceful_timeout = 10
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
# Path without the query string (no search text in logs).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# Trust X-Forwarded-* only from a proxy on this machine.
forwarded_allow_ips = os.environ.get("SALON_CLOUD_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The control socket defaults to one path per user, which two servers on one
# machine (the box and the cloud in tests) would fight over; it is not used.
control_socket_disable = True


def post_fork(server, worker):
    """A new connection holds a worker thread half a second at most (see the box's gunicorn_conf)."""
    from gunicorn.workers import gthread

    gthread.DEFAULT_WORKER_DATA_TIMEOUT = 0.5
