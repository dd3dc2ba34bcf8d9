"""A server's startup heap set aside from Python's garbage collector.

A full collection walks every object the process holds: ~0.5 s in the Rasa server once its model is
loaded, ~0.12 s in the action server once the towers and the store client are. It comes rarely (when the
objects that survived since the last one reach a quarter of those held), but the turn it lands on, and
every turn queued behind it, waits. What was made while loading lives as long as the process, so it is
frozen: later collections walk only what came after.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    gc.collect()  # what loading left as garbage goes first, rather than staying forever
    gc.freeze()
