"""Ranking of filtered candidates: a weighted sum of per-space cosine similarities.

Every score that went into an item's rank stays on it, so that a reply can explain the choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shopguide.catalogue.schema import CatalogueItem
from shopguide.store.garment_store import StoredItem

# the share of the occasions, styles and materials asked for that the item carries, ranked as one more space
TAG_AGREEMENT = "tags"


def tag_agreement(candidates: list[StoredItem], wanted: list[str]) -> dict[str, float]:
    """Per candidate, the share of `wanted` tags it carries, its material counting as one ("a dress for a
    wedding": 1.0 if tagged wedding; "a linen shirt": 1.0 if made of linen)."""
    return {c.item.id: len(set(wanted) & {*c.item.tags, c.item.material}) / len(wanted) for c in candidates}


@dataclass
class RankedItem:
    item: CatalogueItem
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    thumbnail: str | None = None


def rank(
    candidates: list[StoredItem],
    similarities: dict[str, dict[str, float]],
    weights: dict[str, float],
    k: int,
    penalties: dict[str, dict[str, float]] | None = None,
) -> list[RankedItem]:
    """Top `k` of `candidates` by the weighted mean of their similarities in each queried space.

    `similarities[space][item_id]` is missing for an item that has no vector in that space (a
    text-only item in the image space); it then counts as 0 there. `penalties[space][item_id]` lowers
    that similarity in the rank only (words against photos that are near every text: models.hubness);
    the scores an explanation names stay the similarities themselves.
    """
    total_weight = sum(weights.get(space, 0.0) for space in similarities) or 1.0
    penalties = penalties or {}
    ranked = []
    for stored in candidates:
        scores = {space: sims.get(stored.item.id, 0.0) for space, sims in similarities.items()}
        lowered = {space: value - penalties.get(space, {}).get(stored.item.id, 0.0) for space, value in scores.items()}
        score = sum(weights.get(space, 0.0) * value for space, value in lowered.items()) / total_weight
        ranked.append(RankedItem(stored.item, score, scores, stored.metadata.get("thumbnail")))
    ranked.sort(key=lambda r: (-r.score, r.item.id))
    return ranked[:k]
