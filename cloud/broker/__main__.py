"""``python -m cloud.broker``: set up the broker's access file, provision and revoke salon boxes.

Every command that talks to the broker signs in as ``broker-admin`` with the password in
``SALON_BROKER_ADMIN_PASSWORD`` (never on the command line, where ``ps`` would show it) and prints
its result as JSON. See ``cloud/broker/README.md``.
"""
import argparse
import json
import os
import sys
from pathlib import Path

from cloud.broker.provisioning import ADMIN_USER, BrokerAdmin, BrokerAdminError, initial_config, new_password

PASSWORD_VARIABLE = "SALON_BROKER_ADMIN_PASSWORD"


def _print(data) -> None:
    print(json.dumps(data, indent=2))


def cmd_init_config(args) -> int:
    """Write the dynamic-security plugin's first file (mode 0600); prints a new admin password if none was set."""
    path = Path(args.path)
    if path.exists():
        print(f"{path} exists already: it holds the live clients and roles, it is never overwritten", file=sys.stderr)
        return 1
    password = os.environ.get(PASSWORD_VARIABLE) or new_password()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(initial_config(password), file, indent=2)
    _print({"file": str(path), "username": ADMIN_USER,
            **({} if os.environ.get(PASSWORD_VARIABLE) else {"password": password})})
    return 0


def _admin(args) -> BrokerAdmin:
    password = os.environ.get(PASSWORD_VARIABLE)
    if not password:
        raise BrokerAdminError(f"set {PASSWORD_VARIABLE} to the {ADMIN_USER} password")
    return BrokerAdmin(args.host, args.port, password, ca_cert=args.ca_file)


def _credentials(credentials) -> dict:
    return {"username": credentials.username, "client_id": credentials.username, "password": credentials.password}


def cmd_provision_box(args) -> int:
    """Create a box's role and client; print the credentials to put on the box."""
    with _admin(args) as admin:
        _print(_credentials(admin.provision_box(args.box_id, args.name)))
    return 0


def cmd_revoke_box(args) -> int:
    """Disable a box: its connection is dropped now and it cannot sign in again."""
    with _admin(args) as admin:
        admin.revoke_box(args.box_id)
        _print(admin.box_status(args.box_id))
    return 0


def cmd_rotate_box(args) -> int:
    """Give a box a new password (and enable it); print the new credentials."""
    with _admin(args) as admin:
        _print(_credentials(admin.rotate_box_password(args.box_id)))
    return 0


def cmd_show_box(args) -> int:
    """Print what the broker holds about a box (enabled or disabled, its role)."""
    with _admin(args) as admin:
        _print(admin.box_status(args.box_id))
    return 0


def cmd_provision_ingest(args) -> int:
    """Create the cloud-ingest user (or give it a new password); print its credentials."""
    with _admin(args) as admin:
        credentials = admin.provision_ingest()
    _print({"username": credentials.username, "password": credentials.password})
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line."""
    main_parser = argparse.ArgumentParser(prog="python -m cloud.broker", description=__doc__.splitlines()[0])
    commands = main_parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init-config", help=cmd_init_config.__doc__)
    init.add_argument("path", help="e.g. /var/lib/mosquitto/dynamic-security.json")
    init.set_defaults(run=cmd_init_config)
    for name, run, takes_box in (("provision-box", cmd_provision_box, True), ("revoke-box", cmd_revoke_box, True),
                                 ("rotate-box", cmd_rotate_box, True), ("show-box", cmd_show_box, True),
                                 ("provision-ingest", cmd_provision_ingest, False)):
        command = commands.add_parser(name, help=run.__doc__)
        if takes_box:
            command.add_argument("box_id", help="the box id (a UUID), also its username and client id")
        if run is cmd_provision_box:
            command.add_argument("--name", help="a readable name kept with the client (e.g. the salon)")
        command.add_argument("--host", default=os.environ.get("SALON_BROKER_HOST", "localhost"),
                             help="the broker's name as in its certificate (default: $SALON_BROKER_HOST or localhost)")
        command.add_argument("--port", type=int, default=8883)
        command.add_argument("--ca-file", help="CA certificate to trust (default: the system's CAs)")
        command.set_defaults(run=run)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors from the broker are printed and give exit status 1."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (BrokerAdminError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
