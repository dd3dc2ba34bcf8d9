"""Measured inefficiencies of Rasa 3.6, removed inside the Rasa server without changing what it does.

A recommendation turn makes two to four action server calls, and each paid for nothing:

- Rasa checks every response with ``jsonschema.validate(result, schema)``, which first checks the
  schema itself against JSON Schema's meta-schema: 2.0 of the 3.0 ms of a call on this machine
  (jsonschema 3.2). Here the validator is built once. And each event is checked against all 22 event
  schemas (``oneOf``) although its ``event`` name picks the one that can match: here each event is
  checked against its own, which gives the same verdict (the names are distinct constants). A
  response found invalid still goes to Rasa's own check, which raises Rasa's error.
- ``EndpointConfig.request`` opens a new aiohttp session, so a new TCP connection, for every call
  (0.58 ms against 0.28 ms on one kept-alive connection). Here each endpoint configuration keeps one
  session per event loop; Rasa's request code is unchanged and still uses ``async with`` on it. The
  session writes the request (the whole conversation, every call) with ujson, which Rasa already
  depends on, rather than the standard library's encoder: the same JSON, a few times faster.

Reading an event (every event of the stored conversation at each turn, and of each action response)
looks its class up by walking every subclass of ``Event`` and asking whether each is abstract: 27 us an
event, so ~1.5 ms to load a conversation of 60 events. Here the classes Rasa's walk found are kept by
name; a name not kept yet (or unknown) still goes to Rasa's lookup, so its answers and errors are Rasa's.

Once the model is loaded, the first message's language understanding traces TensorFlow's graph (0.64 s
the first shopper waited): here one message is understood before the server says it is up. And a full
garbage collection walked the loaded model's objects too: 0.4-0.7 s, which the turn it lands on (and
every turn queued behind it) waits. Here the heap is then frozen (`shopguide.heap`): ~0 ms.

A message that starts a form had its slots extracted twice: once by the message's own
``action_extract_slots``, then again when the form activates (for mappings of type
``from_trigger_intent``), each time with a call to the action server's slot validation (~2 ms). With no
such mapping in the domain, and no action run since the message, the second extraction reads exactly
the tracker the first one left: here it is skipped, and the form validates what the first one found.

And every turn's save to the Redis tracker store read the stored conversation back and rebuilt it
event by event, only to find, nearly always, that the turn's tracker simply extends it (the merge
is there for conversations of several sessions, whose tracker holds only the last one): 7.5 ms of
a turn ten turns into a conversation. Here the stored events are compared as JSON first; when they
are the start of the tracker's, the tracker is written as Rasa would write it, else Rasa's save runs.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Any


def _validator(schema: dict[str, Any]) -> Any:
    from jsonschema.validators import validator_for

    return validator_for(schema)(schema)


def response_check(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """``is_valid`` for Rasa's action response schema, each event checked against the one event schema
    its name selects; the plain validator when the schema's events are not told apart by a name."""
    events = schema["properties"]["events"]
    item = events["items"]
    choices = item["oneOf"]
    names = [choice.get("properties", {}).get("event", {}).get("const") for choice in choices]
    if None in names or len(set(names)) != len(names):
        return _validator(schema).is_valid
    common = {key: value for key, value in item.items() if key != "oneOf"}
    by_name = {name: _validator({"allOf": [common, choice]}) for name, choice in zip(names, choices)}
    without_items = {key: value for key, value in events.items() if key != "items"}
    outer = _validator({**schema, "properties": {**schema["properties"], "events": without_items}})

    def event_is_valid(event: Any) -> bool:
        name = event.get("event") if isinstance(event, dict) else None
        return isinstance(name, str) and name in by_name and by_name[name].is_valid(event)

    def is_valid(result: Any) -> bool:
        return outer.is_valid(result) and all(event_is_valid(e) for e in result.get("events") or [])

    return is_valid


