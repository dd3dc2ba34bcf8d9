"""The Rasa server's speedups, in Rasa's own environment: the cached response validator gives Rasa's
verdicts and Rasa's error (on every kind of event Rasa has, valid and broken); event classes are found as
Rasa finds them; the heap is frozen after Rasa loads its model; endpoint calls share one
connection, send the JSON the standard encoder would mean and still raise Rasa's errors; a turn's save
to Redis skips re-reading the conversation only when it merely extends what is stored."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from shopguide.runner.rasa_project import rasa_environment, rasa_executable
from shopguide.settings import PROJECT_ROOT, Settings

CHECK = """
import json
import bot.channels  # what Rasa imports to load our channels
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

action = RemoteAction("action_refine", None)
valid = {"events": [{"event": "slot", "name": "colour", "value": "red"}], "responses": [{"text": "Here you go"}]}
out = {"patched": getattr(RemoteAction._validate_action_result, "cached_validator", False),
       "valid": action._validate_action_result(valid)}
for name, bad in (("events_not_a_list", {"events": "nope"}), ("event_without_kind", {"events": [{"name": "x"}]})):
    try:
        action._validate_action_result(bad)
        out[name] = "accepted"
    except ValidationError as error:
        out[name] = error.message

import copy
from jsonschema.validators import validator_for
from rasa.shared.core import events as rasa_events
from bot.rasa_speedups import response_check

spec = RemoteAction.action_response_format_spec()
rasa_verdict, fast_verdict = validator_for(spec)(spec).is_valid, response_check(spec)
kinds = [
    rasa_events.UserUttered("hi /x 你好", {"name": "greet", "confidence": 0.9}, [{"entity": "colour", "value": "red",
                            "start": 0, "end": 3}], parse_data={"intent_ranking": [{"name": "greet"}]}),
    rasa_events.BotUttered("Here", {"custom": {"type": "products", "items": [{"price": 1.5}]}}),
    rasa_events.SlotSet("colour", ["red", None]), rasa_events.ActionExecuted("action_refine", "rules", 1.0),
    rasa_events.ActiveLoop("shopping_form"), rasa_events.ActiveLoop(None), rasa_events.SessionStarted(),
    rasa_events.FollowupAction("utter_greet"), rasa_events.Restarted(), rasa_events.AllSlotsReset(),
    rasa_events.EntitiesAdded([{"entity": "size", "value": "M"}]), rasa_events.LoopInterrupted(True),
    rasa_events.ActionExecutionRejected("shopping_form"), rasa_events.UserUtteranceReverted(),
    rasa_events.ActionReverted(), rasa_events.ConversationPaused(), rasa_events.ConversationResumed(),
    rasa_events.AgentUttered("hi"), rasa_events.StoryExported(), rasa_events.ReminderCancelled("r"),
]
events = [kind.as_dict() for kind in kinds]
broken = []
for event in events:
    for key in event:
        for wrong in (123, "text", None, [1], {"a": 1}):
            changed = copy.deepcopy(event)
            changed[key] = wrong
            broken.append(changed)
    broken.append({k: v for k, v in event.items() if k != "event"})
    broken.append({**event, "event": ["slot"]})
responses = [{"events": [e]} for e in events + broken] + [
    {"events": events, "responses": [{"text": "x"}]}, {"events": []}, {}, {"responses": ["x"]}, {"events": None},
    {"events": "nope"}, {"events": [1]}, [], "x", None, {"events": [{"event": "slot", "name": 1, "value": 2}]},
    {"events": [{"event": "slot", "name": "a"}]}, {"events": [{"event": "nonsense"}]}, {"events": [{}]},
]
out["verdicts_compared"] = len(responses)
out["verdicts_valid"] = sum(map(rasa_verdict, responses))
out["verdicts_differing"] = [r for r in responses if rasa_verdict(r) != fast_verdict(r)][:3]

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

first_of_name = {}
for event_class in all_subclasses(Event):  # Rasa's walk: the first class of a name is the one it returns
    first_of_name.setdefault(event_class.type_name, event_class)
out["event_types_indexed"] = getattr(Event.resolve_by_type, "indexed", False)
out["event_types_as_rasa"] = [  # twice each: found by Rasa's walk, then by the index
    name for name, found in first_of_name.items() for _ in range(2) if Event.resolve_by_type(name) is not found
]
out["event_types_known"] = len(first_of_name)
out["unknown_with_default"] = Event.resolve_by_type("nonsense", rasa_events.SlotSet) is rasa_events.SlotSet
try:
    Event.resolve_by_type("nonsense")
    out["unknown_event"] = "accepted"
except ValueError as error:
    out["unknown_event"] = str(error)
out["old_topic_event"] = Event.resolve_by_type("topic")
out["events_read_back"] = [type(Event.from_parameters(e)) is type(k) for e, k in zip(events, kinds)].count(False)

import asyncio
import gc
from types import SimpleNamespace
import rasa.core.run
from rasa.core.utils import AvailableEndpoints

app = SimpleNamespace(ctx=SimpleNamespace())
frozen_before = gc.get_freeze_count()
loaded = asyncio.run(rasa.core.run.load_agent_on_start(None, AvailableEndpoints(), None, app, None))
out["agent_loaded_as_rasa_does"] = app.ctx.agent is loaded and type(loaded).__name__ == "Agent"
out["heap_frozen_after_loading"] = frozen_before == 0 and gc.get_freeze_count() > 100_000

from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig


