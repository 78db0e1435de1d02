"""The box's sync agent: sends the change log up, applies what comes down (SY1-SY3).

A separate process (`salon-box sync`, systemd unit salon-box-sync): the web
app never waits for the network. Each pass of the loop reads the cloud's
answers, applies head office's changes, and publishes the next batches of
the change log within the stream window, paced so a box back from days
offline catches up without flooding the broker.
"""
import logging
import time

from appliance.version import SOFTWARE_VERSION
from appliance.services import online_requests, sync_inbox, sync_outbox
from appliance.storage.models.base import SCHEMA_VERSION
from appliance.storage.statements import first_row
from sync.messages import (
    MessageError, ack_message, box_of, changes_envelope, decode, encode, resend_message, text_batches, topic,
)
from sync.stream import Receiver, Sender
from sync.transport import LinkError, LinkSettings

log = logging.getLogger(__name__)


def link_settings(config: dict) -> LinkSettings:
    """The broker link of this box from its configuration (SYNC_* settings)."""
    box = config["SYNC_BOX_ID"]
    offline = encode({"v": 1, "kind": "status", "online": False})
    return LinkSettings(host=config["SYNC_BROKER_HOST"], port=int(config["SYNC_BROKER_PORT"]), client_id=box,
                        username=box, password=config.get("SYNC_PASSWORD"), ca_file=config.get("SYNC_CA_FILE"),
                        subscriptions=(topic(box, "ack"), topic(box, "down")),
                        will=(topic(box, "status"), offline))


class BoxSyncAgent:
    """One box's end of both streams over an MQTT link (anything with connect/publish/receive/close)."""

    def __init__(self, link, box_id: str, batch_max: int = 500, pace_per_s: float = 5000.0,
                 window: int = 5000, ack_timeout_s: float = 10.0, clock=time.monotonic):
        self.link, self.box_id, self.batch_max, self.pace_per_s = link, box_id, batch_max, pace_per_s
        self.clock = clock
        state = sync_outbox.sync_state()
        self.sender = Sender(acked=state.up_acked, sent=state.up_acked, window=window, timeout=ack_timeout_s)
        self.receiver = Receiver(applied=state.down_applied)
        self._budget, self._budget_at = float(batch_max), clock()
        self._was_connected = False

    def run(self, stop) -> None:
        """Loop until ``stop`` (a threading.Event) is set; no error ends it (the state is in the database)."""
        while not stop.is_set():
            try:
                self.step()
            except LinkError as exc:
                self._link_lost(str(exc))
                stop.wait(1.0)
            except Exception as exc:  # noqa: BLE001 - a sync agent that dies stops the salon's sync
                log.exception("sync agent step failed")
                self._restart_from_database(f"{type(exc).__name__}: {exc}")
                stop.wait(1.0)
        self.link.close()

    def _restart_from_database(self, error: str) -> None:
        """Pick up again from what the database says was acked and applied."""
        try:
            sync_outbox.record_link(self.link.connected, error)
            state = sync_outbox.sync_state()
            self.sender.acked = self.sender.sent = state.up_acked
            self.receiver.applied = state.down_applied
        except Exception:  # noqa: BLE001 - the database itself may be what failed; try again next pass
            log.exception("could not read the sync state")

    def step(self, wait: float = 0.02) -> None:
        """One pass: connect if needed, take in what arrived, send what is due."""
        if not self.link.connected:
            self.link.connect(timeout=10)
        if not self._was_connected:
            self._came_online()
        message = self.link.receive(timeout=wait)
        while message is not None:
            self._handle(*message)
            message = self.link.receive(timeout=0)
        self._send_due()

    # -- incoming -------------------------------------------------------------------------------
    def _handle(self, topic_name: str, raw: bytes) -> None:
        try:
            _, channel = box_of(topic_name)
            message = decode(raw, max_bytes=self.link.max_payload + 1024)
        except MessageError as exc:
            sync_outbox.record_link(True, f"a message from the cloud was refused: {exc}")
            return
        now = self.clock()
        if channel == "ack" and message["kind"] == "ack":
            self._acked(message["upto"], now)
        elif channel == "ack" and message["kind"] == "resend":
            self.sender.on_resend(message["from"], message["upto"], now)
        elif channel == "down" and message["kind"] == "changes":
            self._down(message)

    def _acked(self, upto: int, now: float) -> None:
        newest = sync_outbox.last_seq()
        if upto > newest:
            # The cloud has applied more than this box ever wrote: the box was restored from an
            # older backup. Nothing is marked; an operator has to look (PL7).
            sync_outbox.record_link(True, f"the cloud acked seq {upto}, beyond this box's last {newest}")
            return
        if self.sender.on_ack(upto, now):
            sync_outbox.record_ack(upto)

    def _down(self, message: dict) -> None:
        verdict = self.receiver.judge(message["first"], message["last"])
        if verdict.action == "gap":
            self.link.publish(topic(self.box_id, "down-ack"), encode(resend_message(verdict.missing_from,
                                                                                    self.receiver.applied)))
            return
        if verdict.action == "apply":
            applied, _ = sync_inbox.apply_down(message["changes"][verdict.skip:], message["last"])
            self.receiver.applied = applied
            online_requests.decide_tentative()
        self.link.publish(topic(self.box_id, "down-ack"), encode(ack_message(self.receiver.applied)))

    # -- outgoing -------------------------------------------------------------------------------
    def _send_due(self) -> None:
        now = self.clock()
        self._budget = min(float(self.batch_max) * 4,
                           self._budget + (now - self._budget_at) * self.pace_per_s)
        self._budget_at = now
        start = self.sender.next_from(now)
        if start is None or self._budget < 1:
            return
        limit = int(min(self.sender.room(), self._budget, self.batch_max * 4))
        changes = sync_outbox.pending_texts(start - 1, limit)
        if not changes:
            return
        salon = self._salon_id()
        for run in text_batches(changes, self.link.max_payload, self.batch_max):
            payload = changes_envelope(self.box_id, salon, run, SOFTWARE_VERSION)
            self.link.publish(topic(self.box_id, "up"), payload)
            self.sender.on_sent(run[-1][0], self.clock())
            log.debug("sent %d..%d (%d bytes)", run[0][0], run[-1][0], len(payload))
            self._budget -= len(run)

    def _salon_id(self) -> str | None:
        from appliance.storage.models.catalogue import Salon

        salon = first_row(Salon, "created_at")
        return salon.id if salon else None

    # -- link state -----------------------------------------------------------------------------
    def _came_online(self) -> None:
        self._was_connected = True
        sync_outbox.record_link(True)
        status = sync_outbox.sync_status()
        self.link.publish(topic(self.box_id, "status"), encode({
            "v": 1, "kind": "status", "online": True, "software": SOFTWARE_VERSION, "schema": SCHEMA_VERSION,
            "backlog": status["backlog"], "last_seq": status["last_seq"], "down_applied": status["down_applied"]}),
            retain=True)
        # Whatever was in flight before the link dropped may be lost: go back to the last ack.
        self.sender.sent = self.sender.acked

    def _link_lost(self, error: str) -> None:
        if self._was_connected or error:
            log.warning("sync link: %s", error)
        self._was_connected = False
        sync_outbox.record_link(False, error)
