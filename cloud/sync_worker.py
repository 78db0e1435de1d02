"""The cloud's sync worker: ingest from every box, answer with acks, publish the down streams (SY1-SY3).

Run as many as the load needs (`salon-cloud sync-worker`): they share the
boxes' up traffic through the MQTT 5 shared subscription
``$share/ingest/salons/+/up``, and PostgreSQL keeps each box's batches in
order (cloud.services.ingest). One of them at a time, the holder of an
advisory lock, also fans out and publishes what goes down.
"""
import logging
import time

from cloud.services import downstream
from cloud.services.ingest import ingest, record_status
from cloud.storage.database import database
from cloud.storage.models import Box
from sync.messages import MessageError, ack_message, batches, box_of, changes_message, decode, encode, resend_message
from sync.messages import topic as topic_of
from sync.stream import Sender
from sync.transport import LinkError, LinkSettings

log = logging.getLogger(__name__)
SUBSCRIPTIONS = ("$share/ingest/salons/+/up", "$share/ingest/salons/+/down-ack", "salons/+/status")


def link_settings(config: dict, worker_name: str) -> LinkSettings:
    """The broker link of one worker (its client id must be unique and stable)."""
    return LinkSettings(host=config["BROKER_HOST"], port=int(config["BROKER_PORT"]),
                        client_id=f"cloud-{worker_name}", username=config.get("BROKER_USERNAME"),
                        password=config.get("BROKER_PASSWORD"), ca_file=config.get("BROKER_CA_FILE"),
                        subscriptions=SUBSCRIPTIONS)


class CloudSyncWorker:
    """One worker's loop over an MQTT link (anything with connect/publish/receive/close)."""

    def __init__(self, link, down_batch: int = 500, window: int = 5000, ack_timeout_s: float = 10.0,
                 clock=time.monotonic):
        self.link, self.down_batch, self.window, self.ack_timeout_s = link, down_batch, window, ack_timeout_s
        self.clock = clock
        self.leader = False
        self.senders: dict[str, Sender] = {}

    def run(self, stop) -> None:
        """Loop until ``stop`` (a threading.Event) is set; neither the broker nor PostgreSQL going away ends it."""
        while not stop.is_set():
            try:
                self.step()
            except LinkError as exc:
                log.warning("broker link: %s", exc)
                stop.wait(1.0)
            except Exception:  # noqa: BLE001 - unacked batches come again; the worker must stay up
                log.exception("sync worker step failed")
                self._reset_database()
                stop.wait(1.0)
        self.link.close()

    def _reset_database(self) -> None:
        """Drop the connection (and with it the down publisher's lock); the next query reconnects."""
        self.leader = False
        self.senders.clear()
        try:
            if not database.is_closed():
                database.close()
        except Exception:  # noqa: BLE001 - a broken connection may fail to close
            log.exception("closing the database connection failed")

    def step(self, wait: float = 0.02) -> None:
        """One pass: take in what arrived, then (as leader) send what is due down."""
        if not self.link.connected:
            self.link.connect(timeout=10)
        message = self.link.receive(timeout=wait)
        handled = 0
        while message is not None:
            self.handle(*message)
            handled += 1
            message = self.link.receive(timeout=0) if handled < 200 else None
        began = time.perf_counter()
        if not self.leader:
            self.leader = downstream.try_lead()
        if self.leader:
            downstream.fan_out()
            self._send_down()
        spent = time.perf_counter() - began
        if spent > 0.5:
            log.warning("down work took %.0f ms: boxes waited that long for their acks", spent * 1000)

    def handle(self, topic_name: str, raw: bytes) -> None:
        """One message from a box."""
        try:
            box_id, channel = box_of(topic_name)
        except MessageError as exc:
            log.warning("ignored: %s", exc)
            return
        limit = self.link.max_payload + 1024
        if channel == "up":
            began = time.perf_counter()
            reply = ingest(box_id, topic_name, raw, limit)
            log.debug("%s: %s %d (%d applied) in %.1f ms", box_id, reply.kind, reply.upto, reply.applied,
                      (time.perf_counter() - began) * 1000)
            # Sent after the commit, without waiting for the broker's PUBACK: the next batch is applied
            # meanwhile; a box whose answer is lost sends its batch again after its ack timeout and is answered then.
            if reply.kind == "ack":
                self.link.publish(topic_of(box_id, "ack"), encode(ack_message(reply.upto)), wait=False)
            elif reply.kind == "resend":
                self.link.publish(topic_of(box_id, "ack"), encode(resend_message(reply.start, reply.upto)), wait=False)
        elif channel == "down-ack":
            self._down_ack(box_id, raw, limit)
        elif channel == "status":
            record_status(box_id, raw, limit)

    def _down_ack(self, box_id: str, raw: bytes, limit: int) -> None:
        try:
            message = decode(raw, limit)
        except MessageError as exc:
            log.warning("down-ack of %s refused: %s", box_id, exc)
            return
        downstream.record_down_ack(box_id, message["upto"])
        sender = self.senders.get(box_id)
        if sender is not None:
            if message["kind"] == "resend":
                sender.on_resend(message["from"], message["upto"], self.clock())
            else:
                sender.on_ack(message["upto"], self.clock())

    def _send_down(self) -> None:
        for box in Box.select().where((Box.status == "active") & (Box.down_seq > Box.down_acked)):
            sender = self.senders.get(box.id)
            if sender is None or sender.acked < box.down_acked:
                sender = self.senders[box.id] = Sender(acked=box.down_acked, sent=max(
                    box.down_acked, sender.sent if sender else 0), window=self.window, timeout=self.ack_timeout_s)
            start = sender.next_from(self.clock())
            if start is None or start > box.down_seq:
                continue
            changes = downstream.pending_down(box.id, start - 1, min(sender.room(), self.down_batch * 4))
            for run in batches(changes, self.link.max_payload, self.down_batch):
                self.link.publish(topic_of(box.id, "down"), encode(changes_message("cloud", box.salon_id, run)))
                sender.on_sent(run[-1]["seq"], self.clock())
