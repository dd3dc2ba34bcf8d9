"""Fixed-window request counting in Redis, shared by every server process of a deployment."""

from __future__ import annotations

import redis


class RateLimiter:
    """At most `limit` events per key in each window of `window_s` seconds."""

    def __init__(self, client: redis.Redis, limit: int, window_s: int, prefix: str) -> None:
        self.client = client
        self.limit = limit
        self.window_s = window_s
        self.prefix = prefix

    def allow(self, key: str) -> bool:
        name = self.prefix + key
        count = self.client.incr(name)
        if count == 1:
            self.client.expire(name, self.window_s)
        return count <= self.limit
