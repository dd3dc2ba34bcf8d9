"""What a shopper's photo shows: the trained attribute heads' reading, its category weighed against
the labels of the most similar catalogue photos (models.neighbour_votes).

Until trained attribute heads are available, the most common category, colour and pattern among
the ten most similar catalogue photos describe it; the share of agreeing neighbours is the
confidence, and an attribute below half agreement is left out rather than guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.captions import chinese_one, english_phrase, phrases
from models.neighbour_votes import mix, vote_distribution
from shopguide.conversation.messages import name_of
from shopguide.conversation.preferences import Preferences, new_garment_resets
from shopguide.search.ranking import RankedItem

MIN_AGREEMENT = 0.5
SURE_OF_CATEGORY = 0.6  # a reading this confident replaces the category the shopper asked for earlier


@dataclass
class PhotoDescription:
    category: str | None
    colour: str | None
    pattern: str | None
    phrase: str
    category_confidence: float = 0.0

    @property
    def sure_of_category(self) -> bool:
        return self.category is not None and self.category_confidence >= SURE_OF_CATEGORY

    def look(self) -> dict[str, str]:
        return look_of(self.category, self.colour, self.pattern)


def look_of(category: str | None, colour: str | None, pattern: str | None) -> dict[str, str]:
    """What later searches weigh as soft wishes (`Preferences.look_wishes`); "plain" says nothing."""
    look = {"category": category, "colour": colour, "pattern": pattern if pattern != "plain" else None}
    return {name: value for name, value in look.items() if value}


def _majority(values: list[str | None]) -> tuple[str | None, float]:
    """The most common value and the share of values that agree on it; None below MIN_AGREEMENT."""
    present = [v for v in values if v]
    if not present:
        return None, 0.0
    value, count = Counter(present).most_common(1)[0]
    share = count / len(values)
    return (value, share) if share >= MIN_AGREEMENT else (None, 0.0)


def describe_from_neighbours(neighbours: list[RankedItem], language: str) -> PhotoDescription:
    category, category_share = _majority([n.item.category for n in neighbours])
    colour, _ = _majority([(n.item.colours or [None])[0] for n in neighbours])
    pattern, _ = _majority([n.item.pattern for n in neighbours])
    shown_pattern = pattern if pattern != "plain" else None
    if language == "zh":
        words = [name_of(w, language) for w in (colour, shown_pattern, category) if w]
        phrase = chinese_one(words[-1] if category else "") + "".join(words) if words else "一件衣服"
    else:  # "a red shirt", "an orange dress", "white checked trousers"
        phrase = english_phrase(category, colour, shown_pattern)
    return PhotoDescription(category, colour, pattern, phrase, category_share)


def from_attribute_heads(predicted: dict, language: str, neighbours: Sequence[RankedItem] = ()) -> PhotoDescription:
    """The trained model's reading of the photo (`TrainedEncoder.describe`); with the photo's nearest
    catalogue items (found in the "image" space) its category is the heads' and their labels' mix."""
    category = predicted.get("category")
    confidence = predicted.get("confidence", {}).get("category", 0.0)
    distribution = predicted.get("category_probabilities")
    if distribution and neighbours:
        classes = list(distribution)
        similarities = np.array([[n.scores.get("image", 0.0) for n in neighbours]])
        votes = vote_distribution(similarities, [[n.item.category for n in neighbours]], classes)
        mixed = mix(np.array([list(distribution.values())], np.float32), votes)[0]
        category, confidence = classes[int(mixed.argmax())], float(mixed.max())
    colour, pattern = predicted.get("colour"), predicted.get("pattern")
    phrase = predicted.get(language) or predicted.get("en") or "a garment"
    if category != predicted.get("category"):  # the words follow the category the votes chose
        phrase = phrases(category, colour, pattern)["zh" if language == "zh" else "en"]
    return PhotoDescription(category, colour, pattern, phrase, confidence)


def photo_category(
    slots: dict[str, Any], description: PhotoDescription, stated: set[str], earlier_photo: str | None = None
) -> dict[str, Any]:
    """The slots the photo's category changes. It fills an open category; a sure reading of another
    kind of garment replaces the one asked for earlier, and drops that garment's wishes as a typed
    request for it would. A category the shopper's earlier photo set (`earlier_photo`, the one it
    searched) gives way to any reading: one photo's guess is no firmer than the next's (a photo of a
    dress, read unsure, searched the sweaters of the photo before). Words sent with the photo ("like
    this but a skirt") win over all."""
    if "category" in stated or description.category is None:
        return {}
    if Preferences.from_slots(slots).is_open("category"):
        return {"category": description.category}
    if not (description.sure_of_category or slots.get("category") == earlier_photo):
        return {}
    previous = slots.get("category")
    return {"category": description.category, **new_garment_resets(previous, description.category, stated)}
