"""Shared fixtures: isolated settings per test, one loaded encoder per session, real data paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopguide.runner.launch import free_port
from shopguide.settings import Settings, shared_data_dir

pytest_plugins = ["tests.running_assistant"]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not (path / "myntra" / "catalog_with_images.csv").exists():
        pytest.skip(f"real data not found at {path} (set SHOPGUIDE_SHARED_DATA)")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings of a private deployment: its own var/ folder and ports, embedded stores."""
    return Settings(
        var_dir=tmp_path / "var",
        redis_url=None,
        chroma_url=None,
        ingest_batch_size=16,
        rasa_port=free_port(),
        action_port=free_port(),
        redis_port=free_port(),
    )


@pytest.fixture(scope="session")
def encoder():
    from models.encoder import FrozenTowersEncoder
    from models.image_tower import ImageTower
    from models.text_tower import load_text_tower

    return FrozenTowersEncoder(load_text_tower("use", 2), ImageTower(num_threads=2))


@pytest.fixture(scope="session")
def demo_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from data.demo_catalogue import generate

    return generate(tmp_path_factory.mktemp("demo"), n_items=150, seed=3)


@pytest.fixture
def store(settings: Settings, encoder):
    from shopguide.store.client import make_chroma_client
    from shopguide.store.garment_store import GarmentStore

    return GarmentStore(make_chroma_client(settings), settings.collection_prefix, encoder.spaces, encoder.name)


@pytest.fixture
def ingester(store, encoder, settings: Settings):
    from shopguide.catalogue.ingest import CatalogueIngester

    return CatalogueIngester(store, encoder, settings)


@pytest.fixture(scope="session")
def live_redis(tmp_path_factory: pytest.TempPathFactory):
    """A real Redis server (the embedded one) for the whole session; tests use distinct keys."""
    import redis

    from shopguide.redis_server import EmbeddedRedis

    with EmbeddedRedis(free_port(), tmp_path_factory.mktemp("redis")) as server:
        yield redis.Redis.from_url(server.url)
