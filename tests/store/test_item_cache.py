"""Metadata and vectors read once per catalogue generation: a search sees its own process's writes at
once, another process's once it reads the new generation, and never a deleted item."""

from __future__ import annotations

import numpy as np
import pytest

from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.garment_store import GarmentStore
from shopguide.store.item_cache import ItemCache

QUERY = np.eye(8, dtype=np.float32)[0]


def _stores(tmp_path, fresh_s: float) -> tuple[GarmentStore, GarmentStore]:
    """Two stores on one Chroma: the searching process and another that ingests."""
    client = make_chroma_client(Settings(var_dir=tmp_path, chroma_url=None, redis_url=None))
    return tuple(GarmentStore(client, "cache", {"text": 8}, "test", fresh_s=fresh_s) for _ in range(2))  # type: ignore[return-value]


def _write(store: GarmentStore, prices: dict[str, float]) -> None:
    metadatas = [{"item_id": i, "category": "shirt", "price": p} for i, p in prices.items()]
    store.upsert(metadatas, {"text": np.tile(QUERY, (len(prices), 1))})


def _prices(store: GarmentStore) -> dict[str, float]:
    return {hit.id: hit.metadata["price"] for hit in store.nearest("text", QUERY, None, 10)}


def test_another_process_ingest_shows_once_the_generation_is_read_again(tmp_path):
    searching, ingesting = _stores(tmp_path, fresh_s=0.0)
    _write(ingesting, {"a": 10.0, "b": 20.0})
    ingesting.rebuild_vocabulary()
    assert _prices(searching) == {"a": 10.0, "b": 20.0}

    _write(ingesting, {"a": 12.0})
    ingesting.rebuild_vocabulary()

    assert _prices(searching) == {"a": 12.0, "b": 20.0}


def test_within_a_generation_the_read_metadata_answers(tmp_path):
    """What this trades: another process's write shows only with its new generation."""
    searching, ingesting = _stores(tmp_path, fresh_s=3600.0)
    _write(ingesting, {"a": 10.0})
    assert _prices(searching) == {"a": 10.0}

    _write(ingesting, {"a": 12.0})  # no new generation yet

    assert _prices(searching) == {"a": 10.0}


def test_the_process_own_writes_and_deletes_show_at_once(tmp_path):
    store, _ = _stores(tmp_path, fresh_s=3600.0)
    _write(store, {"a": 10.0, "b": 20.0})
    assert _prices(store) == {"a": 10.0, "b": 20.0}

    _write(store, {"a": 12.0})
    store.delete(["b"])

    assert _prices(store) == {"a": 12.0}


def test_the_least_recently_used_entries_leave_first():
    cache = ItemCache(lambda: "g1", capacity=2)
    cache.remember({"a": {"n": 1}, "b": {"n": 2}})
    cache.known(["a"])
    cache.remember({"c": {"n": 3}})

    assert set(cache.known(["a", "b", "c"])) == {"a", "c"}


def test_an_entry_is_a_copy():
    cache = ItemCache(lambda: "g1", capacity=2, copy=dict)
    cache.remember({"a": {"n": 1}})
    cache.known(["a"])["a"]["n"] = 99

    assert cache.known(["a"]) == {"a": {"n": 1}}


def test_vectors_are_kept_like_metadata_and_cannot_be_changed_by_a_caller(tmp_path):
    searching, ingesting = _stores(tmp_path, fresh_s=0.0)
    _write(ingesting, {"a": 10.0})
    ingesting.rebuild_vocabulary()
    first = searching.vectors(["a", "missing"], "text")
    assert list(first) == ["a"] and np.allclose(first["a"], QUERY)
    with pytest.raises(ValueError):
        first["a"][0] = 5.0  # shared with the next reader

    assert np.allclose(ingesting.vectors(["a"], "text")["a"], QUERY)
    moved = np.eye(8, dtype=np.float32)[1]
    ingesting.upsert([{"item_id": "a", "category": "shirt", "price": 10.0}], {"text": moved[None, :]})
    assert np.allclose(ingesting.vectors(["a"], "text")["a"], moved), "the writing process sees its write"
    ingesting.rebuild_vocabulary()
    assert np.allclose(searching.vectors(["a"], "text")["a"], moved), "another process, with the new generation"
