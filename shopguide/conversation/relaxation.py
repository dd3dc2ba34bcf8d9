"""When nothing matches: the one condition whose removal brings the most results, and how many."""

from __future__ import annotations

from collections.abc import Collection

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
    ("brand", "brand", "brand"),
)
RELAXABLE_SLOTS = frozenset(slot for slot, _, _ in RELAXABLE)


def best_relaxation(
    store: GarmentStore, constraints: Constraints, just_said: Collection[str] = ()
) -> tuple[str, str, int] | None:
    """(slot, label, count) of the best single relaxation, or None when none brings results.

    A condition the shopper has just stated (`just_said`: "in green") is offered only when dropping
    nothing else helps: they asked for it a moment ago, so the older conditions are the likelier to give.
    """
    helping = [
        (slot, label, count) for slot, field, label in RELAXABLE if (count := _count_without(store, constraints, field))
    ]
    older = [option for option in helping if option[0] not in just_said]
    return max(older or helping, key=lambda option: option[2], default=None)


def _count_without(store: GarmentStore, constraints: Constraints, field: str) -> int:
    """Matches with the condition on `field` dropped; 0 when there is no such condition."""
    if not getattr(constraints, field):
        return 0
    relaxed = constraints.model_copy(
        update={field: Constraints.model_fields[field].get_default(call_default_factory=True)}
    )
    return store.count_matching(relaxed, COUNT_LIMIT)
