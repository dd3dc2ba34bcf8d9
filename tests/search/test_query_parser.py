"""Free-text queries in English and Chinese -> constraints the catalogue can filter on."""

from __future__ import annotations

import pytest

from shopguide.search.query_parser import (
    QueryParser,
    asks_another_colour,
    asks_outfit,
    asks_service,
    extract_price,
    other_step,
    price_order,
    takes_one,
)

VOCABULARY = {
    "category": ["dress", "jeans", "shirt", "t-shirt", "jacket", "casual shoes", "sports shoes", "skirt"],
    "colours": ["red", "black", "navy blue", "blue", "white", "grey"],
    "gender": ["men", "women", "unisex"],
    "pattern": ["plain", "striped", "floral"],
    "tags": ["wedding", "office", "casual", "summer", "oversized", "slim", "relaxed", "formal"],
    "brand": ["Levi's", "Red Tape", "Next", "Northwind"],
    "material": ["cotton", "denim", "linen", "wool"],
}


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("red dress under 50", None, 50),
        ("below $80", None, 80),
        ("between 50 and 100", 50, 100),
        ("jeans 20-40", 20, 40),
        ("over 30 dollars", 30, None),
        ("预算500", None, 500),
        ("80块以内", None, 80),
        ("300元以上", 300, None),
        ("100到200之间", 100, 200),
        ("no price here", None, None),
        ("under fifty", None, 50),
        ("between twenty-five and one hundred", 25, 100),
        ("五十块以内", None, 50),
        ("预算一千五", None, 1500),
        ("一百零五元以上", 105, None),
        ("a jacket for 5000 dollars", None, 5000),
        ("shoes for $80", None, 80),
        ("my budget is 120", None, 120),
        ("budget: 60 euros", None, 60),
        ("budget -5", None, -5),
        ("a shirt for 2 people", None, None),
        ("a gift for $100 and up", 100, None),
        ("jeans for men size 32", None, None),
        # a price near one: up to 20% over it
        ("around 80 dollars", None, 96),
        ("about $80", None, 96),
        ("roughly 50", None, 60),
        ("80 dollars or so", None, 96),
        ("大概80块", None, 96),
        ("100块左右", None, 120),
        ("tell me about 2", None, None),  # a card, not a price
        ("42码左右", None, None),  # a size
    ],
)
def test_price_phrases(text, low, high):
    assert extract_price(text)[:2] == (low, high)


@pytest.mark.parametrize(
    ("text", "wanted", "avoided"),
    [
        ("a dress for women but not red", [], ["red"]),
        ("不要红色的连衣裙", [], ["red"]),
        ("dresses, anything but black", [], ["black"]),
        ("red, not blue", ["red"], ["blue"]),
        ("not red but blue", ["blue"], ["red"]),
        ("I don't want black or white", [], ["black", "white"]),
        ("除了黑色都可以", [], ["black"]),
        ("特别红的裙子", ["red"], []),  # 特别: especially, no 别 (don't)
        ("no budget limit", [], []),
    ],
)
def test_colours_turned_down_are_excluded_not_wanted(parser, text, wanted, avoided):
    """ "a dress but not red" searched red dresses only: every colour the words named was wanted."""
    constraints = parser.parse(text).constraints
    assert (constraints.colours, constraints.exclude_colours) == (wanted, avoided)


