"""``PcscCardReaders`` and ``read_uid`` straight on a private pcscd, without the listener's thread."""
import logging
import time

import pytest
from smartcard import scard

from hardware.card_events import REMOVED, TAP, CardEvent
from hardware.card_reader import CardReadError, CardReadersUnavailable
from hardware.pcsc_reader import PcscCardReaders, read_uid

UID = bytes.fromhex("04112233445566")


@pytest.fixture
def readers():
    """A reader stack, closed at the end."""
    stack = PcscCardReaders()
    yield stack
    stack.close()


def next_events(readers, count, timeout=5.0):
    """The next ``count`` events, failing after ``timeout`` seconds."""
    events, deadline = [], time.monotonic() + timeout
    while len(events) < count:
        assert time.monotonic() < deadline, f"only {events}"
        event = readers.next_event(0.1)
        if event is not None:
            events.append(event)
    return events


def quiet_for(readers, seconds):
    """Every event within ``seconds`` (expected: none)."""
    events, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        event = readers.next_event(0.1)
        if event is not None:
            events.append(event)
    return events


def test_the_readers_of_the_private_pcscd_are_listed(pcscd, readers):
    assert readers.readers() == pcscd.reader_names


def test_no_pcscd_is_unavailable_not_a_crash(private_pcscd, readers):
    with pytest.raises(CardReadersUnavailable, match="Service not available"):
        readers.readers()
    with pytest.raises(CardReadersUnavailable):
        readers.next_event(0.1)
    private_pcscd.start()
    assert readers.readers() == private_pcscd.reader_names


def test_a_card_is_a_tap_then_a_removal_carrying_its_uid(pcscd, virtual_card, readers):
    reader = pcscd.reader_names[0]
    assert quiet_for(readers, 0.3) == []
    card = virtual_card(pcscd.ports[0], UID).present()
    assert next_events(readers, 1) == [CardEvent(reader, TAP, UID)]
    assert quiet_for(readers, 1.0) == []
    card.remove()
    assert next_events(readers, 1) == [CardEvent(reader, REMOVED, UID)]
    assert card.apdus == [bytes.fromhex("FFCA000000")]


def test_a_card_taken_away_and_back_between_two_looks_is_a_second_tap(pcscd, virtual_card, readers):
    reader = pcscd.reader_names[0]
    card = virtual_card(pcscd.ports[0], UID).present()
    assert next_events(readers, 1) == [CardEvent(reader, TAP, UID)]
    card.remove()
    time.sleep(1.0)  # pcscd sees the removal (it polls every 400 ms) while nobody looks
    card.present()
    time.sleep(1.0)
    # pcscd's event counter went up twice: the same card, present both times, was away in between.
    assert next_events(readers, 2) == [CardEvent(reader, REMOVED, UID), CardEvent(reader, TAP, UID)]


def test_a_card_swapped_between_two_looks_is_a_removal_and_a_tap(pcscd, virtual_card, readers):
    reader = pcscd.reader_names[1]
    first = virtual_card(pcscd.ports[1], UID).present()
    assert next_events(readers, 1) == [CardEvent(reader, TAP, UID)]
    first.remove()
    time.sleep(1.0)
    virtual_card(pcscd.ports[1], b"\x01\x02\x03\x04").present()
    time.sleep(1.0)
    assert next_events(readers, 2) == [CardEvent(reader, REMOVED, UID),
                                       CardEvent(reader, TAP, b"\x01\x02\x03\x04")]


def test_a_card_without_a_uid_is_a_card_read_error(pcscd, virtual_card):
    virtual_card(pcscd.ports[0], None).present()
    code, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert code == scard.SCARD_S_SUCCESS
    try:
        code, states = scard.SCardGetStatusChange(context, 3000,
                                                  [(pcscd.reader_names[0], scard.SCARD_STATE_EMPTY)])
        assert states[0][1] & scard.SCARD_STATE_PRESENT
        with pytest.raises(CardReadError, match="answered 6A81, not 9000"):
            read_uid(context, pcscd.reader_names[0])
        with pytest.raises(CardReadError, match="connect to 'Virtual PCD 00 01' failed"):
            read_uid(context, pcscd.reader_names[1])  # no card there
    finally:
        scard.SCardReleaseContext(context)


def test_a_restarted_pcscd_is_found_again_by_the_same_instance(pcscd, virtual_card, readers, caplog):
    card = virtual_card(pcscd.ports[0], UID).present()
    assert next_events(readers, 1)[0].kind == TAP
    pcscd.stop(kill=True)
    with pytest.raises(CardReadersUnavailable):
        for _ in range(20):
            readers.next_event(0.1)
    card.remove()
    pcscd.start()
    with caplog.at_level(logging.INFO, logger="hardware"):
        # The card went with the old daemon: its removal comes first, then the new presentation.
        assert next_events(readers, 1) == [CardEvent(pcscd.reader_names[0], REMOVED, UID)]
        card.present()
        assert next_events(readers, 1) == [CardEvent(pcscd.reader_names[0], TAP, UID)]
    assert "card presented on Virtual PCD 00 00" in caplog.text
