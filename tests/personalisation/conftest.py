"""A real Redis (the embedded server) and the demo catalogue's items for the personalisation tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from shopguide.catalogue.schema import CatalogueItem
from shopguide.personalisation.profile_store import ProfileStore
from shopguide.redis_server import EmbeddedRedis
from tests.conftest import free_port


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    with EmbeddedRedis(free_port(), tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def client(redis_server: EmbeddedRedis) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def profiles(client: redis.Redis) -> ProfileStore:
    return ProfileStore(client, ttl_s=3600)


@pytest.fixture(scope="session")
def demo_items(demo_catalogue: Path) -> dict[str, CatalogueItem]:
    lines = demo_catalogue.read_text().splitlines()
    return {item.id: item for item in (CatalogueItem.model_validate_json(line) for line in lines if line.strip())}
