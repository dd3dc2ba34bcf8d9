"""Filtered vector queries at catalogue scale: synthetic vectors of the real dimension, realistic metadata."""

from __future__ import annotations

import contextlib
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from rich.progress import track

from shopguide.runner.launch import free_port
from shopguide.runner.processes import chroma_server, running
from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.filters import Constraints, to_where
from shopguide.store.garment_store import GarmentStore

CATEGORIES = [f"category-{i}" for i in range(24)]
COLOURS = ["black", "white", "grey", "navy", "blue", "red", "green", "yellow", "pink", "purple", "beige", "brown"]
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]


def synthetic_metadata(index: int, rng: random.Random) -> dict:
    return {
        "item_id": f"s{index}",
        "category": rng.choice(CATEGORIES),
        "gender": rng.choice(["men", "women", "unisex"]),
        "colours": rng.sample(COLOURS, rng.choice([1, 1, 2])),
        "price": round(rng.uniform(5, 300), 2),
        "sizes_in_stock": rng.sample(SIZES, rng.randint(1, 5)),
        "item": "{}",
    }


def realistic_constraints(rng: random.Random) -> Constraints:
    """What shoppers ask: a category, often a gender and a budget, sometimes a colour or size."""
    return Constraints(
        categories=[rng.choice(CATEGORIES)],
        gender=rng.choice([None, "men", "women"]),
        price_max=rng.choice([None, 50.0, 100.0]),
        colours=[rng.choice(COLOURS)] if rng.random() < 0.5 else [],
        size=rng.choice(SIZES) if rng.random() < 0.3 else None,
    )


def measure(store: GarmentStore, dim: int, queries: int, seed: int = 2) -> dict:
    rng = random.Random(seed)
    query_vectors = np.random.default_rng(seed).standard_normal((queries, dim)).astype(np.float32)
    timings, hits = [], []
    for vector in query_vectors:
        where = to_where(realistic_constraints(rng))
        started = time.perf_counter()
        found = store.query("text", vector, where, 10)
        timings.append((time.perf_counter() - started) * 1000)
        hits.append(len(found))
    return {
        "p50_ms": round(float(np.percentile(timings, 50)), 2),
        "p95_ms": round(float(np.percentile(timings, 95)), 2),
        "queries": queries,
        "mean_results": round(float(np.mean(hits)), 1),
    }


def run(
    sizes: tuple[int, ...] = (10_000, 100_000), dim: int = 512, queries: int = 300, stores: str = "embedded,server"
) -> dict:
    """Each store (embedded PersistentClient, `chroma run` over HTTP) is filled in steps, measured at each size."""
    results: dict[str, dict] = {}
    for kind in stores.split(","):
        with (
            tempfile.TemporaryDirectory(prefix="bench-chroma-") as folder,
            chroma_settings(kind, Path(folder)) as settings,
        ):
            store = GarmentStore(make_chroma_client(settings), "bench", {"text": dim}, "synthetic")
            filled = 0
            for size in sizes:
                seconds = fill_range(store, filled, size, dim)
                rate = round((size - filled) / seconds)
                filled = size
                measured = measure(store, dim, queries)
                results[f"{kind} {size}"] = {"store": kind, "items": size, "dim": dim, "insert_per_s": rate, **measured}
    return {
        "store": "embedded chroma (PersistentClient) and a `chroma run` server over HTTP on loopback",
        "filters": "category + optional gender/price/colour/size",
        "k": 10,
        "results": results,
    }


@contextlib.contextmanager
def chroma_settings(kind: str, folder: Path) -> Iterator[Settings]:
    """Settings for the embedded store, or for a Chroma server started for the run (and stopped after)."""
    if kind == "embedded":
        yield Settings(var_dir=folder, chroma_url=None)
        return
    port = free_port()
    with running(chroma_server(folder / "server", "127.0.0.1", port, folder / "chroma.log")):
        yield Settings(var_dir=folder, chroma_url=f"http://127.0.0.1:{port}")


def fill_range(store: GarmentStore, start: int, stop: int, dim: int) -> float:
    """Insert items start..stop (the earlier ones stay, so 100k builds on 10k)."""
    rng = random.Random(start)
    vectors = np.random.default_rng(start).standard_normal((stop - start, dim)).astype(np.float32)
    started = time.perf_counter()
    for offset in track(range(start, stop, 5000), description=f"inserting to {stop}", transient=True):
        end = min(offset + 5000, stop)
        metadatas = [synthetic_metadata(i, rng) for i in range(offset, end)]
        store.upsert(metadatas, {"text": vectors[offset - start : end - start]})
    return time.perf_counter() - started
