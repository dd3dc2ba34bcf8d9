""" "Forget me" finds every key of one shopper and nothing of anyone else; what a photo leaves: real Redis."""

from __future__ import annotations

import numpy as np

from shopguide.privacy import forget_shopper, shopper_keys
from shopguide.redis_client import PhotoMemory, RememberedPhoto


def test_forget_deletes_the_shoppers_keys_only(live_redis):
    shopper, other = "web-forget-1", "web-forget-10"
    for name in (shopper, other, "x*y"):
        live_redis.set(f"shopguide:profile:{name}", "{}")
        live_redis.hset(f"shopguide:photo:{name}", "image", b"\x00")
        live_redis.set(f"garments:tracker:{name}", "{}")
    live_redis.set(f"shopguide:cards:other:{shopper}", "not theirs: a kind with a colon")
    assert forget_shopper(live_redis, shopper, "garments") == 3
    assert not shopper_keys(live_redis, shopper, "garments")
    assert live_redis.exists(f"shopguide:profile:{other}", f"garments:tracker:{other}") == 2
    assert live_redis.exists(f"shopguide:cards:other:{shopper}")


def test_an_action_leaves_the_conversation_to_rasa(live_redis):
    live_redis.set("shopguide:photo:web-forget-2", "v")
    live_redis.set("garments:tracker:web-forget-2", "{}")
    assert forget_shopper(live_redis, "web-forget-2", tracker_prefix=None) == 1
    assert live_redis.exists("garments:tracker:web-forget-2")


def test_glob_characters_in_an_id_match_only_that_id(live_redis):
    live_redis.set("shopguide:profile:x*y", "{}")
    live_redis.set("shopguide:profile:xAy", "{}")
    assert b"shopguide:profile:x*y" in shopper_keys(live_redis, "x*y", None)
    assert b"shopguide:profile:xAy" not in shopper_keys(live_redis, "x*y", None)


def test_a_remembered_photo_is_its_embeddings_and_what_it_showed(live_redis):
    """No pixels: the vectors the next turns search with and the words the photo was read as."""
    photos = PhotoMemory(live_redis, ttl_s=60)
    vectors = {"image": np.arange(4, dtype=np.float32), "joint": np.ones(3, dtype=np.float32)}
    photos.save("web-photo-1", vectors, {"category": "dress", "colour": "black", "pattern": None})
    remembered = photos.load("web-photo-1")
    assert remembered.look == {"category": "dress", "colour": "black"}
    assert {space: v.tolist() for space, v in remembered.vectors.items()} == {k: v.tolist() for k, v in vectors.items()}
    assert photos.what_it_showed("web-photo-1", "category") == "dress"
    assert photos.what_it_showed("web-photo-1", "pattern") is None
    assert 0 < live_redis.ttl("shopguide:photo:web-photo-1") <= 60
    assert forget_shopper(live_redis, "web-photo-1", tracker_prefix=None) == 1
    assert photos.load("web-photo-1") == RememberedPhoto()