def cache_action_response_validator() -> None:
    from rasa.core.actions.action import RemoteAction

    rasa_check = RemoteAction._validate_action_result
    if getattr(rasa_check, "cached_validator", False):
        return
    is_valid = response_check(RemoteAction.action_response_format_spec())

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        return True if is_valid(result) else rasa_check(self, result)

    validate_action_result.cached_validator = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def index_event_types() -> None:
    from rasa.shared.core.events import Event

    rasa_resolve = Event.resolve_by_type
    if getattr(rasa_resolve, "indexed", False):
        return
    found: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        if type_name in found:
            return found[type_name]
        event_class = rasa_resolve(type_name, default)
        if event_class is not None and getattr(event_class, "type_name", None) == type_name:
            found[type_name] = event_class  # the class Rasa's walk finds first for the name: never a default
        return event_class

    resolve_by_type.indexed = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]


def settle_after_loading_the_model() -> None:
    """Called while Rasa makes its input channels, before it schedules the model's loading by name."""
    import rasa.core.run as rasa_run

    load = rasa_run.load_agent_on_start
    if getattr(load, "settles", False):
        return

    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        from shopguide.heap import freeze_startup_heap

        agent = await load(*args, **kwargs)
        started = time.perf_counter()
        if agent.is_ready():
            await agent.parse_message("hello")
        freeze_startup_heap()
        logging.getLogger(__name__).info("rasa.warmed_up seconds=%.2f", time.perf_counter() - started)
        return agent

    load_agent_on_start.settles = True  # type: ignore[attr-defined]
    rasa_run.load_agent_on_start = load_agent_on_start


def json_writer() -> Callable[[Any], str]:
    """What aiohttp sends for ``json=``: ujson's JSON (NaN, non-string keys and big integers as json writes
    them). Imported here, not at the top: the `shopguide` CLI's environment imports this module without ujson."""
    import ujson

    return partial(ujson.dumps, ensure_ascii=False, escape_forward_slashes=False)


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
    write_json = json_writer()

    def session(self: EndpointConfig) -> _KeptSession:
        """The session of this loop for these headers and credentials (all a session holds)."""
        loop = asyncio.get_running_loop()
        key = repr((id(loop), self.headers, self.basic_auth))
        if key not in kept or kept[key][0] is not loop or kept[key][1].closed:
            opened = open_session(self)
            opened._json_serialize = write_json  # aiohttp's ClientSession(json_serialize=...), set after Rasa made it
            kept[key] = (loop, opened)
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


# set while a form activates right after its message's own slot extraction (see the module's docstring)
_EXTRACTED_FOR_THIS_MESSAGE = contextvars.ContextVar("extracted_for_this_message", default=False)


def _nothing_ran_since_the_message(tracker: Any) -> bool:
    from rasa.shared.core.events import ActionExecuted, UserUttered

    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


def _maps_from_trigger_intents(domain: Any) -> bool:
    return any(mapping.get("type") == "from_trigger_intent" for slot in domain.slots for mapping in slot.mappings)


def extract_slots_once_per_message() -> None:
    from rasa.core.actions.action import ActionExtractSlots
    from rasa.core.actions.forms import FormAction

    rasa_activate, rasa_extract = FormAction.activate, ActionExtractSlots.run
    if getattr(rasa_activate, "extracts_once", False):
        return

    async def activate(self: FormAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> Any:
        fresh = _nothing_ran_since_the_message(tracker) and not _maps_from_trigger_intents(domain)
        token = _EXTRACTED_FOR_THIS_MESSAGE.set(fresh)
        try:
            return await rasa_activate(self, output_channel, nlg, tracker, domain)
        finally:
            _EXTRACTED_FOR_THIS_MESSAGE.reset(token)

    async def run(self: ActionExtractSlots, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> Any:
        if _EXTRACTED_FOR_THIS_MESSAGE.get():
            return []
        return await rasa_extract(self, output_channel, nlg, tracker, domain)

    activate.extracts_once = True  # type: ignore[attr-defined]
    FormAction.activate = activate  # type: ignore[method-assign]
    ActionExtractSlots.run = run  # type: ignore[method-assign]
