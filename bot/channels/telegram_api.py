"""Telegram's side of the Telegram channel: a small Bot API client on aiohttp, the updates it
reads and the shapes Telegram accepts (keyboards, captions).

Only the methods the channel uses: sendMessage, sendPhoto (a file id, a URL or uploaded bytes),
answerCallbackQuery, getFile, the file download and setWebhook. Nothing here imports Rasa, so the
tests' Python can use it too. The base URL is configurable: the real one by default, a local
stand-in in the tests.

Limits from the Bot API docs: message text 1-4096 characters, photo caption 0-1024, inline button
``callback_data`` 1-64 bytes, webhook secret 1-256 of ``A-Z a-z 0-9 _ -``, downloads up to 20 MB.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp
import redis

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.telegram.org"
MAX_TEXT_CHARS = 4096
MAX_CAPTION_CHARS = 1024
MAX_CALLBACK_BYTES = 64
MAX_RETRY_WAIT_S = 5  # longer flood waits fail the call rather than hold the webhook request
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
CALLBACK_PREFIX = "shopguide-telegram:callback:"
COMMANDS = {"start": "/greet", "forget": "/forget_me"}
_SHORT_MARK = "#"  # callback_data starting with it names a payload kept in Redis
# asyncio.TimeoutError is not the builtin TimeoutError on Python 3.10, which the Rasa server runs
_NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)


class TelegramApiError(Exception):
    """A Bot API call that failed: Telegram said no (`status` its error code) or was unreachable (0).

    The message names the method, never the URL: the URL holds the bot token.
    """

    def __init__(self, method: str, status: int, description: str, retry_after_s: int = 0) -> None:
        super().__init__(f"Telegram {method} failed ({status}): {description}")
        self.method = method
        self.status = status
        self.description = description
        self.retry_after_s = retry_after_s  # set with 429 Too Many Requests


class TelegramBotApi:
    """The Bot API methods of one bot; one HTTP session, opened on first use, closed by `close()`."""

    def __init__(self, token: str, api_base: str = DEFAULT_API_BASE, timeout_s: float = 30.0) -> None:
        if not token:
            raise ValueError("telegram: a bot token is needed")
        self.token = token
        self.api_base = (api_base or DEFAULT_API_BASE).rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    @property
    def bot_id(self) -> str:
        """The public part of the token (the bot's user id), for keys that must differ between bots."""
        return self.token.split(":", 1)[0]

    async def __aenter__(self) -> TelegramBotApi:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    # -- the methods used -------------------------------------------------------------------------
    async def send_message(self, chat_id: str, text: str, reply_markup: dict[str, Any] | None = None) -> dict:
        return await self.call("sendMessage", chat_id=chat_id, text=text, reply_markup=reply_markup)

    async def send_photo(
        self,
        chat_id: str,
        photo: str | bytes,
        caption: str | None = None,
        reply_markup: dict[str, Any] | None = None,
        filename: str = "photo.jpg",
    ) -> dict:
        """`photo` is a file id or URL (str), or the image's bytes (uploaded as multipart)."""
        if isinstance(photo, bytes):
            return await self.upload(
                "sendPhoto", "photo", photo, filename, chat_id=chat_id, caption=caption, reply_markup=reply_markup
            )
        return await self.call("sendPhoto", chat_id=chat_id, photo=photo, caption=caption, reply_markup=reply_markup)

    async def answer_callback_query(self, callback_query_id: str, text: str | None = None) -> bool:
        return await self.call("answerCallbackQuery", callback_query_id=callback_query_id, text=text)

    async def get_file(self, file_id: str) -> dict:
        return await self.call("getFile", file_id=file_id)

    async def download(self, file_path: str, max_bytes: int) -> bytes:
        """The file's bytes; raises TelegramApiError (413 when larger than `max_bytes`)."""
        url = f"{self.api_base}/file/bot{self.token}/{quote(file_path, safe='/')}"
        try:
            async with self.session().get(url) as reply:
                if reply.status != 200:
                    raise TelegramApiError("download", reply.status, "the file could not be downloaded")
                data = bytearray()
                async for chunk in reply.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > max_bytes:
                        raise TelegramApiError("download", 413, f"the file is larger than {max_bytes} bytes")
                return bytes(data)
        except _NETWORK_ERRORS as error:
            raise self._unreachable("download", error) from None

    async def set_webhook(
        self, url: str, secret_token: str, allowed_updates: tuple[str, ...] = ("message", "callback_query")
    ) -> bool:
        return await self.call("setWebhook", url=url, secret_token=secret_token, allowed_updates=list(allowed_updates))

    # -- transport --------------------------------------------------------------------------------
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def call(self, method: str, **params: Any) -> Any:
        """POST the parameters as JSON; the `result` of Telegram's answer. Raises TelegramApiError."""
        body = {key: value for key, value in params.items() if value is not None}
        return await self._post(method, lambda: {"json": body})

    async def upload(self, method: str, field: str, data: bytes, filename: str, **params: Any) -> Any:
        """The same as `call`, with one file sent as multipart/form-data under `field`."""

        def form() -> dict[str, aiohttp.FormData]:  # a FormData is spent once sent: one per attempt
            fields = aiohttp.FormData()
            for key, value in params.items():
                if value is not None:
                    fields.add_field(key, value if isinstance(value, str) else json.dumps(value))
            fields.add_field(field, data, filename=filename, content_type="application/octet-stream")
            return {"data": fields}

        return await self._post(method, form)

    async def _post(self, method: str, body: Callable[[], dict[str, Any]]) -> Any:
        """One POST, sent again once after a short 429 wait (Telegram's flood control)."""
        for attempt in (1, 2):
            try:
                async with self.session().post(self._method_url(method), **body()) as reply:
                    return await self._result(method, reply)
            except TelegramApiError as error:
                if error.status != 429 or attempt == 2 or error.retry_after_s > MAX_RETRY_WAIT_S:
                    raise
                await asyncio.sleep(error.retry_after_s)
            except _NETWORK_ERRORS as error:
                raise self._unreachable(method, error) from None
        raise AssertionError("unreachable")

    def _method_url(self, method: str) -> str:
        return f"{self.api_base}/bot{self.token}/{method}"

    @staticmethod
    async def _result(method: str, reply: aiohttp.ClientResponse) -> Any:
        try:
            answer = await reply.json(content_type=None)
        except (ValueError, aiohttp.ContentTypeError):
            answer = None
        if not isinstance(answer, dict):
            raise TelegramApiError(method, reply.status, "the answer is not a Bot API JSON object")
        if not answer.get("ok"):
            retry_after = (answer.get("parameters") or {}).get("retry_after") or 0
            status = int(answer.get("error_code") or reply.status)
            raise TelegramApiError(method, status, str(answer.get("description")), int(retry_after))
        return answer.get("result")

    def _unreachable(self, method: str, error: BaseException) -> TelegramApiError:
        return TelegramApiError(method, 0, f"{type(error).__name__}: {str(error).replace(self.token, '<token>')}")


# -- what Telegram accepts ----------------------------------------------------------------------------
class CallbackData:
    """Button payloads within the 64 bytes of `callback_data`.

    A payload that fits travels as it is; a longer one is kept in Redis under a hash of itself
    (the same payload, the same key: nothing piles up) and the button carries ``#<hash>``.
    Payloads name intents and item numbers, never a shopper, so the keys hold nobody's data.
    """

    def __init__(self, client: redis.Redis, ttl_s: int) -> None:
        self.client = client
        self.ttl_s = ttl_s

    def encode(self, payload: str) -> str:
        if payload and len(payload.encode()) <= MAX_CALLBACK_BYTES and not payload.startswith(_SHORT_MARK):
            return payload
        digest = base64.urlsafe_b64encode(hashlib.sha256(payload.encode()).digest()[:18]).decode()
        self.client.set(CALLBACK_PREFIX + digest, payload.encode(), ex=self.ttl_s)
        return _SHORT_MARK + digest

    def decode(self, data: str | None) -> str | None:
        """The payload of a pressed button; None when it expired or was never ours."""
        if not data:
            return None
        if not data.startswith(_SHORT_MARK):
            return data
        stored = self.client.get(CALLBACK_PREFIX + data[len(_SHORT_MARK) :])
        return stored.decode() if stored else None


def inline_keyboard(buttons: list[dict[str, Any]], callbacks: CallbackData, per_row: int = 3) -> dict[str, Any]:
    """Rasa buttons (title + payload, or title + url) as an InlineKeyboardMarkup."""
    keys = []
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "?")[:64]
        if button.get("url"):
            keys.append({"text": title, "url": str(button["url"])})
        elif button.get("payload"):
            keys.append({"text": title, "callback_data": callbacks.encode(str(button["payload"]))})
    return {"inline_keyboard": [keys[i : i + per_row] for i in range(0, len(keys), per_row)]}


