"""The assistant's few exception types; the HTTP and chat layers turn each into a friendly answer."""

from __future__ import annotations


class ShopguideError(Exception):
    """Base of every error the assistant raises on purpose."""


class RowRejected(ShopguideError):
    """A catalogue row that cannot be ingested, with the reason the ingest report shows."""

    def __init__(self, row: int, item_id: str | None, reason: str) -> None:
        super().__init__(f"row {row}: {reason}")
        self.row = row
        self.item_id = item_id
        self.reason = reason


class ImageError(ShopguideError):
    """An image that cannot be used: missing, unreadable, not an image, too large."""


class StoreUnavailable(ShopguideError):
    """The vector store cannot be reached."""


class SetupError(ShopguideError):
    """Something the assistant needs to start is missing; the message says how to get it."""
