"""A running assistant (Redis, action server, Rasa) on a small demo catalogue, shared by the whole session.

One assistant serves the conversation, channel and browser tests: starting Rasa takes 25-90 s here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from shopguide.settings import PROJECT_ROOT, Settings
from tests.conftest import free_port


@dataclass
class RunningAssistant:
    base_url: str
    settings: Settings

    def say(self, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        response = httpx.post(f"{self.base_url}/webhook", json=body, timeout=120)
        response.raise_for_status()
        return response.json()


def until_cards(assistant: RunningAssistant, sender: str, text: str, skip: str = "anything") -> list[dict]:
    """Send `text`, then answer the form's questions with `skip` until products are shown."""
    reply = assistant.say(sender, text)
    for _ in range(3):
        if cards(reply):
            break
        reply = assistant.say(sender, skip)
    return reply


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def cards(messages: list[dict]) -> list[dict]:
    return next((m["custom"]["items"] for m in messages if m.get("custom", {}).get("type") == "products"), [])


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    var = tmp_path_factory.mktemp("assistant") / "var"
    ports = {
        "SHOPGUIDE_RASA_PORT": free_port(),
        "SHOPGUIDE_ACTION_PORT": free_port(),
        "SHOPGUIDE_REDIS_PORT": free_port(),
    }
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        "SHOPGUIDE_VAR_DIR": str(var),
        "SHOPGUIDE_DEMO_ITEMS": "240",
        "SHOPGUIDE_RASA_MODELS_DIR": str(Settings().trained_models_dir),
    }
    env.pop("REDIS_URL", None)
    env.pop("CHROMA_URL", None)
    log = (var.parent / "run.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "shopguide"), "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{ports['SHOPGUIDE_RASA_PORT']}/webhooks/web"
    deadline = time.monotonic() + 1500
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(base + "/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(1)
    else:
        process.kill()
        pytest.fail("the assistant did not start: " + (var.parent / "run.log").read_text()[-3000:])
    settings = Settings(
        var_dir=var,
        redis_url=f"redis://127.0.0.1:{ports['SHOPGUIDE_REDIS_PORT']}/0",
        rasa_models_dir=Settings().trained_models_dir,
    )
    yield RunningAssistant(base, settings)
    os.killpg(process.pid, signal.SIGINT)
    process.wait(60)
