"""Ingest through the real encoder into a real (embedded) Chroma, with real product photos."""

from __future__ import annotations

import csv
import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from shopguide.catalogue.ingest import IngestOptions
from tests.catalogue.test_rows import write_shopify

GOOD_ROWS = 30
FIELDS = ["id", "title", "articleType", "gender", "baseColour", "price", "sizes", "image"]


def myntra_rows(shared_data: Path, count: int) -> list[dict[str, str]]:
    with (shared_data / "myntra" / "catalog_with_images.csv").open(newline="") as handle:
        rows = [r for _, r in zip(range(count), csv.DictReader(handle))]
    return [
        {
            "id": f"m{r['id']}",
            "title": r["productDisplayName"],
            "articleType": r["articleType"],
            "gender": r["gender"],
            "baseColour": r["baseColour"],
            "price": f"{10 + i * 3.5:.2f}",
            "sizes": "S:2;M:0;L:5",
            "image": str(shared_data / "myntra" / r["image"]),
        }
        for i, r in enumerate(rows)
    ]


@pytest.fixture(scope="module")
def image_server(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server for catalogue images given as URLs (the internet is not reachable here)."""
    folder = tmp_path_factory.mktemp("cdn")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()


def broken_rows(tmp_path: Path, good: list[dict[str, str]], base_url: str) -> list[tuple[dict[str, str], str]]:
    """Rows that must each be rejected, with a word their reason must contain."""
    (tmp_path / "notes.jpg").write_text("this is not a photo")
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "truncated.jpg").write_bytes(Path(good[0]["image"]).read_bytes()[:300])
    Image.new("1", (9000, 9000)).save(tmp_path / "bomb.png")
    (tmp_path / "a-folder.jpg").mkdir()
    ok = good[1]
    cases = [
        ({"id": ""}, "missing id"),
        ({"id": "   "}, "missing id"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"price": "abc"}, "price"),
        ({"price": "1.2.3"}, "price"),
        ({"price": "twelve"}, "price"),
        ({"price": "-5"}, "price"),
        ({"sizes": "M:lots"}, "stock"),
        ({"image": ""}, "missing image"),
        ({"image": str(tmp_path / "nowhere.jpg")}, "not found"),
        ({"image": str(tmp_path / "notes.jpg")}, "not a supported image"),
        ({"image": str(tmp_path / "empty.jpg")}, "empty"),
        ({"image": str(tmp_path / "truncated.jpg")}, "damaged"),
        ({"image": str(tmp_path / "bomb.png")}, "too large"),
        ({"image": str(tmp_path / "a-folder.jpg")}, "unreadable"),
        ({"image": f"{base_url}/missing.jpg"}, "HTTP 404"),
        ({"image": "http://127.0.0.1:9/x.jpg"}, "download failed"),
        ({"id": good[2]["id"]}, "duplicate id"),
        ({"id": good[3]["id"]}, "duplicate id"),
        ({"id": good[4]["id"], "title": "Same id, other title"}, "duplicate id"),
    ]
    return [({**ok, "id": f"bad-{n}", **change}, reason) for n, (change, reason) in enumerate(cases)]


def write_csv(path: Path, rows: list[dict[str, str]], extra_line: str = "") -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        writer.writerows(rows)
        handle.write(extra_line)


MAPPING = {"category": "articleType", "colours": "baseColour"}


def test_broken_rows_are_reported_and_good_rows_ingested(
    tmp_path, shared_data, image_server, ingester, store, settings
):
    good = myntra_rows(shared_data, GOOD_ROWS)
    broken = broken_rows(tmp_path, good, image_server[0])
    rows = good[:10] + [r for r, _ in broken] + good[10:]
    path = tmp_path / "catalogue.csv"
    write_csv(path, rows, extra_line=f"too-many,cells,Shirts,Men,Blue,9,S,{good[0]['image']},surplus\n")
    report = ingester.ingest(path, IngestOptions(mapping=MAPPING, show_progress=False))

    assert len(report.rejected) == len(broken) + 1 >= 20
    by_id = {r.id: r.reason for r in report.rejected}
    for row, reason in broken:
        rejected_id = row["id"].strip() or None
        assert rejected_id in by_id, row
        assert reason in by_id[rejected_id]
    assert all(r.row > 1 for r in report.rejected)
    assert report.new == GOOD_ROWS and store.count() == GOOD_ROWS
    stored = {s.item.id for s in store.fetch([r["id"] for r in good])}
    assert stored == {r["id"] for r in good}
    report_path = tmp_path / "report.json"
    report.write(report_path)
    written = json.loads(report_path.read_text())
    assert f"{len(broken) + 1} rejected" in written["summary"]
    assert len(written["rejected"]) == len(broken) + 1


def test_reingest_does_no_work_and_changes_only_what_changed(tmp_path, shared_data, ingester, store):
    good = myntra_rows(shared_data, 12)
    path = tmp_path / "catalogue.csv"
    write_csv(path, good)
    options = IngestOptions(mapping=MAPPING, show_progress=False)
    first = ingester.ingest(path, options)
    again = ingester.ingest(path, options)
    assert (first.new, again.new, again.updated, again.unchanged) == (12, 0, 0, 12)
    assert store.count() == 12

    good[0]["price"] = "99.00"
    write_csv(path, good)
    changed = ingester.ingest(path, options)
    assert (changed.updated, changed.unchanged) == (1, 11)
    assert store.fetch([good[0]["id"]])[0].item.price == 99.0


def test_sync_removes_items_that_left_the_catalogue(tmp_path, shared_data, ingester, store, settings):
    good = myntra_rows(shared_data, 10)
    path = tmp_path / "catalogue.csv"
    write_csv(path, good)
    ingester.ingest(path, IngestOptions(mapping=MAPPING, show_progress=False))
    write_csv(path, good[:7])
    kept = ingester.ingest(path, IngestOptions(mapping=MAPPING, show_progress=False))
    assert kept.removed == 0 and store.count() == 10
    synced = ingester.ingest(path, IngestOptions(mapping=MAPPING, sync=True, show_progress=False))
    assert synced.removed == 3 and store.count() == 7
    assert store.all_ids() == {r["id"] for r in good[:7]}
    assert len(list(settings.thumbnails_dir.glob("*.jpg"))) == 7


def test_shopify_export_with_image_urls(tmp_path, shared_data, image_server, ingester, store):
    base_url, folder = image_server
    good = myntra_rows(shared_data, 3)
    for row, handle in zip(good, ("linen-shirt", "denim-jacket", "red-dress")):
        shutil.copy(row["image"], folder / f"{handle}.jpg")
    path = tmp_path / "products_export_1.csv"
    write_shopify(
        path,
        [
            {
                "handle": "linen-shirt",
                "title": "Linen Shirt",
                "type": "Shirts",
                "tags": "Men, summer",
                "variants": [("M", "White", "4", "39.00"), ("L", "White", "0", "39.00")],
            },
            {
                "handle": "denim-jacket",
                "title": "Denim Jacket",
                "type": "Jackets",
                "tags": "unisex",
                "variants": [("S", "Blue", "1", "89.50")],
            },
            {
                "handle": "red-dress",
                "title": "Red Dress",
                "type": "Dresses",
                "tags": "Women, party",
                "variants": [("XS", "Red", "2", "59.00"), ("S", "Red", "2", "49.00")],
            },
        ],
        base_url + "/{handle}.jpg",
    )
    report = ingester.ingest(path)
    assert report.new == 3 and not report.rejected
    items = {s.item.id: s.item for s in store.fetch(["linen-shirt", "denim-jacket", "red-dress"])}
    assert items["red-dress"].price == 49.0 and items["red-dress"].gender == "women"
    assert items["linen-shirt"].sizes_in_stock == ["M"]


def test_a_brand_named_in_the_words_finds_its_items(tmp_path, shared_data, ingester, store, encoder, settings):
    """Two tees that differ only by brand, which their titles do not name: the brand's words find each."""
    from shopguide.search.service import SearchRequest, SearchService

    path = tmp_path / "tees.jsonl"
    photo = myntra_rows(shared_data, 1)[0]["image"]
    rows = [{"id": b.lower(), "title": "Basic Tee", "brand": b, "image": photo} for b in ("Acme", "Zenith")]
    path.write_text("\n".join(json.dumps(row) for row in rows))
    report = ingester.ingest(path, IngestOptions(show_progress=False))
    assert report.new == 2, report
    search = SearchService(store, encoder, settings)
    for brand in ("Acme", "Zenith"):
        assert search.search(SearchRequest(text=f"{brand} tee")).items[0].item.id == brand.lower()
