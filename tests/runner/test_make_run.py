"""`make run` on embedded defaults: reaches ready, answers a shopper, stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import httpx
import pytest

from shopguide.settings import PROJECT_ROOT, Settings
from tests.conftest import free_port

pytestmark = pytest.mark.slow


def read_until_ready(process: subprocess.Popen[str], timeout_s: float) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout_s
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if "full-page chat" in line:  # the last of the URLs printed after "ready"
            return lines
    raise AssertionError("make run did not print ready:\n" + "\n".join(lines))


def test_make_run_reaches_ready_and_answers(tmp_path):
    ports = {
        "SHOPGUIDE_RASA_PORT": free_port(),
        "SHOPGUIDE_ACTION_PORT": free_port(),
        "SHOPGUIDE_REDIS_PORT": free_port(),
    }
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        "SHOPGUIDE_VAR_DIR": str(tmp_path / "var"),
        "SHOPGUIDE_DEMO_ITEMS": "240",
        "SHOPGUIDE_RASA_MODELS_DIR": str(Settings().trained_models_dir),
    }  # share the trained-model cache
    env.pop("REDIS_URL", None)
    env.pop("CHROMA_URL", None)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        lines = read_until_ready(process, timeout_s=900)
        urls = [word for line in lines for word in line.split() if word.startswith("http")]
        base = next(url for url in urls if url.endswith("/shop")).removesuffix("/shop")
        assert {base + "/shop", base + "/kiosk"} <= set(urls)
        assert httpx.get(base + "/", timeout=10).json() == {"status": "ok"}
        assert "<html" in httpx.get(base + "/shop", timeout=10).text.lower()
        reply = []
        for message in ("show me red dresses under 100", "anything", "anything"):
            reply = httpx.post(base + "/webhook", json={"sender": "t1", "message": message}, timeout=60).json()
            if any("custom" in m for m in reply):
                break
        cards = next(m["custom"] for m in reply if "custom" in m)
        assert cards["type"] == "products" and cards["items"]
        assert all(c["price"] <= 100 for c in cards["items"])
        thumbnail = httpx.get(f"http://127.0.0.1:{ports['SHOPGUIDE_RASA_PORT']}" + cards["items"][0]["image_url"])
        assert thumbnail.status_code == 200 and thumbnail.headers["content-type"] == "image/jpeg"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(60)
    for port in ports.values():
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
