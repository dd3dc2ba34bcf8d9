"""The one ShoppingAssistant of this action server process, built from the settings on first use or at start."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

from shopguide.conversation.assistant import ShoppingAssistant
from shopguide.heap import freeze_startup_heap
from shopguide.personalisation.profile_store import ProfileStore
from shopguide.redis_client import PhotoMemory, redis_client
from shopguide.search.service import SearchService
from shopguide.settings import get_settings
from shopguide.uploads import UploadStore

log = logging.getLogger(__name__)


_building = threading.Lock()


def shopping_assistant() -> ShoppingAssistant:
    """Built once, by whichever asks first (the warm-up or a turn; the other waits). A build that fails
    (the store is down) is tried again at the next call."""
    with _building:
        return _built()


@lru_cache(maxsize=1)
def _built() -> ShoppingAssistant:
    settings = get_settings()
    client = redis_client(settings)
    assistant = ShoppingAssistant(
        SearchService.from_settings(settings),
        UploadStore(client, settings.upload_ttl_s),
        PhotoMemory(client, settings.photo_memory_ttl_s),
        ProfileStore.from_settings(client, settings),
        settings,
    )
    freeze_startup_heap()  # the towers and the store client stay for the process's life
    return assistant


def warm_up_in_background() -> threading.Thread:
    """Build the assistant and search once while the Rasa server loads its model (the longer wait), so
    that the first shopper's turn is as quick as the next (it took ~1.2 s more)."""

    def warm_up() -> None:
        try:
            seconds = shopping_assistant().search.warm_up()
        except Exception:  # the store is down, say: the first turn tells the shopper, and tries again
            log.exception("actions.warm_up_failed")
            return
        log.info("actions.warmed_up seconds=%.2f", seconds)

    thread = threading.Thread(target=warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread
