"""The one ShoppingAssistant of this action server process, built from the settings on first use."""

from __future__ import annotations

from functools import lru_cache

from shopguide.conversation.assistant import ShoppingAssistant
from shopguide.heap import freeze_startup_heap
from shopguide.personalisation.profile_store import ProfileStore
from shopguide.redis_client import PhotoMemory, redis_client
from shopguide.search.service import SearchService
from shopguide.settings import get_settings
from shopguide.uploads import UploadStore


@lru_cache(maxsize=1)
def shopping_assistant() -> ShoppingAssistant:
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
