"""The MQTT link of a sync endpoint: paho-mqtt 2.x behind four methods, its errors turned into LinkError.

MQTT 5 with a stable client id and an explicit session expiry, so the
broker keeps subscriptions and queued QoS 1 messages across a reconnect.
A publish counts only once its PUBACK has come back with a success reason
code; even then the sender keeps the entry until the receiver's own ack
(sync.stream), because a broker's PUBACK says nothing about the database
behind the subscriber. Nothing waits in paho's own queue: publishing while
disconnected fails at once.
"""
import queue
import socket
import ssl
import threading
from dataclasses import dataclass

from paho.mqtt.client import CallbackAPIVersion, Client, MQTTv5
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

TOPIC_ALLOWANCE = 256  # bytes of a PUBLISH packet that are not payload: topic, properties, headers


def _no_delay(sock) -> None:
    # Each batch waits for its PUBACK: with Nagle's algorithm against delayed ACKs every
    # round trip could stall 40 ms.
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (AttributeError, OSError):
        pass  # not a TCP socket (a unix socket in tests), or already closed


class LinkError(Exception):
    """The broker could not be reached, refused us, or refused a message."""


@dataclass(frozen=True)
class LinkSettings:
    """Where and who: one broker, one client identity, what to subscribe to."""

    host: str
    port: int
    client_id: str
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None  # TLS when set
    subscriptions: tuple = ()  # topic filters, QoS 1
    session_expiry_s: int = 7 * 24 * 3600  # a box offline for a week still finds its session
    keepalive_s: int = 30
    max_packet_size: int = 256 * 1024
    will: tuple | None = None  # (topic, payload): published by the broker, retained, if we vanish


class MqttLink:
    """One connection to the broker, reconnecting by itself in paho's network thread."""

    def __init__(self, settings: LinkSettings):
        self.settings = settings
        self._client = Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=settings.client_id,
                              protocol=MQTTv5)
        if settings.username:
            self._client.username_pw_set(settings.username, settings.password)
        if settings.ca_file:
            self._client.tls_set(ca_certs=settings.ca_file, cert_reqs=ssl.CERT_REQUIRED,
                                 tls_version=ssl.PROTOCOL_TLS_CLIENT)
        if settings.will:
            self._client.will_set(settings.will[0], settings.will[1], qos=1, retain=True)
        self._client.reconnect_delay_set(min_delay=1, max_delay=30)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message
        self._client.on_publish = self._on_publish
        self._inbox: queue.Queue = queue.Queue()
        self._connected = threading.Event()
        self._lock = threading.Condition()
        self._acks: dict[int, int] = {}  # mid -> PUBACK reason code
        self._unawaited: set[int] = set()  # mids published without waiting: their PUBACKs are dropped
        self._refusal: str | None = None
        self._broker_max = settings.max_packet_size
        self._started = False

    # -- the four methods -------------------------------------------------------------------------
    def connect(self, timeout: float = 10.0) -> None:
        """Connect (or wait for paho's reconnect); LinkError if not connected within ``timeout``."""
        if not self._started:
            properties = Properties(PacketTypes.CONNECT)
            properties.SessionExpiryInterval = self.settings.session_expiry_s
            properties.MaximumPacketSize = self.settings.max_packet_size
            try:
                self._client.connect_async(self.settings.host, self.settings.port, self.settings.keepalive_s,
                                           clean_start=False, properties=properties)
            except (OSError, ValueError) as exc:
                raise LinkError(f"cannot connect to {self.settings.host}:{self.settings.port}: {exc}") from None
            self._client.loop_start()
            self._started = True
        if not self._connected.wait(timeout):
            raise LinkError(self._refusal or f"no connection to {self.settings.host}:{self.settings.port} "
                                              f"within {timeout:g} s")

    def publish(self, topic: str, payload: bytes, timeout: float = 10.0, retain: bool = False,
                wait: bool = True) -> None:
        """Publish with QoS 1 and wait for a successful PUBACK; LinkError otherwise.

        With ``wait=False`` it returns once paho has the message (still QoS 1: paho sends it again
        after a reconnect), for messages whose loss the other end recovers from by itself: the
        cloud's acks, which a box that misses one asks for again by resending.
        """
        if not self._connected.is_set():
            raise LinkError("not connected")
        if len(payload) + TOPIC_ALLOWANCE > self._broker_max:
            raise LinkError(f"payload of {len(payload)} bytes exceeds the packet limit {self._broker_max}")
        # paho is called without our lock held: its network thread holds paho's own locks while it
        # runs _on_publish, which takes ours; holding ours around paho's publish deadlocked the two.
        info = self._client.publish(topic, payload, qos=1, retain=retain)
        if info.rc != 0:
            raise LinkError(f"publish failed: {info.rc}")
        with self._lock:
            if not wait:
                if self._acks.pop(info.mid, None) is None:  # the PUBACK may have come already
                    self._unawaited.add(info.mid)
                return
            if not self._lock.wait_for(lambda: info.mid in self._acks or not self._connected.is_set(), timeout):
                raise LinkError(f"no PUBACK within {timeout:g} s")
            reason = self._acks.pop(info.mid, None)
        if reason is None:
            raise LinkError("disconnected before the PUBACK")
        if reason >= 0x80:
            raise LinkError(f"the broker refused the message (reason code {reason:#04x})")

    def receive(self, timeout: float) -> tuple[str, bytes] | None:
        """The next message of the subscriptions, or None after ``timeout`` seconds."""
        try:
            return self._inbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        """Disconnect and stop the network thread."""
        if self._started:
            self._client.disconnect()
            self._client.loop_stop()
            self._started = False
        self._connected.clear()

    # -- state -----------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        """Whether the link is up right now."""
        return self._connected.is_set()

    @property
    def max_payload(self) -> int:
        """The largest payload the broker takes from us (its CONNACK limit, or ours)."""
        return self._broker_max - TOPIC_ALLOWANCE

    # -- paho callbacks (network thread) ---------------------------------------------------------
    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            self._refusal = f"the broker refused the connection: {reason_code}"
            return
        self._refusal = None
        _no_delay(client.socket())
        broker_max = getattr(properties, "MaximumPacketSize", None) if properties else None
        if broker_max:
            self._broker_max = min(self.settings.max_packet_size, broker_max)
        for topic_filter in self.settings.subscriptions:
            client.subscribe(topic_filter, qos=1)
        self._connected.set()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self._connected.clear()
        with self._lock:
            self._acks.clear()  # nobody waits for these any more: the publishers were told
            self._lock.notify_all()

    def _on_message(self, client, userdata, message):
        self._inbox.put((message.topic, message.payload))

    def _on_publish(self, client, userdata, mid, reason_code, properties):
        with self._lock:
            if mid in self._unawaited:
                self._unawaited.discard(mid)
                return
            self._acks[mid] = reason_code.value if hasattr(reason_code, "value") else int(reason_code)
            self._lock.notify_all()
