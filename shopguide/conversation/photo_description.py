"""What a shopper's photo shows, read from its nearest catalogue neighbours' labels.

Until trained attribute heads are available, the most common category, colour and pattern among
the ten most similar catalogue photos describe it; the share of agreeing neighbours is the
confidence, and an attribute below half agreement is left out rather than guessed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from shopguide.conversation.messages import name_of
from shopguide.search.ranking import RankedItem

MIN_AGREEMENT = 0.5


@dataclass
class PhotoDescription:
    category: str | None
    colour: str | None
    pattern: str | None
    phrase: str


def _majority(values: list[str | None]) -> str | None:
    present = [v for v in values if v]
    if not present:
        return None
    value, count = Counter(present).most_common(1)[0]
    return value if count / len(values) >= MIN_AGREEMENT else None


def describe_from_neighbours(neighbours: list[RankedItem], language: str) -> PhotoDescription:
    category = _majority([n.item.category for n in neighbours])
    colour = _majority([(n.item.colours or [None])[0] for n in neighbours])
    pattern = _majority([n.item.pattern for n in neighbours])
    words = [name_of(w, language) for w in (colour, pattern if pattern != "plain" else None, category) if w]
    if language == "zh":
        phrase = "一件" + "".join(words) if words else "一件衣服"
    else:
        phrase = ("a " + " ".join(words)) if words else "a garment"
    return PhotoDescription(category, colour, pattern, phrase)


def from_attribute_heads(predicted: dict, language: str) -> PhotoDescription:
    """The trained model's reading of the photo (`TrainedEncoder.describe`)."""
    return PhotoDescription(
        predicted.get("category"),
        predicted.get("colour"),
        predicted.get("pattern"),
        predicted.get(language) or predicted.get("en") or "a garment",
    )
