"""The tap listener on a real (private) pcscd with virtual cards: one tap per presentation, several
readers, and a loop that outlives pcscd stopping, crashing, or starting late."""
import logging
import threading
import time

import pytest

from hardware.card_reader import NO_READERS, READY, UNAVAILABLE
from hardware.tap_listener import TapListener
from tests.infra.pcsc import PrivatePcscd

UID = bytes.fromhex("04A1B2C3D4E5F6")
OTHER_UID = bytes.fromhex("DEADBEEF")


def test_a_card_left_on_the_reader_taps_once_and_again_after_being_taken_away(pcscd, virtual_card, recorder,
                                                                               listen):
    listen()
    assert recorder.wait_state(READY) == pcscd.reader_names
    card = virtual_card(pcscd.ports[0], UID).present()
    assert recorder.wait_taps(1) == [(pcscd.reader_names[0], UID)]

    time.sleep(1.5)  # left on the reader: pcscd keeps polling it, the listener keeps waiting
    assert len(recorder.taps) == 1

    card.remove()
    time.sleep(0.8)  # pcscd polls card presence every 400 ms
    assert len(recorder.taps) == 1
    card.present()
    assert recorder.wait_taps(2) == [(pcscd.reader_names[0], UID)] * 2
    time.sleep(0.5)
    assert len(recorder.taps) == 2


def test_taps_on_two_readers_carry_their_reader_names(pcscd, virtual_card, recorder, listen):
    listen()
    recorder.wait_state(READY)
    first, second = pcscd.reader_names
    virtual_card(pcscd.ports[0], UID).present()
    virtual_card(pcscd.ports[1], OTHER_UID).present()
    assert sorted(recorder.wait_taps(2)) == sorted([(first, UID), (second, OTHER_UID)])
    time.sleep(0.5)
    assert len(recorder.taps) == 2


@pytest.mark.parametrize("how", ["restart", "crash"])
def test_the_listener_outlives_pcscd_going_away(how, pcscd, virtual_card, recorder, listen):
    listener = listen()
    card = virtual_card(pcscd.ports[0], UID).present()
    recorder.wait_taps(1)
    before = len(recorder.reports)
    if how == "restart":
        pcscd.stop()  # SIGTERM, as systemctl restart does
    else:
        pcscd.stop(kill=True)
    assert recorder.wait_state(UNAVAILABLE, after=before) == []
    card.remove()  # vpcd hung up on it with the daemon
    time.sleep(0.3)  # a few failed passes while it is down
    pcscd.start()
    assert recorder.wait_state(READY, after=before) == pcscd.reader_names
    card.present()
    assert recorder.wait_taps(2) == [(pcscd.reader_names[0], UID)] * 2
    assert listener.running


def test_the_listener_waits_for_a_pcscd_that_is_not_running_yet(private_pcscd, virtual_card, recorder, listen):
    listen()
    assert recorder.wait_state(UNAVAILABLE) == []
    time.sleep(0.5)
    assert recorder.taps == []
    private_pcscd.start()
    assert recorder.wait_state(READY) == private_pcscd.reader_names
    virtual_card(private_pcscd.ports[1], UID).present()
    assert recorder.wait_taps(1) == [(private_pcscd.reader_names[1], UID)]


def test_an_unreadable_card_is_no_tap_and_the_next_card_is(pcscd, virtual_card, recorder, listen, caplog):
    listen()
    recorder.wait_state(READY)
    with caplog.at_level(logging.WARNING, logger="hardware"):
        unreadable = virtual_card(pcscd.ports[0], None).present()
        deadline = time.monotonic() + 5
        while "could not be read" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
    assert f"card on {pcscd.reader_names[0]} could not be read" in caplog.text
    assert "6A81" in caplog.text
    unreadable.remove()
    virtual_card(pcscd.ports[0], UID).present()
    assert recorder.wait_taps(1) == [(pcscd.reader_names[0], UID)]


def test_uids_are_never_logged_even_by_a_failing_callback(pcscd, virtual_card, caplog):
    delivered = threading.Event()

    def on_tap(reader, uid):
        delivered.set()
        raise ValueError(f"unknown card {uid.hex()} {uid!r}")

    listener = TapListener(on_tap, poll_interval=0.1)
    with caplog.at_level(logging.DEBUG):
        listener.start()
        card = virtual_card(pcscd.ports[0], UID).present()
        assert delivered.wait(5)
        card.remove()
        time.sleep(0.8)
        listener.stop()
    text = caplog.text
    assert f"card presented on {pcscd.reader_names[0]}" in text
    assert "on_tap failed for a card on" in text and "ValueError" in text
    for form in (UID.hex(), UID.hex().upper(), repr(UID), UID.hex(" "), UID.hex(" ").upper()):
        assert form not in text


def test_the_listener_starts_only_when_asked_and_stops_promptly(pcscd, recorder):
    listener = TapListener(recorder.on_tap, recorder.on_readers, poll_interval=0.2)
    time.sleep(0.3)
    assert not listener.running and recorder.reports == []
    listener.start()
    recorder.wait_state(READY)
    started = time.monotonic()
    listener.stop()
    assert time.monotonic() - started < 1.0
    assert not listener.running
    assert not any(thread.name == "tap-listener" for thread in threading.enumerate())


def test_a_pcscd_without_readers_is_reported_as_such(pcsc_base, recorder, listen):
    daemon = PrivatePcscd(pcsc_base, reader=False).start()
    try:
        listen()
        assert recorder.wait_state(NO_READERS) == []
    finally:
        daemon.stop(kill=True)
