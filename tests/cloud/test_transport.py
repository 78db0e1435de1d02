"""The MQTT link on a real broker: publishing without waiting for the PUBACK (the cloud's acks)."""
import time

from sync.transport import LinkSettings, MqttLink


def test_unawaited_publishes_arrive_in_order_and_leave_no_puback_behind(mosquitto):
    sender = MqttLink(LinkSettings("127.0.0.1", mosquitto.port, "test-sender"))
    receiver = MqttLink(LinkSettings("127.0.0.1", mosquitto.port, "test-receiver", subscriptions=("t/#",)))
    receiver.connect()
    sender.connect()
    try:
        time.sleep(0.3)  # the receiver's subscription is in place
        for i in range(200):
            sender.publish("t/acks", str(i).encode(), wait=False)
        sender.publish("t/acks", b"waited")  # a waited publish still gets its own PUBACK
        got = []
        deadline = time.monotonic() + 10
        while len(got) < 201 and time.monotonic() < deadline:
            message = receiver.receive(timeout=0.5)
            if message:
                got.append(message[1])
        assert got == [str(i).encode() for i in range(200)] + [b"waited"]
        deadline = time.monotonic() + 5
        while (sender._unawaited or sender._acks) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not sender._unawaited and not sender._acks  # every PUBACK came and was dropped
    finally:
        sender.close()
        receiver.close()
