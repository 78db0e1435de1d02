"""The cloud's head-office pages served for real: gunicorn worker processes on a free loopback port."""
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.live_server import free_port


class LiveCloud:
    """``cloud.app:create_app()`` under gunicorn against ``dsn``; stopped by ``stop()``."""

    def __init__(self, dsn: str, log_dir: Path, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / "cloud-gunicorn.log"
        self.log = open(self.log_path, "w")
        # No SECRET_KEY: the workers must agree on the key kept in the database.
        env = {key: value for key, value in os.environ.items() if not key.startswith("SALON_CLOUD_")}
        env.update(SALON_CLOUD_DATABASE_URL=dsn, SALON_CLOUD_COOKIE_SECURE="0",
                   SALON_CLOUD_CONFIG=str(log_dir / "no-such-cloud.toml"))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:cloud.gunicorn_conf",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "cloud.app:create_app()"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait_ready()
        except Exception:
            self.stop()
            raise

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log_path.read_text()}")
            try:
                if requests.get(self.url + "/login", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass  # workers still booting: the socket accepts before anyone answers
            time.sleep(0.1)
        raise TimeoutError("the cloud did not come up")

    def stop(self) -> None:
        """Stop gunicorn and its workers."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
