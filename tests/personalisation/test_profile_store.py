"""Profiles in a real Redis: round trips, concurrent feedback, consent, expiry and forgetting."""

from __future__ import annotations

import threading
from datetime import date

import redis

from shopguide.personalisation.profile import Purchase
from shopguide.personalisation.profile_store import ProfileStore


def test_feedback_is_stored_under_one_key_with_an_expiry(profiles, client, demo_items):
    assert not profiles.exists("tg:42")
    assert profiles.load("tg:42").is_empty()
    profiles.record_feedback("tg:42", demo_items["demo-0050"], liked=True)
    profiles.record_feedback("tg:42", demo_items["demo-0002"], liked=False)
    profiles.record_size("tg:42", "M")
    assert client.keys("*") == [b"shopguide:profile:tg:42"]
    assert 0 < client.ttl("shopguide:profile:tg:42") <= 3600
    stored = profiles.load("tg:42")
    assert stored.liked == ["demo-0050"] and stored.disliked == ["demo-0002"]
    assert stored.size_for("skirt") == "M" and stored.last_seen is not None


def test_feedback_from_two_servers_at_once_is_never_lost(profiles, redis_server, demo_items):
    items = list(demo_items.values())[:40]
    other = ProfileStore(redis.Redis.from_url(redis_server.url), ttl_s=3600)

    def like(store: ProfileStore, part: list) -> None:
        for item in part:
            store.record_feedback("web:7", item, liked=True)

    threads = [threading.Thread(target=like, args=(s, items[n::2])) for n, s in enumerate((profiles, other))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(profiles.load("web:7").liked) == sorted(i.id for i in items)


def test_refusing_consent_wipes_what_was_learned_and_learns_nothing_more(profiles, demo_items):
    profiles.record_feedback("web:8", demo_items["demo-0050"], liked=True)
    profiles.set_consent("web:8", False)
    profiles.record_feedback("web:8", demo_items["demo-0002"], liked=True)
    profiles.record_purchases("web:8", [Purchase(item_id="demo-0003", date=date(2024, 1, 2))], demo_items)
    stored = profiles.load("web:8")
    assert stored.consent is False and stored.is_empty()


def test_with_consent_required_nothing_is_kept_before_it_is_given(client, demo_items):
    strict = ProfileStore(client, requires_consent=True)
    strict.record_feedback("web:9", demo_items["demo-0050"], liked=True)
    assert not strict.exists("web:9")
    strict.set_consent("web:9", True)
    strict.record_feedback("web:9", demo_items["demo-0050"], liked=True)
    assert strict.load("web:9").liked == ["demo-0050"] and client.ttl("shopguide:profile:web:9") == -1


def test_forget_deletes_every_key_of_the_shopper_and_no_one_elses(profiles, client, demo_items):
    for shopper in ("web:1", "web:10", "web:1:x"):
        profiles.record_feedback(shopper, demo_items["demo-0050"], liked=True)
    assert profiles.forget("web:1")
    assert not profiles.forget("web:1")
    assert set(client.keys("*")) == {b"shopguide:profile:web:1:x", b"shopguide:profile:web:10"}


def test_touch_renews_a_profile_but_creates_none(profiles, demo_items):
    profiles.touch("web:11")
    assert not profiles.exists("web:11")
    seen = profiles.record_feedback("web:11", demo_items["demo-0050"], liked=True).last_seen
    profiles.touch("web:11")
    assert profiles.load("web:11").last_seen >= seen
