"""Driving the widget in a page: type, wait for the answer, answer the form until cards appear.

Playwright's CSS locators pierce the widget's (open) shadow root, so `.sg-log` finds the widget's log.
"""

from __future__ import annotations

from pathlib import Path

from shopguide.settings import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "reports" / "screenshots"
TURN_MS = 120_000  # a cold first turn (models loading) can take a while on a loaded machine
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


WEBHOOK = "**/webhooks/web/webhook"


def watch_typing(page) -> None:
    """Record whether the typing indicator is shown (in `window.sgTypingShown`) from now on.

    A fast answer can hide it again before a check polls for it; the observer sees every change.
    """
    page.locator(".sg-typing").evaluate(
        """el => {
            window.sgTypingShown = false;
            new MutationObserver(() => {
                if (!el.hidden && el.getClientRects().length) window.sgTypingShown = true;
            }).observe(el, {attributes: true, attributeFilter: ["hidden"]});
        }"""
    )


def replies(page):
    """The bot's answers (and friendly errors) in the log, the welcome line left out."""
    return page.locator(".sg-log > li.sg-bot:not(.sg-welcome)")


def latest_cards(page):
    return page.locator(".sg-cards:not(.sg-stale) .sg-card")


def wait_for_reply(page, before: int):
    """The answer after the `before` earlier ones, once the typing indicator is gone."""
    answer = replies(page).nth(before)
    answer.wait_for(timeout=TURN_MS)
    page.locator(".sg-typing").wait_for(state="hidden", timeout=TURN_MS)
    return answer


def say(page, text: str):
    """Type `text` in the widget and press Enter; the bot's answer."""
    before = replies(page).count()
    box = page.locator("#sg-text")
    box.fill(text)
    box.press("Enter")
    return wait_for_reply(page, before)


def until_cards(page, text: str, skip: str = "anything"):
    """Send `text`, then answer the form's questions with `skip` until product cards are shown."""
    answer = say(page, text)
    for _ in range(3):
        if answer.locator(".sg-cards").count():
            break
        answer = say(page, skip)
    assert answer.locator(".sg-cards").count(), answer.inner_text()
    return answer


def click_and_wait(page, locator):
    before = replies(page).count()
    locator.click()
    return wait_for_reply(page, before)


SETTLED_IMAGE = """(img, ms) => new Promise(done => {
    const settle = () => done(img.complete && img.naturalWidth > 0);
    if (img.complete) return settle();
    img.addEventListener("load", settle, { once: true });
    img.addEventListener("error", settle, { once: true });
    setTimeout(settle, ms);
})"""


def images_loaded(locator, wait_ms: int = 15_000) -> bool:
    """Whether every image decoded with pixels, once each has finished loading.

    Cards' images are lazy and arrive after the cards do, so each one is scrolled into
    view and given until it loads or fails (`wait_ms` at most) before it is judged.
    """
    images = [locator.nth(i) for i in range(locator.count())]
    for image in images:
        image.scroll_into_view_if_needed()
    return all(image.evaluate(SETTLED_IMAGE, wait_ms) for image in images)


def shadow_focus(page) -> str:
    """The id or class of the focused element inside the widget."""
    return page.evaluate(
        "() => { const f = document.querySelector('.shopguide-host').shadowRoot.activeElement;"
        " return f ? (f.id || f.className) : ''; }"
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path))
    return path


# Chromium does not hand file uploads' bodies to Playwright: the page keeps each FormData it sends
RECORD_UPLOADS = """
window.__uploads = [];
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (body) {
  if (body instanceof FormData) window.__uploads.push(body);
  return send.call(this, body);
};
"""
LAST_UPLOAD = """async () => {
  const form = window.__uploads[window.__uploads.length - 1];
  const image = form.get("image");
  const bitmap = await createImageBitmap(image);
  return {sender: form.get("sender"), language: form.get("language"), message: form.get("message"),
          type: image.type, width: bitmap.width, height: bitmap.height};
}"""
