"""Items' metadata as last read from Chroma, kept per catalogue generation.

Chroma reads an item's metadata at about 60 us a row (a nearest-neighbour query of 100 candidates:
1.3 ms with distances only, 8 ms with metadata), and a turn reads the same few hundred items again and
again. Every ingest that writes starts a new catalogue generation (in the primary collection's
metadata), so entries read in an older generation are dropped: another process's ingest shows here
once the generation is read again (at most `CATALOGUE_FRESH_S` later, as for the vocabulary).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

Metadata = dict[str, Any]


class MetadataCache:
    """The most recently used `capacity` items' metadata, valid while `generation()` stays the same."""

    def __init__(self, generation: Callable[[], str | None], capacity: int) -> None:
        self.generation = generation
        self.capacity = capacity
        self._entries: OrderedDict[str, Metadata] = OrderedDict()
        self._generation: str | None = None
        self._lock = threading.Lock()

    def known(self, ids: Iterable[str]) -> dict[str, Metadata]:
        """Copies of the entries held for `ids` (the others are absent)."""
        generation = self.generation()
        with self._lock:
            self._hold(generation)
            found = {}
            for item_id in ids:
                metadata = self._entries.get(item_id)
                if metadata is not None:
                    self._entries.move_to_end(item_id)
                    found[item_id] = dict(metadata)
            return found

    def remember(self, metadata: dict[str, Metadata]) -> None:
        generation = self.generation()
        with self._lock:
            self._hold(generation)
            self._entries.update(metadata)
            for item_id in metadata:
                self._entries.move_to_end(item_id)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def _hold(self, generation: str | None) -> None:
        """Entries of `generation` only: a new one empties the cache."""
        if generation != self._generation:
            self._entries.clear()
            self._generation = generation

    def forget(self, ids: Iterable[str]) -> None:
        """Drop entries this process is about to change (its own writes need no new generation to show)."""
        with self._lock:
            for item_id in ids:
                self._entries.pop(item_id, None)
