"""Generated hostile HTTP against the running assistant's channels: bodies, multipart, JSON, headers,
paths. No 500, no stack trace in any answer, and a conversation held before the storm is intact after.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.telegram_standin import BotApiStandIn
from tests.running_assistant import TELEGRAM_API_PORT, TELEGRAM_SECRET, TELEGRAM_TOKEN, cards, until_cards

pytestmark = pytest.mark.slow
FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "multipart/form-data; boundary=xyz",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "text/plain",
        "image/jpeg",
        "",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
SENDERS = st.one_of(st.just("fuzz-shopper"), st.text(max_size=140), st.integers(), st.none())


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=120) as session:
        yield session


@pytest.fixture(scope="module")
def bot_api():
    with BotApiStandIn(TELEGRAM_TOKEN, TELEGRAM_API_PORT) as standin:
        yield standin


@pytest.fixture(scope="module")
def held_conversation(assistant):
    """A conversation with gathered preferences; the storm must not touch it."""
    who = f"fuzz-held-{uuid.uuid4().hex[:8]}"
    assistant.say(who, "I want green hoodies under 80")
    yield who
    items = cards(until_cards(assistant, who, "anything"))
    assert items and all(i["price"] <= 80 and "hoodie" in i["title"].lower() for i in items)


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text and 'File "' not in response.text


@settings(FUZZ, max_examples=2500)
@given(body=st.binary(max_size=3000), content_type=CONTENT_TYPES, origin=HEADER_TEXT)
def test_raw_bodies(assistant, client, held_conversation, body, content_type, origin):
    headers = {"content-type": content_type, "origin": origin.strip() or "x"}
    check(client.post(f"{assistant.base_url}/webhook", content=body, headers=headers))


@settings(FUZZ, max_examples=1200)
@given(body=JSON_VALUES, sender=SENDERS)
def test_json_bodies(assistant, client, held_conversation, body, sender):
    """Mostly malformed: a dict with a valid sender and text is a real turn, so those are fewer."""
    if isinstance(body, dict) and sender != "fuzz-shopper":
        body = {**body, "sender": sender}
    check(client.post(f"{assistant.base_url}/webhook", content=json.dumps(body).encode()))


@settings(FUZZ, max_examples=150)
@given(text=st.text(min_size=1, max_size=400), metadata=st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=4))
def test_real_turns_with_odd_text_and_metadata(assistant, client, held_conversation, text, metadata):
    body = {"sender": f"fuzz-{uuid.uuid4().hex[:10]}", "message": text, "metadata": metadata}
    response = client.post(f"{assistant.base_url}/webhook", json=body)
    check(response)
    if text.strip():
        assert response.status_code in (200, 429) and isinstance(response.json(), list | dict)


@settings(FUZZ, max_examples=600)
@given(
    fields=st.dictionaries(st.sampled_from(["sender", "message", "language", "x"]), st.text(max_size=60), max_size=4),
    photo=st.binary(max_size=4000),
    file_field=st.sampled_from(["image", "file", "image[]"]),
)
def test_multipart_bodies(assistant, client, held_conversation, fields, photo, file_field):
    response = client.post(f"{assistant.base_url}/webhook", data=fields, files={file_field: ("p.jpg", photo)})
    check(response)


@settings(FUZZ, max_examples=700)
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT"]),
    path=st.sampled_from(["static/", "images/", "shortlist/", "admin/shoppers/", "", "config/", "shortlist"]).flatmap(
        lambda prefix: st.text(max_size=40).map(lambda rest: prefix + rest)
    ),
    token=HEADER_TEXT,
)
def test_paths_and_admin_tokens(assistant, client, held_conversation, method, path, token):
    safe_path = quote(path, safe="/%.")  # any text, percent-encoded as a browser would send it
    headers = {"authorization": ("Bearer " + token).strip()}
    response = client.request(method, f"{assistant.base_url}/{safe_path}", headers=headers, content=b"{}")
    check(response)
    if method == "DELETE" and safe_path.startswith("admin/"):
        assert response.status_code in (401, 404, 405)


@settings(FUZZ, max_examples=500)
@given(update=JSON_VALUES, secret=st.sampled_from([None, "", "wrong", TELEGRAM_SECRET]))
def test_telegram_updates(assistant, client, held_conversation, bot_api, update, secret):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    url = assistant.base_url.replace("/webhooks/web", "/webhooks/telegram") + "/webhook"
    response = client.post(url, content=json.dumps(update).encode(), headers=headers)
    check(response)
    if secret != TELEGRAM_SECRET:
        assert response.status_code == 403
