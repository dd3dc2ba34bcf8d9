"""The Telegram Bot API client and message shapes, against the local stand-in; no Rasa needed."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from bot.channels.telegram_api import (
    MAX_CALLBACK_BYTES,
    CallbackData,
    TelegramApiError,
    TelegramBotApi,
    card_caption,
    card_keyboard,
    card_language,
    command_text,
    inline_keyboard,
    largest_photo,
    parse_update,
    split_text,
)
from tests.channels.telegram_standin import BotApiStandIn

TOKEN = "4242:unit-test-token"
SHOPGUIDE = str(Path(sys.executable).parent / "shopguide")


@pytest.fixture
def standin():
    with BotApiStandIn(TOKEN) as running:
        yield running


@pytest.fixture
def callbacks(live_redis):
    return CallbackData(live_redis, ttl_s=60)


def in_own_loop(coroutine):
    """asyncio.run in a thread of its own: the browser tests' Playwright may hold this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run(coroutine_function):
    """Run `coroutine_function(api)` with a client of the stand-in, closing the client after."""

    async def body(url: str):
        async with TelegramBotApi(TOKEN, url, timeout_s=10) as api:
            return await coroutine_function(api)

    return body


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_send_message_with_keyboard(standin, callbacks):
    keyboard = inline_keyboard([{"title": "Cheaper", "payload": "/cheaper"}], callbacks)
    sent = in_own_loop(run(lambda api: api.send_message("77", "hello", keyboard))(standin.url))
    assert sent["text"] == "hello"
    (call,) = standin.calls_to(77, "sendMessage")
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "Cheaper", "callback_data": "/cheaper"}]]}


def test_photo_upload_is_multipart_with_caption_and_keyboard(standin, callbacks):
    photo = jpeg()
    keyboard = card_keyboard(3, callbacks)
    sent = in_own_loop(run(lambda api: api.send_photo("78", photo, "3. A shirt", keyboard, "x.jpg"))(standin.url))
    (call,) = standin.calls_to(78, "sendPhoto")
    assert call.files["photo"] == photo
    assert call.params["caption"] == "3. A shirt"
    assert [b["callback_data"] for b in call.buttons()] == [
        '/like_item{"item_number":"3"}',
        '/more_like{"item_number":"3"}',
        '/not_this{"item_number":"3"}',
    ]
    assert largest_photo(sent["photo"])["file_id"] in standin.files


def test_flood_control_is_waited_out_once(standin):
    standin.throttle_once.add("sendPhoto")
    sent = in_own_loop(run(lambda api: api.send_photo("79", jpeg(), "after a wait"))(standin.url))
    assert sent["caption"] == "after a wait"
    assert len(standin.calls_to(79, "sendPhoto")) == 2, "refused once, then sent"
    standin.failures["sendMessage"] = (429, "Too Many Requests: retry after 1")
    with pytest.raises(TelegramApiError) as refused:
        in_own_loop(run(lambda api: api.send_message("79", "hi"))(standin.url))
    assert refused.value.status == 429


def test_get_file_and_download(standin):
    standin.add_file("file-1", b"photo bytes")

    async def fetch(api: TelegramBotApi) -> bytes:
        found = await api.get_file("file-1")
        return await api.download(found["file_path"], max_bytes=1000)

    assert in_own_loop(run(fetch)(standin.url)) == b"photo bytes"


def test_download_stops_at_the_size_limit(standin):
    standin.add_file("big", b"x" * 5000)
    with pytest.raises(TelegramApiError) as refused:
        in_own_loop(run(lambda api: api.download("big", max_bytes=1000))(standin.url))
    assert refused.value.status == 413


def test_refusals_and_unreachable_servers_are_api_errors_without_the_token(standin):
    with pytest.raises(TelegramApiError) as refused:
        in_own_loop(run(lambda api: api.get_file("nope"))(standin.url))
    assert refused.value.status == 400 and "invalid file_id" in refused.value.description
    with pytest.raises(TelegramApiError) as unreachable:
        in_own_loop(run(lambda api: api.send_message("1", "hi"))("http://127.0.0.1:9"))
    assert unreachable.value.status == 0 and TOKEN not in str(unreachable.value)


