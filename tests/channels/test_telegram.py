"""The Telegram channel end to end: updates posted to the running assistant's webhook, the bot's
answers recorded by a local stand-in of the Bot API (Telegram's servers are out of reach here)."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopguide.redis_client import redis_client
from tests.channels.telegram_standin import BotApiStandIn, Call
from tests.running_assistant import TELEGRAM_API_PORT, TELEGRAM_SECRET, TELEGRAM_TOKEN, RunningAssistant

pytestmark = pytest.mark.slow
PHONE_PHOTO = "clothing-cc0/images/00003aeb-ace5-43bf-9a0c-dc31a03e9cd2.jpg"  # a T-shirt on the floor
_update_ids = itertools.count(random.randrange(10**6, 10**9))


@pytest.fixture(scope="module")
def bot_api() -> Iterator[BotApiStandIn]:
    with BotApiStandIn(TELEGRAM_TOKEN, TELEGRAM_API_PORT) as standin:
        yield standin


@dataclass
class TelegramChat:
    """One private chat with the bot: updates in, the Bot API calls each update caused out."""

    assistant: RunningAssistant
    api: BotApiStandIn
    chat_id: int

    @property
    def webhook(self) -> str:
        return self.assistant.base_url.replace("/webhooks/web", "/webhooks/telegram") + "/webhook"

    def post(self, update: Any, secret: str | None = TELEGRAM_SECRET, raw: bytes | None = None) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        if raw is not None:
            return httpx.post(self.webhook, content=raw, headers=headers, timeout=180)
        return httpx.post(self.webhook, json=update, headers=headers, timeout=180)

    def message(self, **content: Any) -> dict[str, Any]:
        sender = {"id": self.chat_id, "is_bot": False, "first_name": "Test", "language_code": "en"}
        chat = {"id": self.chat_id, "type": "private"}
        return {"update_id": next(_update_ids), "message": {"message_id": 1, "from": sender, "chat": chat, **content}}

    def send(self, update: dict[str, Any]) -> list[Call]:
        """Post a genuine update; the calls it caused in this chat."""
        before = len(self.api.calls_to(self.chat_id))
        reply = self.post(update)
        assert reply.status_code == 200, reply.text
        return self.api.calls_to(self.chat_id)[before:]

    def say(self, text: str) -> list[Call]:
        return self.send(self.message(text=text))

    def press(self, callback_data: str) -> tuple[str, list[Call]]:
        query_id = f"cq-{next(_update_ids)}"
        message = self.message(text="(the card)")["message"]
        query = {"id": query_id, "from": message["from"], "message": message, "data": callback_data}
        return query_id, self.send({"update_id": next(_update_ids), "callback_query": query})


@pytest.fixture
def phone_photo(shared_data) -> Path:
    path = shared_data / PHONE_PHOTO
    if not path.exists():
        pytest.skip(f"{path} is missing")
    return path


@pytest.fixture
def chat(assistant, bot_api) -> TelegramChat:
    return TelegramChat(assistant, bot_api, random.randrange(10**9, 10**10))


def texts(calls: list[Call]) -> str:
    return "\n".join(str(c.params.get("text", "")) for c in calls if c.method == "sendMessage")


def photos(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "sendPhoto"]


def until_cards(chat: TelegramChat, text: str, skip: str = "anything") -> list[Call]:
    calls = chat.say(text)
    for _ in range(3):
        if photos(calls):
            break
        calls = chat.say(skip)
    return calls


def test_start_then_a_request_ends_in_photo_cards(chat):
    assert texts(chat.say("/start")).strip(), "the greeting"
    calls = until_cards(chat, "I need a red dress under 100")
    cards = photos(calls)
    assert cards, texts(calls)
    assert "Here is what I found" in texts(calls)
    for number, card in enumerate(cards, start=1):
        title, price, *_ = card.params["caption"].split("\n")
        assert title.startswith(f"{number}. ") and float(price.split()[0]) <= 100
        assert card.files.get("photo", b"").startswith(b"\xff\xd8") or card.params.get("photo") in chat.api.files
        payloads = [b["callback_data"] for b in card.buttons()]
        assert payloads == [
            f'/{intent}{{"item_number":"{number}"}}' for intent in ("like_item", "more_like", "not_this")
        ]
    buttons = [b for c in calls for b in c.buttons()]
    assert all(1 <= len(b["callback_data"].encode()) <= 64 for b in buttons)


def test_a_card_shown_again_is_sent_by_its_telegram_file_id(assistant, bot_api):
    first, second = (TelegramChat(assistant, bot_api, random.randrange(10**9, 10**10)) for _ in range(2))
    uploaded = photos(until_cards(first, "white sneakers"))
    again = photos(until_cards(second, "white sneakers"))
    assert uploaded and again
    assert any(isinstance(card.params.get("photo"), str) and card.params["photo"] in bot_api.files for card in again)


def test_a_phone_photo_is_fetched_described_and_matched(chat, phone_photo):
    photo = phone_photo
    large = f"large-{chat.chat_id}"
    chat.api.add_file(large, photo.read_bytes())  # the smaller sizes are unknown: only the largest may be fetched
    sizes = [
        {"file_id": f"small-{chat.chat_id}", "file_unique_id": "s", "width": 68, "height": 90, "file_size": 2000},
        {"file_id": large, "file_unique_id": "l", "width": 400, "height": 533, "file_size": photo.stat().st_size},
        {"file_id": f"medium-{chat.chat_id}", "file_unique_id": "m", "width": 240, "height": 320},
    ]
    calls = chat.send(chat.message(photo=sizes))
    fetched = [c.params["file_id"] for c in chat.api.calls_of("getFile")]
    assert [f for f in fetched if f.endswith(str(chat.chat_id))] == [large]
    assert "Your photo looks like" in texts(calls)
    assert photos(calls)


def test_an_image_sent_as_a_file_is_a_photo_too_and_other_files_are_not(chat, phone_photo):
    chat.api.add_file(f"doc-{chat.chat_id}", phone_photo.read_bytes())
    document = {"file_id": f"doc-{chat.chat_id}", "file_name": "shirt.jpg", "mime_type": "image/jpeg"}
    calls = chat.send(chat.message(document=document, caption="like this"))
    assert "Your photo looks like" in texts(calls) and photos(calls)
    pdf = {"file_id": "pdf-1", "file_name": "list.pdf", "mime_type": "application/pdf"}
    assert "look at photos" in texts(chat.send(chat.message(document=pdf)))


def test_like_button_is_answered_and_taken_as_the_message(chat):
    cards = photos(until_cards(chat, "shirts"))
    assert cards
    query_id, calls = chat.press(cards[0].buttons()[0]["callback_data"])
    answered = [c for c in chat.api.calls_of("answerCallbackQuery") if c.params["callback_query_id"] == query_id]
    assert len(answered) == 1
    assert "Noted, you like" in texts(calls)


def test_forget_deletes_everything_of_the_chat(chat):
    assert photos(until_cards(chat, "black jeans for men under 200"))
    client = redis_client(chat.assistant.settings)
    mine = re.compile(rb".*:" + str(chat.chat_id).encode() + rb"$")
    assert [key for key in client.scan_iter(count=1000) if mine.match(key)], "the conversation is in Redis"
    assert "forgotten" in texts(chat.say("/forget"))
    assert not [key for key in client.scan_iter(count=1000) if mine.match(key)]


def test_forged_updates_are_refused_and_the_conversation_goes_on(chat):
    assert texts(chat.say("I'm looking for a jacket")).strip()
    client = redis_client(chat.assistant.settings)
    tracker = f"{chat.assistant.settings.collection_prefix}:tracker:{chat.chat_id}"
    assert client.exists(tracker)
    before = len(chat.api.calls_to(chat.chat_id))
    for secret in (None, "wrong-secret", TELEGRAM_SECRET + "x", ""):
        forged = chat.post(chat.message(text="/forget"), secret=secret)
        assert forged.status_code == 403 and "Secret-Token" in forged.json()["error"]
    assert client.exists(tracker), "a forged 'forget me' deleted nothing"
    assert len(chat.api.calls_to(chat.chat_id)) == before, "and sent nothing"
    assert photos(until_cards(chat, "anything")), "the conversation goes on where it was"


def test_bad_bodies_are_400_and_unknown_updates_are_ignored(chat):
    for raw in (b"{not json", b"[1, 2]", b'{"message": {"text": "no update id"}}', b"\xff\xfe"):
        assert chat.post(None, raw=raw).status_code == 400
    no_chat = {"update_id": next(_update_ids), "message": {"message_id": 1, "text": "hi"}}
    assert chat.post(no_chat).status_code == 400
    before = len(chat.api.calls)
    edited = {"update_id": next(_update_ids), "edited_message": chat.message(text="hi")["message"]}
    ignored = chat.post(edited)
    assert ignored.status_code == 200 and ignored.json()["status"] == "ignored"
    assert len(chat.api.calls) == before
    update = chat.message(text="hello")
    assert texts(chat.send(update))
    assert chat.send(update) == [], "a redelivered update is answered once"


def test_photos_that_cannot_be_used_get_a_friendly_text(chat):
    lost = {"file_id": f"gone-{chat.chat_id}", "file_unique_id": "g", "width": 400, "height": 533}
    assert "could not fetch your photo" in texts(chat.send(chat.message(photo=[lost])))
    chat.api.add_file(f"text-{chat.chat_id}", b"a text file renamed photo.jpg")
    renamed = {"file_id": f"text-{chat.chat_id}", "file_unique_id": "t", "width": 400, "height": 533}
    assert "cannot use this photo: this file is not a photo" in texts(chat.send(chat.message(photo=[renamed])))
    huge = {"file_id": f"huge-{chat.chat_id}", "file_unique_id": "h", "width": 9000, "height": 9000}
    assert "larger than" in texts(chat.send(chat.message(photo=[{**huge, "file_size": 50_000_000}])))


def test_cards_come_as_text_when_telegram_refuses_their_photos(chat):
    chat.api.failures["sendPhoto"] = (400, "Bad Request: wrong file identifier/HTTP URL specified")
    try:
        calls = until_cards(chat, "a red dress under 100")  # the refused sendPhoto calls are recorded too
    finally:
        del chat.api.failures["sendPhoto"]
    cards = [c for c in calls if c.method == "sendMessage" and c.buttons() and c.params["text"].startswith("1. ")]
    assert cards and "like_item" in cards[0].buttons()[0]["callback_data"]
