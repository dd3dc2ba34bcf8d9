"""Model speed: training on the myntra catalogue from nothing cached, photo and text embedding, and a
fused query (photo + words -> joint vector -> filtered Chroma query) end to end."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from bench.ingest_speed import MYNTRA_MAP
from models.features import FeatureStore, split_of
from models.image_tower import ImageTower, open_image
from models.text_tower import load_text_tower
from models.trained_encoder import TrainedEncoder
from models.training import TrainConfig, train_joint_model
from shopguide.evaluation.dataset import load_garments
from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.filters import Constraints
from shopguide.store.garment_store import GarmentStore

WORDS = ["like this but in blue", "same but cheaper", "this in black for men", "红色的", "something like this"]


def timed(call: Callable[[int], object], repeats: int) -> dict[str, float]:
    """p50/p95 in ms of `call(i)` over `repeats` calls, after two warm-up calls."""
    call(0), call(1)
    samples = []
    for i in range(repeats):
        started = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(float(np.percentile(samples, 50)), 1),
        "p95_ms": round(float(np.percentile(samples, 95)), 1),
    }


def run(shared: Path, photos: list[Path], text_tower: str = "use", repeats: int = 50) -> dict:
    garments = [g for g in load_garments(shared / "myntra" / "catalog_with_images.csv", MYNTRA_MAP) if g.image]
    with tempfile.TemporaryDirectory(prefix="bench-model-") as folder:
        image_tower, text = ImageTower(num_threads=2), load_text_tower(text_tower)
        started = time.perf_counter()
        store = FeatureStore(Path(folder), image_tower, text)
        model = train_joint_model(garments, store, text_tower, TrainConfig(), report=lambda _: None)
        training_s = time.perf_counter() - started
        encoder = TrainedEncoder(text, image_tower, model)
        uploads = [p.read_bytes() for p in photos]

        def photo(i: int) -> Image.Image:
            """Decoded anew on each call, as an upload is (the encoder remembers the last photo object)."""
            image = open_image(uploads[i % len(uploads)])
            image.load()
            return image

        test = [g for g in garments if split_of(g.id) == "test"]
        client = make_chroma_client(Settings(var_dir=Path(folder), chroma_url=None))
        gallery = GarmentStore(client, "bench", {"joint": model.dim}, "bench")
        features, ok = store.images([g.image for g in test])
        metadata = [{"item_id": g.id, "category": g.category or "", "item": "{}"} for g in test]
        kept = [m for m, good in zip(metadata, ok, strict=True) if good]
        gallery.upsert(kept, {"joint": model.project_images(features[ok])})

        def fused_query(i: int) -> None:
            vector = encoder.query_vectors(WORDS[i % len(WORDS)], photo(i))["joint"]
            gallery.nearest("joint", vector, Constraints(categories=[kept[i % len(kept)]["category"]]), 10)

        def batch(i: int) -> None:
            encoder.item_vectors(["a garment"] * 32, [photo(i + j) for j in range(32)])

        result = {
            "training": {
                "items": model.record["items"],
                "seconds": round(training_s, 1),
                "what": "tower features of every train/validation photo (nothing cached) + all heads",
            },
            "photo_single": timed(lambda i: encoder.query_vectors(None, photo(i)), repeats),
            "photo_batch_32_per_image": {k: round(v / 32, 1) for k, v in timed(batch, 5).items()},
            "text_single": timed(lambda i: encoder.query_vectors(f"{WORDS[i % len(WORDS)]} {i}", None), repeats),
            "fused_query": timed(fused_query, repeats),
            "gallery_items": gallery.count(),
            "encoder": encoder.name,
        }
    return result
