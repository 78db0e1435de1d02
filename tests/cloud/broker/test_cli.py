"""``python -m cloud.broker``: the operator's commands against a real production-style broker."""
import json
import stat
import uuid

import pytest

from cloud.broker.__main__ import main


@pytest.fixture
def run(broker_factory, monkeypatch, capsys):
    broker = broker_factory()
    monkeypatch.setenv("SALON_BROKER_ADMIN_PASSWORD", broker.admin_password)

    def run_command(*args):
        code = main([*args, "--host", "127.0.0.1", "--port", str(broker.port), "--ca-file", str(broker.ca_cert)])
        captured = capsys.readouterr()
        return code, json.loads(captured.out) if code == 0 else captured.err

    run_command.broker = broker
    return run_command


def test_init_config_writes_a_private_file_once(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SALON_BROKER_ADMIN_PASSWORD", raising=False)
    path = tmp_path / "dynamic-security.json"
    assert main(["init-config", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["username"] == "broker-admin" and len(printed["password"]) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [client["username"] for client in json.loads(path.read_text())["clients"]] == ["broker-admin"]
    assert main(["init-config", str(path)]) == 1  # never overwrites the live state


def test_provision_show_and_revoke_a_box(run):
    box_id = str(uuid.uuid4())
    code, credentials = run("provision-box", box_id, "--name", "Chilonzor")
    assert code == 0 and credentials["username"] == credentials["client_id"] == box_id
    client = run.broker.client(box_id, box_id, credentials["password"])
    assert client.connect().accepted

    assert run("show-box", box_id)[1]["disabled"] is False
    code, status = run("revoke-box", box_id)
    assert code == 0 and status["disabled"] is True
    assert client.wait_disconnected(timeout=2) is not None

    code, renewed = run("rotate-box", box_id)
    assert code == 0 and renewed["password"] != credentials["password"]
    assert run.broker.client(box_id, box_id, renewed["password"]).connect().accepted


def test_errors_are_reported_not_raised(run, monkeypatch):
    code, error = run("provision-box", "not-a-uuid")
    assert code == 1 and "UUID" in error
    monkeypatch.setenv("SALON_BROKER_ADMIN_PASSWORD", "wrong")
    code, error = run("show-box", str(uuid.uuid4()))
    assert code == 1 and "refused the admin sign-in" in error
