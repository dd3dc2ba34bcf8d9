"""Everything kept about one shopper, found and deleted: "forget me".

Every per-shopper key the assistant writes is ``shopguide:<kind>:<shopper>`` (profile, remembered
photo, shown cards, rate counters); Rasa keeps the conversation under ``<prefix>:tracker:<shopper>``
and its lock under ``<prefix>:lock:<shopper>``. Only redis is imported: the channels use it too.
"""

from __future__ import annotations

import contextlib
import re

import redis

FORGOTTEN = {"type": "forgotten"}  # the payload with which "forget me" tells the channel to drop the tracker
_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


def shopper_keys(client: redis.Redis, shopper: str, tracker_prefix: str | None) -> list[bytes]:
    """The Redis keys that hold anything about `shopper`; Rasa's too unless `tracker_prefix` is None.

    A custom action passes None: Rasa holds the conversation's lock and writes its tracker after
    the action, so the channel deletes those once the turn is over.
    """
    escaped = _GLOB_SPECIAL.sub(r"\\\1", shopper)
    found = client.scan_iter(match=f"shopguide:*:{escaped}", count=1000)
    # the pattern also matches "shopguide:a:b:<shopper>"; kinds have no colon, so keep exact owners
    keys = {key for key in found if key.split(b":", 2)[2] == shopper.encode()}
    keys |= {
        name for kind in ("tracker", "lock") if client.exists(name := f"{tracker_prefix}:{kind}:{shopper}".encode())
    }
    return sorted(keys)


def forget_shopper(client: redis.Redis, shopper: str, tracker_prefix: str | None) -> int:
    """Delete every key of `shopper`; the number deleted.

    With the conversation included, Redis also rewrites its append-only file: until then the old
    file on disk still holds the deleted values.
    """
    keys = shopper_keys(client, shopper, tracker_prefix)
    deleted = int(client.delete(*keys)) if keys else 0
    if tracker_prefix is not None:
        with contextlib.suppress(redis.ResponseError):  # a rewrite already running, or the command disabled
            client.bgrewriteaof()
    return deleted
