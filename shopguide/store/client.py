"""Chroma client from the settings: embedded PersistentClient under var/, or HttpClient for a server."""

from __future__ import annotations

from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI

from shopguide.errors import StoreUnavailable
from shopguide.settings import Settings


def _chroma_settings() -> chromadb.Settings:
    """A new object per client: chromadb's factories write into the settings they are given."""
    return chromadb.Settings(anonymized_telemetry=False)


def make_chroma_client(settings: Settings) -> ClientAPI:
    """`CHROMA_URL` (http://host:port) selects a Chroma server; otherwise the embedded store."""
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=_chroma_settings(),
            )
        except Exception as error:  # chromadb raises ValueError/ConnectError depending on the failure
            raise StoreUnavailable(f"cannot reach the Chroma server at {settings.chroma_url}: {error}") from None
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=_chroma_settings())
