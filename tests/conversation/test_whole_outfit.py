"""Which looks a whole outfit weighs, and which combination of pieces it keeps within a budget."""

from __future__ import annotations

import pytest

from shopguide.catalogue.schema import CatalogueItem
from shopguide.conversation.whole_outfit import Outfit, OutfitRequest, best_within, looks_for
from shopguide.search.ranking import RankedItem
from shopguide.store.filters import Constraints

KINDS = ["t-shirt", "jeans", "sneakers", "dress", "bag", "coat", "blazer"]


@pytest.mark.parametrize(
    ("request_", "looks"),
    [
        (OutfitRequest("men"), [("top", "bottom", "shoes")]),
        (OutfitRequest("women"), [("top", "bottom", "shoes"), ("one_piece", "shoes", "accessory")]),
        (OutfitRequest("men", tags=["formal"]), [("top", "bottom", "shoes", "outer")]),  # a blazer or a coat
        # "what goes with black jeans?": the looks with a bottom; "with a black coat?": each look with it
        (OutfitRequest("women", anchor=Constraints(categories=["jeans"])), [("top", "bottom", "shoes")]),
        (OutfitRequest("men", anchor=Constraints(categories=["coat"])), [("top", "bottom", "shoes", "outer")]),
    ],
)
def test_the_looks_weighed(request_, looks):
    assert looks_for(KINDS, request_) == looks


def test_no_layer_where_the_catalogue_has_none():
    assert looks_for(["t-shirt", "jeans", "sneakers"], OutfitRequest("men", tags=["winter"])) == [
        ("top", "bottom", "shoes")
    ]


def _outfit(*pieces: tuple[float, float], colours: tuple[str, ...] = ()) -> Outfit:
    """An outfit of pieces given as (score, price), in these main colours (none: no colour)."""
    return Outfit(
        [
            RankedItem(
                CatalogueItem(id=f"i{n}-{price}", title="piece", price=price, colours=[colour] if colour else []), score
            )
            for n, ((score, price), colour) in enumerate(zip(pieces, colours or [""] * len(pieces), strict=True))
        ]
    )


def test_the_best_outfit_within_the_budget_else_the_cheapest():
    best, cheap, dear = _outfit((0.9, 120), (0.8, 90)), _outfit((0.5, 30), (0.4, 20)), _outfit((0.99, 300), (0.9, 1))
    assert best_within([best, cheap, dear], 250) is best
    assert best_within([best, cheap, dear], None) is dear
    assert best_within([best, cheap, dear], 10) is cheap  # nothing fits: the least over
    assert best_within([], 100) is None


def test_colours_that_clash_count_against_an_outfit():
    calm = _outfit((0.5, 10), (0.5, 10), (0.5, 10), colours=("maroon", "black", "beige"))
    loud = _outfit((0.52, 10), (0.52, 10), (0.52, 10), colours=("maroon", "yellow", "black"))
    assert best_within([loud, calm], None) is calm