@pytest.mark.parametrize(
    ("text", "choices"),
    [
        ("a green or blue dress", []),  # green is no colour of this catalogue's
        ("red or blue dress", ["red", "blue"]),
        ("红色或者蓝色的裙子", ["red", "blue"]),
        ("红的还是黑的", ["red", "black"]),
        ("red, black or white", ["red", "black", "white"]),
        ("black and white shirt", []),  # one look with both colours
        ("red, not blue", []),
        ("a red dress", []),
    ],
)
def test_colours_offered_as_alternatives(parser, text, choices):
    """ "green or blue skirts" searched blue ones only: the slot holds one colour, the choice all of them."""
    assert parser.parse(text).choices["colour"] == choices


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("shoes", ["sneakers", "boots"]),
        ("我想买鞋", ["sneakers", "boots"]),
        ("jeans or trousers", ["jeans", "trousers"]),
        ("夏天穿的裙子", ["dress", "skirt"]),  # dresses or skirts, as a Chinese shop files them
    ],
)
def test_a_word_for_several_kinds_of_garment_names_them_all(text, kinds):
    """ "shoes" named no kind of a shop that sells sneakers and boots (a photo's reading, a coat, stood)."""
    parser = QueryParser({**VOCABULARY, "category": ["dress", "sneakers", "boots", "jeans", "trousers", "skirt"]})
    parsed = parser.parse(text)
    assert parsed.constraints.categories == kinds and parsed.choices["category"] == kinds


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("how long is shipping?", True),
        ("运费多少", True),
        ("can I pay with PayPal", True),
        ("where is my order", True),
        ("a dress for a beach wedding", False),
        ("tell me about the second one", False),
    ],
)
def test_questions_for_the_shops_staff(text, asked):
    assert asks_service(text) is asked


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("要短一点的", "other"),  # shorter: "more expensive" to NLU
        ("a bit shorter please", "other"),
        ("有没有厚一点的", "other"),
        ("大一点的", "bigger"),
        ("something bigger", "bigger"),
        ("a size smaller", "smaller"),
        ("瘦一点的", "smaller"),
        ("one size up please", "bigger"),
        ("can I go down a size?", "smaller"),
        ("大一码的有吗", "bigger"),
        ("小一号", "smaller"),
        ("有大码的吗", None),  # plus sizes, no step
        ("which one is the warmest?", "other"),
        ("哪件最暖和", "other"),
        ("最大的尺码是多少", None),
        ("贵一点的", None),
        ("小一点的价格", None),
        ("cheaper", None),
        ("/cheaper", None),
    ],
)
def test_steps_along_another_measure_than_the_price(text, step):
    assert other_step(text) == step


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("it's a hoodie, not a sweater", ["hoodie"]),  # a photo's reading put right
        ("that's not a sweater, it's a hoodie", ["hoodie"]),
        ("不是毛衣，是卫衣", ["hoodie"]),
        ("shoes but not boots", ["sneakers"]),
        ("not a sweater", []),
        ("是不是卫衣", ["hoodie"]),  # a question, nothing turned down
    ],
)
def test_kinds_turned_down_are_not_wanted(text, kinds):
    parser = QueryParser({**VOCABULARY, "category": ["hoodie", "sweater", "sneakers", "boots"]})
    parsed = parser.parse(text)
    assert parsed.constraints.categories == kinds and set(parsed.choices["category"]) <= set(kinds)


@pytest.mark.parametrize(
    ("text", "pattern", "avoided"),
    [
        ("a shirt, not striped", None, ["striped"]),
        ("不要条纹的衬衫", None, ["striped"]),
        ("striped shirt", "striped", []),
    ],
)
def test_patterns_turned_down_are_excluded_not_wanted(parser, text, pattern, avoided):
    constraints = parser.parse(text).constraints
    assert (constraints.pattern, constraints.exclude_patterns) == (pattern, avoided)


def test_a_currency_is_taken_out_of_the_words_whole():
    """ "under 30 euros" left "os" behind ("eur" matched first), which was then searched with."""
    assert extract_price("dresses under 30 euros please")[2].split() == ["dresses", "please"]


@pytest.fixture
def parser() -> QueryParser:
    return QueryParser(VOCABULARY)


def test_english_query(parser):
    parsed = parser.parse("red summer dress for women under 50")
    c = parsed.constraints
    assert (c.categories, c.colours, c.gender, c.price_max) == (["dress"], ["red"], "women", 50)
    assert "50" not in parsed.text and "dress" in parsed.text


