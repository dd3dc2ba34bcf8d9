"""The in-store kiosk (fake camera, shortlist QR, idle reset) and the shortlist page on a phone, in a real Chromium."""

from __future__ import annotations

import time

import httpx
import pytest

from shopguide.redis_client import redis_client
from tests.browser.chat_page import (
    DESKTOP,
    PHONE,
    click_and_wait,
    images_loaded,
    latest_cards,
    replies,
    screenshot,
    wait_for_reply,
)

pytestmark = pytest.mark.slow
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def kiosk(browser):
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(30_000)
    context.grant_permissions(["camera"])
    yield context.new_page()
    context.close()


def test_kiosk_camera_photo_like_and_send_to_phone(assistant, kiosk, browser):
    page = kiosk
    page.goto(f"{assistant.base_url}/kiosk?idle=600")
    for starter in ("Dresses", "Jackets", "Under 50", "Men", "Women", "中文"):
        assert page.get_by_role("button", name=starter, exact=True).is_visible(), starter
    assert page.locator("#k-phone").is_disabled(), "nothing liked yet"

    page.locator("#k-photo").click()
    snap = page.locator("#k-snap")
    expect(snap).to_be_enabled(timeout=20_000)
    assert page.evaluate("document.getElementById('k-video').videoWidth") == 640, "the fake camera's frames"
    screenshot(page, "kiosk-camera.png")
    answer = click_and_wait(page, snap)
    assert page.locator("#k-camera").is_hidden()
    assert "Your photo looks like" in answer.inner_text(), answer.inner_text()
    assert answer.locator(".sg-card").count() >= 3
    assert images_loaded(page.locator(".sg-photo-msg img"))
    assert images_loaded(answer.locator(".sg-card img").nth(0))
    page.locator(".sg-photo-msg").evaluate("photo => photo.scrollIntoView({block: 'start'})")
    screenshot(page, "kiosk-cards.png")

    liked = latest_cards(page).nth(1)
    liked_id = liked.get_attribute("data-item-id")
    liked_title = liked.locator(".sg-card-title").inner_text().strip()
    assert "Noted, you like" in click_and_wait(page, liked.locator(".sg-like")).inner_text()
    assert page.locator("#k-count").inner_text() == "1"
    page.locator("#k-phone").click()
    qr = page.locator("#k-qr-img")
    qr.wait_for()
    page.wait_for_function("document.getElementById('k-qr-img').naturalWidth > 0")
    link = page.locator("#k-qr-link").get_attribute("href")
    assert "/webhooks/web/shortlist/" in link and page.locator("#k-qr-link").inner_text() == link
    assert httpx.get(qr.get_attribute("src")).headers["content-type"].startswith("image/svg")
    screenshot(page, "kiosk-qr.png")
    page.locator("#k-qr-done").click()
    assert page.locator("#k-qr").is_hidden()

    context = browser.new_context(**PHONE)
    try:
        phone = context.new_page()
        phone.goto(link)
        card = phone.locator(".sg-card")
        card.first.wait_for()
        assert card.count() == 1 and card.get_attribute("data-item-id") == liked_id
        title = card.locator(".sg-card-title").inner_text().strip()
        assert title.split(maxsplit=1)[-1] in liked_title
        assert images_loaded(card.locator("img"))
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the card fits the phone's width"
        screenshot(phone, "shortlist-phone.png")
        phone.goto(link.rsplit("/", 1)[0] + "/AAAAAAAAAAAAAAAA")
        phone.get_by_text("This link has expired").wait_for()
    finally:
        context.close()


def test_kiosk_idle_reset_forgets_the_shopper(assistant, kiosk):
    page = kiosk
    page.goto(f"{assistant.base_url}/kiosk?idle=3")
    page.get_by_role("button", name="中文", exact=True).click()
    assert page.get_by_role("button", name="连衣裙", exact=True).is_visible()
    page.get_by_role("button", name="English", exact=True).click()

    click_and_wait(page, page.get_by_role("button", name="Jackets", exact=True))
    assert page.locator(".sg-log .sg-user").count() == 1
    old = page.evaluate("ShopGuide.instance.sender")
    store = redis_client(assistant.settings)
    assert store.exists(f"garments:tracker:{old}")

    # three seconds without a touch: the screen is cleared, the server forgets, a new session starts
    page.wait_for_function("old => ShopGuide.instance.sender !== old", arg=old, timeout=30_000)
    assert page.locator(".sg-log .sg-user").count() == 0 and replies(page).count() == 0
    assert page.locator(".sg-welcome").is_visible()
    deadline = time.monotonic() + 10
    while store.exists(f"garments:tracker:{old}") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not store.exists(f"garments:tracker:{old}"), "the old conversation is forgotten"
    new = page.evaluate("ShopGuide.instance.sender")
    assert new.startswith("kiosk-") and page.evaluate("sessionStorage.getItem('shopguide.kiosk.sender')") == f'"{new}"'

    # the new session works
    before = replies(page).count()
    page.get_by_role("button", name="Dresses", exact=True).click()
    assert wait_for_reply(page, before).inner_text().strip()
