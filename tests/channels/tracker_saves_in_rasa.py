"""Run by test_rasa_speedups.py with the Rasa server's Python: Rasa's Redis tracker store saving turns,
with our channels loaded (so with the speedups). Prints one line of JSON."""

import asyncio
import json
import os

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import bot.channels  # noqa: F401  (what Rasa imports to load our channels: installs the speedups)

domain = Domain.load("bot/domain.yml")
store = RedisTrackerStore(domain, host="127.0.0.1", port=int(os.environ["REDIS_PORT"]), key_prefix="speedups")
rebuilt = []
rebuild = store.deserialise_tracker
store.deserialise_tracker = lambda *args: rebuilt.append(1) or rebuild(*args)


def turn(text, at):
    return [
        UserUttered(text, {"name": "greet"}, timestamp=at),
        ActionExecuted("utter_greet", timestamp=at + 0.1),
        ActionExecuted("action_listen", timestamp=at + 0.2),
    ]


def session(at):
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
        ActionExecuted("action_listen", timestamp=at + 0.01),
    ]


def texts(tracker):
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


async def next_turn(sender, text, at):
    """One turn as Rasa's processor does it: retrieve, add events, save. Returns rebuilds while saving."""
    tracker = await store.retrieve(sender)
    for event in turn(text, at):
        tracker.update(event)
    rebuilt.clear()
    await store.save(tracker)
    return len(rebuilt), tracker


async def main():
    out = {"patched": getattr(RedisTrackerStore.save, "without_rereading", False)}
    await store.save(DialogueStateTracker.from_events("one", session(0) + turn("a", 1), domain.slots))
    out["one_rebuilds"], tracker = await next_turn("one", "b", 2)
    out["one_stored_as_rasa_writes"] = store.red.get(store.key_prefix + "one") == store.serialise_tracker(tracker)
    out["one_texts"] = texts(await store.retrieve_full_tracker("one"))
    two_sessions = session(0) + turn("a", 1) + session(10) + turn("b", 11)
    await store.save(DialogueStateTracker.from_events("two", two_sessions, domain.slots))
    out["two_rebuilds"], _ = await next_turn("two", "c", 20)
    out["two_texts"] = texts(await store.retrieve_full_tracker("two"))
    out["two_last_session"] = texts(await store.retrieve("two"))
    print(json.dumps(out))


asyncio.run(main())
