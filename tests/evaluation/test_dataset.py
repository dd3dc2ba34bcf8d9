"""Brands for catalogues without a brand column, and a query's brand read back out of its words."""

from __future__ import annotations

import pytest

from models.features import Garment
from shopguide.evaluation.dataset import brand_before_shopper, one_spelling_per_brand
from shopguide.evaluation.queries import parse_attributes


@pytest.mark.parametrize(
    ("title", "brand"),
    [
        ("Puma Men Black T-shirt", "Puma"),
        ("United Colors of Benetton Women Navy Blue Top", "United Colors of Benetton"),
        ("Gini and Jony Girls Pink Dress", "Gini and Jony"),
        ("Nike Men's Running Shoe", "Nike"),
        ("Men Black Shirt", None),
        ("Plain Cotton Tee", None),
    ],
)
def test_the_brand_is_what_a_title_names_before_whom_it_is_for(title, brand):
    assert brand_before_shopper(title) == brand


def test_a_brand_is_read_as_a_whole_name_the_longest_first():
    labels = {"brand": ["ADIDAS", "ADIDAS Originals", "Lee"], "category": ["tshirts"]}
    assert parse_attributes("ADIDAS Originals Men White Tshirts", labels) == {
        "brand": "ADIDAS Originals",
        "category": "tshirts",
    }
    assert parse_attributes("Fleece jacket", labels) == {}


def test_a_brand_spelt_several_ways_is_one_brand_as_most_of_its_items_spell_it():
    brands = ["Fila", "FILA", "Fila", None, "Gas"]
    garments = one_spelling_per_brand([Garment(f"g{i}", "t", brand=b) for i, b in enumerate(brands)])
    assert [g.brand for g in garments] == ["Fila", "Fila", "Fila", None, "Gas"]
