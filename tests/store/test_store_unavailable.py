"""A Chroma server that goes away raises StoreUnavailable (the actions' "search is unavailable"), then recovers."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

from shopguide.errors import StoreUnavailable
from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.garment_store import GarmentStore
from tests.conftest import free_port


def start_chroma(path: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(path), "--port", str(port)],
            stdout=out,
            stderr=out,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("chroma run did not start")


def test_a_stopped_server_is_unavailable_and_a_restarted_one_answers_again(tmp_path):
    port = free_port()
    server = start_chroma(tmp_path / "chroma", port, tmp_path / "chroma.log")
    try:
        settings = Settings(var_dir=tmp_path / "var", chroma_url=f"http://127.0.0.1:{port}", redis_url=None)
        store = GarmentStore(make_chroma_client(settings), "garments", {"text": 4}, "test-encoder")
        store.upsert([{"item_id": "a", "category": "dress"}], {"text": np.ones((1, 4), dtype=np.float32)})
        assert store.query("text", np.ones(4), None, 1) == pytest.approx({"a": 1.0})
        server.terminate()
        server.wait(10)
        for call in (
            lambda: store.query("text", np.ones(4), None, 1),
            lambda: store.fetch(["a"]),
            lambda: store.count(),
            lambda: store.filtered_ids({"category": "dress"}, 5),
        ):
            with pytest.raises(StoreUnavailable, match="cannot be reached"):
                call()
        server = start_chroma(tmp_path / "chroma", port, tmp_path / "chroma.log")
        assert store.query("text", np.ones(4), None, 1) == pytest.approx({"a": 1.0})
    finally:
        server.terminate()
        server.wait(10)
