"""Catalogue file -> validated items -> embeddings -> Chroma, idempotently and without aborting.

- Unchanged items (same content hash, same encoder) cost nothing on re-ingest.
- Work is committed batch by batch, so an interrupted ingest re-run finishes the rest.
- A bad row is reported with its reason and skipped; the good rows go in.
- ``sync`` removes stored items that are no longer in the file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from rich.progress import Progress

from models.encoder import GarmentEncoder
from shopguide.catalogue.inferred import with_inferred_attributes
from shopguide.catalogue.readers import CatalogueFormat, read_rows
from shopguide.catalogue.rows import to_item
from shopguide.catalogue.schema import CatalogueItem
from shopguide.errors import ImageError, RowRejected
from shopguide.images import decode_image, read_image_bytes, save_thumbnail
from shopguide.settings import Settings
from shopguide.store.garment_store import METADATA_LAYOUT, GarmentStore, item_metadata

log = logging.getLogger(__name__)


@dataclass
class Rejection:
    row: int
    id: str | None
    reason: str


@dataclass
class IngestReport:
    source: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0
    stored: int = 0

    @property
    def embedded(self) -> int:
        return self.new + self.updated

    def summary(self) -> str:
        rate = f", {self.embedded / self.seconds:.1f} items/s" if self.embedded and self.seconds else ""
        return (
            f"{self.rows} rows: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected, {self.removed} removed; {self.stored} items in the store "
            f"({self.seconds:.1f} s{rate})"
        )

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"summary": self.summary(), **asdict(self)}, indent=2, ensure_ascii=False))


@dataclass
class IngestOptions:
    fmt: CatalogueFormat = "auto"
    mapping: dict[str, str] = field(default_factory=dict)
    images_dir: Path | None = None
    sync: bool = False
    require_images: bool = True
    show_progress: bool = True


def thumbnail_name(item_id: str) -> str:
    return hashlib.sha1(item_id.encode()).hexdigest()[:20] + ".jpg"


def _validated_items(
    path: Path, options: IngestOptions, settings: Settings, report: IngestReport
) -> tuple[list[CatalogueItem], dict[str, int], set[str]]:
    """Valid, de-duplicated items with their rows, plus every id the file names (valid or not)."""
    items: dict[str, CatalogueItem] = {}
    first_row: dict[str, int] = {}
    named: set[str] = set()
    for source in read_rows(path, options.fmt, options.mapping):
        report.rows += 1
        try:
            item = to_item(source, settings.default_currency)
            if item.id in first_row:
                raise RowRejected(source.row, item.id, f"duplicate id (first on row {first_row[item.id]})")
            if options.require_images and not item.image:
                raise RowRejected(source.row, item.id, "missing image")
        except RowRejected as rejected:
            named.add(rejected.item_id or "")
            report.rejected.append(Rejection(rejected.row, rejected.item_id, rejected.reason))
            continue
        items[item.id] = item
        first_row[item.id] = source.row
        named.add(item.id)
    return list(items.values()), first_row, named


def _batches(items: Sequence[CatalogueItem], size: int) -> Iterator[Sequence[CatalogueItem]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class CatalogueIngester:
    """Holds what one ingest needs: the store, the encoder and the settings."""

    def __init__(self, store: GarmentStore, encoder: GarmentEncoder, settings: Settings) -> None:
        self.store = store
        self.encoder = encoder
        self.settings = settings
        # what the stored record holds besides the item: a new filter field (brand) is written to every item
        self.hash_salt = f"{encoder.name}|thumb{settings.thumbnail_size}|metadata{METADATA_LAYOUT}"

    def ingest(self, path: Path, options: IngestOptions | None = None) -> IngestReport:
        options = options or IngestOptions()
        started = time.perf_counter()
        report = IngestReport(source=str(path))
        self.store.check_encoder(reset=True)
        items, rows, named = _validated_items(path, options, self.settings, report)
        stored = self.store.stored_hashes([item.id for item in items])
        hashes = {item.id: item.content_hash(self.hash_salt) for item in items}
        todo = [item for item in items if stored.get(item.id) != hashes[item.id]]
        report.unchanged = len(items) - len(todo)
        base_dir = options.images_dir or path.parent
        with Progress(disable=not options.show_progress, transient=True) as progress:
            task = progress.add_task("embedding", total=len(todo))
            for batch in _batches(todo, self.settings.ingest_batch_size):
                written = self._ingest_batch(batch, hashes, rows, base_dir, report)
                for item in written:
                    report.new += item.id not in stored
                    report.updated += item.id in stored
                progress.advance(task, len(batch))
        if options.sync:
            report.removed = self._remove_missing(named)
        if report.embedded or report.removed or not self.store.vocabulary().get("category"):
            self.store.rebuild_vocabulary()
        report.stored = self.store.count()
        report.seconds = time.perf_counter() - started
        log.info("ingest.done %s", report.summary())
        return report

    def _load_image(self, item: CatalogueItem, base_dir: Path) -> Image.Image:
        data = read_image_bytes(item.image or "", base_dir, self.settings.image_fetch_timeout_s)
        return decode_image(data, self.settings.max_image_pixels)

    def _ingest_batch(
        self,
        batch: Sequence[CatalogueItem],
        hashes: dict[str, str],
        rows: dict[str, int],
        base_dir: Path,
        report: IngestReport,
    ) -> list[CatalogueItem]:
        """Embed and upsert one batch; items whose image fails are rejected, the rest go in."""
        pictured: list[tuple[CatalogueItem, Image.Image]] = []
        text_only: list[CatalogueItem] = []
        for item in batch:
            if not item.image:
                text_only.append(item)
                continue
            try:
                pictured.append((item, self._load_image(item, base_dir)))
            except ImageError as error:
                report.rejected.append(Rejection(rows[item.id], item.id, str(error)))
        items: list[CatalogueItem] = []
        if pictured:
            items, images = [p[0] for p in pictured], [p[1] for p in pictured]
            vectors, readings = self.encoder.read_items(_texts(items), images)
            if readings is not None:  # missing attributes read off the photos, by models with attribute heads
                items = with_inferred_attributes(items, readings, self.settings.infer_min_confidence)
            self._upsert(items, hashes, vectors, self.encoder.hubness(vectors), self._write_thumbnails(items, images))
        if text_only:  # no photo: no hubness either
            self._upsert(
                text_only, hashes, self.encoder.item_vectors(_texts(text_only), None), None, [None] * len(text_only)
            )
        return items + text_only

    def _upsert(
        self,
        items: Sequence[CatalogueItem],
        hashes: dict[str, str],
        vectors: dict[str, np.ndarray],
        hubness: np.ndarray | None,
        thumbnails: Sequence[str | None],
    ) -> None:
        metadatas = [
            item_metadata(item, hashes[item.id], thumb, None if hubness is None else float(hubness[row]))
            for row, (item, thumb) in enumerate(zip(items, thumbnails, strict=True))
        ]
        self.store.upsert(metadatas, vectors)

    def _write_thumbnails(self, items: Sequence[CatalogueItem], images: Sequence[Image.Image]) -> list[str]:
        names = []
        for item, image in zip(items, images):
            name = thumbnail_name(item.id)
            save_thumbnail(image, self.settings.thumbnails_dir / name, self.settings.thumbnail_size)
            names.append(name)
        return names

    def _remove_missing(self, named: set[str]) -> int:
        gone = sorted(self.store.all_ids() - named)
        self.store.delete(gone)
        for item_id in gone:
            (self.settings.thumbnails_dir / thumbnail_name(item_id)).unlink(missing_ok=True)
        return len(gone)


def _texts(items: Sequence[CatalogueItem]) -> list[str]:
    return [item.text_for_embedding() for item in items]
