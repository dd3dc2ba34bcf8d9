"""Which question to ask next: the category first, then the attributes that split the catalogue most.

"Most discriminating" is measured, not guessed: the entropy of each attribute over the items of
the chosen category. An attribute that every candidate shares (gender for dresses) is never asked.
The entropies are read from the store at most every few seconds per category: rasa-sdk asks for the
form's required slots up to three times in each form turn, and each reading fetches the metadata of up
to 2,000 items.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from shopguide.conversation.preferences import Preferences
from shopguide.recent import Recent
from shopguide.store.filters import Constraints
from shopguide.store.garment_store import CATALOGUE_FRESH_S, GarmentStore

ASKABLE = ("gender", "budget_max", "colour")
MIN_BITS = 0.5
SAMPLE = 2000
MAX_REMEMBERED = 512  # categories whose entropies are kept; shoppers' words can name anything


def entropy(values: Iterable[str]) -> float:
    counts = Counter(values)
    total = sum(counts.values())
    return -sum(c / total * math.log2(c / total) for c in counts.values()) if total else 0.0


def _price_band(price: float | None, cuts: list[float]) -> str:
    if price is None:
        return "unknown"
    return str(sum(price > cut for cut in cuts))


def attribute_entropies(store: GarmentStore, category: str, brand: str | None = None) -> dict[str, float]:
    """Over the category's items (of the brand asked for: a brand that makes no such garment leaves
    nothing to ask, and the search says so at once)."""
    items = store.filtered_metadata(Constraints(categories=[category], brand=brand), SAMPLE)
    prices = sorted(m["price"] for m in items if m.get("price") is not None)
    cuts = [prices[len(prices) // 3], prices[2 * len(prices) // 3]] if len(prices) >= 3 else []
    return {
        "gender": entropy(m.get("gender", "unknown") for m in items),
        "colour": entropy((m.get("colours") or ["unknown"])[0] for m in items),
        "budget_max": entropy(_price_band(m.get("price"), cuts) for m in items) if cuts else 0.0,
    }


class QuestionPlanner:
    """The questions a shopper's preferences still need, from the catalogue's recent entropies."""

    def __init__(self, store: GarmentStore, max_questions: int, fresh_s: float = CATALOGUE_FRESH_S) -> None:
        self.store, self.max_questions, self.fresh_s = store, max_questions, fresh_s
        self._entropies: dict[tuple[str, str | None], Recent[dict[str, float]]] = {}

    def entropies(self, category: str, brand: str | None = None) -> dict[str, float]:
        key = (category, brand)
        if key not in self._entropies:
            if len(self._entropies) >= MAX_REMEMBERED:
                self._entropies.clear()
            self._entropies[key] = Recent(lambda: attribute_entropies(self.store, category, brand), self.fresh_s)
        return self._entropies[key].get()

    def questions(self, preferences: Preferences) -> list[str]:
        """Slots the form still needs, in order; empty when it is time to show results."""
        if preferences.is_open("category"):
            return ["category"]
        if not preferences.category or self.max_questions <= 0:
            return []
        bits = self.entropies(preferences.category, preferences.brand)
        ranked = sorted(ASKABLE, key=lambda name: -bits[name])
        chosen = [name for name in ranked if bits[name] >= MIN_BITS][: self.max_questions]
        return [name for name in chosen if preferences.is_open(name) and not _moot(name, preferences)]


def _moot(question: str, preferences: Preferences) -> bool:
    """A budget asked of "the cheapest dresses" (or the dearest): the order by price answers it."""
    return question == "budget_max" and preferences.price_order is not None
