"""CHROMA_URL switches the same code to a real Chroma server started with `chroma run`."""

from __future__ import annotations

import pytest

from shopguide.catalogue.ingest import CatalogueIngester, IngestOptions
from shopguide.runner.processes import chroma_server, running
from shopguide.search.service import SearchRequest, SearchService
from shopguide.settings import Settings
from tests.conftest import free_port


@pytest.fixture
def chroma_url(tmp_path):
    port = free_port()
    with running(chroma_server(tmp_path / "chroma-server", "127.0.0.1", port, tmp_path / "chroma.log")):
        yield f"http://127.0.0.1:{port}"


def test_ingest_and_search_through_a_chroma_server(chroma_url, demo_catalogue, encoder, tmp_path):
    settings = Settings(var_dir=tmp_path / "var", chroma_url=chroma_url, redis_url=None)
    service = SearchService.from_settings(settings, encoder=encoder)
    report = CatalogueIngester(service.store, encoder, settings).ingest(
        demo_catalogue, IngestOptions(show_progress=False)
    )
    assert report.new == service.store.count() > 0
    assert not (settings.var_dir / "chroma").exists(), "server mode keeps nothing in the embedded store"
    result = service.search(SearchRequest(text="black jeans", k=5))
    assert result.items and all(r.item.category == "jeans" for r in result.items)
    again = CatalogueIngester(service.store, encoder, settings).ingest(
        demo_catalogue, IngestOptions(show_progress=False)
    )
    assert again.unchanged == report.new and again.embedded == 0
