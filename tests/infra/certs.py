"""A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, made with openssl.

The files are made by Debian's ``openssl`` command line, with a configuration file of our own so the
system's ``openssl.cnf`` cannot change what comes out. Keys are P-256 EC keys (fast to make); the
certificates are valid for two days.
"""
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

OPENSSL = "/usr/bin/openssl"

_CONFIG = """\
[req]
distinguished_name = subject
prompt = no

[subject]
CN = placeholder

[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


@dataclass(frozen=True)
class TlsFiles:
    """Paths of a CA certificate and the server certificate and key it signed (all PEM)."""

    ca_cert: Path
    server_cert: Path
    server_key: Path


def _openssl(*args: str, cwd: Path) -> None:
    result = subprocess.run([OPENSSL, *args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed ({result.returncode}): {result.stderr.strip()}")


def _new_key(path: Path, cwd: Path) -> None:
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(path), cwd=cwd)


def make_certificates(directory: Path, *, days: int = 2) -> TlsFiles:
    """Make ``ca.crt``, ``server.crt`` and ``server.key`` in ``directory`` (created if missing).

    The server certificate names ``IP:127.0.0.1`` and ``DNS:localhost``, so a client that checks the
    host name (paho-mqtt does by default) accepts it when it trusts ``ca.crt``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "openssl.cnf"
    config.write_text(_CONFIG)
    files = TlsFiles(directory / "ca.crt", directory / "server.crt", directory / "server.key")
    ca_key = directory / "ca.key"
    _new_key(ca_key, directory)
    _openssl("req", "-config", str(config), "-new", "-x509", "-key", str(ca_key), "-subj", "/CN=Salon test CA",
             "-extensions", "ca", "-days", str(days), "-set_serial", f"0x{secrets.token_hex(8)}",
             "-out", str(files.ca_cert), cwd=directory)
    _new_key(files.server_key, directory)
    request = directory / "server.csr"
    _openssl("req", "-config", str(config), "-new", "-key", str(files.server_key), "-subj", "/CN=localhost",
             "-out", str(request), cwd=directory)
    _openssl("x509", "-req", "-in", str(request), "-CA", str(files.ca_cert), "-CAkey", str(ca_key),
             "-set_serial", f"0x{secrets.token_hex(8)}", "-days", str(days),
             "-extfile", str(config), "-extensions", "server", "-out", str(files.server_cert), cwd=directory)
    return files