def test_chinese_query(parser):
    c = parser.parse("想买一件黑色的男士夹克，预算500以内").constraints
    assert (c.categories, c.colours, c.gender, c.price_max) == (["jacket"], ["black"], "men", 500)


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("she likes red", "women"),  # a gift: whom it is for
        ("something for my brother", "men"),
        ("给姐姐买件衣服", "women"),
        ("其他颜色", None),  # 其他 (other) holds 他 (he)
        ("the other one", None),
        ("boyfriend jeans", None),  # a fit
        ("boyfriend jeans for my girlfriend", "women"),
    ],
)
def test_whom_a_gift_is_for(parser, text, gender):
    assert parser.parse(text).constraints.gender == gender


def test_words_resolve_to_catalogue_values(parser):
    assert parser.parse("navy tees").constraints.colours == ["navy blue"]
    assert parser.parse("navy tees").constraints.categories == ["t-shirt"]
    assert parser.parse("blue shirts and dresses").constraints.categories == ["shirt", "dress"]
    assert parser.parse("shoes please").constraints.categories == ["casual shoes", "sports shoes"]
    assert parser.parse("striped shirts, size M").constraints.model_dump(include={"pattern", "size"}) == {
        "pattern": "striped",
        "size": "M",
    }
    assert parser.parse("白色碎花连衣裙").constraints.model_dump(include={"colours", "pattern", "categories"}) == {
        "colours": ["white"],
        "pattern": "floral",
        "categories": ["dress"],
    }


def test_values_the_catalogue_lacks_are_not_constraints(parser):
    c = parser.parse("a purple hoodie").constraints
    assert c.colours == [] and c.categories == []


@pytest.mark.parametrize(
    ("text", "move", "high"),
    [
        ("like this but cheaper", "cheaper", None),
        ("something less expensive", "cheaper", None),
        ("像这样的，便宜一点", "cheaper", None),
        ("like this, more expensive", "pricier", None),
        ("贵一点的", "pricier", None),
        ("cheaper than 50", None, 50),  # a budget, not a move
        ("a red dress", None, None),
    ],
)
def test_price_moves_are_relative_to_what_is_found(parser, text, move, high):
    parsed = parser.parse(text)
    assert (parsed.price_move, parsed.constraints.price_max) == (move, high)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("a dress for a wedding", ["wedding"]),
        ("casual shirts for work", ["casual", "office"]),
        ("参加婚礼穿的连衣裙", ["wedding"]),
        ("夏天上班穿的衬衫", ["summer", "office"]),
        ("a dress for the gym", []),  # the catalogue tags nothing "sport"
        ("a party dress", []),
        ("an oversized hoodie", ["oversized"]),
        ("slim fit jeans", ["slim"]),
        ("宽松的裤子", ["relaxed"]),
        ("skinny jeans", []),  # the catalogue tags nothing "skinny"
        ("something for a job interview", ["formal"]),
        ("面试穿的衬衫", ["formal"]),
    ],
)
def test_occasions_and_styles_become_the_catalogues_tags(parser, text, tags):
    """Tags rank, never filter: they are not constraints."""
    parsed = parser.parse(text)
    assert parsed.tags == tags
    assert "tags" not in parsed.constraints.model_dump(exclude_defaults=True)


@pytest.mark.parametrize(
    ("slot", "words", "value"),
    [
        ("category", "jeens", "jeans"),
        ("category", "jaket", "jacket"),
        ("category", "skrt", "skirt"),
        ("colour", "whte", "white"),
        ("category", "table", None),  # not near enough to any kind
        ("category", "hat", None),  # too short to guess
    ],
)
def test_a_slots_misspelt_words_name_the_nearest_catalogue_value(parser, slot, words, value):
    assert parser.slot_value(slot, words) is None
    assert parser.misspelt(slot, words) == value


def test_a_kinds_words_are_not_its_style():
    """ "我想买双运动鞋" (sneakers) searched "white · sneakers · sport": 运动鞋 holds 运动, sport."""
    parser = QueryParser({**VOCABULARY, "category": ["sneakers", "trousers"], "tags": ["sport", "casual"]})
    assert parser.parse("我想买双运动鞋").tags == []
    assert parser.parse("运动风的裤子").tags == ["sport"]


