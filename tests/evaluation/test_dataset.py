"""Brands for catalogues without a brand column, and a query's brand read back out of its words."""

from __future__ import annotations

import pytest

from shopguide.evaluation.dataset import brand_before_shopper
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
