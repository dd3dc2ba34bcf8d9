"""Profiles and catalogue items for commands run outside the assistant (``shopguide profiles ...``).

The profiles live in the assistant's Redis: the configured ``REDIS_URL``, else the embedded server
that ``shopguide run`` starts. When that one is not running, the command starts it on the same
port and data folder for its own duration, so what it writes is there when the assistant starts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import redis

from shopguide.catalogue.schema import CatalogueItem
from shopguide.errors import SetupError
from shopguide.personalisation.profile_store import ProfileStore
from shopguide.redis_client import redis_client
from shopguide.redis_server import EmbeddedRedis
from shopguide.settings import Settings
from shopguide.store.garment_store import GarmentStore

_FETCH_CHUNK = 1000


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@contextmanager
def profile_store(settings: Settings) -> Iterator[ProfileStore]:
    """The ProfileStore on the assistant's Redis; raises SetupError if a configured server is down."""
    client = redis_client(settings)
    if _answers(client):
        yield ProfileStore.from_settings(client, settings)
        return
    if settings.redis_url:
        raise SetupError(f"Redis at {settings.redis_url} does not answer (REDIS_URL)")
    with EmbeddedRedis(settings.redis_port, settings.var_dir / "redis", settings.host) as server:
        yield ProfileStore.from_settings(redis.Redis.from_url(server.url, socket_timeout=5), settings)


def items_by_id(store: GarmentStore, ids: Sequence[str]) -> dict[str, CatalogueItem]:
    """The catalogue items among `ids` (ids the store does not have are absent)."""
    found: dict[str, CatalogueItem] = {}
    for start in range(0, len(ids), _FETCH_CHUNK):
        found.update({s.item.id: s.item for s in store.fetch(ids[start : start + _FETCH_CHUNK])})
    return found
