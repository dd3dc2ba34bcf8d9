"""Redis as the assistant's processes use it: the client, and shoppers' photos remembered as embeddings."""

from __future__ import annotations

import numpy as np
import redis

from shopguide.settings import Settings


def redis_client(settings: Settings) -> redis.Redis:
    """The configured Redis, else the embedded server's address (started by `shopguide run`)."""
    url = settings.redis_url or f"redis://{settings.host}:{settings.redis_port}/0"
    return redis.Redis.from_url(url, socket_timeout=5)


class PhotoMemory:
    """A shopper's last photo as embeddings only, for refinements; expires with the conversation."""

    def __init__(self, client: redis.Redis, ttl_s: int, prefix: str = "shopguide:photo:") -> None:
        self.client = client
        self.ttl_s = ttl_s
        self.prefix = prefix

    def save(self, sender: str, vectors: dict[str, np.ndarray]) -> None:
        key = self.prefix + sender
        pipe = self.client.pipeline()
        pipe.delete(key)
        pipe.hset(key, mapping={space: v.astype(np.float32).tobytes() for space, v in vectors.items()})
        pipe.expire(key, self.ttl_s)
        pipe.execute()

    def load(self, sender: str) -> dict[str, np.ndarray]:
        stored = self.client.hgetall(self.prefix + sender)
        return {space.decode(): np.frombuffer(raw, dtype=np.float32) for space, raw in stored.items()}

    def forget(self, sender: str) -> None:
        self.client.delete(self.prefix + sender)
