"""The production broker configuration on a real Mosquitto 2.0.11: TLS, per-box credentials and ACL, revocation.

Every test starts a private broker from ``cloud/broker/mosquitto.conf`` itself (``broker_factory``)
and provisions boxes through the dynamic-security API, as an operator would. The reason codes
asserted are the ones this Mosquitto really answers to MQTT v5 clients.
"""
import time
import uuid

import pytest

from cloud.broker.provisioning import BoxAlreadyProvisioned

NOT_AUTHORIZED = 0x87


def codes(reasons) -> list[str]:
    return [str(reason) for reason in reasons]


@pytest.fixture
def broker(broker_factory):
    return broker_factory()


@pytest.fixture
def box(broker):
    return broker.provision_box(name="Chilonzor")


@pytest.fixture
def other_box(broker):
    return broker.provision_box(name="Yunusobod")


@pytest.fixture
def ingest(broker):
    client = broker.ingest_client("ingest-1")
    assert client.connect().accepted
    assert codes(client.subscribe("$share/ingest/salons/+/up")) == ["Granted QoS 1"]
    assert codes(client.subscribe("salons/+/status")) == ["Granted QoS 1"]
    assert codes(client.subscribe("salons/+/down-ack")) == ["Granted QoS 1"]
    return client


def test_a_box_connects_over_tls_and_is_told_the_packet_limit(broker, box):
    outcome = broker.box_client(box).connect()
    assert outcome.accepted, outcome
    assert outcome.properties.MaximumPacketSize == 256 * 1024


def test_a_box_publishes_qos1_to_its_own_topics_and_the_ingest_group_gets_each_message_once(broker, box, ingest):
    second_worker = broker.ingest_client("ingest-2")
    assert second_worker.connect().accepted
    assert codes(second_worker.subscribe("$share/ingest/salons/+/up")) == ["Granted QoS 1"]
    client = broker.box_client(box)
    assert client.connect().accepted
    for number in range(6):
        assert str(client.publish(f"salons/{box.username}/up", f"change {number}".encode())) == "Success"
    received = []
    deadline = time.monotonic() + 5
    while len(received) < 6 and time.monotonic() < deadline:
        for worker in (ingest, second_worker):
            if (message := worker.next_message(timeout=0.01)) is not None:
                received.append((message.topic, message.payload, message.qos))
    assert sorted(received) == [(f"salons/{box.username}/up", f"change {n}".encode(), 1) for n in range(6)]
    assert ingest.next_message(timeout=0.1) is None and second_worker.next_message(timeout=0.1) is None

    assert str(client.publish(f"salons/{box.username}/status", b"online")) == "Success"
    assert str(client.publish(f"salons/{box.username}/down-ack", b"42")) == "Success"
    assert [ingest.next_message().topic for _ in range(2)] == [f"salons/{box.username}/status",
                                                                f"salons/{box.username}/down-ack"]


def test_a_box_cannot_publish_as_another_box_or_as_the_cloud(broker, box, other_box, ingest):
    client = broker.box_client(box)
    assert client.connect().accepted
    for topic in (f"salons/{other_box.username}/up", f"salons/{box.username}/down", f"salons/{box.username}/ack",
                  "salons/+/up", "anything/else"):
        reason = client.publish(topic.replace("+", "x"), b"forged")
        assert reason.value == NOT_AUTHORIZED, (topic, reason)  # PUBACK "Not authorized"
    client.publish(f"salons/{other_box.username}/up", b"forged at qos 0", qos=0)
    assert ingest.next_message(timeout=0.3) is None
    assert client.connected  # a refused publish does not end the connection


def test_a_box_cannot_subscribe_to_another_box_or_to_wildcards(broker, box, other_box, ingest):
    client = broker.box_client(box)
    assert client.connect().accepted
    for topic in (f"salons/{other_box.username}/down", f"salons/{other_box.username}/ack", "salons/+/down",
                  "salons/#", "#", f"salons/{box.username}/up", f"$share/g/salons/{other_box.username}/down"):
        assert [reason.value for reason in client.subscribe(topic)] == [NOT_AUTHORIZED], topic  # SUBACK
    assert codes(client.subscribe(f"salons/{box.username}/down")) == ["Granted QoS 1"]
    assert codes(client.subscribe(f"salons/{box.username}/ack")) == ["Granted QoS 1"]

    cloud = broker.ingest_client("cloud-sender")
    assert cloud.connect().accepted
    assert str(cloud.publish(f"salons/{other_box.username}/down", b"for the other box")) == "No matching subscribers"
    assert str(cloud.publish(f"salons/{box.username}/down", b"for this box")) == "Success"
    assert str(cloud.publish(f"salons/{box.username}/ack", b"7")) == "Success"
    got = [client.next_message(), client.next_message()]
    assert [(m.topic, m.payload) for m in got] == [(f"salons/{box.username}/down", b"for this box"),
                                                  (f"salons/{box.username}/ack", b"7")]
    assert client.next_message(timeout=0.3) is None


