"""A paho-mqtt 2.x MQTT v5 client for tests that records what the broker answers.

Every answer the broker gives (CONNACK, SUBACK, PUBACK reason codes, disconnections, messages) is
put on a queue by paho's network thread, and the test waits for it with a timeout. The client never
reconnects by itself (``reconnect_on_failure=False``): a test that wants to reconnect makes a new
client, so what happened to a connection is never hidden by paho's retries.
"""
import queue
import ssl
import threading
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

TIMEOUT = 5.0


class Outcome:
    """What became of one connection attempt: ``reason`` (a CONNACK reason code) or ``error`` (no CONNACK).

    With a CONNACK come ``session_present`` and its ``properties`` (e.g. ``MaximumPacketSize``).
    """

    def __init__(self, reason: ReasonCode | None = None, error: str | None = None,
                 session_present: bool = False, properties: Properties | None = None):
        self.reason = reason
        self.error = error
        self.session_present = session_present
        self.properties = properties

    @property
    def accepted(self) -> bool:
        """Whether the broker answered CONNACK with success."""
        return self.reason is not None and not self.reason.is_failure

    def __repr__(self) -> str:
        return f"Outcome(reason={self.reason!r}, error={self.error!r})"


class TestClient:
    """One MQTT v5 connection: ``connect()``, ``subscribe()``, ``publish()``, ``next_message()``, ``close()``."""

    __test__ = False  # not a pytest test class

    def __init__(self, port: int, client_id: str, *, username: str | None = None, password: str | None = None,
                 ca_cert: Path | None = None, host: str = "127.0.0.1"):
        self.host, self.port = host, port
        self.client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5,
                                  client_id=client_id, reconnect_on_failure=False)
        if username is not None:
            self.client.username_pw_set(username, password)
        if ca_cert is not None:
            self.client.tls_set(ca_certs=str(ca_cert), cert_reqs=ssl.CERT_REQUIRED)
        self.connects: queue.Queue[Outcome] = queue.Queue()
        self.disconnects: queue.Queue[ReasonCode] = queue.Queue()
        self.messages: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self._acks: dict[int, object] = {}
        self._acked = threading.Condition()
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = lambda _c, _u, message: self.messages.put(message)
        self.client.on_subscribe = lambda _c, _u, mid, reasons, _props: self._ack(mid, list(reasons))
        self.client.on_publish = lambda _c, _u, mid, reason, _props: self._ack(mid, reason)
        self._started = False
        self._connacked = False

    def connect(self, *, clean_start: bool = True, session_expiry: int = 0, timeout: float = TIMEOUT) -> Outcome:
        """Connect and wait for the CONNACK; ``session_expiry`` (seconds) > 0 keeps the session."""
        properties = Properties(PacketTypes.CONNECT)
        if session_expiry:
            properties.SessionExpiryInterval = session_expiry
        try:
            self.client.connect(self.host, self.port, keepalive=30, clean_start=clean_start, properties=properties)
        except (OSError, ssl.SSLError) as error:
            return Outcome(error=f"{type(error).__name__}: {error}")
        self.client.loop_start()
        self._started = True
        try:
            outcome = self.connects.get(timeout=timeout)
        except queue.Empty:
            return Outcome(error=f"no CONNACK within {timeout} s")
        if outcome.reason is None:  # put there by _on_disconnect: the connection ended before any CONNACK
            outcome.error = f"no CONNACK (disconnected: {self.wait_disconnected(0)})"
        return outcome

    def subscribe(self, topic: str, qos: int = 1, timeout: float = TIMEOUT) -> list[ReasonCode]:
        """Subscribe and return the SUBACK's reason codes (``Granted QoS 1``, ``Not authorized`` …)."""
        _, mid = self.client.subscribe(topic, qos)
        return self._wait_ack(mid, timeout)

    def publish(self, topic: str, payload: bytes | str, qos: int = 1, retain: bool = False,
                timeout: float = TIMEOUT) -> ReasonCode | None:
        """Publish; for QoS 1 return the PUBACK's reason code, or None if none came within ``timeout``."""
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        if qos == 0:
            return None
        try:
            return self._wait_ack(info.mid, timeout)
        except TimeoutError:
            return None

    def next_message(self, timeout: float = TIMEOUT) -> mqtt.MQTTMessage | None:
        """The next message received, or None if none arrives within ``timeout``."""
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None

    def wait_disconnected(self, timeout: float = TIMEOUT) -> ReasonCode | None:
        """The reason code of the connection's end, or None if it is still up after ``timeout``."""
        try:
            return self.disconnects.get(timeout=timeout)
        except queue.Empty:
            return None

    @property
    def connected(self) -> bool:
        """Whether paho still considers the connection up."""
        return self.client.is_connected()

    def close(self) -> None:
        """Disconnect (if still connected) and stop the network thread."""
        if self.client.is_connected():
            self.client.disconnect()
        if self._started:
            self.client.loop_stop()
            self._started = False

    def _on_connect(self, _client, _userdata, flags, reason: ReasonCode, properties) -> None:
        self._connacked = True
        self.connects.put(Outcome(reason, session_present=flags.session_present, properties=properties))

    def _on_disconnect(self, _client, _userdata, _flags, reason: ReasonCode, _properties) -> None:
        if not self._connacked:
            self.connects.put(Outcome())  # wakes connect() when the broker hangs up without a CONNACK
        self.disconnects.put(reason)

    def _ack(self, mid: int, answer: object) -> None:
        with self._acked:
            self._acks[mid] = answer
            self._acked.notify_all()

    def _wait_ack(self, mid: int, timeout: float):
        with self._acked:
            if not self._acked.wait_for(lambda: mid in self._acks, timeout):
                raise TimeoutError(f"no acknowledgement for message id {mid}")
            return self._acks.pop(mid)
