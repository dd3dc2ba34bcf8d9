"""A real Chromium (Debian's, driven by Playwright) with a fake camera that films a garment photo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.conftest import shared_data_dir

CHROMIUM = Path("/usr/bin/chromium")
# a pink-red dress on a patterned rug (CC0); the fake camera films it, the upload tests send it
PHOTO = Path("clothing-cc0/images/053689bb-5928-489b-aeaf-dfb969b05e93.jpg")


def camera_frame() -> Image.Image:
    """What the kiosk's camera sees: the garment photo on a grey wall, else a drawn red dress."""
    frame = Image.new("RGB", (640, 480), (214, 211, 205))
    photo = shared_data_dir() / PHOTO
    if photo.exists():
        with Image.open(photo) as source:
            garment = source.convert("RGB")
            garment.thumbnail((480, 480))
            frame.paste(garment, ((640 - garment.width) // 2, (480 - garment.height) // 2))
    else:
        ImageDraw.Draw(frame).polygon([(280, 60), (360, 60), (380, 110), (440, 430), (200, 430), (260, 110)], "#c0282d")
    return frame


@pytest.fixture(scope="session")
def fake_camera(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MJPEG file (JPEG frames one after another) that Chromium plays as its camera."""
    path = tmp_path_factory.mktemp("camera") / "garment.mjpeg"
    frame = camera_frame()
    with path.open("wb") as out:
        for _ in range(10):
            frame.save(out, "JPEG", quality=90)
    return path


@pytest.fixture(scope="module")  # Playwright's sync API holds this thread's event loop while it runs
def browser(fake_camera: Path) -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={fake_camera}",
    ]
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield chromium
        chromium.close()
