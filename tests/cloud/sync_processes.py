"""The box's sync agent and the cloud's sync worker as real processes, and the checks the fault tests end with."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from appliance.storage.models.base import SyncedModel
from appliance.storage.models.registry import ALL_MODELS
from sync.merge import META_FIELDS

ROOT = Path(__file__).resolve().parents[2]


class SyncProcess:
    """`salon-box sync` or `salon-cloud sync-worker` in a process of its own, logging to a file."""

    def __init__(self, args: list[str], env: dict, log_path: Path):
        self.args, self.env, self.log_path = args, env, log_path
        self.process = None

    def start(self) -> "SyncProcess":
        """Start it (again)."""
        log = open(self.log_path, "ab")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SALON_BOX_", "SALON_CLOUD_"))},
               **self.env}
        self.process = subprocess.Popen([sys.executable, "-c", "import sys; from %s import main; sys.exit(main())"
                                         % self.args[0], *self.args[1:]], env=env, stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT)
        log.close()
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish what it was doing."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not go."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def dump_stacks(self) -> None:
        """Ask the process to print its threads' stacks to its log (faulthandler on SIGUSR1)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGUSR1)

    def log_tail(self, lines: int = 30) -> str:
        """The end of its log, for failure messages."""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def box_agent(data_dir: Path, box_id: str, broker_port: int, password: str = "unused-on-the-test-broker",
              ca_file: str | None = None) -> SyncProcess:
    """The agent of the box whose database is in ``data_dir`` (TLS when ``ca_file`` is given)."""
    env = {"SALON_BOX_DATA_DIR": str(data_dir), "SALON_BOX_CONFIG": str(data_dir / "none.toml"),
           "SALON_BOX_SYNC_BROKER_HOST": "127.0.0.1", "SALON_BOX_SYNC_BROKER_PORT": str(broker_port),
           "SALON_BOX_SYNC_BOX_ID": box_id, "SALON_BOX_SYNC_PASSWORD": password,
           "SALON_BOX_LOG_LEVEL": os.environ.get("SYNC_TEST_LOG_LEVEL", "INFO"), **({"SALON_BOX_SYNC_CA_FILE": ca_file} if ca_file else {})}
    return SyncProcess(["appliance.cli", "sync"], env, data_dir / f"agent-{box_id}.log")


def cloud_worker(dsn: str, broker_port: int, log_dir: Path, name: str = "w1", password: str | None = None,
                 ca_file: str | None = None) -> SyncProcess:
    """One cloud sync worker (signing in as cloud-ingest over TLS when ``ca_file`` is given)."""
    env = {"SALON_CLOUD_DATABASE_URL": dsn, "SALON_CLOUD_BROKER_HOST": "127.0.0.1",
           "SALON_CLOUD_BROKER_PORT": str(broker_port), "SALON_CLOUD_WORKER_NAME": name,
           "SALON_CLOUD_CONFIG": str(log_dir / "none.toml"), "SALON_CLOUD_LOG_LEVEL": os.environ.get("SYNC_TEST_LOG_LEVEL", "INFO"),
           **({"SALON_CLOUD_BROKER_PASSWORD": password} if password else {}),
           **({"SALON_CLOUD_BROKER_CA_FILE": ca_file} if ca_file else {})}
    return SyncProcess(["cloud.cli", "sync-worker"], env, log_dir / f"worker-{name}.log")


def wait_until(condition, timeout: float = 60.0, what: str = "the condition", logs=()) -> None:
    """Poll ``condition`` until it holds; TimeoutError with the processes' logs otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    for process in logs:
        process.dump_stacks()
    time.sleep(0.5)
    tails = "\n\n".join(f"--- {p.log_path.name}\n{p.log_tail(60)}" for p in logs)
    raise TimeoutError(f"timed out waiting for {what}\n{tails}")


def _content(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in META_FIELDS}


def box_rows() -> dict:
    """Every synced row of the box (the appliance database in this process), as the cloud keeps it."""
    rows = {}
    for model in ALL_MODELS:
        if issubclass(model, SyncedModel) and model is not SyncedModel:
            for row in model.select():
                rows[(model._meta.table_name, row.id)] = _content(row.snapshot())
    return rows


def cloud_rows(salon_id: str | None = None) -> dict:
    """Every synced row in the cloud (of one salon, if given)."""
    from cloud.storage.models import EntityRow

    query = EntityRow.select()
    if salon_id:
        query = query.where(EntityRow.salon_id == salon_id)
    return {(r.entity, r.entity_id): _content(r.data) for r in query}