async def calls() -> dict:
    async def peer(request):
        sent = await request.json()
        return web.json_response({"port": request.transport.get_extra_info("peername")[1], "sent": sent})

    async def broken(request):
        return web.json_response({"error": "no"}, status=500)

    app = web.Application()
    app.add_routes([web.post("/webhook", peer), web.post("/broken", broken)])
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = "http://127.0.0.1:%d" % site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(url + "/webhook")
    answers = [await endpoint.request(json=SENT, method="post") for _ in range(3)]
    ports = [answer["port"] for answer in answers]
    try:
        await EndpointConfig(url + "/broken").request(json={}, method="post")
        status = None
    except ClientResponseError as error:
        status = error.status
    await runner.cleanup()
    return {"client_ports": ports, "error_status": status, "sent_as_meant": answers[0]["sent"] == SENT}


SENT = {"text": '红色 / red "quoted"', "when": 1732860000.123456, "big": 2**70, "items": [1, 2.5, None, True]}


out.update(asyncio.run(calls()))
print(json.dumps(out))
"""


TRACKER_SAVES = Path(__file__).with_name("tracker_saves_in_rasa.py")


def in_rasa(arguments: list[str], settings: Settings, **environment: str) -> dict:
    """Run Python with `arguments` in the Rasa server's environment; the script prints one line of JSON."""
    python = rasa_executable().parent / "python"
    done = subprocess.run(
        [str(python), *arguments],
        cwd=PROJECT_ROOT,
        env=rasa_environment(settings) | environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return in_rasa(["-c", CHECK], Settings(var_dir=tmp_path_factory.mktemp("var")))


@pytest.fixture(scope="module")
def saves(tmp_path_factory: pytest.TempPathFactory, live_redis) -> dict:
    port = str(live_redis.connection_pool.connection_kwargs["port"])
    return in_rasa([str(TRACKER_SAVES)], Settings(var_dir=tmp_path_factory.mktemp("var")), REDIS_PORT=port)


def test_loading_our_channels_installs_the_cached_validator(verdicts):
    assert verdicts["patched"] is True


def test_a_valid_response_passes(verdicts):
    assert verdicts["valid"] is True


@pytest.mark.parametrize("case", ["events_not_a_list", "event_without_kind"])
def test_an_invalid_response_gets_rasas_own_error(verdicts, case):
    assert "Failed to validate Action server response" in verdicts[case]


def test_each_event_is_checked_as_rasa_checks_it(verdicts):
    """Every kind of Rasa event, as Rasa writes it and broken in each field: the same verdicts."""
    assert verdicts["verdicts_compared"] > 300 and 25 < verdicts["verdicts_valid"] < verdicts["verdicts_compared"]
    assert verdicts["verdicts_differing"] == []


def test_event_classes_are_found_by_name_as_rasa_finds_them(verdicts):
    """Every event name gives the class Rasa's own walk gives, before and after it is indexed; a default
    stands in for an unknown name without being remembered for it, and an unknown name is Rasa's error."""
    assert verdicts["event_types_indexed"]
    assert verdicts["event_types_known"] >= 20 and verdicts["event_types_as_rasa"] == []
    assert verdicts["unknown_with_default"] and verdicts["unknown_event"] == "Unknown event name 'nonsense'."
    assert verdicts["old_topic_event"] is None
    assert verdicts["events_read_back"] == 0, "every kind of event reads back as its own class"


def test_once_the_model_is_loaded_the_heap_is_frozen(verdicts):
    """Rasa's own loading runs (the agent lands where Rasa puts it), then what it made is frozen, so a full
    garbage collection no longer walks it (0.4-0.7 s with the model, measured)."""
    assert verdicts["agent_loaded_as_rasa_does"]
    assert verdicts["heap_frozen_after_loading"]


def test_calls_send_what_the_standard_encoder_means(verdicts):
    assert verdicts["sent_as_meant"] is True


def test_calls_to_an_endpoint_share_one_connection(verdicts):
    assert len(set(verdicts["client_ports"])) == 1, verdicts["client_ports"]


def test_an_endpoint_error_is_still_rasas_error(verdicts):
    assert verdicts["error_status"] == 500


def test_a_turn_that_extends_the_conversation_is_saved_without_rebuilding_it(saves):
    assert saves["patched"] is True
    assert saves["one_rebuilds"] == 0
    assert saves["one_stored_as_rasa_writes"] is True
    assert saves["one_texts"] == ["a", "b"]


def test_a_conversation_of_several_sessions_keeps_them_all(saves):
    """Rasa's retrieve gives the last session only; its save merges the earlier ones back in."""
    assert saves["two_last_session"] == ["b", "c"]
    assert saves["two_texts"] == ["a", "b", "c"]
    assert saves["two_rebuilds"] == 1


FORM_ACTIVATION = Path(__file__).with_name("form_activation_in_rasa.py")


@pytest.fixture(scope="module")
def activations(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return in_rasa([str(FORM_ACTIVATION)], Settings(var_dir=tmp_path_factory.mktemp("var")))


def test_a_form_started_by_its_message_extracts_the_slots_once(activations):
    """Rasa extracts the message's slots, then again when the form activates: one action server call
    less, and the form ends in the same state."""
    assert activations["patched"] is True
    rasa, ours = activations["first_rasa"], activations["first_speedups"]
    assert rasa["calls"] == ["action_validate_slot_mappings", "validate_shopping_form"]
    assert ours["calls"] == ["validate_shopping_form"]
    assert ours["slots"] == rasa["slots"] and ours["active_loop"] == rasa["active_loop"] == "shopping_form"


def test_a_form_started_after_another_action_extracts_as_rasa_does(activations):
    assert activations["after_an_action_speedups"] == activations["after_an_action_rasa"]
    assert activations["after_an_action_rasa"]["calls"][0] == "action_validate_slot_mappings"
