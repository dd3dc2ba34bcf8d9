"""Profile reasons in English and Chinese, read off the scores the reranker leaves on an item."""

from __future__ import annotations

import pytest

from shopguide.catalogue.schema import CatalogueItem
from shopguide.personalisation.reasons import profile_reasons
from shopguide.search.ranking import RankedItem


def ranked_with(**scores: float) -> RankedItem:
    return RankedItem(CatalogueItem(id="x", title="x"), 1.0, {"text": 0.4, **scores})


@pytest.mark.parametrize(
    ("signal", "en", "zh"),
    [
        ("profile.pattern:floral", "you liked floral prints", "你喜欢碎花图案"),
        ("profile.pattern:striped", "you liked stripes", "你喜欢条纹图案"),
        ("profile.colour:navy blue", "you liked navy blue", "你喜欢海军蓝"),
        ("profile.colour:red", "you liked red", "你喜欢红色"),
        ("profile.category:dress", "you liked dresses", "你喜欢连衣裙"),
        ("profile.category:jeans", "you liked jeans", "你喜欢牛仔裤"),
        ("profile.category:scarf", "you liked scarves", "你喜欢围巾"),
        ("profile.gender:women", "you liked womenswear", "你喜欢女装"),
        ("profile.style:casual", "you liked casual styles", "你喜欢休闲风格"),
        ("profile.brand:Northwind", "you liked Northwind", "你喜欢Northwind"),
        ("profile.look", "looks like what you liked", "和你喜欢的款式相似"),
        ("profile.price", "in your usual price range", "在你常买的价位内"),
        ("profile.size:M", "your size M is in stock", "你的M码有货"),
    ],
)
def test_each_signal_in_both_languages(signal, en, zh):
    item = ranked_with(**{signal: 0.3})
    assert profile_reasons(item, "en") == [en]
    assert profile_reasons(item, "zh") == [zh]


def test_only_signals_that_lifted_the_item_strongest_first():
    item = ranked_with(**{"profile.colour:red": 0.2, "profile.pattern:floral": 0.5, "profile.category:dress": -0.4})
    item.scores.update({"profile.look": 0.005, "affinity": 0.3, "relevance": 0.4})
    assert profile_reasons(item, "en") == ["you liked floral prints", "you liked red"]
    assert profile_reasons(item, "en", limit=1) == ["you liked floral prints"]
    assert profile_reasons(ranked_with(), "zh") == []
