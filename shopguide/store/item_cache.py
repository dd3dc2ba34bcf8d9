"""Items' metadata and vectors as last read from Chroma, kept per catalogue generation.

Chroma reads an item's metadata at about 60 us a row (a nearest-neighbour query of 100 candidates:
1.3 ms with distances only, 8 ms with metadata), and any read costs ~1 ms however few items it names,
while a turn reads the same few hundred items again and again. Every ingest that writes starts a new
catalogue generation (in the primary collection's metadata), so entries read in an older generation are
dropped: another process's ingest shows here once the generation is read again (at most
`CATALOGUE_FRESH_S` later, as for the vocabulary).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

V = TypeVar("V")


class ItemCache(Generic[V]):
    """The most recently used `capacity` items' values, valid while `generation()` stays the same.
    `copy` makes what a caller gets from what is held (a caller may change a metadata dict it got)."""

    def __init__(
        self, generation: Callable[[], str | None], capacity: int, copy: Callable[[V], V] = lambda value: value
    ) -> None:
        self.generation = generation
        self.capacity = capacity
        self.copy = copy
        self._entries: OrderedDict[str, V] = OrderedDict()
        self._generation: str | None = None
        self._lock = threading.Lock()

    def known(self, ids: Iterable[str]) -> dict[str, V]:
        """Copies of the entries held for `ids` (the others are absent)."""
        generation = self.generation()
        with self._lock:
            self._hold(generation)
            found = {}
            for item_id in ids:
                value = self._entries.get(item_id)
                if value is not None:
                    self._entries.move_to_end(item_id)
                    found[item_id] = self.copy(value)
            return found

    def read_through(self, ids: list[str], read: Callable[[list[str]], dict[str, V]]) -> dict[str, V]:
        """The entries of `ids`, those not held read (and kept) with `read`; ids it does not find are absent."""
        known = self.known(ids)
        missing = [i for i in ids if i not in known]
        if missing:  # (Chroma refuses an empty id list)
            read_now = read(missing)
            self.remember(read_now)
            known.update({item_id: self.copy(value) for item_id, value in read_now.items()})
        return known

    def remember(self, values: dict[str, V]) -> None:
        generation = self.generation()
        with self._lock:
            self._hold(generation)
            self._entries.update(values)
            for item_id in values:
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
