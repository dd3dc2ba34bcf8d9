"""Which question to ask next: the category first, then the attributes that split the catalogue most.

"Most discriminating" is measured, not guessed: the entropy of each attribute over the items of
the chosen category. An attribute that every candidate shares (gender for dresses) is never asked.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from shopguide.conversation.preferences import Preferences
from shopguide.store.filters import Constraints, to_where
from shopguide.store.garment_store import GarmentStore

ASKABLE = ("gender", "budget_max", "colour")
MIN_BITS = 0.5
SAMPLE = 2000


def entropy(values: Iterable[str]) -> float:
    counts = Counter(values)
    total = sum(counts.values())
    return -sum(c / total * math.log2(c / total) for c in counts.values()) if total else 0.0


def _price_band(price: float | None, cuts: list[float]) -> str:
    if price is None:
        return "unknown"
    return str(sum(price > cut for cut in cuts))


def attribute_entropies(store: GarmentStore, category: str) -> dict[str, float]:
    items = store.filtered_metadata(to_where(Constraints(categories=[category])), SAMPLE)
    prices = sorted(m["price"] for m in items if m.get("price") is not None)
    cuts = [prices[len(prices) // 3], prices[2 * len(prices) // 3]] if len(prices) >= 3 else []
    return {
        "gender": entropy(m.get("gender", "unknown") for m in items),
        "colour": entropy((m.get("colours") or ["unknown"])[0] for m in items),
        "budget_max": entropy(_price_band(m.get("price"), cuts) for m in items) if cuts else 0.0,
    }


def questions_to_ask(preferences: Preferences, store: GarmentStore, max_questions: int) -> list[str]:
    """Slots the form still needs, in order; empty when it is time to show results."""
    if preferences.is_open("category"):
        return ["category"]
    if not preferences.category or max_questions <= 0:
        return []
    bits = attribute_entropies(store, preferences.category)
    chosen = [name for name in sorted(ASKABLE, key=lambda n: -bits[n]) if bits[name] >= MIN_BITS][:max_questions]
    return [name for name in chosen if preferences.is_open(name)]
