"""The Telegram channel: a bot's webhook with text, photos, product cards and their buttons.

Routes under ``/webhooks/telegram/``: ``GET /`` health; ``POST /webhook`` the updates Telegram
sends (``shopguide telegram set-webhook`` registers it, secret included).

- Each request must carry ``X-Telegram-Bot-Api-Secret-Token`` equal to the configured secret,
  else 403 before the body is read: the chat id is the conversation's id, so a forged update could
  speak, or "forget me", in anyone's name. Without a secret the channel refuses to start.
- A body that is not a JSON object with an integer ``update_id``, or a message without a chat: 400.
  Update kinds not used here (edited messages, channel posts, inline queries...): 200, ignored;
  an update delivered twice (Telegram redelivers when we were slow): 200, ignored.
- A valid update is answered 200 once its turn is over, even when the turn failed (Telegram would
  redeliver it again and again); the shopper then gets a friendly text.
- Text is the message; ``/start`` is the greeting and ``/forget`` "forget me"; other commands
  lose their slash ("/show_more" -> "show more"), so no typed text becomes an intent payload.
  A photo (its largest size), or an image sent as a file, is fetched with getFile, checked and
  kept by `ChannelServices.accept_photo` exactly like a widget upload, and becomes the photo
  intent with the caption as its words. A pressed button is answered (answerCallbackQuery) and
  its payload becomes the message. The sender id is the chat id.
- Product cards are photos with a caption (number, title, price, why it fits) and like / more
  like this / not this buttons. The picture is the catalogue thumbnail uploaded from
  ``thumbnails_dir``: that needs no public URL (Telegram cannot fetch from a laptop or a private
  network) and the file id Telegram returns is kept in Redis, so a card shown again costs no
  upload. Without the file it is the card's absolute image URL, or ``public_url`` + its path;
  without any, the card is sent as text.

Configured in credentials.yml (written from the settings when ``telegram_token`` is set):
``token``, ``secret_token``, ``api_base`` (default the real Bot API), ``public_url``,
``thumbnails_dir`` and the shared channel credentials `ChannelServices.from_credentials` reads.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

import redis
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.services import NO_ANSWER, UNAVAILABLE, ChannelServices, photo_message
from bot.channels.telegram_api import (
    DEFAULT_API_BASE,
    MAX_TEXT_CHARS,
    SECRET_TOKEN,
    CallbackData,
    Incoming,
    TelegramApiError,
    TelegramBotApi,
    card_caption,
    card_keyboard,
    card_language,
    inline_keyboard,
    largest_photo,
    parse_update,
    split_text,
)
from shopguide.uploads import UploadRejected

logger = logging.getLogger(__name__)

UPDATE_PREFIX = "shopguide-telegram:update:"
PHOTO_PREFIX = "shopguide-telegram:photo:"
UPDATE_TTL_S = 24 * 3600  # Telegram keeps undelivered updates for a day
PHOTO_ID_TTL_S = 30 * 24 * 3600
_FILE_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$")

TOO_MANY = "Too many messages at once: please wait a moment."
PHOTO_FAILED = "Sorry, I could not fetch your photo from Telegram. Please send it again."
PHOTO_REFUSED = "Sorry, I cannot use this photo: {reason}."
UNSUPPORTED = "I can read text messages and look at photos: please send me one of those."
EXPIRED_BUTTON = "This button has expired: please ask me again."


def _error(message: str, status: int) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class TelegramInput(InputChannel):
    """A Telegram bot's webhook; every piece of state in Redis, so any server process can take an update."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        for key in ("token", "secret_token"):
            if not credentials.get(key):
                raise ValueError(f"telegram channel: credential '{key}' is missing in credentials.yml")
        if not SECRET_TOKEN.match(str(credentials["secret_token"])):
            raise ValueError("telegram channel: 'secret_token' must be 1-256 of A-Z, a-z, 0-9, _ and -")
        return cls(credentials, ChannelServices.from_credentials(credentials))

    def __init__(self, credentials: dict[str, Any], services: ChannelServices) -> None:
        self.token = str(credentials["token"])
        self.secret_token = str(credentials["secret_token"])
        self.api_base = credentials.get("api_base") or DEFAULT_API_BASE
        self.public_url = (credentials.get("public_url") or "").rstrip("/")
        thumbnails = credentials.get("thumbnails_dir")
        self.thumbnails_dir = Path(thumbnails) if thumbnails else None
        self.services = services
        self.callbacks = CallbackData(services.client, services.limits.tracker_expiry_s)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("shopguide_telegram", __name__)

        @telegram.exception(redis.RedisError)
        async def store_down(request: Request, error: Exception) -> HTTPResponse:
            """Telegram retries an update it did not get a 200 for: nothing is lost."""
            logger.warning("telegram.redis_unavailable error=%s", type(error).__name__)
            return response.json({"error": UNAVAILABLE}, status=503)

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        return telegram

    async def _receive(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        if not self._is_from_telegram(request):
            logger.warning("telegram.update.forged")
            return _error("only Telegram may post here: wrong or missing X-Telegram-Bot-Api-Secret-Token", 403)
        try:
            update = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError):
            update = None
        update_id = update.get("update_id") if isinstance(update, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return _error("send a Telegram Update: a JSON object with an integer 'update_id'", 400)
        try:
            incoming = parse_update(update)
        except ValueError as problem:
            return _error(str(problem), 400)
        if incoming is None:
            return response.json({"status": "ignored"})
        if not self._first_delivery(update_id):
            return response.json({"status": "duplicate"})
        async with TelegramBotApi(self.token, self.api_base) as api:  # one HTTP session per update
            await self._process(incoming, api, on_new_message)
        return response.json({"status": "ok"})

    def _is_from_telegram(self, request: Request) -> bool:
        given = request.headers.get("x-telegram-bot-api-secret-token") or ""
        return hmac.compare_digest(given.encode(), self.secret_token.encode())

    def _first_delivery(self, update_id: int) -> bool:
        key = f"{UPDATE_PREFIX}{self.token.split(':', 1)[0]}:{update_id}"
        try:
            return bool(self.services.client.set(key, 1, nx=True, ex=UPDATE_TTL_S))
        except redis.RedisError:
            return True  # the turn will say what is wrong with Redis

    # -- the turn --------------------------------------------------------------------------------
    async def _process(
        self, incoming: Incoming, api: TelegramBotApi, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        chat = incoming.chat_id
        output = TelegramOutput(api, self.callbacks, self.thumbnails_dir, self.public_url, self.services.client)
        try:
            if incoming.callback_id is not None:
                await self._answer(api, incoming.callback_id)  # stops the spinner on the pressed button
            turn = await self._message(incoming, api, output)
            if turn is None:
                return
            text, metadata = turn
            message = UserMessage(text, CollectingOutputChannel(), chat, input_channel=self.name(), metadata=metadata)
            await output.send_messages(chat, await self.services.handle(on_new_message, message))
        except Exception:
            logger.exception("telegram.update.failed")
            with contextlib.suppress(Exception):
                await output.send_text_message(chat, NO_ANSWER)

    async def _message(
        self, incoming: Incoming, api: TelegramBotApi, output: TelegramOutput
    ) -> tuple[str, dict[str, Any]] | None:
        """The text and metadata of the turn; None when the shopper was told why there is none."""
        chat = incoming.chat_id
        notice = None
        if not self.services.allow_message(chat):
            logger.info("telegram.update.rate_limited")
            if not self.services.client.set(f"shopguide:telegram-throttled:{chat}", 1, nx=True, ex=60):
                return None  # told once a minute, not once per message of a flood
            notice = TOO_MANY
        elif incoming.callback_id is not None:
            payload = self.callbacks.decode(incoming.callback_data)
            if payload is not None:
                return payload, {}
            notice = EXPIRED_BUTTON
        elif incoming.photo is not None:
            return await self._photo(incoming, api, output)
        elif incoming.unsupported:
            notice = UNSUPPORTED
        else:
            return incoming.text, incoming.metadata
        await output.send_text_message(chat, notice)
        return None

    async def _photo(
        self, incoming: Incoming, api: TelegramBotApi, output: TelegramOutput
    ) -> tuple[str, dict[str, Any]] | None:
        """Fetch the photo, check and keep it as the widget's uploads are; the photo turn's message."""
        chat, photo = incoming.chat_id, incoming.photo or {}
        limit = self.services.limits.max_upload_bytes
        too_large = UploadRejected(f"the photo is larger than {limit // 1_000_000} MB", 413)
        try:
            if int(photo.get("file_size") or 0) > limit:
                raise too_large
            found = await api.get_file(str(photo["file_id"]))
            if not isinstance(found, dict) or not found.get("file_path"):
                raise TelegramApiError("getFile", 0, "no file_path in the answer")
            data = await api.download(str(found["file_path"]), limit)
            image_id = self.services.accept_photo(data, chat, f"telegram-user:{incoming.user_id}")
        except TelegramApiError as error:
            logger.warning("telegram.photo.failed method=%s status=%s", error.method, error.status)
            reason = PHOTO_REFUSED.format(reason=too_large) if error.status == 413 else PHOTO_FAILED
            await output.send_text_message(chat, reason)
            return None
        except UploadRejected as rejected:
            await output.send_text_message(chat, PHOTO_REFUSED.format(reason=rejected))
            return None
        return photo_message(image_id, incoming.text, max_chars=MAX_TEXT_CHARS)

    @staticmethod
    async def _answer(api: TelegramBotApi, callback_id: str) -> None:
        try:
            await api.answer_callback_query(callback_id)
        except TelegramApiError as error:  # an old button: Telegram refuses late answers, the turn goes on
            logger.info("telegram.callback.unanswered status=%s", error.status)


class TelegramOutput(OutputChannel):
    """The bot's messages in a chat: text (buttons as an inline keyboard), product cards as photos."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(
        self,
        api: TelegramBotApi,
        callbacks: CallbackData,
        thumbnails_dir: Path | None = None,
        public_url: str = "",
        cache: redis.Redis | None = None,
    ) -> None:
        self.api = api
        self.callbacks = callbacks
        self.thumbnails_dir = thumbnails_dir
        self.public_url = public_url.rstrip("/")
        self.cache = cache

    async def send_messages(self, chat_id: str, messages: list[dict[str, Any]]) -> None:
        """Each collected message in turn; one Telegram refusal does not stop the others."""
        for message in messages:
            fields = {key: value for key, value in message.items() if key != "recipient_id"}
            try:
                await self.send_response(chat_id, fields)
            except TelegramApiError as error:
                logger.warning("telegram.send.failed method=%s status=%s", error.method, error.status)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_text(text):
            await self.api.send_message(recipient_id, piece)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        pieces = split_text(text) or ["…"]  # the keyboard needs a message to hang on
        for piece in pieces[:-1]:
            await self.api.send_message(recipient_id, piece)
        await self.api.send_message(recipient_id, pieces[-1], inline_keyboard(buttons, self.callbacks))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send_photo(recipient_id, image)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """Product cards; other custom payloads (the forget-me marker...) are not for the shopper's eyes."""
        if json_message.get("type") != "products":
            return
        items = [item for item in json_message.get("items") or [] if isinstance(item, dict)]
        for number, item in enumerate(items, start=1):
            caption = card_caption(number, item)
            keyboard = card_keyboard(number, self.callbacks, card_language(item))
            try:
                await self._send_photo(recipient_id, item.get("image_url"), caption, keyboard)
            except TelegramApiError as error:
                logger.warning("telegram.card.photo_failed status=%s", error.status)
                await self.api.send_message(recipient_id, caption, keyboard)  # the card without its picture

    # -- pictures ---------------------------------------------------------------------------------
    async def _send_photo(
        self, chat_id: str, image_url: str | None, caption: str | None = None, keyboard: dict | None = None
    ) -> None:
        thumbnail = self._thumbnail(image_url)
        if thumbnail is not None:
            await self._send_thumbnail(chat_id, thumbnail, caption, keyboard)
        elif (url := self._absolute_url(image_url)) is not None:
            await self.api.send_photo(chat_id, url, caption, keyboard)
        elif caption:
            await self.api.send_message(chat_id, caption, keyboard)

    async def _send_thumbnail(self, chat_id: str, path: Path, caption: str | None, keyboard: dict | None) -> None:
        """Upload the file once; afterwards send the file id Telegram gave it (a changed file is uploaded anew)."""
        stat = path.stat()
        key = f"{PHOTO_PREFIX}{self.api.bot_id}:{path.name}:{stat.st_mtime_ns}:{stat.st_size}"
        cached = self.cache.get(key) if self.cache is not None else None
        if cached:
            try:
                await self.api.send_photo(chat_id, cached.decode(), caption, keyboard)
                return
            except TelegramApiError as error:
                if error.status != 400:  # only "wrong file identifier" is a stale id
                    raise
                self.cache.delete(key)
        sent = await self.api.send_photo(chat_id, path.read_bytes(), caption, keyboard, filename=path.name)
        largest = largest_photo(sent.get("photo") or []) if isinstance(sent, dict) else None
        if largest and self.cache is not None:
            self.cache.set(key, str(largest["file_id"]), ex=PHOTO_ID_TTL_S)

    def _thumbnail(self, image_url: str | None) -> Path | None:
        if not image_url or self.thumbnails_dir is None or urlparse(image_url).scheme:
            return None
        name = PurePosixPath(urlparse(image_url).path).name
        path = self.thumbnails_dir / name
        return path if _FILE_NAME.match(name) and path.is_file() else None

    def _absolute_url(self, image_url: str | None) -> str | None:
        if not image_url:
            return None
        if urlparse(image_url).scheme in ("http", "https"):
            return image_url
        if image_url.startswith("/") and self.public_url:
            return self.public_url + image_url
        return None
