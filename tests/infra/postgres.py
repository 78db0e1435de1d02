"""A private PostgreSQL server for the tests, from Debian's ``postgresql`` package.

It lives in a temporary folder of its own (data, unix socket, log), listens only on 127.0.0.1 on a
free port, trusts local connections and runs with ``fsync`` off. It never looks at the system's
cluster on 5432: every command gets an explicit data folder and port, and ``PG*`` variables of the
environment are not passed on. initdb refuses to run as root, so under root the server's commands
run as the ``postgres`` system user (``runuser``), which owns the temporary folder.
"""
import atexit
import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

from tests.live_server import free_port

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_STOP_MODES = ("smart", "fast", "immediate")


class PostgresError(RuntimeError):
    """The private server could not be set up, started or stopped; the message ends with its log."""


def newest_bin_dir() -> Path:
    """``/usr/lib/postgresql/<newest version>/bin`` (the Debian layout), where initdb and pg_ctl are."""
    candidates = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")
                  if (Path(p) / "initdb").exists() and (Path(p) / "pg_ctl").exists()]
    if not candidates:
        raise PostgresError("no PostgreSQL server under /usr/lib/postgresql/*/bin: install Debian's postgresql")
    return max(candidates, key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)] or [0])


class PrivatePostgres:
    """A throwaway PostgreSQL server: ``start()``, use ``dsn(name)``, ``stop()`` removes everything."""

    host = "127.0.0.1"
    user = "postgres"

    def __init__(self, bin_dir: Path | None = None):
        self.bin_dir = bin_dir or newest_bin_dir()
        self.port: int | None = None
        self.base: Path | None = None
        self._running = False

    @property
    def data_dir(self) -> Path:
        """The cluster's data folder."""
        return self.base / "data"

    @property
    def log_path(self) -> Path:
        """The server's log file."""
        return self.base / "postgres.log"

    def dsn(self, dbname: str = "postgres") -> str:
        """A libpq URI for ``dbname`` on this server, e.g. ``postgresql://postgres@127.0.0.1:PORT/NAME``."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> "PrivatePostgres":
        """Create the cluster on first use, start the server, return once psycopg can connect."""
        if self._running:
            return self
        if self.base is None:
            self._init_cluster()
            atexit.register(self._at_exit)
        attempts = 3 if self.port is None else 1
        for attempt in range(attempts):
            if self.port is None or attempt:
                self.port = free_port()
            result = self._pg_ctl("start", "-l", str(self.log_path), "-o", f"-p {self.port}")
            if result.returncode == 0:
                break
        else:
            raise PostgresError(f"pg_ctl start failed: {result.stdout}{result.stderr}{self._log_tail()}")
        self._running = True
        self._wait_until_accepting()
        return self

    def stop(self, mode: str = "fast", cleanup: bool = True) -> None:
        """Stop the server (``smart``, ``fast`` or ``immediate``); with ``cleanup`` remove its folder too."""
        if mode not in _STOP_MODES:
            raise ValueError(f"stop mode must be one of {_STOP_MODES}, not {mode!r}")
        if self._running:
            result = self._pg_ctl("stop", "-m", mode)
            self._running = False
            if result.returncode != 0:
                raise PostgresError(f"pg_ctl stop failed: {result.stdout}{result.stderr}{self._log_tail()}")
        if cleanup and self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None
            self.port = None
            atexit.unregister(self._at_exit)

    def restart(self, mode: str = "fast") -> None:
        """Stop (``fast`` or ``immediate``, which means crash recovery on start) and start on the same port."""
        self.stop(mode, cleanup=False)
        self.start()

    # -- databases -------------------------------------------------------------------------------

    def create_database(self, name: str) -> str:
        """Create an empty database ``name`` (lower-case identifier) and return its DSN."""
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self._checked(name))))
        return self.dsn(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists, ending any connections still open to it."""
        self._execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self._checked(name))))

    # -- internals -------------------------------------------------------------------------------

    @staticmethod
    def _checked(name: str) -> str:
        if not _NAME.fullmatch(name):
            raise ValueError(f"database name must be a lower-case identifier, not {name!r}")
        return name

    def _execute(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.dsn("postgres"), autocommit=True, connect_timeout=10) as connection:
            connection.execute(statement)

    def _init_cluster(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="salon-pg-"))
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
        os.chmod(self.base, 0o700)
        result = self._run(str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", self.user,
                           "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
        if result.returncode != 0:
            raise PostgresError(f"initdb failed: {result.stdout}{result.stderr}")
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write(f"\n# private test server\nlisten_addresses = '{self.host}'\n"
                       f"unix_socket_directories = '{self.base}'\n"
                       "fsync = off\nfull_page_writes = off\n"
                       "shared_buffers = 32MB\nmax_wal_size = 256MB\n")

    def _pg_ctl(self, action: str, *args: str) -> subprocess.CompletedProcess:
        return self._run(str(self.bin_dir / "pg_ctl"), action, "-D", str(self.data_dir), "-w", "-t", "60", *args)

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        prefix = ["/usr/sbin/runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        return subprocess.run([*prefix, *command], cwd=self.base, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, check=False)

    def _wait_until_accepting(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2) as connection:
                    connection.execute("SELECT 1")
                return
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline:
                    raise PostgresError(f"server does not accept connections: {error}{self._log_tail()}") from error
                time.sleep(0.05)

    def _log_tail(self, lines: int = 30) -> str:
        try:
            tail = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except (OSError, TypeError):
            return ""
        return "\n--- postgres.log (tail) ---\n" + "\n".join(tail)

    def _at_exit(self) -> None:
        try:
            self.stop("immediate")
        except PostgresError:
            pass
