"""CHROMA_URL switches the same code to a real Chroma server started with `chroma run`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from shopguide.catalogue.ingest import CatalogueIngester, IngestOptions
from shopguide.search.service import SearchRequest, SearchService
from shopguide.settings import Settings
from tests.conftest import free_port


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    log = (tmp_path / "chroma.log").open("wb")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("chroma run did not start")
    yield url
    process.terminate()
    process.wait(10)


def test_ingest_and_search_through_a_chroma_server(chroma_server, demo_catalogue, encoder, tmp_path):
    settings = Settings(var_dir=tmp_path / "var", chroma_url=chroma_server, redis_url=None)
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