def test_short_payloads_travel_as_they_are(callbacks):
    assert callbacks.encode('/like_item{"item_number":"10"}') == '/like_item{"item_number":"10"}'
    assert callbacks.decode('/like_item{"item_number":"10"}') == '/like_item{"item_number":"10"}'


def test_long_payloads_are_kept_in_redis_under_a_short_key(callbacks):
    payload = '/relax{"condition":"budget_max","note":"' + "é" * 40 + '"}'
    assert len(payload.encode()) > MAX_CALLBACK_BYTES
    data = callbacks.encode(payload)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert callbacks.encode(payload) == data, "the same payload, the same key"
    assert callbacks.decode(data) == payload
    assert callbacks.decode("#" + "A" * 24) is None, "an unknown or expired key"
    assert callbacks.decode(callbacks.encode("#looks-like-a-key")) == "#looks-like-a-key"


def test_every_button_fits_telegram(callbacks):
    buttons = [{"title": f"b{i}", "payload": "/inform" + json.dumps({"category": "x" * i})} for i in range(0, 90, 7)]
    buttons.append({"title": "Shop", "url": "https://example.com/shop"})
    keyboard = inline_keyboard(buttons, callbacks)
    keys = [key for row in keyboard["inline_keyboard"] for key in row]
    assert len(keys) == len(buttons) and all(len(row) <= 3 for row in keyboard["inline_keyboard"])
    assert all(1 <= len(k["callback_data"].encode()) <= MAX_CALLBACK_BYTES for k in keys if "callback_data" in k)
    assert keys[-1] == {"text": "Shop", "url": "https://example.com/shop"}


def test_card_caption_and_language():
    item = {"title": "Red summer dress", "price": 39.5, "currency": "USD", "explanation": "red · under 50"}
    assert card_caption(2, item) == "2. Red summer dress\n39.50 USD\nred · under 50"
    assert len(card_caption(1, {**item, "explanation": "x" * 5000})) == 1024
    assert card_language(item) == "en" and card_language({"title": "红色连衣裙"}) == "zh"
    assert card_caption(1, {"title": "No price"}) == "1. No price"


def test_largest_photo_and_text_pieces():
    sizes = [
        {"file_id": "s", "width": 90, "height": 67},
        {"file_id": "l", "width": 1280, "height": 960},
        {"file_id": "m", "width": 320, "height": 240},
    ]
    assert largest_photo(sizes)["file_id"] == "l"
    assert largest_photo([]) is None
    pieces = split_text("\n".join(f"line {i} " + "x" * 90 for i in range(200)))
    assert len(pieces) > 1 and all(0 < len(p) <= 4096 for p in pieces)
    assert split_text("  ") == []


# -- updates -------------------------------------------------------------------------------------------
def message(**content) -> dict:
    group = content.pop("group", False)
    chat = {"id": -1001, "type": "supergroup"} if group else {"id": 555, "type": "private"}
    sender = {"id": 555, "is_bot": False, "first_name": "A", "language_code": "zh-hans"}
    return {"update_id": 1, "message": {"message_id": 9, "from": sender, "chat": chat, **content}}


def test_commands_become_intents_or_words():
    assert command_text("/start") == command_text("/start@ShopGuideBot") == command_text("/START ref-42") == "/greet"
    assert command_text("/forget") == "/forget_me"
    assert command_text("/show_more please") == "show more please"
    assert not command_text('/like_item{"item_number":"1"}').startswith("/"), "typed text is never an intent payload"
    assert command_text("  red dress  ") == "red dress"


