"""What every channel of ours shares: Redis, photo intake with its limits, shown cards, forgetting.

Built once per channel from its entry in credentials.yml (written from the settings by
`shopguide run`), because the Rasa server runs in its own Python without our settings module.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import redis
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from shopguide.privacy import FORGOTTEN, forget_shopper
from shopguide.rate_limit import RateLimiter
from shopguide.uploads import UploadRejected, UploadStore, sniff_image

logger = logging.getLogger(__name__)

NO_ANSWER = "Sorry, I could not answer that just now. Please try again in a moment."
UNAVAILABLE = "The assistant is briefly unavailable: please try again in a moment."
PHOTO_INTENT = "/photo_search"


@dataclass(frozen=True)
class ChannelLimits:
    upload_ttl_s: int = 300
    max_upload_bytes: int = 10_000_000
    max_image_pixels: int = 40_000_000
    uploads_per_minute: int = 10
    uploads_per_minute_per_address: int = 60
    messages_per_minute: int = 60
    tracker_prefix: str = "garments"
    tracker_expiry_s: int = 7 * 24 * 3600
    shortlist_ttl_s: int = 24 * 3600

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any]) -> ChannelLimits:
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in credentials.items() if key in known and value is not None})


class ChannelServices:
    """Redis-backed pieces of a channel; every method is safe to call from several server processes."""

    def __init__(self, client: redis.Redis, limits: ChannelLimits) -> None:
        self.client = client
        self.limits = limits
        self.uploads = UploadStore(client, limits.upload_ttl_s)
        self._uploads_per_session = RateLimiter(client, limits.uploads_per_minute, 60, "shopguide:rate-upload:")
        self._uploads_per_address = RateLimiter(
            client, limits.uploads_per_minute_per_address, 60, "shopguide-address:rate-upload:"
        )
        self._messages = RateLimiter(client, limits.messages_per_minute, 60, "shopguide:rate-message:")

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any]) -> ChannelServices:
        url = credentials.get("redis_url") or "redis://127.0.0.1:6379/0"
        client = redis.Redis.from_url(url, socket_timeout=5)
        return cls(client, ChannelLimits.from_credentials(credentials))

    # -- limits and photos ---------------------------------------------------------------------
    def allow_message(self, sender: str) -> bool:
        return self._messages.allow(sender)

    def accept_photo(self, data: bytes, sender: str, address: str) -> str:
        """Check the photo and keep it for the action; its id. Raises UploadRejected."""
        if not self._uploads_per_session.allow(sender) or not self._uploads_per_address.allow(address):
            raise UploadRejected("too many photos at once: please wait a minute", 429)
        sniff_image(data, self.limits.max_upload_bytes, self.limits.max_image_pixels)
        return self.uploads.put(data)

    # -- shown cards and shortlists -----------------------------------------------------------------
    def remember_cards(self, sender: str, messages: list[dict[str, Any]]) -> None:
        """Keep the product cards shown to `sender`, so that a shortlist names only real items."""
        items = [item for m in messages for item in _products(m)]
        if not items:
            return
        key = f"shopguide:cards:{sender}"
        pipe = self.client.pipeline()
        pipe.hset(key, mapping={str(item["id"]): json.dumps(item, ensure_ascii=False) for item in items})
        pipe.expire(key, self.limits.tracker_expiry_s)
        pipe.execute()

    def shown_cards(self, sender: str, item_ids: list[str]) -> list[dict[str, Any]]:
        if not item_ids:
            return []
        found = self.client.hmget(f"shopguide:cards:{sender}", item_ids)
        return [json.loads(raw) for raw in found if raw]

    def create_shortlist(self, cards: list[dict[str, Any]]) -> str:
        """A random token under which `cards` stay readable for a day; no shopper id is kept."""
        token = secrets.token_urlsafe(12)
        self.client.set(f"shopguide-shortlist:{token}", json.dumps(cards), ex=self.limits.shortlist_ttl_s)
        return token

    def shortlist(self, token: str) -> list[dict[str, Any]] | None:
        raw = self.client.get(f"shopguide-shortlist:{token}")
        return json.loads(raw) if raw else None

    # -- the turn --------------------------------------------------------------------------------
    async def handle(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
    ) -> list[dict[str, Any]]:
        """Run one turn and return the bot's messages; never silence, never a lost "forget me"."""
        collector = message.output_channel
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("channel.message.failed")
        messages = collector.messages if isinstance(collector, CollectingOutputChannel) else []
        if FORGOTTEN in (m.get("custom") for m in messages):
            # the action deleted what it knew; the tracker is written after the action, so delete it now
            forget_shopper(self.client, message.sender_id, self.limits.tracker_prefix)
            messages = [m for m in messages if m.get("custom") != FORGOTTEN]
        else:
            self.remember_cards(message.sender_id, messages)
        return messages or [{"recipient_id": message.sender_id, "text": NO_ANSWER}]

    def forget(self, sender: str) -> int:
        return forget_shopper(self.client, sender, self.limits.tracker_prefix)


def photo_message(
    image_id: str, words: str, metadata: dict[str, Any] | None = None, max_chars: int = 5000
) -> tuple[str, dict[str, Any]]:
    """What a shopper's photo becomes in the conversation: the photo intent, with the kept photo's id
    and the words sent with it (a caption, the widget's text field) in the metadata."""
    return PHOTO_INTENT, {**(metadata or {}), "image_id": image_id, "words": words.strip()[:max_chars]}


def _products(message: dict[str, Any]) -> list[dict[str, Any]]:
    custom = message.get("custom")
    if isinstance(custom, dict) and custom.get("type") == "products":
        return [item for item in custom.get("items", []) if isinstance(item, dict) and item.get("id")]
    return []
