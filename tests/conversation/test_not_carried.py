"""Kinds of garment and children's clothing a shop does not carry, read from a shopper's words."""

from __future__ import annotations

import pytest

from shopguide.conversation.not_carried import NotCarried, not_carried
from shopguide.search.query_parser import QueryParser

DEMO = QueryParser(
    {"category": ["dress", "t-shirt", "scarf", "jeans", "sneakers"], "gender": ["women", "men", "unisex"]}
)
# a catalogue that carries socks, ties and underwear, and children's clothing (myntra's spelling)
WIDER = QueryParser(
    {"category": ["Socks", "Ties", "Bra", "Briefs", "Tshirts"], "gender": ["Men", "Women", "Boys", "Girls"]}
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("show me suits", "suits"),
        ("do you sell socks", "socks"),
        ("I want a swimsuit", "swimwear"),
        ("I need a tie for a wedding", "ties"),
        ("我想买泳衣", "swimwear"),
        ("有没有袜子", "socks"),
        ("do you have a watch", "watches"),
    ],
)
def test_a_kind_the_catalogue_lacks(text, kind):
    assert not_carried(text, DEMO) == NotCarried(kind=kind)


@pytest.mark.parametrize("text", ["anything for kids?", "儿童的衣服有吗", "shirts for boys", "给孩子买件T恤"])
def test_childrens_clothing_in_a_shop_for_adults(text):
    assert not_carried(text, DEMO) == NotCarried(children=True)


@pytest.mark.parametrize(
    "text",
    [
        "does this suit me?",
        "this colour suits you",
        "boyfriend jeans",
        "a baby blue dress",
        "a dress for girls' night out",
        "a tie-dye t-shirt",
        "sneakers and socks",  # a kind it carries is named: the search goes on
        "watch out",
        "/search_products",
    ],
)
def test_words_that_ask_for_no_missing_kind(text):
    assert not_carried(text, DEMO) is None


@pytest.mark.parametrize("text", ["do you sell socks", "lingerie", "shirts for boys", "a tie"])
def test_a_catalogue_that_carries_them(text):
    assert not_carried(text, WIDER) is None


@pytest.mark.parametrize(("text", "category"), [("do you sell socks", "Hosiery"), ("我想买睡衣", "Nightwear")])
def test_a_catalogue_that_carries_them_under_another_name(text, category):
    assert not_carried(text, QueryParser({"category": [category, "Tshirts"]})) is None


def test_the_kind_is_named_in_the_shoppers_language():
    assert NotCarried(kind="swimwear").named("zh") == "泳衣" and NotCarried(kind="swimwear").named("en") == "swimwear"