def test_text_photo_document_and_callback_updates():
    start = parse_update(message(text="/start"))
    assert (start.chat_id, start.text, start.metadata) == ("555", "/greet", {"language": "zh"})
    assert parse_update(message(text="red dress")).metadata == {}
    sizes = [{"file_id": "a", "width": 90, "height": 120}, {"file_id": "b", "width": 960, "height": 1280}]
    photo = parse_update(message(photo=sizes, caption="but in black"))
    assert photo.photo["file_id"] == "b" and photo.text == "but in black"
    document = parse_update(message(document={"file_id": "d", "mime_type": "image/heic"}))
    assert document.photo["file_id"] == "d" and document.text == ""
    assert parse_update(message(document={"file_id": "p", "mime_type": "application/pdf"})).unsupported
    assert parse_update(message(sticker={"file_id": "s"}, group=True)) is None
    query = {"id": "q1", "from": {"id": 555}, "message": message()["message"], "data": "/cheaper"}
    pressed = parse_update({"update_id": 2, "callback_query": query})
    assert (pressed.chat_id, pressed.callback_id, pressed.callback_data) == ("555", "q1", "/cheaper")
    assert parse_update({"update_id": 3, "edited_message": message()["message"]}) is None


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 1, "message": {"text": "no chat"}},
        {"update_id": 1, "message": "text"},
        {"update_id": 1, "message": {"chat": {"id": True}, "text": "x"}},
        {"update_id": 1, "callback_query": {"data": "/x"}},
        {"update_id": 1, "callback_query": {"id": "q", "message": "gone"}},
        {"update_id": 1, "message": {"chat": {"id": 1}, "photo": [{"width": 9}]}},
    ],
)
def test_malformed_updates_are_value_errors(update):
    with pytest.raises(ValueError):
        parse_update(update)


# -- configuration: credentials.yml and setWebhook ---------------------------------------------------
def test_credentials_name_the_telegram_channel_only_with_a_token(settings):
    import yaml

    from shopguide.errors import SetupError
    from shopguide.runner.rasa_project import write_runtime_config

    _, path = write_runtime_config(settings, "redis://127.0.0.1:1/0")
    assert "bot.channels.telegram.TelegramInput" not in yaml.safe_load(path.read_text())
    with_bot = settings.model_copy(update={"telegram_token": TOKEN, "telegram_secret_token": "s3cret_-x"})
    _, path = write_runtime_config(with_bot, "redis://127.0.0.1:1/0")
    telegram = yaml.safe_load(path.read_text())["bot.channels.telegram.TelegramInput"]
    assert telegram["token"] == TOKEN and telegram["secret_token"] == "s3cret_-x"
    assert telegram["api_base"] == "https://api.telegram.org" and telegram["redis_url"] == "redis://127.0.0.1:1/0"
    assert telegram["thumbnails_dir"] == str(settings.thumbnails_dir)
    with pytest.raises(SetupError, match="SHOPGUIDE_TELEGRAM_SECRET_TOKEN"):
        write_runtime_config(settings.model_copy(update={"telegram_token": TOKEN}), "redis://127.0.0.1:1/0")


def test_set_webhook_command_passes_the_secret(standin, tmp_path):
    env = {
        **os.environ,
        "SHOPGUIDE_VAR_DIR": str(tmp_path / "var"),
        "SHOPGUIDE_TELEGRAM_TOKEN": TOKEN,
        "SHOPGUIDE_TELEGRAM_SECRET_TOKEN": "hook-secret",
        "SHOPGUIDE_TELEGRAM_API_BASE": standin.url,
        "SHOPGUIDE_PUBLIC_URL": "https://shop.example.com/",
    }
    done = subprocess.run([SHOPGUIDE, "telegram", "set-webhook"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    (call,) = standin.calls_of("setWebhook")
    assert call.params["url"] == "https://shop.example.com/webhooks/telegram/webhook"
    assert call.params["secret_token"] == "hook-secret"
    env["SHOPGUIDE_TELEGRAM_API_BASE"] = "http://127.0.0.1:9"
    failed = subprocess.run(
        [SHOPGUIDE, "telegram", "set-webhook"], env=env, capture_output=True, text=True, timeout=120
    )
    assert failed.returncode == 1 and TOKEN not in failed.stdout + failed.stderr
