"""A child process the assistant runs (action server, Rasa server), with its log and health check."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shopguide.errors import SetupError


@dataclass
class ManagedProcess:
    name: str
    command: list[str]
    health_url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it; refuse when something (often a previous run's worker) still holds its port."""
        if self.healthy():
            raise SetupError(f"{self.name}: something already answers at {self.health_url}; stop it first")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        log.close()

    def healthy(self) -> bool:
        try:
            return httpx.get(self.health_url, timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, deadline: float) -> None:
        """Poll the health URL until it answers 200; raise if the process dies or time runs out."""
        while time.monotonic() < deadline:
            if not self.alive():
                raise SetupError(f"{self.name} exited during start-up; see {self.log_path}")
            if self.healthy():
                return
            time.sleep(0.5)
        raise SetupError(f"{self.name} was not ready in time; see {self.log_path}")

    def stop(self, timeout_s: float = 15.0) -> None:
        """SIGTERM to the process group (servers spawn workers), then SIGKILL if it lingers."""
        if not self.alive() or self.process is None:
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait()
        self._wait_group_gone(group, timeout_s)

    @staticmethod
    def _wait_group_gone(group: int, timeout_s: float) -> None:
        """Server workers (Sanic spawns some) can outlive their parent and keep the port: end them too."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not _running_in_group(group):
                return
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


def _running_in_group(group: int) -> bool:
    """Whether a process of this group is still running (zombies waiting to be reaped do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


def chroma_server(data_dir: Path, host: str, port: int, log_path: Path) -> ManagedProcess:
    """A real Chroma server (`chroma run` from this environment) keeping its data in `data_dir`: what a
    deployment shares between processes, and what the cluster, the benchmarks and the tests start."""
    command = [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(data_dir)]
    command += ["--host", host, "--port", str(port)]
    return ManagedProcess("chroma", command, f"http://{host}:{port}/api/v2/heartbeat", log_path)


@contextlib.contextmanager
def running(process: ManagedProcess, ready_within_s: float = 60.0) -> Iterator[ManagedProcess]:
    """Start `process`, wait until it answers its health check, stop it afterwards."""
    process.start()
    try:
        process.wait_ready(time.monotonic() + ready_within_s)
        yield process
    finally:
        process.stop()
