"""When nothing matches: the one condition whose removal brings the most results, and how many."""

from __future__ import annotations

import re
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


# a plain "no" to "Shall I drop it?", whatever NLU reads it as ("no": skip, "nope": not_this, "保留吧":
# affirm); "no budget", "doesn't matter" or "不限" say the condition may go, and are no refusal
_DECLINE = re.compile(
    r"(?:(?:no|nope|nah)(?:\s+thanks?|\s+thank you)?(?:[\s,]+(?:keep it|don'?t(?: drop it)?))?"
    r"|(?:please\s+)?(?:don'?t|do not)(?:\s+drop it)?|keep (?:it|that|the \w+)(?:\s+please)?)[\s.!]*"
    r"|(?:不用|不要|不了|算了|别|别去掉|不要去掉|不去掉|保留|还是保留|还是不要)[了吧啊呀，。！!]*",
    re.IGNORECASE,
)


def declines(text: str) -> bool:
    """Whether a message is a plain no to the offer to drop a condition."""
    return _DECLINE.fullmatch(text.strip()) is not None


def label_of(slot: str) -> str:
    """The condition's label, as the offer to drop it names it ("budget" for budget_max)."""
    return next((label for name, _, label in RELAXABLE if name == slot), slot)


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
