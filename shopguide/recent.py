"""A value read again once it is older than a few seconds, for what other processes may change."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Recent(Generic[T]):
    """A value read again once it is older than `seconds`: other processes may change what `read` reads."""

    def __init__(self, read: Callable[[], T], seconds: float) -> None:
        self.read, self.seconds = read, seconds
        self._value: tuple[float, T] | None = None

    def get(self) -> T:
        if self._value is None or time.monotonic() - self._value[0] >= self.seconds:
            self.set(self.read())
        assert self._value is not None
        return self._value[1]

    def set(self, value: T) -> None:
        self._value = (time.monotonic(), value)
