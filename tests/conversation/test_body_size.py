"""Height and weight read from a shopper's words, and the general guide's letter size for them."""

from __future__ import annotations

import pytest

from shopguide.conversation.body_size import BodyMeasures, body_measures, letter_sized, states_body


@pytest.mark.parametrize(
    ("text", "height", "weight"),
    [
        ("我身高170体重60穿什么码", 170, 60),
        ("我170cm 120斤", 170, 60),  # 斤: half a kilogram
        ("身高1米75 体重65公斤", 175, 65),
        ("一米六，体重一百斤", 160, None),
        ("体重110，这件穿什么码", None, 55),  # a bare weight over 100 in Chinese is in 斤
        ("1.68m 55kg", 168, 55),
        ("I'm 5'8 and 150 lbs, what size should I get?", 172.7, 68),
        ("I am 5 foot 8 and 150 pounds", 172.7, 68),
        ("I weigh 150 and I'm 6 ft", 182.9, 68),  # a bare weight over 100 in English is in pounds
        ("height 180, weight 80", 180, 80),
        ("180的个子穿什么码", 180, None),
        ("165 50kg选哪个码", 165, 50),
    ],
)
def test_height_and_weight_in_words(text, height, weight):
    assert body_measures(text) == BodyMeasures(height, weight)


@pytest.mark.parametrize(
    "text", ["有42码吗", "第2件", "compare 1 and 3", "under 150", "150块以内", "200以内", "size 44", "身高300", "#150"]
)
def test_card_numbers_sizes_and_prices_are_no_body(text):
    assert body_measures(text) is None


def test_the_guide_goes_by_the_weight_then_the_height():
    assert BodyMeasures(170, 60).letter_size("women") == "L"
    assert BodyMeasures(170, 60).letter_size("men") == "S"
    assert BodyMeasures(190, None).letter_size("men") == "XXL"
    assert BodyMeasures(160, 48).letter_size("unisex") is None
    assert BodyMeasures(173, 68).described("en") == "173 cm and 68 kg"
    assert BodyMeasures(160, None).described("zh") == "身高160cm"


def test_shoe_sizes_are_not_the_guides():
    assert letter_sized(["S", "M", "L"]) and not letter_sized(["39", "40"]) and not letter_sized(["one size"])


@pytest.mark.parametrize(
    ("text", "outright"),
    [
        ("身高170体重60，想买条裙子", True),
        ("I'm 5'8 and 150 lbs, looking for jeans", True),
        ("180的个子", True),
        ("165 50kg", True),
        ("婚礼穿的裙子 180左右", False),  # a budget, more likely
        ("dresses 150", False),
    ],
)
def test_a_height_or_weight_said_outright(text, outright):
    """A request's size comes only from a height or weight said with a unit or a word for it."""
    assert states_body(text) is outright
