"""The box and the cloud syncing for real: SQLite, the agent and the worker as processes, Mosquitto, PostgreSQL.

Every fault test ends by comparing the box's rows with the cloud's, row by row.
"""
from datetime import datetime, timedelta, timezone


from appliance.services import sync_outbox
from appliance.services.bookings import create_booking
from appliance.services.clients import create_client, update_client
from cloud.storage.models import Box, DeadLetter, EntityRow
from sync.messages import changes_message, encode, topic
from sync.transport import LinkSettings, MqttLink
from tests.cloud.sync_processes import box_rows, cloud_rows, wait_until


# The fault tests stop a process "in the middle" of syncing 1,500 changes. At the box's usual pace
# (20,000 a second) a fast machine synced all of them between two looks at the progress, and the
# fault found nothing left to interrupt. At 1,000 a second (the first batch of 500 at once) most of
# the backlog is still to come when it strikes.
SLOW_PACE = "1000"


def make_clients(system, count: int, prefix: str = "Client", start: int = 0) -> list:
    return [create_client(system, {"first_name": f"{prefix} {i}", "phone": f"+99890{start + i:07d}"})
            for i in range(count)]


def book(system, small_salon, day_offset: int, hour: int, master: int = 0):
    start = (datetime.now(timezone.utc) + timedelta(days=day_offset)).replace(hour=hour - 5, minute=0, second=0,
                                                                              microsecond=0)
    return create_booking(system, {"client_id": small_salon["client"].id, "starts_at": start, "items": [
        {"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][master].id}]})


def synced(*processes, timeout: float = 90.0) -> None:
    """Wait until the box's whole change log is acked by the cloud."""
    wait_until(lambda: sync_outbox.sync_status()["backlog"] == 0, timeout, "the backlog to drain", processes)


def assert_same_rows(box_id):
    box, cloud = box_rows(), cloud_rows()
    assert set(box) == set(cloud)
    different = [key for key in box if box[key] != cloud[key]]
    assert different == [], [(key, {f: (box[key].get(f), cloud[key].get(f)) for f in set(box[key]) | set(cloud[key])
                                    if box[key].get(f) != cloud[key].get(f)}) for key in different[:3]]
    assert Box.get_by_id(box_id).up_applied == sync_outbox.last_seq()


def test_the_box_journal_arrives_row_for_row_and_a_repeated_batch_changes_nothing(
        sync_pair, system, small_salon, box_id, mosquitto):
    agent, worker = sync_pair
    for day in range(1, 4):
        book(system, small_salon, day, 10)
    make_clients(system, 20)
    worker.start()
    agent.start()
    synced(agent, worker)
    assert_same_rows(box_id)
    assert sync_outbox.sync_status()["connected"] is True
    wait_until(lambda: Box.get_by_id(box_id).online, 10, "the box shown online")
    # The same batch delivered again (a QoS 1 redelivery, a resend) is acked and changes nothing.
    again = encode(changes_message(box_id,
                                   Box.get_by_id(box_id).salon_id, sync_outbox.pending_changes(0, 50)))
    link = MqttLink(LinkSettings("127.0.0.1", mosquitto.port, "test-replayer"))
    link.connect()
    link.publish(topic(box_id, "up"), again)
    link.close()
    before = cloud_rows()
    wait_until(lambda: Box.get_by_id(box_id).last_seen_at is not None, 5)
    assert cloud_rows() == before and DeadLetter.select().count() == 0
    assert_same_rows(box_id)


def test_broker_restarted_mid_batch(sync_pair, system, box_id, mosquitto):
    agent, worker = sync_pair
    make_clients(system, 1500)
    agent.env["SALON_BOX_SYNC_PACE_PER_S"] = SLOW_PACE  # the restart lands mid-stream
    worker.start()
    agent.start()
    total = sync_outbox.last_seq()
    wait_until(lambda: 0 < sync_outbox.sync_status()["up_acked"], 60, "a first ack", (agent, worker))
    mosquitto.restart()
    assert sync_outbox.sync_status()["up_acked"] < total
    synced(agent, worker)
    assert_same_rows(box_id)


def test_box_agent_killed_mid_publish_and_restarted(sync_pair, system, box_id):
    agent, worker = sync_pair
    make_clients(system, 1500)
    agent.env["SALON_BOX_SYNC_PACE_PER_S"] = SLOW_PACE  # the kill lands mid-stream
    worker.start()
    agent.start()
    wait_until(lambda: 0 < sync_outbox.sync_status()["up_acked"], 60, "a first ack", (agent, worker))
    agent.kill()
    assert sync_outbox.sync_status()["backlog"] > 0
    make_clients(system, 50, prefix="After", start=5000)
    agent.start()
    synced(agent, worker)
    assert_same_rows(box_id)


def test_cloud_worker_killed_mid_apply_and_restarted(sync_pair, system, box_id):
    agent, worker = sync_pair
    make_clients(system, 1500)
    agent.env["SALON_BOX_SYNC_PACE_PER_S"] = SLOW_PACE  # the kill lands mid-apply
    worker.start()
    agent.start()
    wait_until(lambda: Box.get_by_id(box_id).up_applied > 0, 60, "a first applied batch", (agent, worker))
    worker.kill()
    assert Box.get_by_id(box_id).up_applied < sync_outbox.last_seq()
    worker.start()
    synced(agent, worker)
    assert_same_rows(box_id)


def test_network_cut_while_the_salon_keeps_working(sync_pair, system, small_salon, box_id, mosquitto):
    agent, worker = sync_pair
    worker.start()
    agent.start()
    make_clients(system, 5)
    synced(agent, worker)
    mosquitto.stop(cleanup=False)
    wait_until(lambda: not sync_outbox.sync_status()["connected"], 30, "the box to notice", (agent,))
    booking = book(system, small_salon, 2, 12)
    update_client(system, small_salon["client"].id, {"notes": "came while offline"})
    make_clients(system, 30, prefix="Offline", start=6000)
    status = sync_outbox.sync_status()
    assert status["backlog"] > 30 and status["last_error"]
    mosquitto.start()
    synced(agent, worker)
    assert_same_rows(box_id)
    assert EntityRow.get(EntityRow.entity_id == booking.id).data["status"] == "confirmed"


def test_postgres_restarted_while_the_worker_applies(sync_pair, system, box_id, postgres_server, cloud_db):
    agent, worker = sync_pair
    make_clients(system, 1500)
    worker.start()
    agent.start()
    wait_until(lambda: Box.get_by_id(box_id).up_applied > 0, 60, "a first applied batch", (agent, worker))
    postgres_server.restart(mode="immediate")
    cloud_db.close()  # this process's connection died with the server too
    cloud_db.connect()
    synced(agent, worker)
    assert_same_rows(box_id)
    assert worker.process.poll() is None  # the worker rode it out
