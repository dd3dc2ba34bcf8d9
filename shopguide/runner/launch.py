"""`shopguide run` in a child process, for benchmarks and tests: free ports, own var/ folder, stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shopguide.errors import SetupError
from shopguide.settings import PROJECT_ROOT, Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AssistantProcess:
    """A whole assistant (embedded Redis and Chroma, action server, Rasa) on its own ports."""

    var_dir: Path
    environment: dict[str, str] = field(default_factory=dict)
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    started_s: float = 0.0
    ready_s: float = 0.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/web"

    @property
    def log_path(self) -> Path:
        return self.var_dir.parent / f"{self.var_dir.name}-run.log"

    def settings(self) -> Settings:
        """Settings that reach this assistant's servers, Redis and stores from another process."""
        return Settings(
            var_dir=self.var_dir,
            redis_url=f"redis://127.0.0.1:{self.redis_port}/0",
            rasa_port=self.rasa_port,
            action_port=self.action_port,
            rasa_models_dir=Settings().trained_models_dir,
        )

    def start(self, timeout_s: float = 1500) -> AssistantProcess:
        if self._answers():
            raise SetupError(f"something already answers at {self.base_url}: stop it first")
        env = {
            **os.environ,
            "SHOPGUIDE_VAR_DIR": str(self.var_dir),
            "SHOPGUIDE_RASA_PORT": str(self.rasa_port),
            "SHOPGUIDE_ACTION_PORT": str(self.action_port),
            "SHOPGUIDE_REDIS_PORT": str(self.redis_port),
            "SHOPGUIDE_RASA_MODELS_DIR": str(Settings().trained_models_dir),  # share the trained-model cache
            **self.environment,
        }
        env.pop("REDIS_URL", None)
        env.pop("CHROMA_URL", None)
        self.var_dir.parent.mkdir(parents=True, exist_ok=True)
        self.started_s = time.monotonic()
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "shopguide"), "run"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready(timeout_s)
        return self

    def _answers(self) -> bool:
        try:
            return httpx.get(self.base_url + "/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def _wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.process and self.process.poll() is None:
            try:
                if httpx.get(self.base_url + "/", timeout=2).status_code == 200:
                    self.ready_s = time.monotonic() - self.started_s
                    return
            except httpx.HTTPError:
                time.sleep(0.5)
        self.stop()
        raise SetupError("the assistant did not start: " + self.log_path.read_text()[-3000:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # `shopguide run` stops its servers, then itself
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self) -> AssistantProcess:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
