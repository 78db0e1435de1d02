"""Pytest fixtures for the card readers, registered by ``tests/conftest.py`` (``pytest_plugins``).

- ``private_pcscd``: a private pcscd (``tests.infra.pcsc``) for one test, configured but not
  started, for tests of a daemon that comes up late; it is SIGKILLed at the end if running.
- ``pcsc_base`` (session): the folder every private pcscd of the session lives in.
- ``pcscd``: the same, started: readers ``pcscd.reader_names`` on ports ``pcscd.ports``.
- ``virtual_card``: ``virtual_card(port, uid) -> VirtualCard`` (not yet presented); every card
  made is taken away at the end.

libpcsclite reads ``PCSCLITE_CSOCK_NAME`` once per process, at its first context, so the
variable is set here when pytest configures itself, before any test could touch PC/SC: every
PC/SC client in the test process (pyscard included) talks to the private daemon of the moment,
never to a system pcscd.
"""
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.infra.pcsc import SOCKET_ENV, PrivatePcscd, socket_path
from tests.infra.virtual_card import VirtualCard

_BASE = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """Choose this session's pcscd folder and point libpcsclite at its socket."""
    # Short path: a unix socket path must fit in 108 bytes.
    base = Path(tempfile.mkdtemp(prefix="salon-pcsc-"))
    config.stash[_BASE] = base
    os.environ[SOCKET_ENV] = str(socket_path(base))


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's pcscd folder."""
    base = config.stash.get(_BASE, None)
    if base is not None:
        shutil.rmtree(base, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed test that had a private pcscd gets the tail of its log in the report."""
    report = yield
    daemon = getattr(item, "funcargs", {}).get("private_pcscd")
    if report.failed and isinstance(daemon, PrivatePcscd):
        report.sections.append(("pcscd log", daemon.log_tail(60)))
    return report


@pytest.fixture(scope="session")
def pcsc_base(request: pytest.FixtureRequest) -> Path:
    """The session's pcscd folder, for a test that makes a ``PrivatePcscd`` of its own (one at a time)."""
    return request.config.stash[_BASE]


@pytest.fixture
def private_pcscd(pcsc_base: Path) -> Iterator[PrivatePcscd]:
    """A private pcscd with two virtual reader slots, not started yet."""
    daemon = PrivatePcscd(pcsc_base)
    try:
        yield daemon
    finally:
        daemon.stop(kill=True)  # a clean SIGTERM stop takes pcscd 1.5 s; nothing here needs one


@pytest.fixture
def pcscd(private_pcscd: PrivatePcscd) -> PrivatePcscd:
    """A started private pcscd: readers ``pcscd.reader_names`` on ports ``pcscd.ports``."""
    return private_pcscd.start()


@pytest.fixture
def virtual_card() -> Iterator[Callable[..., VirtualCard]]:
    """``virtual_card(port, uid, **options) -> VirtualCard``, to be presented by the test."""
    cards: list[VirtualCard] = []

    def make(port: int, uid: bytes | None, **options) -> VirtualCard:
        card = VirtualCard(port, uid, **options)
        cards.append(card)
        return card

    try:
        yield make
    finally:
        for card in cards:
            card.remove()
