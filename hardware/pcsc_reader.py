"""PC/SC card readers through pcscd (pyscard's ``smartcard.scard``), behind ``CardReaders``.

Each pass lists the readers and waits in ``SCardGetStatusChange`` for a change on any of them (or
on the ``\\\\?PnP?\\Notification`` pseudo-reader, which pcscd signals when readers come and go); a
card that arrived is read with the contactless GET DATA command and the observations go through
``TapTracker``. pyscard's ``CardMonitor`` is not used: its thread dies for good when pcscd
restarts. Here any error of the service drops the context, and the next call makes a fresh one, so
a restarted pcscd or a re-plugged reader is picked up without anyone noticing.

Not thread-safe: one thread (the listener's) owns an instance.
"""
import logging
from collections import deque

from smartcard import scard

from hardware.card_events import CardEvent, Observation, TapTracker
from hardware.card_reader import CardReadError, CardReadersUnavailable

log = logging.getLogger(__name__)

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"
GET_UID = [0xFF, 0xCA, 0x00, 0x00, 0x00]  # PC/SC part 3 GET DATA: the UID of the card in the field
_OK = scard.SCARD_S_SUCCESS
# Answers that say nothing is wrong with the service: a timeout, no reader yet, a reader that
# vanished between the listing and the wait (the next pass lists again).
_QUIET = {scard.SCARD_E_TIMEOUT, scard.SCARD_E_NO_READERS_AVAILABLE, scard.SCARD_E_UNKNOWN_READER}


def _message(code: int) -> str:
    try:
        return f"{scard.SCardGetErrorMessage(code)} (0x{code & 0xFFFFFFFF:08X})"
    except Exception:  # pyscard has no text for this code
        return f"0x{code & 0xFFFFFFFF:08X}"


