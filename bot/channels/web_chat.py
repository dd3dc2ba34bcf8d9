"""The web channel: the widget's endpoint (text and photos), its pages and files, shortlists, admin.

Routes under ``/webhooks/web/``:

- ``POST /webhook``: JSON ``{"sender", "message", "metadata"}`` or multipart with ``sender``,
  ``message`` (optional), ``language`` (optional) and an ``image`` file; answers the bot's messages.
  A photo is checked, kept in Redis for a few minutes and only its id travels in the metadata.
- ``GET /`` health; ``/shop`` demo shop page; ``/kiosk``; ``/chat`` full-page chat; ``/widget.js``
  the one-tag embed; ``/static/<file>``; ``/images/<thumbnail>``; ``/config`` the pages' settings.
- ``POST /shortlist`` ``{"sender", "items"}`` -> a link (and ``/shortlist/<token>/qr.svg``) that
  opens the shortlist on a phone; ``GET /shortlist/<token>`` the page, ``.../items`` its cards.
- ``DELETE /admin/shoppers/<id>`` with ``Authorization: Bearer <admin token>``: forget a shopper.

Configured in credentials.yml (generated from the settings), so it imports no settings module.
"""

from __future__ import annotations

import hmac
import io
import json
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import segno
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.services import UNAVAILABLE, ChannelServices, photo_message
from shopguide.uploads import UploadRejected

logger = logging.getLogger(__name__)

_THUMBNAIL_NAME = re.compile(r"^[0-9a-f]{20}\.jpg$")
_STATIC_NAME = re.compile(r"^[A-Za-z0-9_-]+\.(html|js|css|svg|png|jpg|webmanifest)$")
_SENDER = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_MESSAGE_CHARS = 5000
PAGES = {"shop": "shop.html", "kiosk": "kiosk.html", "chat": "index.html"}


