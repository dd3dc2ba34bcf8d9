"""The web channel's HTTP surface against the running assistant: uploads, limits, CORS, shortlists, admin."""

from __future__ import annotations

import io
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from PIL import Image

from shopguide.redis_client import redis_client
from tests.running_assistant import ADMIN_TOKEN, CORS_ORIGIN, cards, texts, until_cards

pytestmark = pytest.mark.slow


def sender() -> str:
    return f"w-{uuid.uuid4().hex[:12]}"


def jpeg(size: tuple[int, int] = (320, 400)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"{not json", {"content-type": "application/json"}),
        (b"[1, 2]", {"content-type": "application/json"}),
        (b"--x\r\nbroken multipart", {"content-type": "multipart/form-data; boundary=x"}),
    ],
)
def test_malformed_bodies_are_clear_400s(assistant, body, headers):
    response = httpx.post(f"{assistant.base_url}/webhook", content=body, headers=headers, timeout=30)
    assert response.status_code == 400 and response.json()["error"]


def test_an_unknown_session_id_starts_a_fresh_conversation(assistant):
    assert texts(assistant.say(f"never-seen-{uuid.uuid4().hex}", "hello")).strip()


@pytest.mark.parametrize("bad_sender", ["", "a" * 200, "../etc", "x y", None])
def test_bad_sender_ids_are_refused(assistant, bad_sender):
    response = httpx.post(f"{assistant.base_url}/webhook", json={"sender": bad_sender, "message": "hi"}, timeout=30)
    assert response.status_code == 400


def test_a_50_mb_upload_is_refused_and_the_conversation_goes_on(assistant):
    who = sender()
    assistant.say(who, "I want a red dress")
    response = assistant.send_photo(who, b"\xff\xd8\xff\xe0" + b"\x00" * 50_000_000)
    assert response.status_code == 413 and "larger" in response.json()["error"]
    assert cards(until_cards(assistant, who, "anything"))


def test_a_decompression_bomb_is_refused(assistant):
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    response = assistant.send_photo(sender(), buffer.getvalue())
    assert response.status_code == 413 and "pixels" in response.json()["error"]


def test_30_uploads_a_second_from_one_session_are_rate_limited(assistant):
    who, photo = sender(), jpeg()

    def upload(_: int) -> int:
        return assistant.send_photo(who, photo).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(upload, range(30)))
    assert statuses.count(429) >= 30 - assistant.settings.uploads_per_minute
    assert set(statuses) <= {200, 429}
    assert not list(redis_client(assistant.settings).scan_iter(match="shopguide:upload:*")), "no photo left behind"


def test_cors_allows_only_configured_origins(assistant):
    url, body = f"{assistant.base_url}/webhook", {"sender": sender(), "message": "hello"}
    allowed = httpx.post(url, json=body, headers={"origin": CORS_ORIGIN}, timeout=30)
    assert allowed.headers.get("access-control-allow-origin") == CORS_ORIGIN
    evil = {"origin": "https://evil.example"}
    assert "access-control-allow-origin" not in httpx.post(url, json=body, headers=evil, timeout=30).headers
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    refused = httpx.options(url, headers=evil | preflight, timeout=30)
    assert not refused.headers.get("access-control-allow-origin")
    welcome = httpx.options(url, headers={"origin": CORS_ORIGIN} | preflight, timeout=30)
    assert welcome.headers.get("access-control-allow-origin") == CORS_ORIGIN, welcome.headers


def test_shortlist_holds_only_items_shown_in_that_conversation(assistant):
    who = sender()
    shown = cards(until_cards(assistant, who, "white sneakers"))
    response = httpx.post(
        f"{assistant.base_url}/shortlist", json={"sender": who, "items": [shown[0]["id"], "not-shown"]}, timeout=30
    )
    link = response.json()
    items = httpx.get(link["url"] + "/items", timeout=30).json()["items"]
    assert [i["id"] for i in items] == [shown[0]["id"]]
    qr = httpx.get(link["qr"], timeout=30)
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg")
    stranger = httpx.post(f"{assistant.base_url}/shortlist", json={"sender": sender(), "items": [shown[0]["id"]]})
    assert stranger.status_code == 404
    assert httpx.get(f"{assistant.base_url}/shortlist/expired-token-123/items", timeout=30).status_code == 404


def test_admin_forget_needs_the_token_and_deletes_everything(assistant):
    who = sender()
    assert cards(until_cards(assistant, who, "black jeans"))
    client = redis_client(assistant.settings)
    assert list(client.scan_iter(match=f"*{who}*"))
    url = f"{assistant.base_url}/admin/shoppers/{who}"
    assert httpx.delete(url, timeout=30).status_code == 401
    assert httpx.delete(url, headers={"authorization": "Bearer wrong"}, timeout=30).status_code == 401
    done = httpx.delete(url, headers={"authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=30)
    assert done.status_code == 200 and done.json()["deleted_keys"] >= 1
    assert not list(client.scan_iter(match=f"*{who}*"))
