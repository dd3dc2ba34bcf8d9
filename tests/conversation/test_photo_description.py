"""A photo's description: the heads' reading, its category weighed against the nearest catalogue photos."""

from __future__ import annotations

import pytest

from shopguide.catalogue.schema import CatalogueItem
from shopguide.conversation.photo_description import from_attribute_heads
from shopguide.search.ranking import RankedItem

READING = {
    "category": "tshirts",
    "colour": "red",
    "pattern": "striped",
    "confidence": {"category": 0.55, "colour": 0.8},
    "en": "a red striped t-shirt",
    "zh": "一件红色条纹T恤",
    "category_probabilities": {"tshirts": 0.55, "sweatshirts": 0.40, "shirts": 0.05},
}


def neighbours(*categories: str | None, similarity: float = 0.8) -> list[RankedItem]:
    return [
        RankedItem(CatalogueItem(id=f"n{i}", title="x", category=c), similarity, {"image": similarity})
        for i, c in enumerate(categories)
    ]


def test_without_neighbours_the_heads_reading_stands():
    description = from_attribute_heads(READING, "en")
    assert (description.category, description.category_confidence, description.phrase) == (
        "tshirts",
        0.55,
        "a red striped t-shirt",
    )


def test_neighbours_agreeing_with_the_head_make_it_surer():
    description = from_attribute_heads(READING, "en", neighbours(*["tshirts"] * 10))
    assert description.category == "tshirts" and description.category_confidence > 0.7
    assert description.phrase == "a red striped t-shirt"


def test_neighbours_can_change_the_category_and_the_words_follow():
    description = from_attribute_heads(READING, "zh", neighbours(*["sweatshirts"] * 8, "tshirts", None))
    assert description.category == "sweatshirts"
    assert 0.5 < description.category_confidence < 1
    assert description.phrase != READING["zh"] and description.phrase.startswith("一")
    assert description.colour == "red" and description.pattern == "striped"


def test_neighbours_of_categories_the_heads_never_learnt_do_not_vote():
    description = from_attribute_heads(READING, "en", neighbours("hats", "hats", None))
    assert description.category == "tshirts" and description.category_confidence == pytest.approx(0.55)
