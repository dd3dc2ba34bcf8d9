"""Measured inefficiencies of Rasa 3.6, removed inside the Rasa server without changing what it does.

A recommendation turn makes three or four action server calls, and each paid twice for nothing:

- Rasa checks every response with ``jsonschema.validate(result, schema)``, which first checks the
  schema itself against JSON Schema's meta-schema: 2.0 of the 3.0 ms of a call on this machine
  (jsonschema 3.2). Here the validator is built once; a response it finds invalid still goes to
  Rasa's own check, which raises Rasa's error.
- ``EndpointConfig.request`` opens a new aiohttp session, so a new TCP connection, for every call
  (0.58 ms against 0.28 ms on one kept-alive connection). Here each endpoint configuration keeps one
  session per event loop; Rasa's request code is unchanged and still uses ``async with`` on it.

And every turn's save to the Redis tracker store read the stored conversation back and rebuilt it
event by event, only to find, nearly always, that the turn's tracker simply extends it (the merge
is there for conversations of several sessions, whose tracker holds only the last one): 7.5 ms of
a turn ten turns into a conversation. Here the stored events are compared as JSON first; when they
are the start of the tracker's, the tracker is written as Rasa would write it, else Rasa's save runs.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any


def cache_action_response_validator() -> None:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    rasa_check = RemoteAction._validate_action_result
    if getattr(rasa_check, "cached_validator", False):
        return
    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        return True if validator.is_valid(result) else rasa_check(self, result)

    validate_action_result.cached_validator = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


class _KeptSession:
    """What ``EndpointConfig.session()`` returns here: ``async with`` gives the kept session and leaves it open."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


def keep_endpoint_sessions() -> None:
    from rasa.utils.endpoints import EndpointConfig

    open_session = EndpointConfig.session
    if getattr(open_session, "kept", False):
        return
    kept: dict[str, tuple[asyncio.AbstractEventLoop, Any]] = {}

    def session(self: EndpointConfig) -> _KeptSession:
        """The session of this loop for these headers and credentials (all a session holds)."""
        loop = asyncio.get_running_loop()
        key = repr((id(loop), self.headers, self.basic_auth))
        if key not in kept or kept[key][0] is not loop or kept[key][1].closed:
            kept[key] = (loop, open_session(self))
        return _KeptSession(kept[key][1])

    session.kept = True  # type: ignore[attr-defined]
    EndpointConfig.session = session  # type: ignore[method-assign]


def _extends(stored: str | bytes, serialised: str) -> bool:
    """Whether the stored conversation's events are the first events of the one about to be written."""
    before = json.loads(stored).get("events") or []
    return json.loads(serialised).get("events", [])[: len(before)] == before


def save_trackers_without_rereading() -> None:
    from rasa.core.tracker_store import RedisTrackerStore

    rasa_save = RedisTrackerStore.save
    if getattr(rasa_save, "without_rereading", False):
        return

    async def save(self: RedisTrackerStore, tracker: Any, timeout: float | None = None) -> None:
        if self.event_broker is not None:  # streaming diffs against the stored tracker: Rasa's way
            return await rasa_save(self, tracker, timeout)
        key = self.key_prefix + tracker.sender_id
        stored = self.red.get(key)
        serialised = self.serialise_tracker(tracker)
        if stored is not None and not _extends(stored, serialised):
            return await rasa_save(self, tracker, timeout)
        self.red.set(key, serialised, ex=timeout or self.record_exp or None)

    save.without_rereading = True  # type: ignore[attr-defined]
    RedisTrackerStore.save = save  # type: ignore[method-assign]
