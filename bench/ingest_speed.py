"""Ingest throughput with real 224 px product photos (../shared/data/myntra), or the demo catalogue."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from models.encoder import load_encoder
from shopguide.catalogue.ingest import CatalogueIngester, IngestOptions
from shopguide.runner.catalogue import demo_catalogue
from shopguide.runner.joint_model import ensure_joint_model
from shopguide.settings import Settings, shared_data_dir
from shopguide.store.client import make_chroma_client
from shopguide.store.garment_store import GarmentStore

MYNTRA_MAP = {"title": "productDisplayName", "category": "articleType", "colours": "baseColour"}


def myntra_subset(shared: Path, count: int, folder: Path) -> Path:
    """The first `count` rows of the myntra catalogue as a CSV whose image paths point into shared/."""
    source = shared / "myntra" / "catalog_with_images.csv"
    path = folder / "myntra-subset.csv"
    with source.open(newline="") as handle, path.open("w", newline="") as out:
        reader = csv.DictReader(handle)
        writer = csv.DictWriter(out, [*reader.fieldnames])  # type: ignore[misc]
        writer.writeheader()
        for _, row in zip(range(count), reader):
            row["image"] = str(shared / "myntra" / row["image"])
            writer.writerow(row)
    return path


def assistant_model() -> Path:
    """The trained model `make run` serves (trained on the demo catalogue once, then cached), so that
    ingest is timed as a retailer's runs: joint vectors and attribute readings included."""
    project = Settings()
    ensure_joint_model(project, demo_catalogue(project), {})
    return project.joint_model_path


def run(count: int = 500) -> dict:
    shared = shared_data_dir()
    model = assistant_model()
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        settings = Settings(var_dir=Path(folder) / "var", chroma_url=None, joint_model_dir=model)
        if (shared / "myntra").exists():
            path, mapping, data = myntra_subset(shared, count, Path(folder)), MYNTRA_MAP, "myntra (224 px JPEG)"
        else:
            from data.demo_catalogue import generate

            path, mapping, data = generate(Path(folder) / "demo", n_items=count), {}, "demo catalogue (224 px)"
        encoder = load_encoder(settings.text_tower, settings.num_threads, settings.joint_model_path)
        store = GarmentStore(make_chroma_client(settings), "bench", encoder.spaces, encoder.name)
        ingester = CatalogueIngester(store, encoder, settings)
        first = ingester.ingest(path, IngestOptions(mapping=mapping, show_progress=False))
        again = ingester.ingest(path, IngestOptions(mapping=mapping, show_progress=False))
    return {
        "data": data,
        "items": first.embedded,
        "seconds": round(first.seconds, 1),
        "items_per_s": round(first.embedded / first.seconds, 1),
        "encoder": encoder.name,
        "batch_size": settings.ingest_batch_size,
        "threads": settings.num_threads,
        "reingest_unchanged_seconds": round(again.seconds, 2),
    }
