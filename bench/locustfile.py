"""Shoppers for locust: each holds one ~20-turn conversation with the web channel, then stops.

A conversation: a request, answers to the assistant's questions, refinements (cheaper, show more,
more like #n, not #n, another style), a question about an item, a photo turn, a new request in
Chinese, goodbye. Every turn is recorded (sender, turn number, text as the tracker will hold it,
HTTP status, milliseconds, whether the answer was the channel's fallback) as a JSON line in
``$SHOPGUIDE_LOAD_RECORD``, so that `bench.load` can check every tracker afterwards.

Photos go as multipart uploads (``sender``, ``message``, file ``image``), as the widget sends them;
with ``SHOPGUIDE_LOAD_PHOTOS=redis`` they are put in Redis by ``UploadStore`` (``REDIS_URL``) and
the turn is JSON with ``metadata.image_id``.

Run by `python -m bench.load` (make load); by hand:
    locust -f bench/locustfile.py --headless --users 50 --spawn-rate 10 --run-time 15m --host http://127.0.0.1:5080
"""

from __future__ import annotations

import io
import itertools
import json
import os
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from PIL import Image

WEBHOOK = "/webhooks/web/webhook"
PHOTO_INTENT = "/photo_search"  # what the channel puts in the tracker for a photo turn
NO_ANSWER = "Sorry, I could not answer that just now"
RUN = os.environ.get("SHOPGUIDE_LOAD_RUN") or uuid.uuid4().hex[:8]
RECORD = Path(os.environ.get("SHOPGUIDE_LOAD_RECORD", "var/load/turns.jsonl"))
TURNS = int(os.environ.get("SHOPGUIDE_LOAD_TURNS", "20"))
PHOTO = object()  # marks the photo turn in a script

SCRIPTS: list[list[object]] = [
    [
        "hi",
        "I'm looking for a dress",
        "red",
        "women",
        "under 60",
        "cheaper",
        "show more",
        "more like #1",
        "tell me about #2",
        "not #1",
        PHOTO,
        "like this but in blue",
        "size M",
        "only my size",
        "something in a different style",
        "I want black jeans for men",
        "anything",
        "cheaper",
        "想买一件黑色的男士夹克，预算500以内",
        "thanks, bye",
    ],
    [
        "hello",
        "show me summer shirts",
        "white",
        "men",
        "anything",
        "more expensive",
        "show more",
        "not #2",
        "more like #1",
        PHOTO,
        "cheaper",
        "is #1 available in L?",
        "any other colours?",
        "a striped skirt under 40",
        "women",
        "anything",
        "show more",
        "便宜一点",
        "another style please",
        "bye",
    ],
    [
        "hey",
        "我想买一条裙子",
        "红色",
        "女士",
        "200以内",
        "便宜一点",
        "更多",
        PHOTO,
        "like this but cheaper",
        "show more",
        "more like #2",
        "a green jacket",
        "men",
        "under 100",
        "size L",
        "cheaper",
        "not #1",
        "tell me about #1",
        "show more",
        "thank you",
    ],
]
_numbers = itertools.count(1)


def _photo() -> bytes:
    """A real phone photo (shared data) shrunk as a phone app would, else a drawn red dress."""
    shared = Path(os.environ.get("SHOPGUIDE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    photos = sorted((shared / "clothing-cc0" / "images").glob("*.jpg"))[:1]
    image = Image.open(photos[0]).convert("RGB") if photos else Image.new("RGB", (800, 1000), (200, 30, 40))
    image.thumbnail((1280, 1280))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


PHOTO_BYTES = _photo()


def _upload_store():
    import redis

    from shopguide.uploads import UploadStore

    return UploadStore(redis.Redis.from_url(os.environ["REDIS_URL"]), 300)


@events.test_start.add_listener
def _started(environment, **_: object) -> None:
    RECORD.parent.mkdir(parents=True, exist_ok=True)
    environment.shoppers_done = 0


class Shopper(HttpUser):
    """One conversation of TURNS turns with think time in between; stops when it is over."""

    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        number = next(_numbers)
        self.sender = f"load-{RUN}-{number:03d}"
        script = SCRIPTS[number % len(SCRIPTS)]
        self.turns = list(itertools.islice(itertools.cycle(script), TURNS))
        self.turn = 0
        self.uploads = _upload_store() if os.environ.get("SHOPGUIDE_LOAD_PHOTOS") == "redis" else None

    @task
    def next_turn(self) -> None:
        if self.turn >= len(self.turns):
            self._finish()
        message = self.turns[self.turn]
        self.turn += 1
        if message is PHOTO:
            self._photo_turn()
        else:
            body = {"sender": self.sender, "message": message, "metadata": {}}
            self._post("text", str(message), json=body)

    def _photo_turn(self) -> None:
        if self.uploads is not None:
            image_id = self.uploads.put(PHOTO_BYTES)
            body = {"sender": self.sender, "message": PHOTO_INTENT, "metadata": {"image_id": image_id}}
            self._post("photo", PHOTO_INTENT, json=body)
            return
        form = {"sender": self.sender, "message": "something like this"}
        files = {"image": ("photo.jpg", PHOTO_BYTES, "image/jpeg")}
        self._post("photo", PHOTO_INTENT, data=form, files=files)

    def _post(self, kind: str, tracked_text: str, **request: object) -> None:
        started = time.perf_counter()
        with self.client.post(WEBHOOK, name=kind, timeout=120, catch_response=True, **request) as response:
            ms = (time.perf_counter() - started) * 1000
            try:
                messages = response.json() if response.status_code == 200 else []
            except ValueError:
                messages = []
            fallback = not messages or any(NO_ANSWER in str(m.get("text", "")) for m in messages)
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif fallback:
                response.failure("fallback answer")
            record = {
                "sender": self.sender,
                "turn": self.turn,
                "kind": kind,
                "text": tracked_text,
                "status": response.status_code,
                "ms": round(ms, 1),
                "fallback": fallback,
            }
        with RECORD.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def _finish(self) -> None:
        environment = self.environment
        environment.shoppers_done += 1
        if environment.shoppers_done >= (environment.parsed_options.num_users or 0) and environment.runner:
            environment.runner.quit()
        raise StopUser()
