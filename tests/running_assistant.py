"""A running assistant (Redis, action server, Rasa) on a small demo catalogue, shared by the whole session.

One assistant serves the conversation, channel and browser tests: starting Rasa takes 25-90 s here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from shopguide.errors import SetupError
from shopguide.runner.launch import AssistantProcess, free_port
from shopguide.settings import Settings

# The Telegram channel is on, its Bot API base at a stand-in the Telegram tests start on this port
TELEGRAM_TOKEN = "123456789:stand-in-token"
TELEGRAM_SECRET = "stand-in-webhook-secret"
TELEGRAM_API_PORT = free_port()
ADMIN_TOKEN = "test-admin-token"
CORS_ORIGIN = "https://shop.example"


@dataclass
class RunningAssistant:
    base_url: str
    settings: Settings

    def say(self, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        response = httpx.post(f"{self.base_url}/webhook", json=body, timeout=120)
        response.raise_for_status()
        return response.json()

    def send_photo(self, sender: str, photo: bytes, words: str = "", language: str | None = None) -> httpx.Response:
        """A multipart upload, as the widget sends it."""
        form = {"sender": sender, "message": words, **({"language": language} if language else {})}
        files = {"image": ("photo.jpg", photo, "image/jpeg")}
        return httpx.post(f"{self.base_url}/webhook", data=form, files=files, timeout=120)


def until_cards(
    assistant: RunningAssistant,
    sender: str,
    text: str,
    skip: str = "anything",
    done: Callable[[list[dict]], Any] | None = None,
) -> list[dict]:
    """Send `text`, then answer the form's questions with `skip` until products are shown (or `done`)."""
    done = done or cards
    reply = assistant.say(sender, text)
    for _ in range(3):
        if done(reply):
            break
        reply = assistant.say(sender, skip)
    return reply


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def cards(messages: list[dict]) -> list[dict]:
    return next((m["custom"]["items"] for m in messages if m.get("custom", {}).get("type") == "products"), [])


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    environment = {
        "SHOPGUIDE_DEMO_ITEMS": "240",
        "SHOPGUIDE_ADMIN_TOKEN": ADMIN_TOKEN,
        "SHOPGUIDE_CORS_ORIGINS": f'["{CORS_ORIGIN}"]',
        "SHOPGUIDE_UPLOADS_PER_MINUTE_PER_ADDRESS": "1000",  # every test uploads from 127.0.0.1
        "SHOPGUIDE_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "SHOPGUIDE_TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "SHOPGUIDE_TELEGRAM_API_BASE": f"http://127.0.0.1:{TELEGRAM_API_PORT}",
    }
    process = AssistantProcess(tmp_path_factory.mktemp("assistant") / "var", environment)
    try:
        process.start()
    except SetupError as error:
        pytest.fail(str(error))
    yield RunningAssistant(process.base_url, process.settings())
    process.stop()


def demo_items(assistant: RunningAssistant) -> dict[str, dict]:
    """The demo catalogue the assistant serves, by item id."""
    lines = (assistant.settings.var_dir / "demo" / "catalogue.jsonl").read_text().splitlines()
    return {item["id"]: item for item in map(json.loads, lines)}
