"""One cluster (2 Rasa + 2 action servers behind nginx, Redis, Chroma) shared by the fault tests.

Small and quick to start: a 240-item demo catalogue, the frozen encoder (no multimodal training),
the dialogue model from the project's cache, free loopback ports. Everything is under var/faults,
which the next run clears: its logs stay for a look after a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from shopguide.errors import SetupError
from shopguide.runner.cluster import Cluster, ClusterLayout
from shopguide.settings import Settings
from tests.conftest import free_port


@dataclass
class RunningCluster:
    cluster: Cluster
    layout: ClusterLayout

    @property
    def webhook(self) -> str:
        return f"{self.layout.base_url}/webhook"

    def say(self, sender: str, text: str) -> list[dict]:
        response = httpx.post(self.webhook, json={"sender": sender, "message": text}, timeout=180)
        assert response.status_code == 200, response.text
        return response.json()

    def kill(self, name: str) -> None:
        """SIGKILL, as a crash: no clean-up, no flushing."""
        process = self.cluster.processes[name].process
        assert process is not None
        os.killpg(os.getpgid(process.pid), signal.SIGKILL)
        process.wait(30)

    def stop(self, name: str) -> None:
        self.cluster.processes[name].stop()

    def start(self, name: str) -> None:
        self.cluster.processes[name].start()
        self.cluster.processes[name].wait_ready(float("inf"))


@pytest.fixture(scope="session")
def running_cluster() -> Iterator[RunningCluster]:
    root = Settings().var_dir / "faults"  # kept after the run: logs in var/faults/cluster/logs
    shutil.rmtree(root, ignore_errors=True)
    base = Settings(
        var_dir=root / "base",
        demo_items=240,
        train_on_start=False,
        rasa_models_dir=Settings().trained_models_dir,  # share the dialogue-model cache
        uploads_per_minute_per_address=100_000,  # every test request comes from 127.0.0.1
        startup_timeout_s=900,
        redis_url=None,
        chroma_url=None,
    )
    layout = ClusterLayout(
        root=root / "cluster",
        port=free_port(),
        action_port=free_port(),
        rasa_ports=(free_port(), free_port()),
        action_ports=(free_port(), free_port()),
        redis_port=free_port(),
        chroma_port=free_port(),
    )
    cluster = Cluster(base, layout, report=lambda line: None)
    try:
        cluster.start()
    except SetupError as error:
        cluster.stop()
        pytest.fail(f"the cluster did not start: {error}")
    yield RunningCluster(cluster, layout)
    cluster.stop()