def _error(message: str, status: int) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class WebChatInput(InputChannel):
    """Widget, kiosk and demo shop; one blueprint, every piece of state in Redis."""

    @classmethod
    def name(cls) -> str:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        for key in ("web_dir", "thumbnails_dir"):
            if not credentials.get(key):
                raise ValueError(f"web channel: credential '{key}' is missing in credentials.yml")
        return cls(credentials, ChannelServices.from_credentials(credentials))

    def __init__(self, credentials: dict[str, Any], services: ChannelServices) -> None:
        self.web_dir = Path(credentials["web_dir"])
        self.thumbnails_dir = Path(credentials["thumbnails_dir"])
        self.admin_token = credentials.get("admin_token") or ""
        self.page_config = {
            "kiosk_idle_s": int(credentials.get("kiosk_idle_s") or 90),
            "public_url": credentials.get("public_url") or "",
        }
        self.services = services

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        web = Blueprint("shopguide_web", __name__)

        @web.exception(RedisError)
        async def store_down(request: Request, error: Exception) -> HTTPResponse:
            logger.warning("web.redis_unavailable error=%s", type(error).__name__)
            return _error(UNAVAILABLE, 503)

        @web.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @web.route("/<page:shop|kiosk|chat>", methods=["GET"])
        async def page(_: Request, page: str) -> HTTPResponse:
            return await self._file(self.web_dir, PAGES[page], _STATIC_NAME)

        @web.route("/widget.js", methods=["GET"])
        async def widget(_: Request) -> HTTPResponse:
            return await self._file(self.web_dir, "widget.js", _STATIC_NAME)

        @web.route("/static/<name>", methods=["GET"])
        async def static(_: Request, name: str) -> HTTPResponse:
            return await self._file(self.web_dir, name, _STATIC_NAME)

        @web.route("/images/<name>", methods=["GET"])
        async def image(_: Request, name: str) -> HTTPResponse:
            return await self._file(self.thumbnails_dir, name, _THUMBNAIL_NAME)

        @web.route("/config", methods=["GET"])
        async def config(_: Request) -> HTTPResponse:
            return response.json(self.page_config)

        @web.route("/webhook", methods=["POST"])  # CORS: `rasa run --cors <origins>` (see runner/servers.py)
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        @web.route("/shortlist", methods=["POST"])
        async def new_shortlist(request: Request) -> HTTPResponse:
            return self._new_shortlist(request)

        @web.route("/shortlist/<token>", methods=["GET"])
        async def shortlist_page(_: Request, token: str) -> HTTPResponse:
            return await self._file(self.web_dir, "shortlist.html", _STATIC_NAME)

        @web.route("/shortlist/<token>/items", methods=["GET"])
        async def shortlist_items(_: Request, token: str) -> HTTPResponse:
            cards = self.services.shortlist(token) if _TOKEN.match(token) else None
            return response.json({"items": cards}) if cards is not None else _error("this link has expired", 404)

        @web.route("/shortlist/<token>/qr.svg", methods=["GET"])
        async def shortlist_qr(request: Request, token: str) -> HTTPResponse:
            if not _TOKEN.match(token):
                return _error("not found", 404)
            return response.raw(
                _qr_svg(self._public_base(request) + f"/shortlist/{token}"), content_type="image/svg+xml"
            )

        @web.route("/admin/shoppers/<shopper>", methods=["DELETE"])
        async def forget_shopper(request: Request, shopper: str) -> HTTPResponse:
            if not self._is_admin(request):
                return _error("a valid admin token is needed", 401)
            return response.json({"shopper": shopper, "deleted_keys": self.services.forget(shopper)})

        return web

    # -- the conversation -----------------------------------------------------------------------------
    async def _receive(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        try:
            fields = self._fields(request)
        except ValueError as problem:
            return _error(str(problem), 400)
        sender, text, metadata = fields["sender"], fields["message"], fields["metadata"]
        if not isinstance(sender, str) or not _SENDER.match(sender):
            return _error("'sender' must be 1-128 letters, digits or _.-", 400)
        if not isinstance(text, str) or not isinstance(metadata, dict):
            return _error("'message' must be text and 'metadata' an object", 400)
        if not self.services.allow_message(sender):
            return _error("too many messages at once: please wait a moment", 429)
        photo = fields.get("photo")
        if photo is not None:
            try:
                image_id = self.services.accept_photo(photo, sender, request.remote_addr or request.ip)
            except UploadRejected as rejected:
                return _error(str(rejected), rejected.status)
            text, metadata = photo_message(image_id, text, metadata, MAX_MESSAGE_CHARS)
        elif not text.strip():
            return _error("'message' must be non-empty text (or send a photo)", 400)
        message = UserMessage(
            text[:MAX_MESSAGE_CHARS], CollectingOutputChannel(), sender, input_channel=self.name(), metadata=metadata
        )
        return response.json(await self.services.handle(on_new_message, message))

    @staticmethod
    def _fields(request: Request) -> dict[str, Any]:
        """sender, message, metadata (and photo bytes) from a JSON or a multipart body."""
        if (request.content_type or "").startswith("multipart/form-data"):
            form, files = request.form or {}, request.files or {}
            upload = files.get("image")
            language = form.get("language")
            return {
                "sender": form.get("sender"),
                "message": form.get("message") or "",
                "metadata": {"language": language} if language in ("en", "zh") else {},
                "photo": upload.body if upload is not None else None,
            }
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            raise ValueError("send a JSON object with 'sender' and 'message', or a multipart form with a photo")
        return {"sender": body.get("sender"), "message": body.get("message"), "metadata": body.get("metadata") or {}}

    # -- shortlists, admin, files --------------------------------------------------------------------
    def _new_shortlist(self, request: Request) -> HTTPResponse:
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            return _error("send {'sender': ..., 'items': [item ids]}", 400)
        sender, ids = body.get("sender"), [str(i) for i in body["items"][:50]]
        if not isinstance(sender, str) or not _SENDER.match(sender):
            return _error("unknown conversation", 400)
        cards = self.services.shown_cards(sender, ids)
        if not cards:
            return _error("none of these items was shown in this conversation", 404)
        token = self.services.create_shortlist(cards)
        base = self._public_base(request)
        return response.json(
            {"token": token, "url": f"{base}/shortlist/{token}", "qr": f"{base}/shortlist/{token}/qr.svg"}
        )

    def _public_base(self, request: Request) -> str:
        if self.page_config["public_url"]:
            return self.page_config["public_url"].rstrip("/") + "/webhooks/web"
        return f"{request.scheme}://{request.host}/webhooks/web"

    def _is_admin(self, request: Request) -> bool:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        return bool(self.admin_token) and hmac.compare_digest(given.encode(), self.admin_token.encode())

    @staticmethod
    async def _file(folder: Path, name: str, allowed: re.Pattern[str]) -> HTTPResponse:
        path = folder / name
        if not allowed.match(name) or not path.is_file():
            return _error("not found", 404)
        return await response.file(str(path), headers={"Cache-Control": "public, max-age=300"})


def _qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2)
    return buffer.getvalue()