@pytest.mark.parametrize("text", ["something warm", "保暖一点的围巾", "for cold weather"])
def test_warm_is_for_winter(text):
    """ "something warm" while the form asked the colour was "send me a photo": nothing the catalogue tags."""
    assert QueryParser({**VOCABULARY, "tags": ["winter", "summer"]}).parse(text).tags == ["winter"]


@pytest.mark.parametrize(
    ("text", "materials"),
    [
        ("a linen shirt", ["linen"]),
        ("cotton or linen t-shirts", ["cotton", "linen"]),
        ("纯棉T恤", ["cotton"]),
        ("羊毛大衣", ["wool"]),
        ("牛仔外套", ["denim"]),
        ("牛仔裤", []),  # jeans: the kind's words are not a material
        ("a silk dress", []),  # the catalogue has nothing of silk
    ],
)
def test_materials_are_the_catalogues_materials_and_rank_like_tags(parser, text, materials):
    """A material is a soft wish, never a constraint; its words in either language name the catalogue's value."""
    parsed = parser.parse(text)
    assert parsed.materials == materials
    assert parsed.slot_values().get("material") == (materials[0] if materials else None)
    assert "material" not in parsed.constraints.model_dump(exclude_defaults=True)


@pytest.mark.parametrize(
    ("text", "brand", "colours", "categories"),
    [
        ("levis jeans under 50", "Levi's", [], ["jeans"]),
        ("Levi's jeans", "Levi's", [], ["jeans"]),
        ("Red Tape sports shoes", "Red Tape", [], ["sports shoes"]),  # the brand's words name no colour
        ("a red dress from northwind", "Northwind", ["red"], ["dress"]),
        ("Northwind的夹克", "Northwind", [], ["jacket"]),
        ("Next dresses", "Next", [], ["dress"]),
        ("the next one, in red", None, ["red"], []),  # an everyday word is a brand only with its capital
        ("northwinds", None, [], []),
    ],
)
def test_the_catalogues_brands_are_found(parser, text, brand, colours, categories):
    parsed = parser.parse(text)
    assert (parsed.brand, parsed.constraints.brand) == (brand, brand)
    assert (parsed.constraints.colours, parsed.constraints.categories) == (colours, categories)
    assert parsed.slot_values().get("brand") == brand


@pytest.mark.parametrize(
    ("text", "chooses", "outfit", "other_colour"),
    [
        ("I'll take the second one", True, False, False),
        ("I\u2019ll take it", True, False, False),
        ("I'll take a look at #2", False, False, False),
        ("就要第二件", True, False, False),
        ("add it to my cart", True, False, False),
        ("加入购物车", True, False, False),
        ("不要第二件", False, False, False),
        ("what shoes go with #2?", False, True, False),
        ("2号怎么搭", False, True, False),
        ("what should I wear to a wedding?", False, True, False),
        ("给我推荐一套约会穿的", False, True, False),
        ("something with flowers", False, False, False),
        ("any other colours?", False, False, True),
        ("换个颜色", False, False, True),
        ("a coloured shirt", False, False, False),
    ],
)
def test_moves_read_from_the_words(text, chooses, outfit, other_colour):
    """What the actions read past NLU: a card chosen, an outfit asked for, the same in other colours."""
    assert (takes_one(text), asks_outfit(text), asks_another_colour(text)) == (chooses, outfit, other_colour)


@pytest.mark.parametrize(
    ("text", "order"),
    [("show me the cheapest", "cheapest"), ("sort by price", "cheapest"), ("最贵的", "dearest"), ("cheaper", None)],
)
def test_garments_asked_for_by_price(text, order):
    assert price_order(text) == order


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("striped shirts, size M", "M"),
        ("有L码吗", "L"),
        ("2号有L吗", "L"),  # no 码: item details to NLU, which told the card's sizes instead of answering
        ("有XL的吗", "XL"),
        ("有42吗", "42"),
        ("有40块以下的吗", None),  # a price
        ("有红色的吗", None),
        ("size W32 jeans", "W32"),
        ("what size for the second one?", None),  # was the size "FOR"
        ("which size do you recommend", None),
    ],
)
def test_sizes_asked_about(parser, text, size):
    assert parser.parse(text).constraints.size == size