_CARD_LABELS = {
    "en": ("👍 Like", "More like this", "👎 Not this"),
    "zh": ("👍 喜欢", "更多类似", "👎 不要这个"),
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def card_keyboard(number: int, callbacks: CallbackData, language: str = "en") -> dict[str, Any]:
    """Like, more like this and not this for the card shown as item `number`."""
    like, more, dislike = _CARD_LABELS.get(language, _CARD_LABELS["en"])
    argument = json.dumps({"item_number": str(number)}, separators=(",", ":"))
    buttons = [
        {"title": like, "payload": f"/like_item{argument}"},
        {"title": more, "payload": f"/more_like{argument}"},
        {"title": dislike, "payload": f"/not_this{argument}"},
    ]
    return inline_keyboard(buttons, callbacks)


def card_language(item: dict[str, Any]) -> str:
    return "zh" if _CJK.search(str(item.get("title") or "")) else "en"


def card_caption(number: int, item: dict[str, Any]) -> str:
    """`N. title`, the price and why it fits, within Telegram's caption limit."""
    lines = [f"{number}. {item.get('title') or ''}".strip()]
    if isinstance(item.get("price"), int | float):
        lines.append(f"{item['price']:.2f} {item.get('currency') or ''}".strip())
    if item.get("explanation"):
        lines.append(str(item["explanation"]))
    return truncate("\n".join(lines), MAX_CAPTION_CHARS)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> list[str]:
    """Telegram-sized pieces of `text`, cut at line ends where possible; no empty piece."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    return [*pieces, rest] if rest else pieces


def largest_photo(sizes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The biggest of a message's PhotoSize list (Telegram sends several sizes of one photo)."""
    usable = [size for size in sizes if isinstance(size, dict) and size.get("file_id")]
    if not usable:
        return None
    return max(usable, key=lambda s: (int(s.get("width") or 0) * int(s.get("height") or 0), s.get("file_size") or 0))


# -- updates --------------------------------------------------------------------------------------------
@dataclass
class Incoming:
    """One update reduced to what a turn needs."""

    chat_id: str
    user_id: str
    text: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    photo: dict[str, Any] | None = None  # the PhotoSize or Document to fetch
    callback_id: str | None = None
    callback_data: str | None = None
    unsupported: bool = False


def parse_update(update: dict[str, Any]) -> Incoming | None:
    """The message an update carries; None for a kind not used here. Raises ValueError when malformed."""
    query = update.get("callback_query")
    if query is not None:
        if not isinstance(query, dict) or not query.get("id"):
            raise ValueError("'callback_query' must be an object with an 'id'")
        user = _id(query.get("from"))
        chat = _id(_obj(query.get("message")).get("chat")) or user  # old messages may come without chat
        if chat is None:
            raise ValueError("'callback_query' names no chat")
        data = query.get("data") if isinstance(query.get("data"), str) else None
        return Incoming(chat, user or chat, callback_id=str(query["id"]), callback_data=data)
    message = update.get("message")
    if message is None:
        return None
    chat = _id(message.get("chat")) if isinstance(message, dict) else None
    if chat is None:
        raise ValueError("'message' must be an object with 'chat': {'id': ...}")
    incoming = Incoming(chat, _id(message.get("from")) or chat)
    document = _obj(message.get("document"))
    if isinstance(message.get("text"), str):
        incoming.text = command_text(message["text"])
        language = str(_obj(message.get("from")).get("language_code") or "")[:2]
        if incoming.text == COMMANDS["start"] and language in ("en", "zh"):
            incoming.metadata = {"language": language}
        return incoming if incoming.text.strip() else None
    if isinstance(message.get("photo"), list) or str(document.get("mime_type") or "").startswith("image/"):
        incoming.photo = largest_photo(message["photo"]) if isinstance(message.get("photo"), list) else document
        if not incoming.photo or not incoming.photo.get("file_id"):
            raise ValueError("the photo names no 'file_id'")
        incoming.text = str(message.get("caption") or "")
        return incoming
    if message["chat"].get("type") != "private":
        return None  # group service messages, stickers...: say nothing
    incoming.unsupported = True
    return incoming


def command_text(text: str) -> str:
    """A typed command as the conversation reads it: our two commands as intents, others as words."""
    text = text.strip()[:MAX_TEXT_CHARS]
    if not text.startswith("/"):
        return text
    word, _, rest = text[1:].partition(" ")
    command = word.split("@", 1)[0]  # "/start@ShopBot" in groups
    if command.lower() in COMMANDS:
        return COMMANDS[command.lower()]
    return f"{command.replace('_', ' ')} {rest}".strip()


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _id(entity: Any) -> str | None:
    value = _obj(entity).get("id")
    return str(value) if isinstance(value, int | str) and not isinstance(value, bool) and str(value) else None
