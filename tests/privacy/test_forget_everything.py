"""The privacy promise end to end: a shopper's conversation, photo, likes and purchases, then
"forget me"; afterwards nothing of them is left in Redis (keys and values), in the Chroma files,
in the data folders or in the logs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from shopguide.redis_client import redis_client
from tests.running_assistant import RunningAssistant, cards, texts, until_cards

pytestmark = pytest.mark.slow
MARKER = "Quixotica"  # a word only this shopper ever wrote


def import_purchases(assistant: RunningAssistant, shopper: str, item_id: str, folder: Path) -> str:
    purchases = folder / "purchases.csv"
    purchases.write_text(f"shopper_id,item_id,date,size\n{shopper},{item_id},2026-10-01,M\n")
    env = {
        **os.environ,
        "REDIS_URL": assistant.settings.redis_url,
        "SHOPGUIDE_VAR_DIR": str(assistant.settings.var_dir),
    }
    done = subprocess.run(
        [str(Path(sys.executable).parent / "shopguide"), "profiles", "import", str(purchases)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def wait_for_aof_rewrite(client: redis.Redis) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        info = client.info("persistence")
        if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
            return
        time.sleep(0.2)
    raise AssertionError("the append-only file was not rewritten")


def redis_values(client: redis.Redis, key: bytes) -> bytes:
    kind = client.type(key)
    if kind == b"string":
        return client.get(key) or b""
    if kind == b"hash":
        return b" ".join(k + b"=" + v for k, v in client.hgetall(key).items())
    if kind == b"list":
        return b" ".join(client.lrange(key, 0, -1))
    if kind in (b"set", b"zset"):
        return b" ".join(client.smembers(key) if kind == b"set" else client.zrange(key, 0, -1))
    return b""


def files_holding(folder: Path, needles: list[bytes]) -> list[str]:
    return [
        f"{path} ({needle.decode()})"
        for path in folder.rglob("*")
        if path.is_file()
        for needle in needles
        if needle in path.read_bytes()
    ]


def test_forget_me_leaves_nothing_behind(assistant, tmp_path):
    shopper = f"priv-{uuid.uuid4().hex[:12]}"
    shown = cards(until_cards(assistant, shopper, f"I need a red dress for my trip to {MARKER}"))
    assert shown
    photo = next((assistant.settings.var_dir / "demo" / "images").glob("*.jpg")).read_bytes()
    assert cards(assistant.send_photo(shopper, photo, words=f"like this for {MARKER}").json())
    assert "you like" in texts(assistant.say(shopper, "I like number 1"))
    assert "1" in import_purchases(assistant, shopper, shown[0]["id"], tmp_path)
    client = redis_client(assistant.settings)
    assert client.exists(f"shopguide:profile:{shopper}") and client.exists(f"garments:tracker:{shopper}")

    assert "forgotten" in texts(assistant.say(shopper, "forget me"))
    wait_for_aof_rewrite(client)

    needles = [shopper.encode(), MARKER.encode()]
    leftovers = [
        key for key in client.scan_iter(count=1000) if any(n in key + redis_values(client, key) for n in needles)
    ]
    assert not leftovers, leftovers
    assert not files_holding(assistant.settings.var_dir, needles), "data folders, Chroma files and logs are clean"
