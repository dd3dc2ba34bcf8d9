"""Redis as the assistant's processes use it: the client, and shoppers' photos remembered as embeddings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import redis

from shopguide.settings import Settings


def redis_client(settings: Settings) -> redis.Redis:
    """The configured Redis, else the embedded server's address (started by `shopguide run`)."""
    url = settings.redis_url or f"redis://{settings.host}:{settings.redis_port}/0"
    return redis.Redis.from_url(url, socket_timeout=5)


LOOK = "look:"  # hash fields of what the photo showed, beside one field of raw float32 bytes per space


@dataclass
class RememberedPhoto:
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    look: dict[str, str] = field(default_factory=dict)  # what it showed: category, colour, pattern


class PhotoMemory:
    """A shopper's last photo as embeddings and what it showed (no pixels), for the turns after it;
    expires with the conversation."""

    def __init__(self, client: redis.Redis, ttl_s: int, prefix: str = "shopguide:photo:") -> None:
        self.client = client
        self.ttl_s = ttl_s
        self.prefix = prefix

    def save(self, sender: str, vectors: dict[str, np.ndarray], look: Mapping[str, str | None] | None = None) -> None:
        key = self.prefix + sender
        fields: dict[str, bytes | str] = {space: v.astype(np.float32).tobytes() for space, v in vectors.items()}
        fields |= {LOOK + name: value for name, value in (look or {}).items() if value}
        pipe = self.client.pipeline()
        pipe.delete(key)
        pipe.hset(key, mapping=fields)
        pipe.expire(key, self.ttl_s)
        pipe.execute()

    def load(self, sender: str) -> RememberedPhoto:
        photo = RememberedPhoto()
        for raw_name, raw in self.client.hgetall(self.prefix + sender).items():
            name = raw_name.decode()
            if name.startswith(LOOK):
                photo.look[name.removeprefix(LOOK)] = raw.decode()
            else:
                photo.vectors[name] = np.frombuffer(raw, dtype=np.float32)
        return photo

    def what_it_showed(self, sender: str, name: str) -> str | None:
        """One thing the last photo showed (its "category"), without reading its vectors."""
        raw = self.client.hget(self.prefix + sender, LOOK + name)
        return raw.decode() if raw is not None else None

    def put_right(self, sender: str, name: str, value: str) -> None:
        """What the last photo showed, put right by the shopper ("it's a hoodie, not a sweater")."""
        if self.client.exists(self.prefix + sender):
            self.client.hset(self.prefix + sender, LOOK + name, value)

    def forget(self, sender: str) -> None:
        self.client.delete(self.prefix + sender)
