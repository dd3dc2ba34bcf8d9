"""A local stand-in for the Telegram Bot API methods the channel uses, recording every call.

Telegram's servers cannot be reached from the tests: the channel's ``api_base`` points here. It
answers like the real API (``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code",
"description"}``), enforces the limits the channel must respect (text 4096, caption 1024,
callback_data 64 bytes, known file ids) and serves registered files under ``/file/bot<token>/``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def chat_id(self) -> str:
        return str(self.params.get("chat_id", ""))

    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


class BadRequest(Exception):
    def __init__(self, description: str, status: int = 400, retry_after: int = 0) -> None:
        super().__init__(description)
        self.status = status
        self.retry_after = retry_after


class BotApiStandIn:
    """sendMessage, sendPhoto, answerCallbackQuery, getFile, setWebhook and file downloads."""

    def __init__(self, token: str, port: int = 0) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}  # file_id -> bytes
        self.failures: dict[str, tuple[int, str]] = {}  # method -> (error_code, description) to answer
        self.throttle_once: set[str] = set()  # methods answered once with 429 and retry_after 1
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> BotApiStandIn:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- what the tests look at ---------------------------------------------------------------------
    def add_file(self, file_id: str, data: bytes) -> None:
        self.files[file_id] = data

    def calls_to(self, chat_id: str | int, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.chat_id == str(chat_id) and method in (None, c.method)]

    def calls_of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    # -- the API ----------------------------------------------------------------------------------
    def answer(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        with self._lock:
            self.calls.append(Call(method, params, files))
        if method in self.throttle_once:
            self.throttle_once.discard(method)
            raise BadRequest("Too Many Requests: retry after 1", 429, retry_after=1)
        if method in self.failures:
            raise BadRequest(self.failures[method][1], self.failures[method][0])
        if isinstance(params.get("reply_markup"), str):
            params["reply_markup"] = json.loads(params["reply_markup"])
        _check_keyboard(params.get("reply_markup"))
        if method == "sendMessage":
            text = str(params.get("text") or "")
            if not text.strip() or len(text) > 4096:
                raise BadRequest("Bad Request: message text is empty or too long")
            return self._message(params, text=text)
        if method == "sendPhoto":
            return self._photo(params, files)
        if method == "answerCallbackQuery":
            if not params.get("callback_query_id"):
                raise BadRequest("Bad Request: query is too old and response timeout expired or query ID is invalid")
            return True
        if method == "getFile":
            file_id = str(params.get("file_id"))
            if file_id not in self.files:
                raise BadRequest("Bad Request: invalid file_id")
            data = self.files[file_id]
            return {"file_id": file_id, "file_unique_id": file_id[-8:], "file_size": len(data), "file_path": file_id}
        if method == "setWebhook":
            return True
        raise BadRequest("Not Found", 404)

    def _photo(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        if len(str(params.get("caption") or "")) > 1024:
            raise BadRequest("Bad Request: message caption is too long")
        photo = files.get("photo") or params.get("photo")
        if isinstance(photo, str) and photo not in self.files and not photo.startswith(("http://", "https://")):
            raise BadRequest("Bad Request: wrong file identifier/HTTP URL specified")
        if not photo:
            raise BadRequest("Bad Request: there is no photo in the request")
        file_id = photo if isinstance(photo, str) else f"standin-photo-{next(self._ids)}"
        if isinstance(photo, bytes):
            self.files[file_id] = photo
        sizes = [
            {"file_id": f"{file_id}-small", "width": 90, "height": 90},
            {"file_id": file_id, "width": 320, "height": 320},
        ]
        return self._message(params, photo=sizes, caption=params.get("caption"))

    def _message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat = {"id": int(params["chat_id"]), "type": "private"}
        return {"message_id": next(self._ids), "date": int(time.time()), "chat": chat, **content}


def _check_keyboard(markup: Any) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")


def _handler(standin: BotApiStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            prefix = f"/file/bot{standin.token}/"
            data = standin.files.get(self.path.removeprefix(prefix)) if self.path.startswith(prefix) else None
            self._reply(200 if data is not None else 404, data or b"Not Found", "image/jpeg")

        def do_POST(self) -> None:
            prefix = f"/bot{standin.token}/"
            if not self.path.startswith(prefix):
                self._json({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
                return
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                params, files = _parse(self.headers.get("content-type") or "", body)
                result = standin.answer(self.path.removeprefix(prefix), params, files)
            except BadRequest as error:
                answer = {"ok": False, "error_code": error.status, "description": str(error)}
                if error.retry_after:
                    answer["parameters"] = {"retry_after": error.retry_after}
                self._json(answer, error.status)
                return
            self._json({"ok": True, "result": result}, 200)

        def _json(self, answer: dict[str, Any], status: int) -> None:
            self._reply(status, json.dumps(answer).encode(), "application/json")

        def _reply(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _parse(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Parameters (and uploaded files) of a Bot API request: JSON, a form or multipart."""
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}"), {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[name] = data
            else:
                params[name] = data.decode()
        return params, files
    return dict(parse_qsl(body.decode())), {}
