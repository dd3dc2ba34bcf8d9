"""When nothing matches: the one condition whose removal brings the most results, and how many."""

from __future__ import annotations

from shopguide.store.filters import Constraints
from shopguide.store.garment_store import GarmentStore

COUNT_LIMIT = 1000
# (slot to clear, the field of Constraints it fills, its label)
RELAXABLE = (
    ("colour", "colours", "colour"),
    ("size", "size", "size"),
    ("budget_max", "price_max", "budget"),
    ("pattern", "pattern", "pattern"),
    ("gender", "gender", "gender"),
)


def best_relaxation(store: GarmentStore, constraints: Constraints) -> tuple[str, str, int] | None:
    """(slot, label, count) of the best single relaxation, or None when none brings results."""
    best: tuple[str, str, int] | None = None
    for slot, field, label in RELAXABLE:
        if not getattr(constraints, field):
            continue
        relaxed = constraints.model_copy(
            update={field: Constraints.model_fields[field].get_default(call_default_factory=True)}
        )
        count = store.count_matching(relaxed, COUNT_LIMIT)
        if count and (best is None or count > best[2]):
            best = (slot, label, count)
    return best
