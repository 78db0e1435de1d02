"""A private Mosquitto broker for the tests: Debian's ``/usr/sbin/mosquitto`` on a free 127.0.0.1 port.

Every broker runs from a configuration text: either one generated from the constructor's options or
a given one (the production ``cloud/broker/mosquitto.conf``). Either way the text is *localised*:
its one listener moves to a free port on 127.0.0.1, and every file it names (certificates, password
file, ACL file, persistence folder, log, pid file) moves into the broker's temporary folder, so a
test never touches the system's broker or ``/etc/mosquitto``. Under root mosquitto drops to the
``mosquitto`` user, so the folder is handed to that user before the start.
"""
import atexit
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from tests.infra.certs import TlsFiles
from tests.live_server import free_port

MOSQUITTO = "/usr/sbin/mosquitto"
MOSQUITTO_PASSWD = "/usr/bin/mosquitto_passwd"
DYNAMIC_SECURITY = next(iter(sorted(glob.glob("/usr/lib/*/mosquitto_dynamic_security.so"))),
                        "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so")
_REFUSED = {"port", "bind_address", "include_dir", "capath"}


class MosquittoError(RuntimeError):
    """The broker would not start or stop; the message ends with the tail of its log."""


def generated_config(*, tls: bool = False, allow_anonymous: bool = True, password_file: bool = False,
                     acl_file: bool = False, dynamic_security: bool = False, persistence: bool = True,
                     max_packet_size: int | None = None) -> str:
    """A configuration text for the given options (paths are placeholders until localised)."""
    lines = ["listener 1883"]
    if tls:
        lines += ["cafile ca.crt", "certfile server.crt", "keyfile server.key"]
    lines.append(f"allow_anonymous {'true' if allow_anonymous else 'false'}")
    if password_file:
        lines.append("password_file passwd")
    if acl_file:
        lines.append("acl_file acl")
    if dynamic_security:
        lines += [f"plugin {DYNAMIC_SECURITY}", "plugin_opt_config_file dynamic-security.json"]
    lines.append(f"persistence {'true' if persistence else 'false'}")
    lines.append("persistence_location persistence/")
    lines.append("set_tcp_nodelay true")
    if max_packet_size is not None:
        lines.append(f"max_packet_size {max_packet_size}")
    return "\n".join(lines) + "\n"


