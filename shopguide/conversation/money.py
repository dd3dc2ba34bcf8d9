"""A budget stated in another currency than the catalogue's ("100元以内" in a shop priced in USD):
converted where the retailer set a rate (`exchange_rates`), else taken in the catalogue's currency.
Either way the shopper is told, so that "100" is never silently read as 100 of another currency."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from shopguide.conversation.messages import say
from shopguide.search.query_parser import read_price


@dataclass
class StatedBudget:
    budget: dict[str, float] = field(default_factory=dict)  # budget_min / budget_max, in the catalogue's currency
    note: tuple[str, dict[str, str]] | None = None  # a message key and its values, when a currency was changed

    def told(self, language: str) -> str | None:
        return say(self.note[0], language, **self.note[1]) if self.note else None


def catalogue_currency(vocabulary: Mapping[str, list[str]], default: str) -> str:
    """The one currency the catalogue's prices are in; `default` for a mixed or older catalogue."""
    found = vocabulary.get("currency") or []
    return found[0] if len(found) == 1 else default


def stated_budget(text: str, catalogue: str | None, rates: Mapping[str, float]) -> StatedBudget:
    """`catalogue` None (unknown: the store is down): the budget as stated."""
    price = read_price(text)
    budget = {
        name: value for name, value in (("budget_min", price.low), ("budget_max", price.high)) if value is not None
    }
    stated = price.currency
    if not budget or catalogue is None or stated in (None, catalogue):
        return StatedBudget(budget)
    said = f"{_amounts(budget)} {stated}"
    rate = rates.get(stated)
    if rate is None:
        return StatedBudget(budget, ("budget_other_currency", {"stated": said, "currency": catalogue}))
    converted = {name: round(value * rate, 2) for name, value in budget.items()}
    return StatedBudget(
        converted, ("budget_converted", {"stated": said, "value": f"{_amounts(converted)} {catalogue}"})
    )


def _amounts(budget: Mapping[str, float]) -> str:
    return "-".join(f"{value:g}" for value in budget.values())
