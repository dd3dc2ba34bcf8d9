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
from shopguide.store.filters import Constraints
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


class Directions:
    """Synthetic vectors with the structure of the trained space: an item lies along its category, colour
    and gender (plus as much noise again), so a query aimed at "black jeans for men" has black jeans
    among its nearest items, as a shopper's words do in the real space. Pure noise vectors (the earlier
    version of this benchmark) made every filter look uncorrelated with the query, which no shopper's
    query is."""

    def __init__(self, dim: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.dim = dim
        self.category = dict(zip(CATEGORIES, unit(rng.standard_normal((len(CATEGORIES), dim)))))
        self.colour = dict(zip(COLOURS, unit(rng.standard_normal((len(COLOURS), dim)))))
        self.gender = dict(zip(["men", "women", "unisex"], unit(rng.standard_normal((3, dim)))))

    def point(self, category: str, colour: str | None, gender: str | None, rng: np.random.Generator) -> np.ndarray:
        vector = self.category[category] + unit(rng.standard_normal(self.dim))
        if colour:
            vector = vector + 0.6 * self.colour[colour]
        if gender:
            vector = vector + 0.3 * self.gender[gender]
        return vector.astype(np.float32)

    def item(self, metadata: dict, rng: np.random.Generator) -> np.ndarray:
        return self.point(metadata["category"], metadata["colours"][0], metadata["gender"], rng)

    def query(self, constraints: Constraints, rng: np.random.Generator) -> np.ndarray:
        colour = constraints.colours[0] if constraints.colours else None
        return self.point(constraints.categories[0], colour, constraints.gender, rng)


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


# strategy -> (probe reading metadata from this many items, filter columns or not,
# the columns listing the passing items first below this many items)
NEVER = float("inf")
STRATEGIES = {
    "chroma filter": (NEVER, False, 0),
    "probe, then filter": (0, False, 0),
    "filter columns: probe, then the passing ids": (NEVER, True, 0),
    "filter columns: the passing ids": (NEVER, True, NEVER),
}


def measure(store: GarmentStore, directions: Directions, queries: int, n: int, seed: int = 2) -> dict:
    """Each strategy answers the same queries: the filter pushed into Chroma, or an unfiltered probe first
    whose candidates are checked with their metadata or with the filter columns (built before timing)."""
    rows = {}
    for strategy, (probe_from_items, filter_columns, listed_first_below) in STRATEGIES.items():
        store.probe_from_items, store.filter_columns = probe_from_items, filter_columns
        store.listed_first_below = listed_first_below
        built_s = _build_columns(store) if filter_columns else None
        store.answers.clear()
        rng, vectors = random.Random(seed), np.random.default_rng(seed)
        timings, hits = [], []
        for _ in range(queries):
            constraints = realistic_constraints(rng)
            vector = directions.query(constraints, vectors)
            started = time.perf_counter()
            found = store.query("text", vector, constraints, n)
            timings.append((time.perf_counter() - started) * 1000)
            hits.append(len(found))
        rows[strategy] = {
            "p50_ms": round(float(np.percentile(timings, 50)), 2),
            "p95_ms": round(float(np.percentile(timings, 95)), 2),
            "queries": queries,
            "n": n,
            "mean_results": round(float(np.mean(hits)), 1),
            "answered_by_probe": round(store.answers["probe"] / queries, 3),
            "answered_by_columns": round(store.answers["columns"] / queries, 3),
            **({"columns_build_s": built_s} if built_s is not None else {}),
        }
    return rows


def _build_columns(store: GarmentStore) -> float:
    started = time.perf_counter()
    store.columns(wait=True)
    return round(time.perf_counter() - started, 1)


def run(
    sizes: tuple[int, ...] = (10_000, 100_000),
    dim: int = 512,
    queries: int = 300,
    stores: str = "embedded,server",
    n: int = 100,
) -> dict:
    """Each store (embedded PersistentClient, `chroma run` over HTTP) is filled in steps, measured at each
    size; `n` is what a search asks of each space (the candidate pool)."""
    results: dict[str, dict] = {}
    directions = Directions(dim)
    for kind in stores.split(","):
        with (
            tempfile.TemporaryDirectory(prefix="bench-chroma-") as folder,
            chroma_settings(kind, Path(folder)) as settings,
        ):
            store = GarmentStore(make_chroma_client(settings), "bench", {"text": dim}, "synthetic")
            filled = 0
            for size in sizes:
                seconds = fill_range(store, directions, filled, size)
                rate = round((size - filled) / seconds)
                filled = size
                for strategy, measured in measure(store, directions, queries, n).items():
                    row = {"store": kind, "items": size, "dim": dim, "strategy": strategy, "insert_per_s": rate}
                    results[f"{kind} {size} {strategy}"] = {**row, **measured}
    return {
        "store": "embedded chroma (PersistentClient) and a `chroma run` server over HTTP on loopback",
        "filters": "category + optional gender/price/colour/size",
        "vectors": "synthetic, along category/colour/gender directions plus noise; queries aim at their filter",
        "k": n,
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


def fill_range(store: GarmentStore, directions: Directions, start: int, stop: int) -> float:
    """Insert items start..stop (the earlier ones stay, so 100k builds on 10k)."""
    rng, noise = random.Random(start), np.random.default_rng(start)
    started = time.perf_counter()
    for offset in track(range(start, stop, 5000), description=f"inserting to {stop}", transient=True):
        metadatas = [synthetic_metadata(i, rng) for i in range(offset, min(offset + 5000, stop))]
        store.upsert(metadatas, {"text": np.stack([directions.item(m, noise) for m in metadatas])})
    return time.perf_counter() - started
