"""The web channel: a chat endpoint, the chat page and the product thumbnails, in one blueprint.

Routes (under ``/webhooks/web/``): ``GET /`` health, ``GET /chat`` the page, ``GET /static/<file>``
its files, ``GET /images/<name>`` product thumbnails, ``POST /webhook`` a JSON message
``{"sender": ..., "message": ..., "metadata": {...}}`` answered with the bot's messages.
Configured in credentials.yml (generated from the settings), so it imports nothing of ours.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

_THUMBNAIL_NAME = re.compile(r"^[0-9a-f]{20}\.jpg$")
_STATIC_NAME = re.compile(r"^[A-Za-z0-9_-]+\.(html|js|css|svg|png)$")
_SENDER = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
MAX_MESSAGE_CHARS = 5000
NO_ANSWER = "Sorry, I could not answer that just now. Please try again in a moment."


class WebChatInput(InputChannel):
    """Text chat for the web page; the channel issue adds photo uploads to the same blueprint."""

    @classmethod
    def name(cls) -> str:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        for key in ("web_dir", "thumbnails_dir"):
            if not credentials.get(key):
                raise ValueError(f"web channel: credential '{key}' is missing in credentials.yml")
        return cls(Path(credentials["web_dir"]), Path(credentials["thumbnails_dir"]))

    def __init__(self, web_dir: Path, thumbnails_dir: Path) -> None:
        self.web_dir = web_dir
        self.thumbnails_dir = thumbnails_dir

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = (request.json or {}).get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        web = Blueprint("shopguide_web", __name__)

        @web.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @web.route("/chat", methods=["GET"])
        async def page(_: Request) -> HTTPResponse:
            return await response.file(str(self.web_dir / "index.html"))

        @web.route("/static/<name>", methods=["GET"])
        async def static(_: Request, name: str) -> HTTPResponse:
            return await self._file(self.web_dir, name, _STATIC_NAME)

        @web.route("/images/<name>", methods=["GET"])
        async def image(_: Request, name: str) -> HTTPResponse:
            return await self._file(self.thumbnails_dir, name, _THUMBNAIL_NAME)

        @web.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        return web

    @staticmethod
    async def _file(folder: Path, name: str, allowed: re.Pattern[str]) -> HTTPResponse:
        path = folder / name
        if not allowed.match(name) or not path.is_file():
            return response.json({"error": "not found"}, status=404)
        return await response.file(str(path), headers={"Cache-Control": "public, max-age=3600"})

    async def _receive(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        try:
            body = request.json
        except Exception:  # sanic raises InvalidUsage on malformed JSON
            body = None
        if not isinstance(body, dict):
            return response.json({"error": "send a JSON object with 'sender' and 'message'"}, status=400)
        sender, text = body.get("sender"), body.get("message")
        if not isinstance(sender, str) or not _SENDER.match(sender):
            return response.json({"error": "'sender' must be 1-128 letters, digits or _.:-"}, status=400)
        if not isinstance(text, str) or not text.strip():
            return response.json({"error": "'message' must be non-empty text"}, status=400)
        collector = CollectingOutputChannel()
        message = UserMessage(
            text[:MAX_MESSAGE_CHARS], collector, sender, input_channel=self.name(), metadata=self.get_metadata(request)
        )
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("web.message.failed")
        # Rasa answers nothing when a custom action fails or its server is down: never leave silence.
        return response.json(collector.messages or [{"recipient_id": sender, "text": NO_ANSWER}])
