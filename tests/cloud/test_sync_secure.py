"""Sync through the production broker: TLS, per-box credentials, the ACL, and a revoked box cut off (SY5)."""
from appliance.services import sync_outbox
from appliance.services.clients import create_client
from cloud.services.fleet import register_box, revoke_box
from cloud.storage.models import Box, EntityRow
from tests.cloud.sync_processes import box_agent, cloud_worker, wait_until


def test_a_provisioned_box_syncs_over_tls_and_a_revoked_one_is_cut_off(small_salon, system, cloud_db, pg_dsn,
                                                                      broker_factory, tmp_path):
    broker = broker_factory()
    credentials = broker.provision_box()
    box_id = credentials.username
    register_box(box_id, "Chilonzor")
    ca = str(broker.ca_cert)
    agent = box_agent(tmp_path / "data", box_id, broker.port, password=credentials.password, ca_file=ca)
    worker = cloud_worker(pg_dsn, broker.port, tmp_path, password=broker.ingest.password, ca_file=ca)
    try:
        worker.start()
        agent.start()
        create_client(system, {"first_name": "Malika", "phone": "+998901010101"})
        wait_until(lambda: sync_outbox.sync_status()["backlog"] == 0, 60, "the backlog over TLS", (agent, worker))
        assert EntityRow.select().where(EntityRow.entity == "client").count() == 2
        assert Box.get_by_id(box_id).up_applied == sync_outbox.last_seq()

        broker.admin.revoke_box(box_id)  # the broker drops the box at once
        revoke_box(box_id)  # and the cloud refuses anything still in flight
        wait_until(lambda: not sync_outbox.sync_status()["connected"], 30, "the box to be cut off", (agent,))
        late = create_client(system, {"first_name": "Late", "phone": "+998902020202"})
        wait_until(lambda: "0x87" in (sync_outbox.sync_status()["last_error"] or "")
                   or "refused" in (sync_outbox.sync_status()["last_error"] or ""), 30, "the refusal", (agent,))
        assert EntityRow.get_or_none(EntityRow.entity_id == late.id) is None
        assert sync_outbox.sync_status()["backlog"] > 0  # kept on the box, not lost
    finally:
        agent.stop()
        worker.stop()