def read_uid(context: int, reader: str) -> bytes:
    """The UID of the card on ``reader`` (GET DATA ``FF CA 00 00 00``); raises ``CardReadError``."""
    try:
        code, card, protocol = scard.SCardConnect(context, reader, scard.SCARD_SHARE_SHARED,
                                                  scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
    except Exception as error:  # pyscard's wrappers raise SystemError on some failures
        raise CardReadError(f"connect to {reader!r} failed: {type(error).__name__}") from None
    if code != _OK:
        raise CardReadError(f"connect to {reader!r} failed: {_message(code)}")
    try:
        try:
            code, response = scard.SCardTransmit(card, protocol, GET_UID)
        except Exception as error:
            raise CardReadError(f"GET DATA on {reader!r} failed: {type(error).__name__}") from None
        if code != _OK:
            raise CardReadError(f"GET DATA on {reader!r} failed: {_message(code)}")
        if len(response) < 2 or response[-2:] != [0x90, 0x00]:
            status = bytes(response[-2:]).hex().upper() or "nothing"
            raise CardReadError(f"GET DATA on {reader!r} answered {status}, not 9000")
        if len(response) == 2:
            raise CardReadError(f"GET DATA on {reader!r} answered an empty UID")
        return bytes(response[:-2])
    finally:
        try:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
        except Exception:
            pass  # the card or the service is already gone: nothing is held any more


class PcscCardReaders:
    """Every PC/SC reader pcscd knows; implements ``hardware.card_reader.CardReaders``."""

    def __init__(self) -> None:
        # Nothing talks to pcscd before the first call: constructing one is free and never fails.
        self._context: int | None = None
        self._states: dict[str, int] = {}  # reader → its last event state, the next wait's baseline
        self._pnp_state = scard.SCARD_STATE_UNAWARE
        self._tracker = TapTracker()
        self._pending: deque[CardEvent] = deque()

    def readers(self) -> list[str]:
        """The names of the readers connected now; raises ``CardReadersUnavailable``."""
        return self._list(self._connected())

    def next_event(self, timeout: float) -> CardEvent | None:
        """The next tap or removal, waiting at most ``timeout`` seconds; raises ``CardReadersUnavailable``."""
        if not self._pending:
            self._pending.extend(self._tracker.observe_all(self._look(max(0.0, timeout))))
        return self._pending.popleft() if self._pending else None

    def close(self) -> None:
        """Release the PC/SC context; the next call establishes a new one."""
        context, self._context = self._context, None
        self._states.clear()
        self._pnp_state = scard.SCARD_STATE_UNAWARE
        if context is not None:
            try:
                scard.SCardReleaseContext(context)
            except Exception:
                pass  # a context of a pcscd that is gone cannot be released, only forgotten

    # -- internals -------------------------------------------------------------------------------

    def _connected(self) -> int:
        if self._context is None:
            try:
                code, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            except Exception as error:
                raise CardReadersUnavailable(f"no PC/SC context: {type(error).__name__}") from None
            if code != _OK:
                raise CardReadersUnavailable(f"no PC/SC context: {_message(code)}")
            self._context = context
        return self._context

    def _fail(self, what: str, code: int) -> CardReadersUnavailable:
        # The context may be dead (pcscd restarted): a fresh one next time is the only safe way on.
        self.close()
        return CardReadersUnavailable(f"{what}: {_message(code)}")

    def _list(self, context: int) -> list[str]:
        try:
            code, names = scard.SCardListReaders(context, [])
        except Exception as error:
            self.close()
            raise CardReadersUnavailable(f"listing readers failed: {type(error).__name__}") from None
        if code == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if code != _OK:
            raise self._fail("listing readers failed", code)
        return list(names)

    def _look(self, timeout: float) -> list[Observation]:
        """Wait for a change, then what the readers hold: one observation, or two when a card was taken
        away and put back (or swapped) between two looks."""
        context = self._connected()
        names = self._list(context)
        waits = [(name, self._states.get(name, scard.SCARD_STATE_UNAWARE)) for name in names]
        waits.append((PNP_NOTIFICATION, self._pnp_state))
        try:
            code, results = scard.SCardGetStatusChange(context, int(timeout * 1000), waits)
        except Exception as error:
            self.close()
            raise CardReadersUnavailable(f"waiting for cards failed: {type(error).__name__}") from None
        if code not in _QUIET and code != _OK:
            raise self._fail("waiting for cards failed", code)
        if code != _OK:
            results = []  # nothing changed (or a reader vanished): the known cards stand
        cards = self._tracker.cards
        now: dict[str, bytes | None] = {name: cards.get(name) for name in names}
        between: dict[str, bytes | None] = {}
        for name, state, _atr in results:
            if name == PNP_NOTIFICATION:
                self._pnp_state = state & ~scard.SCARD_STATE_CHANGED
                continue
            if name not in now or not state & scard.SCARD_STATE_CHANGED:
                continue
            before = self._states.get(name)
            self._states[name] = state & ~scard.SCARD_STATE_CHANGED
            log.debug("%s: state %#x (was %s)", name, state, "unknown" if before is None else hex(before))
            if state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                now.pop(name)  # the reader went away while we waited
                continue
            now[name] = self._card_on(context, name, state)
            # The high word counts insertions and removals: present before and after with a
            # different count means the card left in between, so the second one is a new tap.
            if (before is not None and now[name] is not None and before & scard.SCARD_STATE_PRESENT
                    and (before >> 16) != (state >> 16)):
                between[name] = None
        for name in list(self._states):
            if name not in now:
                del self._states[name]
        if between:
            return [{**now, **between}, now]
        return [now]

    def _card_on(self, context: int, reader: str, state: int) -> bytes | None:
        if not state & scard.SCARD_STATE_PRESENT or state & scard.SCARD_STATE_MUTE:
            return None
        try:
            uid = read_uid(context, reader)
        except CardReadError as error:
            log.warning("card on %s could not be read: %s", reader, error)
            return None
        log.info("card presented on %s", reader)
        return uid