class PrivateMosquitto:
    """One mosquitto process and its folder: ``start()``, ``restart()``, ``reload()``, ``kill()``, ``stop()``."""

    host = "127.0.0.1"

    def __init__(self, config: str | None = None, *, tls: TlsFiles | None = None, allow_anonymous: bool = True,
                 users: Mapping[str, str] | None = None, acl: str | None = None,
                 dynamic_security: dict | None = None, persistence: bool = True,
                 max_packet_size: int | None = None):
        """Without ``config``, one is generated from the options; with it, the options that are settings
        (``allow_anonymous``, ``persistence``, ``max_packet_size``) are ignored and the others supply the
        files the text names: ``tls`` the certificates, ``users`` (name → password) the password file
        (made with mosquitto_passwd), ``acl`` the ACL file's text, ``dynamic_security`` the first content
        of the dynamic-security plugin's JSON file (the plugin rewrites it as clients are changed)."""
        if config is None:
            config = generated_config(tls=tls is not None, allow_anonymous=allow_anonymous,
                                      password_file=users is not None, acl_file=acl is not None,
                                      dynamic_security=dynamic_security is not None,
                                      persistence=persistence, max_packet_size=max_packet_size)
        self.source_config = config
        self.tls = tls
        self.users = dict(users or {})
        self.acl = acl
        self.dynamic_security = dynamic_security
        self.port: int | None = None
        self.directory: Path | None = None
        self._process: subprocess.Popen | None = None
        self._stderr = None

    # -- paths -----------------------------------------------------------------------------------

    def path(self, name: str) -> Path:
        """A file in the broker's folder (``mosquitto.log``, ``passwd``, ``acl``, ``mosquitto.pid`` …)."""
        return self.directory / name

    @property
    def password_file(self) -> Path:
        """The broker's password file (as read on start and on ``reload()``)."""
        return self.path("passwd")

    @property
    def pid_file(self) -> Path:
        """The pid file the broker writes."""
        return self.path("mosquitto.pid")

    @property
    def ca_cert(self) -> Path | None:
        """The CA certificate clients should trust, for a TLS broker."""
        return self.tls.ca_cert if self.tls else None

    @property
    def running(self) -> bool:
        """Whether the broker process is alive."""
        return self._process is not None and self._process.poll() is None

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> "PrivateMosquitto":
        """Start the broker (preparing its folder the first time); return once the port accepts."""
        if self.running:
            return self
        first = self.directory is None
        if first:
            self._prepare()
            atexit.register(self._at_exit)
        for attempt in range(3 if first else 1):
            if first:
                self.port = free_port()
                self.path("mosquitto.conf").write_text(self._localised())
            if self._launch():
                return self
            if not (first and "Address already in use" in self._log_tail()):
                break
        raise MosquittoError(f"mosquitto did not start on port {self.port}{self._log_tail()}")

    def stop(self, cleanup: bool = True) -> None:
        """Stop the broker with SIGTERM (it saves its persistence file); ``cleanup`` removes its folder."""
        if self.running:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._close_stderr()
        if cleanup and self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
            atexit.unregister(self._at_exit)

    def kill(self) -> None:
        """SIGKILL the broker, as a crash: nothing is saved; ``start()`` brings it back on the same port."""
        if self.running:
            self._process.kill()
            self._process.wait()
        self._close_stderr()

    def restart(self) -> None:
        """Stop (saving persistence) and start again on the same port with the same folder."""
        self.stop(cleanup=False)
        self.start()

    def reload(self, timeout: float = 5.0) -> None:
        """SIGHUP: the broker re-reads its configuration, password and ACL files; waits until it has."""
        before = self._log_text().count("Reloading config.")
        self._process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while self._log_text().count("Reloading config.") <= before:
            if time.monotonic() > deadline:
                raise MosquittoError(f"mosquitto did not reload{self._log_tail()}")
            time.sleep(0.01)
        time.sleep(0.05)  # the checks of connected clients follow the log line in the same loop turn

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the broker's log (and of its stderr)."""
        return self._log_tail(lines)

    # -- internals -------------------------------------------------------------------------------

    def _prepare(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="salon-mqtt-"))
        (self.directory / "persistence").mkdir()
        if self.tls:
            for name, source in (("ca.crt", self.tls.ca_cert), ("server.crt", self.tls.server_cert),
                                 ("server.key", self.tls.server_key)):
                shutil.copyfile(source, self.path(name))
        self.password_file.touch()
        for number, (user, password) in enumerate(self.users.items()):
            subprocess.run([MOSQUITTO_PASSWD, *(["-c"] if number == 0 else []), "-b", str(self.password_file),
                            user, password], check=True, capture_output=True)
        self.path("acl").write_text(self.acl or "")
        if self.dynamic_security is not None:
            self.path("dynamic-security.json").write_text(json.dumps(self.dynamic_security, indent=1))
        if os.geteuid() == 0:
            owner = pwd.getpwnam("mosquitto")
            for path in [self.directory, *self.directory.rglob("*")]:
                os.chown(path, owner.pw_uid, owner.pw_gid)

    def _localised(self) -> str:
        files = {"password_file": "passwd", "acl_file": "acl", "cafile": "ca.crt", "certfile": "server.crt",
                 "keyfile": "server.key", "plugin_opt_config_file": "dynamic-security.json"}
        lines, listeners = [], 0
        for line in self.source_config.splitlines():
            words = line.split()
            key = words[0] if words and not words[0].startswith("#") else ""
            if key in _REFUSED:
                raise ValueError(f"a private broker cannot use {key!r} (line {line!r})")
            if key == "listener":
                listeners += 1
                line = f"listener {self.port} {self.host}"
            elif key in files:
                if key in ("cafile", "certfile", "keyfile") and not self.tls:
                    raise ValueError(f"the configuration names {key} but no TLS files were given")
                if key == "plugin_opt_config_file" and self.dynamic_security is None:
                    raise ValueError("the configuration uses dynamic security but no dynamic_security was given")
                line = f"{key} {self.path(files[key])}"
            elif key == "plugin" and words[-1].endswith("/mosquitto_dynamic_security.so"):
                line = f"plugin {DYNAMIC_SECURITY}"  # this machine's multiarch folder
            elif key == "persistence_location":
                line = f"persistence_location {self.path('persistence')}"
            elif key in ("log_dest", "pid_file"):
                continue
            lines.append(line)
        if listeners != 1:
            raise ValueError(f"a private broker needs exactly one listener, the configuration has {listeners}")
        lines += [f"pid_file {self.pid_file}", f"log_dest file {self.path('mosquitto.log')}", "log_type all"]
        return "\n".join(lines) + "\n"

    def _launch(self, timeout: float = 5.0) -> bool:
        self._close_stderr()
        self._stderr = open(self.path("stderr.log"), "ab")
        self._process = subprocess.Popen([MOSQUITTO, "-c", str(self.path("mosquitto.conf"))], cwd=self.directory,
                                         stdin=subprocess.DEVNULL, stdout=self._stderr, stderr=self._stderr)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.005)
        self.kill()
        return False

    def _close_stderr(self) -> None:
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _log_text(self) -> str:
        try:
            return self.path("mosquitto.log").read_text(errors="replace")
        except (OSError, TypeError):
            return ""

    def _log_tail(self, lines: int = 40) -> str:
        tail = "\n".join(self._log_text().splitlines()[-lines:])
        try:
            stderr = self.path("stderr.log").read_text(errors="replace").strip()
        except (OSError, TypeError):
            stderr = ""
        return f"\n--- mosquitto.log (tail) ---\n{tail}" + (f"\n--- stderr ---\n{stderr}" if stderr else "")

    def _at_exit(self) -> None:
        self.stop()
