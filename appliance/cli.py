"""`salon-box`: migrate, set up, add users, load the demo salon, serve under gunicorn, sync, run the hardware,
prune old logs."""
import argparse
import getpass
import os
import sys
from pathlib import Path

from appliance.config import load_config
from appliance.storage.backup import backup_database
from appliance.storage.database import open_database
from appliance.storage.migrate import pending, upgrade


def _database(args):
    overrides = {"DATA_DIR": args.data_dir} if args.data_dir else {}
    config = load_config(overrides)
    Path(config["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    return config, open_database(config["DATABASE"])


def cmd_migrate(args) -> int:
    """Apply pending migrations in place, after a backup of the database as it was."""
    config, db = _database(args)
    waiting = pending(db)
    if waiting and Path(config["DATABASE"]).stat().st_size > 0 and db.get_tables():
        copy = backup_database(db, Path(config["DATA_DIR"]) / "backups", f"before-{waiting[0]}")
        print(f"backup: {copy}")
    applied = upgrade(db)
    print("applied: " + (", ".join(applied) if applied else "nothing, schema is current"))
    return 0


def cmd_status(args) -> int:
    """Show which migrations are pending."""
    _, db = _database(args)
    waiting = pending(db)
    print("pending: " + (", ".join(waiting) if waiting else "none"))
    return 1 if waiting else 0


def cmd_setup(args) -> int:
    """Create the salon of this box."""
    from appliance.services import salon
    from appliance.services.context import Actor

    _, db = _database(args)
    upgrade(db)
    week = [[["09:00", "21:00"]]] * 7
    made = salon.set_up(Actor.system(), {"name": args.name, "timezone": args.timezone, "currency": args.currency,
                                         "country": args.country, "opening_hours": week})
    print(f"salon {made.name} set up ({made.timezone}, {made.currency})")
    return 0


def cmd_add_user(args) -> int:
    """Add a staff member who can sign in."""
    from appliance.services.context import Actor
    from appliance.services.errors import ServiceError
    from appliance.services.staff import create_staff

    _, db = _database(args)
    password = os.environ.get("SALON_BOX_NEW_PASSWORD") or getpass.getpass("password: ")
    try:
        staff = create_staff(Actor.system(), {"first_name": args.first_name, "last_name": args.last_name or "",
                                              "role": args.role, "username": args.username, "password": password,
                                              "bookable": args.role == "master"})
    except ServiceError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(f"added {staff.username} ({staff.role})")
    return 0


def cmd_demo(args) -> int:
    """Load the demo salon into an empty box (an existing salon is left as it is)."""
    from appliance.services.demo import load_demo

    config, db = _database(args)
    upgrade(db)
    printer_file = str((Path(config["DATA_DIR"]) / "demo-receipt.escpos").resolve())
    credentials = load_demo(seed=args.seed, printer_file=printer_file)
    if credentials is None:
        print("the box already has a salon; demo data not loaded again")
        return 0
    target = Path(config["DATA_DIR"]) / "demo-credentials.txt"
    target.write_text("".join(f"{user} {password}\n" for user, password in credentials.items()))
    target.chmod(0o600)
    print(f"demo salon loaded; sign-in names and passwords are in {target}")
    return 0


def cmd_serve(args) -> int:
    """Run the box under gunicorn (the production WSGI server), as systemd does."""
    from gunicorn.app.wsgiapp import run

    if args.data_dir:
        os.environ["SALON_BOX_DATA_DIR"] = args.data_dir
    sys.argv = ["gunicorn", "--config", "python:appliance.gunicorn_conf", "--bind", args.bind,
                *(["--workers", str(args.workers)] if args.workers else []), "appliance.app:create_app()"]
    return run()


def _signal_stop(config, db):
    """Logging for a long-running command, stacks on SIGUSR1, and an event set by SIGTERM or SIGINT."""
    import faulthandler
    import logging
    import signal
    import threading

    logging.basicConfig(level=config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # `kill -USR1 <pid>` prints every thread's stack to the log: a stuck process can be looked at.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    db.connect(reuse_if_open=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def cmd_sync(args) -> int:
    """Run the sync agent (change log up, head office's changes down) until SIGTERM or SIGINT."""
    from appliance.sync_agent import BoxSyncAgent, link_settings
    from sync.transport import MqttLink

    config, db = _database(args)
    missing = [key for key in ("SYNC_BROKER_HOST", "SYNC_BOX_ID", "SYNC_PASSWORD") if not config.get(key)]
    if missing:
        print(f"error: set {', '.join('SALON_BOX_' + key for key in missing)} (see README: sync)", file=sys.stderr)
        return 2
    stop = _signal_stop(config, db)
    BoxSyncAgent(MqttLink(link_settings(config)), config["SYNC_BOX_ID"],
                 pace_per_s=float(config["SYNC_PACE_PER_S"])).run(stop)
    return 0


def cmd_hardware(args) -> int:
    """Run the card readers and the print queue (the hardware service) until SIGTERM or SIGINT."""
    from appliance.hardware_service import HardwareService
    from appliance.storage.secrets import card_key

    config, db = _database(args)
    stop = _signal_stop(config, db)
    service = HardwareService(card_key(config["DATA_DIR"])).start()
    stop.wait()
    service.stop()
    return 0


def cmd_prune(args) -> int:
    """Delete acked change-log entries, card taps and dead sign-in tokens past their keeping time."""
    from appliance.services.retention import KeepFor, prune

    config, db = _database(args)
    waiting = pending(db)
    if waiting:
        print(f"error: the schema is not current (pending: {', '.join(waiting)}); run salon-box migrate",
              file=sys.stderr)
        return 1
    try:
        keep = KeepFor.from_config(config)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    deleted = prune(keep)
    print("pruned: " + ", ".join(f"{table} {count}" for table, count in deleted.items()))
    return 0


def main(argv=None) -> int:
    """Entry point of the `salon-box` command."""
    parser = argparse.ArgumentParser(prog="salon-box", description=__doc__)
    parser.add_argument("--data-dir", help="folder of the database (default from config)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help=cmd_migrate.__doc__).set_defaults(func=cmd_migrate)
    sub.add_parser("status", help=cmd_status.__doc__).set_defaults(func=cmd_status)
    setup = sub.add_parser("setup", help=cmd_setup.__doc__)
    setup.add_argument("--name", required=True)
    setup.add_argument("--timezone", required=True)
    setup.add_argument("--currency", required=True)
    setup.add_argument("--country", required=True, help="ISO code for phone numbers, e.g. UZ or RU")
    setup.set_defaults(func=cmd_setup)
    user = sub.add_parser("add-user", help=cmd_add_user.__doc__)
    user.add_argument("--username", required=True)
    user.add_argument("--role", required=True, choices=["owner", "manager", "administrator", "master"])
    user.add_argument("--first-name", required=True)
    user.add_argument("--last-name")
    user.set_defaults(func=cmd_add_user)
    demo = sub.add_parser("demo", help=cmd_demo.__doc__)
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(func=cmd_demo)
    serve = sub.add_parser("serve", help=cmd_serve.__doc__)
    serve.add_argument("--bind", default="0.0.0.0:8080")
    serve.add_argument("--workers", type=int)
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("sync", help=cmd_sync.__doc__).set_defaults(func=cmd_sync)
    sub.add_parser("hardware", help=cmd_hardware.__doc__).set_defaults(func=cmd_hardware)
    sub.add_parser("prune", help=cmd_prune.__doc__).set_defaults(func=cmd_prune)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
