"""The Rasa server's speedups, in Rasa's own environment: the cached response validator gives Rasa's
verdicts and Rasa's error; endpoint calls share one connection and still raise Rasa's errors; a
turn's save to Redis skips re-reading the conversation only when it merely extends what is stored."""

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

action = RemoteAction("action_recommend", None)
valid = {"events": [{"event": "slot", "name": "colour", "value": "red"}], "responses": [{"text": "Here you go"}]}
out = {"patched": getattr(RemoteAction._validate_action_result, "cached_validator", False),
       "valid": action._validate_action_result(valid)}
for name, bad in (("events_not_a_list", {"events": "nope"}), ("event_without_kind", {"events": [{"name": "x"}]})):
    try:
        action._validate_action_result(bad)
        out[name] = "accepted"
    except ValidationError as error:
        out[name] = error.message

import asyncio
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig


async def calls() -> dict:
    async def peer(request):
        return web.json_response({"port": request.transport.get_extra_info("peername")[1]})

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
    ports = [(await endpoint.request(json={}, method="post"))["port"] for _ in range(3)]
    try:
        await EndpointConfig(url + "/broken").request(json={}, method="post")
        status = None
    except ClientResponseError as error:
        status = error.status
    await runner.cleanup()
    return {"client_ports": ports, "error_status": status}


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
