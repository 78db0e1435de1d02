"""`salon-cloud`: migrate the database, register boxes, run a sync worker, add head-office users, serve the pages."""
import argparse
import faulthandler
import getpass
import logging
import os
import signal
import socket
import sys
import threading

from cloud.config import load_config
from cloud.storage.database import open_database
from cloud.storage.migrate import upgrade


def _open(args) -> dict:
    config = load_config({"DATABASE_URL": args.database} if args.database else None)
    open_database(config["DATABASE_URL"]).connect(reuse_if_open=True)
    return config


def cmd_migrate(args) -> int:
    """Apply pending migrations in place."""
    from cloud.storage.database import database

    _open(args)
    applied = upgrade(database.obj)
    print("applied: " + (", ".join(applied) if applied else "nothing, schema is current"))
    return 0


def cmd_add_box(args) -> int:
    """Register a box (its broker credentials are provisioned separately: cloud/broker/README.md)."""
    from cloud.services.fleet import register_box

    _open(args)
    box = register_box(args.box_id, args.name)
    print(f"box {box.id} registered as {box.name}")
    return 0


def cmd_sync_worker(args) -> int:
    """Run one sync worker until SIGTERM or SIGINT."""
    from cloud.sync_worker import CloudSyncWorker, link_settings
    from sync.transport import MqttLink

    config = _open(args)
    logging.basicConfig(level=config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1 <pid>`: stacks to the log
    name = config["WORKER_NAME"] or f"{socket.gethostname()}-{os.getpid()}"
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    CloudSyncWorker(MqttLink(link_settings(config, name))).run(stop)
    return 0


def cmd_add_user(args) -> int:
    """Add a head-office user (password from SALON_CLOUD_NEW_PASSWORD or asked for; never on the command line)."""
    from cloud.services.errors import InvalidInput
    from cloud.services.users import create_user

    _open(args)
    password = os.environ.get("SALON_CLOUD_NEW_PASSWORD") or getpass.getpass("password: ")
    try:
        user = create_user(None, {"username": args.username, "full_name": args.full_name or "", "role": args.role,
                                  "password": password, "locale": args.locale, "timezone": args.timezone})
    except InvalidInput as exc:
        for field, (reason, params) in exc.fields.items():
            print(f"error: {field}: {reason} {params or ''}".rstrip(), file=sys.stderr)
        return 2
    print(f"added {user.username} ({user.role})")
    return 0


def cmd_serve(args) -> int:
    """Serve the head-office pages under gunicorn (the production WSGI server), as systemd does."""
    from gunicorn.app.wsgiapp import run

    if args.database:
        os.environ["SALON_CLOUD_DATABASE_URL"] = args.database
    sys.argv = ["gunicorn", "--config", "python:cloud.gunicorn_conf",
                *(["--bind", args.bind] if args.bind else []),
                *(["--workers", str(args.workers)] if args.workers else []), "cloud.app:create_app()"]
    return run()


def main(argv=None) -> int:
    """Entry point of the `salon-cloud` command."""
    parser = argparse.ArgumentParser(prog="salon-cloud", description=__doc__)
    parser.add_argument("--database", help="libpq URI of the cloud database (default from config)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help=cmd_migrate.__doc__).set_defaults(func=cmd_migrate)
    add_box = sub.add_parser("add-box", help=cmd_add_box.__doc__)
    add_box.add_argument("--box-id", required=True)
    add_box.add_argument("--name", required=True)
    add_box.set_defaults(func=cmd_add_box)
    sub.add_parser("sync-worker", help=cmd_sync_worker.__doc__).set_defaults(func=cmd_sync_worker)
    user = sub.add_parser("add-user", help=cmd_add_user.__doc__)
    user.add_argument("--username", required=True)
    user.add_argument("--role", required=True, choices=["owner", "head_office", "accountant"])
    user.add_argument("--full-name")
    user.add_argument("--locale", default="ru", choices=["ru", "uz", "en"])
    user.add_argument("--timezone", default="UTC", help="IANA zone the pages show times in, e.g. Asia/Tashkent")
    user.set_defaults(func=cmd_add_user)
    serve = sub.add_parser("serve", help=cmd_serve.__doc__)
    serve.add_argument("--bind", help="address:port (default SALON_CLOUD_BIND or 127.0.0.1:8090)")
    serve.add_argument("--workers", type=int)
    serve.set_defaults(func=cmd_serve)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
