"""Attributes a catalogue row lacks, read off its photo by the attribute heads and marked inferred.

A retailer's feed often misses colour or pattern; filters and explanations need them. A value is
filled in only when the calibrated confidence reaches the threshold, and the item records which
fields were inferred (``extra["inferred"]``) so that nobody mistakes them for the retailer's data.
"""

from __future__ import annotations

from collections.abc import Sequence

from shopguide.catalogue.schema import CatalogueItem


def missing_fields(item: CatalogueItem) -> list[str]:
    present = {"category": item.category, "colour": item.colours, "pattern": item.pattern, "gender": item.gender}
    return [name for name, value in present.items() if not value]


def with_inferred_attributes(
    items: Sequence[CatalogueItem], readings: Sequence[dict], min_confidence: float
) -> list[CatalogueItem]:
    """`items` with confident readings (one per item, what the attribute heads read off its photo)
    filled into their empty attributes."""
    return [_filled(item, reading, min_confidence) for item, reading in zip(items, readings, strict=True)]


def _filled(item: CatalogueItem, reading: dict, min_confidence: float) -> CatalogueItem:
    confidence = reading.get("confidence", {})
    found = {
        name: reading[name]
        for name in missing_fields(item)
        if reading.get(name) and confidence.get(name, 0.0) >= min_confidence
    }
    if not found:
        return item
    update = {name: value for name, value in found.items() if name != "colour"}
    if "colour" in found:
        update["colours"] = [found["colour"]]
    return item.model_copy(update={**update, "extra": {**item.extra, "inferred": sorted(found)}})
