"""A Chroma server that goes away raises StoreUnavailable (the actions' "search is unavailable"), then recovers."""

from __future__ import annotations

import time

import numpy as np
import pytest

from shopguide.errors import StoreUnavailable
from shopguide.runner.processes import chroma_server, running
from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.filters import Constraints
from shopguide.store.garment_store import GarmentStore
from tests.conftest import free_port


def test_a_stopped_server_is_unavailable_and_a_restarted_one_answers_again(tmp_path):
    port = free_port()
    server = chroma_server(tmp_path / "chroma", "127.0.0.1", port, tmp_path / "chroma.log")
    with running(server):
        settings = Settings(var_dir=tmp_path / "var", chroma_url=f"http://127.0.0.1:{port}", redis_url=None)
        store = GarmentStore(make_chroma_client(settings), "garments", {"text": 4}, "test-encoder")
        store.upsert([{"item_id": "a", "category": "dress"}], {"text": np.ones((1, 4), dtype=np.float32)})
        assert store.query("text", np.ones(4), None, 1) == pytest.approx({"a": 1.0})
        server.stop()
        for call in (
            lambda: store.query("text", np.ones(4), None, 1),
            lambda: store.fetch(["a"]),
            lambda: store.count(),
            lambda: store.filtered_ids(Constraints(categories=["dress"]), 5),
        ):
            with pytest.raises(StoreUnavailable, match="cannot be reached"):
                call()
        server.start()
        server.wait_ready(time.monotonic() + 60)
        assert store.query("text", np.ones(4), None, 1) == pytest.approx({"a": 1.0})
