"""A large catalogue's filtered search starts from unfiltered probes; the answer stays the exact filtered top n."""

from __future__ import annotations

import numpy as np
import pytest

from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.filters import Constraints
from shopguide.store.garment_store import GarmentStore


def test_a_wider_second_probe_finds_what_the_first_lacked(tmp_path):
    """Without filter columns (before they are built), probes read metadata. Item i lies further from the
    query as i grows; every 20th is a dress. The first probe (50 items) holds three dresses, too few for
    n=5, which promises five within 105 items: the second probe."""
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
    store.probe_from_items, store.filter_columns = 0, False
    similarity = vectors @ query / np.linalg.norm(vectors, axis=1)
    dresses = sorted(range(0, 200, 20), key=lambda i: -similarity[i])[:5]
    first_probe = np.argsort(-similarity)[:50]
    assert 0 < sum(i % 20 == 0 for i in first_probe) < 5, "the setup: a few dresses, not enough, in the first 50"

    found = store.nearest("text", query, Constraints(categories=["dress"]), 5)

    assert [hit.id for hit in found] == [f"i{i:03d}" for i in dresses]
    assert store.answers == {"probe": 1}
    assert store.nearest("text", query, Constraints(categories=["coat"]), 5) == []
    assert store.answers == {"probe": 1, "chroma": 1}, "no item passes: the filter goes to Chroma"


def _store(tmp_path, dim: int = 16) -> GarmentStore:
    settings = Settings(var_dir=tmp_path, chroma_url=None, redis_url=None)
    store = GarmentStore(make_chroma_client(settings), "probe", {"text": dim}, "test")
    store.probe_from_items, store.listed_first_below = 0, 0  # as a large one
    return store


def test_the_columns_name_the_passing_items_when_the_probe_sees_none_of_them(tmp_path):
    """1,200 shirts lie nearer the query than 800 dresses: no probe reaches a dress, so the columns list
    all dresses and Chroma searches only those (more than are compared here, exactly)."""
    rng = np.random.default_rng(1)
    query = np.eye(16, dtype=np.float32)[0]
    shirts = query + rng.standard_normal((1200, 16)).astype(np.float32) * 0.05
    dresses = -query + rng.standard_normal((800, 16)).astype(np.float32)
    store = _store(tmp_path)
    metadatas = [{"item_id": f"s{i}", "category": "shirt"} for i in range(1200)]
    metadatas += [{"item_id": f"d{i}", "category": "dress"} for i in range(800)]
    store.upsert(metadatas, {"text": np.vstack([shirts, dresses])})
    store.columns(wait=True)
    similarity = dresses @ query / np.linalg.norm(dresses, axis=1)

    found = store.nearest("text", query, Constraints(categories=["dress"]), 5)

    assert [hit.id for hit in found] == [f"d{i}" for i in np.argsort(-similarity)[:5]]
    assert all(hit.metadata["category"] == "dress" for hit in found)
    assert store.answers == {"columns": 1}


def test_an_item_added_after_the_columns_were_built_is_still_found(tmp_path):
    """Columns are rebuilt per catalogue generation; meanwhile a new item's metadata is read."""
    rng = np.random.default_rng(2)
    query = np.eye(16, dtype=np.float32)[0]
    store = _store(tmp_path)
    vectors = rng.standard_normal((100, 16)).astype(np.float32)
    store.upsert([{"item_id": f"i{i}", "category": "shirt"} for i in range(100)], {"text": vectors})
    store.columns(wait=True)
    store.upsert([{"item_id": "new", "category": "shirt"}], {"text": query[None, :]})

    found = store.nearest("text", query, Constraints(categories=["shirt"]), 3)

    assert found[0].id == "new" and found[0].similarity == pytest.approx(1.0, abs=1e-5)
    assert store.answers == {"probe": 1}
