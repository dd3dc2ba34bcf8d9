"""Read a catalogue file into source rows named with the schema's field names.

Three formats: CSV and JSONL with a column mapping (``title=productDisplayName,...``; columns
that are not mapped go to ``extra``), and Shopify's product CSV export as it comes (several rows
per product: variants and extra images). A reader never raises on a bad row: turning fields into
a :class:`CatalogueItem` is :mod:`shopguide.catalogue.rows`' job, which reports each failure.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

CatalogueFormat = Literal["auto", "csv", "jsonl", "shopify"]

SHOPIFY_MARKERS = {"Handle", "Variant Price"}
_SIZE_OPTION_NAMES = {"size", "taille", "größe", "尺码", "尺寸"}
_COLOUR_OPTION_NAMES = {"color", "colour", "farbe", "couleur", "颜色"}


@dataclass
class SourceRow:
    """One catalogue entry before validation; `row` is the 1-based line of its (first) record."""

    row: int
    fields: dict[str, Any]
    problems: list[str] = field(default_factory=list)


def parse_mapping(spec: str | None) -> dict[str, str]:
    """``"title=productDisplayName,category=articleType"`` -> ``{"title": "productDisplayName", ...}``."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"mapping entry {part!r} is not field=column")
        target, column = (s.strip() for s in part.split("=", 1))
        mapping[target] = column
    return mapping


def detect_format(path: Path) -> CatalogueFormat:
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    return "shopify" if set(header) >= SHOPIFY_MARKERS else "csv"


def read_rows(path: Path, fmt: CatalogueFormat = "auto", mapping: dict[str, str] | None = None) -> Iterator[SourceRow]:
    """Yield the catalogue's entries as schema-named fields, whatever the file's format."""
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "jsonl":
        yield from _read_jsonl(path, mapping or {})
    elif fmt == "shopify":
        yield from _read_shopify(path)
    else:
        yield from _read_csv(path, mapping or {})


def _apply_mapping(record: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """Rename mapped columns to schema fields; unmapped columns that are not schema fields go to extra."""
    from shopguide.catalogue.schema import CatalogueItem

    by_column = {column: target for target, column in mapping.items()}
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = dict(record.get("extra") or {})
    for column, value in record.items():
        if column == "extra":
            continue
        target = by_column.get(column, column if column not in mapping else None)
        if target in CatalogueItem.model_fields or (target or "").startswith("title_"):
            fields[target] = value
        elif value not in (None, ""):
            extra[column] = value
    if extra:
        fields["extra"] = extra
    return fields


def _read_jsonl(path: Path, mapping: dict[str, str]) -> Iterator[SourceRow]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield SourceRow(number, {}, [f"not valid JSON ({error.msg})"])
                continue
            if not isinstance(record, dict):
                yield SourceRow(number, {}, ["not a JSON object"])
                continue
            yield SourceRow(number, _apply_mapping(record, mapping))


def _read_csv(path: Path, mapping: dict[str, str]) -> Iterator[SourceRow]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for number, record in enumerate(reader, start=2):
            overflow = record.pop(None, None)  # type: ignore[call-overload]
            problems = [f"{len(overflow)} more cells than the header has columns"] if overflow else []
            yield SourceRow(number, _apply_mapping(record, mapping), problems)


def _strip_html(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", text or "")).strip()


def _read_shopify(path: Path) -> Iterator[SourceRow]:
    """Group Shopify's rows by Handle: the first row carries the product, the rest add variants/images."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        products: dict[str, tuple[int, list[dict[str, str]]]] = {}
        for number, record in enumerate(csv.DictReader(handle), start=2):
            key = (record.get("Handle") or "").strip() or f"<row {number}>"
            products.setdefault(key, (number, []))[1].append(record)
    for first_row, records in products.values():
        yield SourceRow(first_row, _shopify_product(records))


def _option_values(records: list[dict[str, str]], names: set[str]) -> list[str]:
    first = records[0]
    values: list[str] = []
    for slot in ("Option1", "Option2", "Option3"):
        if (first.get(f"{slot} Name") or "").strip().lower() in names:
            values += [r.get(f"{slot} Value", "").strip() for r in records]
    return list(dict.fromkeys(v for v in values if v))


def _shopify_sizes(records: list[dict[str, str]]) -> list[dict[str, Any]]:
    first = records[0]
    stock: dict[str, int] = {}
    for slot in ("Option1", "Option2", "Option3"):
        if (first.get(f"{slot} Name") or "").strip().lower() not in _SIZE_OPTION_NAMES:
            continue
        for record in records:
            size = (record.get(f"{slot} Value") or "").strip()
            if size:
                qty_text = (record.get("Variant Inventory Qty") or "0").strip() or "0"
                qty = max(int(float(qty_text)), 0) if _is_number(qty_text) else 0
                stock[size] = stock.get(size, 0) + qty
    return [{"size": size, "stock": qty} for size, qty in stock.items()]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _shopify_gender(first: dict[str, str], tags: list[str]) -> str | None:
    explicit = (first.get("Google Shopping / Gender") or "").strip().lower()
    if explicit in {"male", "female", "unisex"}:
        return {"male": "men", "female": "women"}.get(explicit, explicit)
    lowered = {t.lower() for t in tags}
    for word, gender in (("women", "women"), ("womens", "women"), ("men", "men"), ("mens", "men")):
        if word in lowered:
            return gender
    return None


def _shopify_product(records: list[dict[str, str]]) -> dict[str, Any]:
    first = records[0]
    tags = [t.strip() for t in (first.get("Tags") or "").split(",") if t.strip()]
    prices = [r.get("Variant Price", "").strip() for r in records if (r.get("Variant Price") or "").strip()]
    numeric = [float(p) for p in prices if _is_number(p)]
    images = [r.get("Image Src", "").strip() for r in records if (r.get("Image Src") or "").strip()]
    fields: dict[str, Any] = {
        "id": (first.get("Handle") or "").strip(),
        "title": (first.get("Title") or "").strip(),
        "description": _strip_html(first.get("Body (HTML)", "")),
        "category": (first.get("Type") or first.get("Product Category") or "").strip(),
        "tags": tags,
        "colours": _option_values(records, _COLOUR_OPTION_NAMES),
        "sizes": _shopify_sizes(records),
        "gender": _shopify_gender(first, tags),
        "price": min(numeric) if numeric else (prices[0] if prices else None),
        "image": images[0] if images else None,
        "brand": (first.get("Vendor") or "").strip() or None,
        "extra": {},
    }
    if (first.get("Variant Compare At Price") or "").strip():
        fields["extra"]["compare_at_price"] = first["Variant Compare At Price"].strip()
    return fields
