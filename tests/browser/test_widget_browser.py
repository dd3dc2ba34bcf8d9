"""The chat widget on the demo shop page and the full-page chat, in a real Chromium against the running assistant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.chat_page import (
    DESKTOP,
    LAST_UPLOAD,
    PHONE,
    RECORD_UPLOADS,
    WEBHOOK,
    click_and_wait,
    images_loaded,
    latest_cards,
    replies,
    say,
    screenshot,
    shadow_focus,
    until_cards,
    wait_for_reply,
    watch_typing,
)
from tests.browser.conftest import PHOTO

pytestmark = pytest.mark.slow


@pytest.fixture
def desktop(browser):
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def big_photo(shared_data: Path, folder: Path) -> Path:
    """The garment photo enlarged to 1500x2000: the widget must shrink it before uploading."""
    path = folder / "big-photo.jpg"
    with Image.open(shared_data / PHOTO) as photo:
        photo.convert("RGB").resize((1500, 2000)).save(path, "JPEG", quality=92)
    return path


def test_shop_page_text_photo_like_and_reload(assistant, desktop, shared_data, tmp_path):
    page = desktop
    page.add_init_script(RECORD_UPLOADS)
    page.goto(f"{assistant.base_url}/shop")
    assert page.locator('script[src="/webhooks/web/widget.js"][data-server=""][data-language="en"]').count() == 1
    page.locator(".sg-launcher").click()
    assert page.locator(".sg-launcher").get_attribute("aria-expanded") == "true"
    assert shadow_focus(page) == "sg-text"

    answer = until_cards(page, "I need a red dress under 100")
    cards = answer.locator(".sg-card")
    assert cards.count() >= 3
    first = cards.first
    assert first.locator(".sg-price").inner_text().strip() and first.locator(".sg-why").inner_text().strip()
    assert first.locator(".sg-like").is_visible() and first.locator(".sg-more").is_visible()
    assert "1. " not in answer.locator(".sg-bubble").first.inner_text(), "the numbered text list is left to the cards"
    assert images_loaded(answer.locator(".sg-card img").first)
    screenshot(page, "shop-widget-cards.png")

    # a photo from the picker, 1500x2000: uploaded as a JPEG of at most 1024 px with sender and language
    with page.expect_file_chooser() as chooser:
        page.locator(".sg-photo").click()
    before = replies(page).count()
    chooser.value.set_files(str(big_photo(shared_data, tmp_path)))
    answer = wait_for_reply(page, before)
    sent = page.evaluate(LAST_UPLOAD)
    assert sent["type"] == "image/jpeg" and (sent["width"], sent["height"]) == (768, 1024), sent
    sender = page.evaluate("localStorage.getItem('shopguide.web.sender')")
    assert json.loads(sender) == sent["sender"] and sent["language"] == "en" and sent["message"] is None
    assert "Your photo looks like" in answer.inner_text()
    assert answer.locator(".sg-card").count() >= 3
    preview = page.locator(".sg-photo-msg img").last
    assert preview.get_attribute("src").startswith("data:image/jpeg") and images_loaded(preview)
    assert page.locator(".sg-cards.sg-stale").count() == 1, "the earlier cards can no longer be acted on"
    preview.scroll_into_view_if_needed()
    screenshot(page, "widget-photo.png")

    answer = click_and_wait(page, latest_cards(page).nth(1).locator(".sg-like"))
    assert "Noted, you like" in answer.inner_text()
    assert latest_cards(page).nth(1).locator(".sg-like").get_attribute("aria-pressed") == "true"

    # reload: the same conversation, the panel still open, the like remembered; then go on
    shown = replies(page).count()
    page.reload()
    page.locator(".sg-panel").wait_for()
    assert replies(page).count() == shown
    assert "Your photo looks like" in page.locator(".sg-log").inner_text()
    assert latest_cards(page).nth(1).locator(".sg-like").get_attribute("aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('shopguide.web.sender')") == sender
    answer = say(page, "show me something cheaper")
    assert answer.locator(".sg-card").count(), answer.inner_text()
    assert page.locator(".sg-cards.sg-stale").count() == 2


def test_phone_keyboard_and_friendly_errors(assistant, phone, tmp_path):
    page = phone
    page.goto(f"{assistant.base_url}/shop")
    launcher = page.locator(".sg-launcher")
    launcher.focus()
    page.keyboard.press("Enter")
    panel = page.locator(".sg-panel").bounding_box()
    assert panel["width"] == 390 and panel["height"] >= 800, f"the panel fills the phone's screen: {panel}"
    assert shadow_focus(page) == "sg-text"
    assert page.locator("input.sg-capture[capture][accept='image/*']").count() == 1
    assert page.locator(".sg-log").get_attribute("aria-live") == "polite"
    page.keyboard.press("Tab")
    assert "sg-send" in shadow_focus(page)
    page.keyboard.press("Escape")
    assert page.locator(".sg-panel").is_hidden() and "sg-launcher" in shadow_focus(page)
    page.keyboard.press("Enter")
    assert shadow_focus(page) == "sg-text"

    page.keyboard.type("black jeans for men under 200")
    watch_typing(page)
    page.keyboard.press("Enter")
    answer = wait_for_reply(page, 0)
    assert page.evaluate("window.sgTypingShown"), "the typing indicator shows while the assistant answers"
    for _ in range(3):
        if answer.locator(".sg-cards").count():
            break
        answer = say(page, "anything")
    assert answer.locator(".sg-card").count()
    screenshot(page, "phone-widget-cards.png")

    # a text file named .jpg: the server says 415, the widget says it kindly, nothing is lost
    fake = tmp_path / "holiday.jpg"
    fake.write_text("this is a shopping list, not a photo\n" * 20)
    before = replies(page).count()
    page.locator("input.sg-file").set_input_files(str(fake))
    error = wait_for_reply(page, before)
    assert "doesn't look like a photo" in error.inner_text()
    assert page.locator(".sg-photo-msg.sg-failed").count() == 1
    assert page.locator(".sg-cards").count() >= 1

    # too large (and undecodable, so sent as it is): 413
    huge = tmp_path / "huge.jpg"
    huge.write_bytes(b"\xff\xd8\xff\xe0" + bytes(11_000_000))
    before = replies(page).count()
    page.locator("input.sg-file").set_input_files(str(huge))
    assert "too large" in wait_for_reply(page, before).inner_text()
    screenshot(page, "phone-widget-errors.png")

    # too many messages (429, simulated once): a friendly line and a "Try again" that works
    def too_many(route):
        route.fulfill(status=429, content_type="application/json", body='{"error": "too many messages at once"}')
        page.unroute(WEBHOOK, too_many)

    page.route(WEBHOOK, too_many)
    error = say(page, "something cheaper")
    assert "a little fast" in error.inner_text()
    answer = click_and_wait(page, error.locator(".sg-retry"))
    assert answer.locator(".sg-card").count(), answer.inner_text()


def test_chinese_config_object_colours_and_full_page_chat(assistant, desktop):
    page = desktop
    page.add_init_script("window.ShopGuide = {language: 'zh', colours: {accent: '#8a1538'}};")
    page.goto(f"{assistant.base_url}/shop")
    launcher = page.locator(".sg-launcher")
    assert launcher.inner_text().strip() == "问问购物向导"
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(138, 21, 56)"
    launcher.click()
    assert page.locator("#sg-text").get_attribute("placeholder").startswith("例如")
    answer = until_cards(page, "想买一件黑色的夹克，预算500以内", skip="随便")
    assert "喜欢" in answer.locator(".sg-like").first.get_attribute("aria-label")

    # a question about the range: the brands as buttons; one pressed says its name and wants it
    answer = say(page, "夹克有哪些品牌")
    assert "夹克有" in answer.inner_text() and "个品牌：" in answer.inner_text(), answer.inner_text()
    brand = answer.locator(".sg-quick button").first
    name = brand.inner_text().strip()
    answer = click_and_wait(page, brand)
    assert page.locator(".sg-log > li.sg-user").last.inner_text().strip() == name
    for _ in range(3):
        if answer.locator(".sg-cards").count():
            break
        answer = say(page, "随便")
    assert all(name in title for title in latest_cards(page).locator(".sg-title").all_inner_texts())

    page.goto(f"{assistant.base_url}/chat")
    assert page.locator(".sg-launcher").count() == 0 and page.locator(".sg-mode-inline .sg-log").is_visible()
    answer = say(page, "hello")
    assert answer.inner_text().strip()
    assert page.locator(".sg-panel").bounding_box()["height"] >= 780, "the full-page chat fills the window"


DROP_AND_PASTE = """async (panel) => {
  const canvas = document.createElement("canvas");
  canvas.width = 300;
  canvas.height = 400;
  const draw = canvas.getContext("2d");
  draw.fillStyle = "#c0282d";
  draw.fillRect(60, 40, 180, 340);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const files = () => {
    const data = new DataTransfer();
    data.items.add(new File([blob], "red.png", {type: "image/png"}));
    return data;
  };
  panel.dispatchEvent(new DragEvent("dragenter", {bubbles: true, composed: true, dataTransfer: files()}));
  const shown = !panel.querySelector(".sg-drop").hidden;
  panel.dispatchEvent(new DragEvent("drop", {bubbles: true, composed: true, dataTransfer: files()}));
  panel.querySelector("#sg-text").dispatchEvent(
    new ClipboardEvent("paste", {bubbles: true, composed: true, clipboardData: files()}));
  return shown;
}"""


def test_drop_and_paste_send_photos(assistant, desktop):
    page = desktop
    page.goto(f"{assistant.base_url}/chat")
    assert page.locator(".sg-panel").evaluate(DROP_AND_PASTE), "dragging a file over the chat shows the drop zone"
    wait_for_reply(page, 1)
    assert page.locator(".sg-photo-msg img").count() == 2
    assert page.locator(".sg-drop").is_hidden()
    assert page.get_by_text("Your photo looks like").count() == 2
