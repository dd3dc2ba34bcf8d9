"""The trained encoder on a small slice of the real catalogue: train, save, load through load_encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from models.encoder import FrozenTowersEncoder, load_encoder
from models.features import FeatureStore, split_of
from models.image_tower import ImageTower
from models.text_tower import load_text_tower
from models.trained_encoder import TrainedEncoder
from models.training import TrainConfig, train_joint_model
from shopguide.catalogue.readers import parse_mapping
from shopguide.evaluation.dataset import MYNTRA_MAP, load_garments

TINY = TrainConfig(dim=32, hidden_dim=128, epochs=3, attribute_epochs=3, fusion_epochs=2, min_class_count=3)


@pytest.fixture(scope="module")
def garments(shared_data: Path):
    return load_garments(shared_data / "myntra" / "catalog_with_images.csv", parse_mapping(MYNTRA_MAP))[:400]


@pytest.fixture(scope="module")
def checkpoint(garments, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("trained")
    store = FeatureStore(folder / "var", ImageTower(num_threads=2), load_text_tower("use"))
    model = train_joint_model(garments, store, "use", TINY, report=lambda _: None)
    not_test = sum(split_of(g.id) != "test" for g in garments)
    assert model.record["items"]["train"] > 200
    assert model.record["items"]["train"] + model.record["items"]["validation"] == not_test, "test split unseen"
    model.save(folder / "joint")
    return folder / "joint"


def test_load_encoder_returns_the_trained_encoder_when_a_checkpoint_exists(checkpoint, garments):
    encoder = load_encoder("use", 2, checkpoint=checkpoint)
    assert isinstance(encoder, TrainedEncoder)
    assert encoder.spaces == {"text": 512, "image": 1280, "joint": 32}
    assert "joint@" in encoder.name and "untracked" not in encoder.name
    photos = [Image.open(g.image) for g in garments[:3]]
    items = encoder.item_vectors([g.title for g in garments[:3]], photos)
    assert {k: v.shape for k, v in items.items()} == {"text": (3, 512), "image": (3, 1280), "joint": (3, 32)}
    assert np.allclose(np.linalg.norm(items["joint"], axis=1), 1, atol=1e-5)
    assert set(encoder.item_vectors(["a red shirt"], None)) == {"text", "joint"}
    vectors, readings = encoder.read_items([g.title for g in garments[:3]], photos)  # one pass for both
    assert all(np.allclose(vectors[space], items[space], atol=1e-5) for space in items)
    assert [r["en"] for r in readings] == [encoder.describe(photo)["en"] for photo in photos]
    assert set(encoder.query_vectors("红色连衣裙", None)) == {"text", "joint"}
    words = encoder.text_tower.embed(["a red shirt"], kind="query")
    expanded = encoder.query_vectors("a red shirt", None)["joint"]
    assert np.allclose(expanded, encoder.model.project_queries(words)[0], atol=1e-5), "words alone are expanded"
    assert not np.allclose(expanded, encoder.model.project_texts(words)[0], atol=1e-3)
    expanded[:] = 0  # a caller's changes do not reach the next search with the same words
    assert np.allclose(encoder.query_vectors("a red shirt", None)["joint"], encoder.model.project_queries(words)[0])
    assert set(encoder.query_vectors(None, photos[0])) == {"image", "joint"}
    fused = encoder.query_vectors("but in red", photos[0])
    assert set(fused) == {"text", "image", "joint"} and abs(np.linalg.norm(fused["joint"]) - 1) < 1e-5


def test_describe_names_attributes_with_confidence_in_two_languages(checkpoint, garments):
    encoder = load_encoder("use", 2, checkpoint=checkpoint)
    photo = Image.open(garments[0].image)
    description = encoder.describe(photo)
    assert {"category", "colour", "gender", "confidence", "en", "zh"} <= set(description)
    assert all(0 < c <= 1 for c in description["confidence"].values())
    assert description["en"] and description["zh"].startswith("一")
    categories = description["category_probabilities"]  # the whole distribution, for the neighbours' votes
    assert abs(sum(categories.values()) - 1) < 1e-4 and max(categories, key=categories.get) == description["category"]
    vectors, read = encoder.read_photo(photo)  # a photo turn: both from one pass of the image tower
    assert read == description
    assert all(np.allclose(v, encoder.query_vectors(None, photo)[k], atol=1e-6) for k, v in vectors.items())


def test_without_a_matching_checkpoint_the_frozen_encoder_is_used(checkpoint, tmp_path):
    assert isinstance(load_encoder("use", 2, checkpoint=tmp_path / "none"), FrozenTowersEncoder)
    assert isinstance(load_encoder("e5", 2, checkpoint=checkpoint), FrozenTowersEncoder)


def test_cached_features_are_reused(checkpoint, garments, tmp_path_factory):
    var = checkpoint.parent / "var"
    store = FeatureStore(var, ImageTower(num_threads=2), load_text_tower("use"))
    paths = [g.image for g in garments[:5]]
    first, ok = store.images(paths)
    again, _ = FeatureStore(var, store.image_tower, store.text_tower).images(paths)
    assert ok.all() and np.array_equal(first, again)


def test_ingest_fills_missing_attributes_from_the_photo_and_marks_them(checkpoint, garments, tmp_path):
    import csv

    from shopguide.catalogue.ingest import CatalogueIngester, IngestOptions
    from shopguide.settings import Settings
    from shopguide.store.client import make_chroma_client
    from shopguide.store.garment_store import GarmentStore

    encoder = load_encoder("use", 2, checkpoint=checkpoint)
    feed = tmp_path / "feed.csv"  # a retailer feed with titles and photos only: no colour, no category
    test_items = [g for g in garments if split_of(g.id) == "test"][:12]
    with feed.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "image"])
        writer.writerows([g.id, g.title, str(g.image)] for g in test_items)
    settings = Settings(var_dir=tmp_path / "var", infer_min_confidence=0.3)
    store = GarmentStore(make_chroma_client(settings), "inferred", encoder.spaces, encoder.name)
    CatalogueIngester(store, encoder, settings).ingest(feed, IngestOptions())
    fetched = store.fetch([g.id for g in test_items])
    assert all(s.metadata["hubness"] > 0 for s in fetched), "each photo's hubness is kept for the rank"
    stored = [s.item for s in fetched]
    inferred = [item for item in stored if item.extra.get("inferred")]
    assert inferred, "confident readings fill the empty fields"
    for item in inferred:
        fields = item.extra["inferred"]
        assert set(fields) <= {"category", "colour", "pattern", "gender"}
        assert ("colour" not in fields or item.colours) and ("category" not in fields or item.category)
