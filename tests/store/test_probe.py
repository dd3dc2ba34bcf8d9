"""A large catalogue's filtered search starts from unfiltered probes; the answer stays the exact filtered top n."""

from __future__ import annotations

import numpy as np

from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.filters import Constraints
from shopguide.store.garment_store import GarmentStore


def test_a_wider_second_probe_finds_what_the_first_lacked(tmp_path):
    """Item i lies further from the query as i grows; every 20th is a dress. The first probe (50 items)
    holds three dresses, too few for n=5, which promises five within 105 items: the second probe."""
    rng = np.random.default_rng(0)
    query = np.zeros(16, dtype=np.float32)
    query[0] = 1.0
    vectors = np.zeros((200, 16), dtype=np.float32)
    vectors[:, 0] = 1.0
    vectors[:, 1:] = rng.standard_normal((200, 15)) * np.linspace(0.01, 3.0, 200)[:, None] / np.sqrt(15)
    settings = Settings(var_dir=tmp_path, chroma_url=None, redis_url=None)
    store = GarmentStore(make_chroma_client(settings), "probe", {"text": 16}, "test")
    metadatas = [{"item_id": f"i{i:03d}", "category": "dress" if i % 20 == 0 else "shirt"} for i in range(200)]
    store.upsert(metadatas, {"text": vectors})
    store.probe_from_items = 0
    similarity = vectors @ query / np.linalg.norm(vectors, axis=1)
    dresses = sorted(range(0, 200, 20), key=lambda i: -similarity[i])[:5]
    first_probe = np.argsort(-similarity)[:50]
    assert 0 < sum(i % 20 == 0 for i in first_probe) < 5, "the setup: a few dresses, not enough, in the first 50"

    found = store.nearest("text", query, Constraints(categories=["dress"]), 5)

    assert [hit.id for hit in found] == [f"i{i:03d}" for i in dresses]
    assert store.answers == {"probe": 1}
    assert store.nearest("text", query, Constraints(categories=["coat"]), 5) == []
    assert store.answers == {"probe": 1, "chroma": 1}, "no item passes: the filter goes to Chroma"
