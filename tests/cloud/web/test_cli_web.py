"""`salon-cloud add-user` and `salon-cloud serve` (gunicorn, never Flask's own server)."""
import os
import subprocess
import sys
import time

import pytest
import requests

from cloud.app import create_app
from cloud.cli import main
from cloud.services.users import authenticate
from cloud.storage.database import database
from cloud.storage.users import AuditEntry
from tests.live_server import free_port


def _close() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()


def run(*args: str) -> int:
    """The command in this process; each call opens a database of its own, so the previous one is closed first."""
    _close()
    code = main(list(args))
    _close()
    return code


@pytest.fixture(autouse=True)
def closed_at_the_end():
    yield
    _close()


def test_add_user_takes_the_password_from_the_environment_never_the_command_line(pg_dsn, monkeypatch, capsys):
    assert run("--database", pg_dsn, "migrate") == 0
    monkeypatch.setenv("SALON_CLOUD_NEW_PASSWORD", "First-owner-1")
    assert run("--database", pg_dsn, "add-user", "--username", "Olga", "--role", "owner",
               "--full-name", "Olga Petrova", "--timezone", "Asia/Tashkent") == 0
    assert "added olga (owner)" in capsys.readouterr().out
    assert authenticate("olga", "First-owner-1").timezone == "Asia/Tashkent"
    assert AuditEntry.get().actor_name == "(command line)"
    monkeypatch.setenv("SALON_CLOUD_NEW_PASSWORD", "short")
    assert run("--database", pg_dsn, "add-user", "--username", "anna", "--role", "accountant") == 2
    assert "password: password_too_short" in capsys.readouterr().err


def test_serve_runs_the_pages_under_gunicorn(pg_dsn, tmp_path):
    assert run("--database", pg_dsn, "migrate") == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALON_CLOUD_")}
    env["SALON_CLOUD_CONFIG"] = str(tmp_path / "none.toml")
    with open(tmp_path / "serve.log", "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "cloud.cli", "--database", pg_dsn, "serve",
                                    "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline, response = time.monotonic() + 30, None
            while time.monotonic() < deadline and response is None:
                try:
                    response = requests.get(f"http://127.0.0.1:{port}/login", timeout=2)
                except requests.RequestException:
                    time.sleep(0.1)
            assert response is not None and response.status_code == 200
            assert "Salon cloud" in requests.get(f"http://127.0.0.1:{port}/login",
                                                 headers={"Accept-Language": "en"}).text
        finally:
            process.terminate()
            process.wait(timeout=15)
    assert "gunicorn" in (tmp_path / "serve.log").read_text().lower()


def test_the_session_cookie_is_https_only_unless_told_otherwise(pg_dsn):
    assert run("--database", pg_dsn, "migrate") == 0
    assert create_app({"DATABASE_URL": pg_dsn}).config["SESSION_COOKIE_SECURE"] is True
    assert create_app({"DATABASE_URL": pg_dsn, "COOKIE_SECURE": "0"}).config["SESSION_COOKIE_SECURE"] is False
    first, second = create_app({"DATABASE_URL": pg_dsn}), create_app({"DATABASE_URL": pg_dsn})
    assert first.secret_key == second.secret_key and len(first.secret_key) > 40  # made once, shared by workers
