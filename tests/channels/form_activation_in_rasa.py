"""Run by test_rasa_speedups.py with the Rasa server's Python: the shopping form activated by Rasa's own
FormAction against a stand-in action server (it records the actions called and echoes the slots it is
asked to validate), with and without our channels' speedups. Prints one line of JSON."""

import asyncio
import json

from aiohttp import web
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.actions.forms import FormAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

RASA_OWN = FormAction.activate, ActionExtractSlots.run
import bot.channels  # noqa: E402, F401  (what Rasa imports to load our channels: installs the speedups)

SPEEDUPS = FormAction.activate, ActionExtractSlots.run
domain = Domain.load("bot/domain.yml")
MESSAGE = UserUttered(
    "a red dress",
    {"name": "search_products", "confidence": 1.0},
    entities=[
        {"entity": "colour", "value": "red", "start": 2, "end": 5},
        {"entity": "category", "value": "dress", "start": 6, "end": 11},
    ],
)


def tracker(after_the_message: list) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen"), MESSAGE, SlotSet("colour", "red"), SlotSet("category", "dress")]
    return DialogueStateTracker.from_events("shopper", events + after_the_message, slots=domain.slots)


async def activate(endpoint: EndpointConfig, calls: list, methods: tuple, after_the_message: list) -> dict:
    FormAction.activate, ActionExtractSlots.run = methods
    calls.clear()
    state = tracker(after_the_message)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    events = await FormAction("shopping_form", endpoint).run(CollectingOutputChannel(), nlg, state, domain)
    state.update_with_events(events, domain)
    slots = {name: state.get_slot(name) for name in ("category", "colour", "requested_slot")}
    return {"calls": list(calls), "slots": slots, "active_loop": state.active_loop_name}


async def main() -> dict:
    calls: list = []

    async def action_server(request: web.Request) -> web.Response:
        call = await request.json()
        calls.append(call["next_action"])
        slots = call["tracker"]["slots"]
        echoed = [{"event": "slot", "name": name, "value": slots[name]} for name in ("category", "colour")]
        return web.json_response({"events": echoed, "responses": []})

    app = web.Application()
    app.add_routes([web.post("/webhook", action_server)])
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    endpoint = EndpointConfig(f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/webhook")
    out = {"patched": getattr(SPEEDUPS[0], "extracts_once", False)}
    for name, after in (("first", []), ("after_an_action", [ActionExecuted("action_noted")])):
        out[f"{name}_rasa"] = await activate(endpoint, calls, RASA_OWN, after)
        out[f"{name}_speedups"] = await activate(endpoint, calls, SPEEDUPS, after)
    await runner.cleanup()
    return out


print(json.dumps(asyncio.run(main())))
