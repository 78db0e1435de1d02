"""Running the box for real: gunicorn worker processes on a free loopback port."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveBox:
    """A gunicorn-served box over a data folder; stopped by ``stop()``."""

    def __init__(self, data_dir: Path, workers: int = 4, extra_args: tuple = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(data_dir / "gunicorn.log", "w")
        env = {**os.environ, "SALON_BOX_DATA_DIR": str(data_dir)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:appliance.gunicorn_conf",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), *extra_args, "appliance.app:create_app()"],
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
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass  # workers still booting: the socket accepts before anyone answers
            time.sleep(0.1)
        raise TimeoutError("the box did not come up")

    def stop(self) -> None:
        """Stop gunicorn and its workers."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