def test_the_ingest_user_has_only_its_own_grants(broker, box, ingest):
    assert [r.value for r in ingest.subscribe("salons/+/up")] == [NOT_AUTHORIZED]  # only through $share/ingest
    assert [r.value for r in ingest.subscribe("salons/+/down")] == [NOT_AUTHORIZED]
    assert [r.value for r in ingest.subscribe("$share/other/salons/+/up")] == [NOT_AUTHORIZED]
    assert ingest.publish(f"salons/{box.username}/up", b"forged").value == NOT_AUTHORIZED
    assert ingest.publish(f"salons/{box.username}/status", b"forged").value == NOT_AUTHORIZED


def test_a_box_cannot_take_another_box_client_id(broker, box, other_box):
    victim = broker.box_client(other_box)
    assert victim.connect().accepted
    intruder = broker.client(other_box.username, box.username, box.password)
    assert intruder.connect().reason.value == NOT_AUTHORIZED
    assert broker.client("any-other-id", box.username, box.password).connect().reason.value == NOT_AUTHORIZED
    assert victim.wait_disconnected(timeout=0.3) is None and victim.connected


def test_anonymous_unknown_and_wrong_password_connections_are_refused(broker, box):
    # Mosquitto 2.0.11 answers all three with CONNACK 0x87 "Not authorized" (never 0x86).
    assert broker.client("anonymous").connect().reason.value == NOT_AUTHORIZED
    assert broker.client(box.username, box.username, "wrong password").connect().reason.value == NOT_AUTHORIZED
    unknown = str(uuid.uuid4())
    assert broker.client(unknown, unknown, box.password).connect().reason.value == NOT_AUTHORIZED


def test_plain_tcp_is_refused_on_the_tls_listener(broker, box):
    outcome = broker.client(box.username, box.username, box.password, tls=False).connect(timeout=2)
    assert outcome.reason is None and "no CONNACK" in outcome.error
    assert "wrong version number" in broker.broker.log_tail()  # the broker saw a failed TLS handshake


def test_a_packet_over_256_kib_disconnects_the_box(broker, box, ingest):
    client = broker.box_client(box)
    assert client.connect().accepted
    assert str(client.publish(f"salons/{box.username}/up", b"x" * 200_000)) == "Success"
    assert len(ingest.next_message().payload) == 200_000
    client.publish(f"salons/{box.username}/up", b"x" * 270_000, qos=0)
    assert client.wait_disconnected() is not None
    assert "oversize packet" in broker.broker.log_tail()


def test_a_revoked_box_is_cut_off_at_once_and_for_good(broker, box, other_box):
    client = broker.box_client(box)
    assert client.connect(clean_start=False, session_expiry=3600).accepted
    assert codes(client.subscribe(f"salons/{box.username}/down")) == ["Granted QoS 1"]
    neighbour = broker.box_client(other_box)
    assert neighbour.connect().accepted

    broker.admin.revoke_box(box.username)

    assert str(client.wait_disconnected(timeout=2)) == "Administrative action"  # DISCONNECT 0x98
    assert broker.client(box.username, box.username, box.password).connect().reason.value == NOT_AUTHORIZED
    assert broker.admin.box_status(box.username)["disabled"] is True
    assert neighbour.connected

    broker.restart()  # the plugin saved the revocation
    assert broker.client(box.username, box.username, box.password).connect().reason.value == NOT_AUTHORIZED


def test_a_new_password_brings_a_box_back_and_retires_the_old_one(broker, box):
    broker.admin.revoke_box(box.username)
    renewed = broker.admin.rotate_box_password(box.username)
    assert renewed.username == box.username and renewed.password != box.password
    assert broker.box_client(renewed).connect().accepted
    assert broker.client(box.username, box.username, box.password).connect().reason.value == NOT_AUTHORIZED


def test_provisioning_a_box_twice_is_refused(broker, box):
    with pytest.raises(BoxAlreadyProvisioned):
        broker.admin.provision_box(box.username)
    assert broker.box_client(box).connect().accepted  # the first password still works
