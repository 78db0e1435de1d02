"""The private Mosquitto broker: persistence across restarts, the generated options, localised configs."""
import pytest

from tests.infra.mosquitto import PrivateMosquitto
from tests.infra.mqtt import TestClient


def _client(broker, client_id, **kwargs):
    return TestClient(broker.port, client_id, **kwargs)


def _queue_while_away(broker, first_clean_start: bool) -> None:
    """``keeper`` subscribes with a one-hour session and leaves; ``sender`` publishes QoS 1 meanwhile."""
    keeper, sender = _client(broker, "keeper"), _client(broker, "sender")
    try:
        assert keeper.connect(clean_start=first_clean_start, session_expiry=3600).accepted
        assert [str(code) for code in keeper.subscribe("shop/queue", qos=1)] == ["Granted QoS 1"]
        keeper.close()
        assert sender.connect().accepted
        assert str(sender.publish("shop/queue", b"while away", qos=1)) == "Success"
    finally:
        keeper.close()
        sender.close()


def test_restart_keeps_a_queued_qos1_message_for_a_persistent_session(mosquitto):
    _queue_while_away(mosquitto, first_clean_start=False)
    mosquitto.restart()
    keeper = _client(mosquitto, "keeper")
    try:
        outcome = keeper.connect(clean_start=False, session_expiry=3600)
        assert outcome.accepted and outcome.session_present
        message = keeper.next_message()
        assert (message.topic, message.payload, message.qos) == ("shop/queue", b"while away", 1)
    finally:
        keeper.close()


def test_a_session_first_opened_with_clean_start_does_not_survive_a_restart(mosquitto):
    # Mosquitto 2.0.11 saves only sessions whose last CONNECT had clean_start=False, whatever their
    # expiry: a client that wants its queue kept across broker restarts must never set clean_start
    # (paho's default, MQTT_CLEAN_START_FIRST_ONLY, sets it on the first connection).
    _queue_while_away(mosquitto, first_clean_start=True)
    mosquitto.restart()
    keeper = _client(mosquitto, "keeper")
    try:
        outcome = keeper.connect(clean_start=False, session_expiry=3600)
        assert outcome.accepted and not outcome.session_present
        assert keeper.next_message(timeout=0.3) is None
    finally:
        keeper.close()


def test_kill_then_start_comes_back_on_the_same_port(mosquitto):
    port = mosquitto.port
    mosquitto.kill()
    assert not mosquitto.running
    mosquitto.start()
    client = _client(mosquitto, "after-crash")
    try:
        assert mosquitto.port == port and client.connect().accepted
    finally:
        client.close()


def test_generated_tls_password_acl_and_packet_limit(tls_files):
    broker = PrivateMosquitto(tls=tls_files, allow_anonymous=False, users={"shop": "pw-1"},
                              acl="user shop\ntopic readwrite shop/#\n", max_packet_size=2048)
    clients = []

    def client(client_id, **kwargs):
        clients.append(TestClient(broker.port, client_id, ca_cert=broker.ca_cert, **kwargs))
        return clients[-1]

    try:
        broker.start()
        shop = client("shop", username="shop", password="pw-1")
        assert shop.connect().accepted
        assert str(shop.publish("shop/a", b"ok")) in ("Success", "No matching subscribers")
        assert str(shop.publish("elsewhere/a", b"no")) == "Not authorized"
        assert str(client("anon").connect().reason) == "Not authorized"
        broker.reload()
        assert shop.connected
        shop.publish("shop/a", b"x" * 4096, qos=0)
        assert str(shop.wait_disconnected()) in ("Packet too large", "Unspecified error")
    finally:
        for each in clients:
            each.close()
        broker.stop()
    assert broker.directory is None


@pytest.mark.parametrize("config", ["listener 1883\nlistener 1884\n", "allow_anonymous true\n",
                                    "listener 1883\ninclude_dir /etc/mosquitto/conf.d\n"])
def test_a_config_that_could_reach_outside_the_private_folder_is_refused(config):
    broker = PrivateMosquitto(config)
    broker.port, broker.directory = 1, None
    with pytest.raises(ValueError):
        broker._localised()
