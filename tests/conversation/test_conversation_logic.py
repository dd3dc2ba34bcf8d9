"""The conversation's core pieces on a real store: language, item numbers, questions, relaxation."""

from __future__ import annotations

from collections import Counter

import pytest

from shopguide.catalogue.ingest import IngestOptions
from shopguide.conversation.catalogue_range import (
    RANGE_SAMPLE,
    CatalogueRange,
    asked_facet,
    catalogue_range,
    range_reply,
    size_order,
)
from shopguide.conversation.item_numbers import (
    card_named,
    item_numbers,
    names_a_card,
    parse_item_number,
    price_step_from_card,
)
from shopguide.conversation.language import detect_language
from shopguide.conversation.photo_description import PhotoDescription, photo_category
from shopguide.conversation.preferences import ANY, Preferences, new_garment_resets, normalise
from shopguide.conversation.questions import QuestionPlanner
from shopguide.conversation.relaxation import best_relaxation, declines
from shopguide.search.query_parser import QueryParser, is_bare_wish
from shopguide.store.filters import Constraints
from shopguide.store.garment_store import metadata_values


@pytest.mark.parametrize(
    ("before", "now", "stated", "dropped"),
    [
        (
            "dress",
            "jacket",
            {"category"},
            {"colour", "pattern", "material", "style", "occasion", "brand", "budget_min", "budget_max", "price_order"},
        ),
        (
            "dress",
            "jacket",
            {"category", "colour", "budget_max"},
            {"pattern", "material", "style", "occasion", "brand", "budget_min", "price_order"},
        ),
        ("dress", "dress", {"category"}, set()),
        (None, "jacket", {"category"}, set()),
        (ANY, "jacket", {"category"}, set()),
        ("dress", None, set(), set()),
    ],
)
def test_another_kind_of_garment_drops_the_old_ones_wishes(before, now, stated, dropped):
    """Gender and size belong to the shopper, not the garment: they never go."""
    resets = new_garment_resets(before, now, stated)
    assert set(resets) == dropped and not any(resets.values())


@pytest.mark.parametrize(
    ("slots", "confidence", "stated", "earlier_photo", "category", "budget_dropped"),
    [
        ({}, 0.3, set(), None, "sweater", False),
        ({"category": "jacket", "budget_max": 100, "gender": "men"}, 0.9, set(), None, "sweater", True),
        ({"category": "jacket", "budget_max": 100}, 0.9, {"budget_max"}, None, "sweater", False),
        ({"category": "jacket"}, 0.4, set(), None, None, False),
        ({"category": "jacket"}, 0.4, set(), "coat", None, False),  # typed after the earlier photo
        ({"category": "jacket", "budget_max": 100}, 0.4, set(), "jacket", "sweater", True),
        ({"category": "jacket"}, 0.9, {"category"}, "jacket", None, False),
        ({"category": "sweater", "budget_max": 100}, 0.9, set(), None, "sweater", False),
    ],
)
def test_a_photo_shows_the_kind_of_garment_wanted(slots, confidence, stated, earlier_photo, category, budget_dropped):
    """An open category takes the photo's reading; an asked-for one gives way only to a sure reading,
    and then the old garment's wishes go as they would for a typed request (gender stays). One that the
    shopper's earlier photo searched gives way to any reading."""
    description = PhotoDescription("sweater", None, None, "a sweater", confidence)
    changes = photo_category(slots, description, stated, earlier_photo)
    assert changes.get("category") == category
    assert ("budget_max" in changes) == budget_dropped and "gender" not in changes


@pytest.mark.parametrize(
    ("slots", "wishes"),
    [
        ({"category": "dress"}, {"colour": "black", "pattern": "dotted"}),
        ({"category": "dress", "colour": "red"}, {"pattern": "dotted"}),  # the shopper's own colour wins
        ({"category": "dress", "colour": ANY}, {"colour": "black", "pattern": "dotted"}),
        ({"category": "jeans"}, {}),  # another kind of garment: the photo says nothing of it
        ({}, {}),
    ],
)
def test_a_photos_look_counts_while_its_kind_of_garment_is_wanted(slots, wishes):
    look = {"category": "dress", "colour": "black", "pattern": "dotted"}
    assert Preferences.from_slots(slots).look_wishes(look) == wishes


@pytest.mark.parametrize(
    ("slots", "colours"),
    [
        ({"colour": "blue", "colour_choices": ["green", "blue"]}, ["green", "blue"]),
        ({"colour": "black", "colour_choices": ["green", "blue"]}, ["black"]),  # stated later (a button)
        ({"colour": ANY, "colour_choices": ["green", "blue"]}, []),
        ({"colour_choices": ["green", "blue"]}, []),  # the colour dropped ("Shall I drop it?")
    ],
)
def test_colours_offered_as_alternatives_count_while_the_colour_is_one_of_them(slots, colours):
    preferences = Preferences.from_slots(slots)
    assert (preferences.either("colour"), preferences.constraints().colours) == (colours, colours)


def test_a_word_for_several_kinds_of_garment_searches_them_all():
    preferences = Preferences.from_slots({"category": "sneakers", "category_choices": ["sneakers", "boots"]})
    assert preferences.constraints().categories == ["sneakers", "boots"]
    assert "sneakers" not in preferences.query_text()


@pytest.mark.parametrize(
    ("text", "previous", "expected"),
    [
        ("red dress", None, "en"),
        ("想买一条jeans", "en", "zh"),
        ("😀", "zh", "zh"),
        ("42", None, "en"),
        ("asdfgh", "zh", "zh"),  # answered in English in a Chinese conversation
        ("XL", "zh", "zh"),
        ("show me more", "zh", "en"),
        ("I'll take number 2", "zh", "en"),
        ("Northwind", "zh", "zh"),  # a brand
        ("hoodies", "zh", "en"),
        ("asdfgh", "en", "en"),
    ],
)
def test_language(text, previous, expected):
    assert detect_language(text, previous) == expected


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (("#2", None), 2),
        ((None, "more like the third one"), 3),
        ((None, "2号是什么面料"), 2),
        ((None, "第三件"), 3),
        ((None, "我喜欢第二双"), 2),
        ((None, "第一条多少钱"), 1),
        ((None, "not this"), None),
        (("first", "number 4"), 1),
        ((None, "说说最后一个"), -1),  # not "一个": the first
    ],
)
def test_item_numbers(sources, expected):
    assert parse_item_number(*sources) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("compare 1 and 3", [1, 3]),
        ("the third one or the fifth one?", [3, 5]),  # "one" after an ordinal is no number
        ("compare number one and number two", [1, 2]),
        ("帮我比较1号、2号和3号", [1, 2, 3]),
        ("第一条和最后一条有什么不一样", [1, -1]),
        ("no numbers here", []),
    ],
)
def test_all_item_numbers_of_a_comparison(text, expected):
    assert item_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        ("tell me about number 14", 14, True),
        ("what about #12?", 12, True),
        ("第14件怎么样", 14, True),
        ("is it available in 43?", 43, False),
        ("有43码吗", 43, False),
        ("number 143", 14, False),
    ],
)
def test_a_number_called_a_cards_is_no_size(text, number, expected):
    assert names_a_card(text, number) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("#2 in red", 2), ("number 3 in blue", 3), ("the second one in red", 2), ("one in red", None), ("in 42", None)],
)
def test_a_card_named_outright(text, expected):
    assert card_named(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is there anything cheaper than the second one?", (True, 2)),
        ("something more expensive than number 4", (False, 4)),
        ("cheaper than the last one", (True, -1)),
        ("有比第二件便宜的吗", (True, 2)),
        ("比2号贵一点的", (False, 2)),
        ("cheaper than 50", None),  # a price
        ("比50块便宜的", None),
        ("is #2 cheaper than #1?", None),  # a comparison
        ("cheaper", None),
        ("the second one but cheaper", (True, 2)),  # "Noted."
        ("like #3, but pricier", (False, 3)),
        ("第二件但是便宜一点的", (True, 2)),
        ("I like it but cheaper please", None),  # no card named: the cards' own step
    ],
)
def test_a_price_step_from_a_card(text, expected):
    assert price_step_from_card(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oversized", True),
        ("linen please", True),
        ("宽松的", True),
        ("no linen", False),
        ("I don't want it oversized", False),
        ("不要宽松的", False),
        ("something oversized for my brother's birthday next week", False),
    ],
)
def test_a_bare_wish_is_short_and_says_no_not(text, expected):
    assert is_bare_wish(text) is expected


@pytest.fixture
def stocked(demo_catalogue, ingester, store):
    ingester.ingest(demo_catalogue, IngestOptions(show_progress=False))
    return store


def test_questions_category_first_then_what_splits_the_catalogue(stocked):
    planner = QuestionPlanner(stocked, max_questions=2)
    assert planner.questions(Preferences()) == ["category"]
    dress = planner.questions(Preferences(category="dress"))
    assert "gender" not in dress, "every dress is for women: asking would be a wasted question"
    assert len(dress) <= 2
    answered = Preferences.from_slots({"category": "dress", **{name: ANY for name in dress}})
    assert planner.questions(answered) == []
    assert planner.questions(Preferences.from_slots({"category": ANY})) == []
    assert QuestionPlanner(stocked, max_questions=0).questions(Preferences(category="dress")) == []


def test_no_budget_asked_of_the_cheapest(stocked):
    """ "the cheapest jeans" (or the dearest): the order by price answers the budget question."""
    planner = QuestionPlanner(stocked, max_questions=3)
    assert "budget_max" in planner.questions(Preferences(category="jeans"))
    for order in ("cheapest", "dearest"):
        assert "budget_max" not in planner.questions(Preferences(category="jeans", price_order=order))


def test_a_brand_that_makes_no_such_garment_leaves_nothing_to_ask(stocked):
    """Pinecrest makes no jeans (data.demo_catalogue.BRANDS): the search says so at once, no colour asked."""
    planner = QuestionPlanner(stocked, max_questions=2)
    assert planner.questions(Preferences(category="jeans"))
    assert planner.questions(Preferences(category="jeans", brand="Pinecrest")) == []
    slot, _label, count = best_relaxation(stocked, Constraints(categories=["jeans"], brand="Pinecrest"))
    assert slot == "brand" and count == stocked.count_matching(Constraints(categories=["jeans"]), 1000)


def test_relaxation_names_the_condition_and_the_count(stocked):
    impossible = Constraints(categories=["dress"], price_max=0.5)
    slot, _label, count = best_relaxation(stocked, impossible)
    assert slot == "budget_max" and count > 0
    assert best_relaxation(stocked, Constraints(categories=["no-such-category"])) is None


@pytest.mark.parametrize(
    "text", ["no", "No.", "nope", "nah thanks", "no, keep it", "don't", "keep the budget", "不用了", "保留吧", "别去掉"]
)
def test_a_plain_no_declines_the_offer_to_drop_a_condition(text):
    assert declines(text)


@pytest.mark.parametrize(
    "text", ["no budget", "no limit", "doesn't matter", "anything", "不限", "随便", "不要红色", "yes"]
)
def test_words_that_let_the_condition_go_or_ask_otherwise_are_no_refusal(text):
    """ "no budget" or "不限" answer "Shall I drop the budget?" with a yes."""
    assert not declines(text)


def test_relaxation_offers_an_older_condition_before_the_one_just_said(stocked):
    """ "In green" with a budget set: dropping the budget beats dropping the green just asked for."""
    clash = next(
        c
        for colour in stocked.vocabulary()["colours"]
        for cap in (5, 10, 20, 30, 40)
        if not stocked.count_matching(c := Constraints(categories=["dress"], colours=[colour], price_max=cap), 10)
        and all(
            stocked.count_matching(c.model_copy(update=drop), 10) for drop in ({"colours": []}, {"price_max": None})
        )
    )
    assert best_relaxation(stocked, clash, just_said={"colour"})[0] == "budget_max"
    assert best_relaxation(stocked, clash, just_said={"budget_max"})[0] == "colour"
    only_budget = clash.model_copy(update={"price_max": 0.5})  # no dress at all costs that little
    assert best_relaxation(stocked, only_budget, just_said={"budget_max"})[0] == "budget_max"


def test_entity_words_become_catalogue_values(stocked):
    parser = QueryParser(stocked.vocabulary())
    assert normalise("colour", "蓝色", parser) == "blue"
    assert normalise("category", "tees", parser) == "t-shirt"
    assert normalise("gender", "Men's", parser) == "men"
    assert normalise("category", ANY, parser) == ANY


@pytest.mark.parametrize(
    ("text", "facet"),
    [
        ("which brands do you have?", "brand"),
        ("what colours do the hoodies come in", "colours"),
        ("Which COLORS are there", "colours"),
        ("what sizes do your jeans come in", "sizes_in_stock"),
        ("what fabrics are the shirts made of", "material"),
        ("which prints do you have for skirts", "pattern"),
        ("what do you sell?", None),
        ("what kinds of clothes do you have", "category"),
        ("what colours does each brand make", "colours"),  # the first field named
        ("卫衣有哪些颜色", "colours"),
        ("运动鞋有哪些品牌", "brand"),
        ("牛仔裤有什么尺码", "sizes_in_stock"),
        ("你们卖什么", None),
        ("有哪些品类", "category"),
        ("what makes a good coat", "brand"),  # 'make' asks who makes it; NLU decides it is a range question
        ("do you have hoodies in colourful prints", "colours"),
        ("how much do your jeans cost?", "price"),
        ("连衣裙多少钱", "price"),
    ],
)
def test_a_range_question_names_what_it_asks_about(text, facet):
    assert asked_facet(text) == facet


def test_the_range_counts_the_values_among_the_items_the_wishes_allow(stocked):
    """Pinecrest makes no jeans in the demo: the jeans' brands leave it out; every count is exact."""
    everything = catalogue_range(stocked, Constraints(), "brand")
    jeans = catalogue_range(stocked, Constraints(categories=["jeans"]), "brand")
    assert set(everything.values) == set(stocked.vocabulary()["brand"]) and "Pinecrest" in everything.values
    assert jeans.complete and "Pinecrest" not in jeans.values and set(jeans.values) < set(everything.values)
    for brand, count in jeans.counts:
        assert count == stocked.count_matching(Constraints(categories=["jeans"], brand=brand), RANGE_SAMPLE)
    assert [n for _, n in jeans.counts] == sorted((n for _, n in jeans.counts), reverse=True)
    reply = range_reply(jeans, "jeans", "en")
    assert reply.text.startswith(f"For jeans we have {len(jeans.values)} brands: {jeans.values[0]} (")
    assert reply.buttons[0] == {"title": jeans.values[0], "payload": f'/inform{{"brand":"{jeans.values[0]}"}}'}
    colours_found = catalogue_range(stocked, Constraints(categories=["jeans"]), "colours")
    colours = range_reply(colours_found, "牛仔裤", "zh")
    assert colours.text.startswith("牛仔裤有") and "种颜色：" in colours.text and "件）" in colours.text
    assert [b["payload"] for b in colours.buttons[:1]] == [f'/inform{{"colour":"{colours_found.values[0]}"}}']
    for facet in ("brand", "price"):
        assert catalogue_range(stocked, Constraints(categories=["no-such-category"]), facet).is_empty()


def test_the_forms_buttons_count_the_items_of_the_occasion_or_material_wished_for(stocked):
    """ "Something for a wedding": the kinds offered are those of the wedding wear (the buttons were the
    first three kinds alphabetically, bag, blazer and blouse); a wish no item carries changes nothing."""
    items = stocked.filtered_metadata(Constraints(), RANGE_SAMPLE)
    for wish in ("wedding", "linen"):
        chosen = [m for m in items if wish in metadata_values(m, "tags") or m.get("material") == wish]
        found = catalogue_range(stocked, Constraints(), "category", prefer=[wish])
        assert chosen and dict(found.counts) == Counter(m["category"] for m in chosen), wish
    everything = catalogue_range(stocked, Constraints(), "category")
    assert catalogue_range(stocked, Constraints(), "category", prefer=["no-such-tag"]).counts == everything.counts


@pytest.mark.parametrize(("values", "more"), [(14, None), (15, " and 3 more."), (129, " and 117 more.")])
def test_a_long_range_names_the_commonest_and_counts_the_rest(values, more):
    found = CatalogueRange("brand", [(f"Brand{i:03d}", 200 - i) for i in range(values)], complete=True)
    text = range_reply(found, "", "en").text
    assert text.startswith(f"We have {values} brands: Brand000 (200), Brand001 (199)")
    assert text.endswith(more) if more else f"Brand{values - 1:03d}" in text
    sampled = range_reply(CatalogueRange("brand", found.counts, complete=False), "", "zh").text
    assert "Brand000、Brand001" in sampled and "件）" not in sampled  # counts of a sample would mislead


def test_the_price_range_gives_the_span_and_budgets_that_keep_the_cheaper_half(stocked):
    found = catalogue_range(stocked, Constraints(categories=["jeans"]), "price")
    prices = [m["price"] for m in stocked.filtered_metadata(Constraints(categories=["jeans"]), RANGE_SAMPLE)]
    assert found.prices == sorted(prices) and found.currency == "USD" and found.counts == []
    reply = range_reply(found, "jeans", "en")
    assert reply.text.startswith(f"For jeans prices run from {min(prices):.2f} USD to {max(prices):.2f} USD; half")
    caps = [int(b["title"].removeprefix("Under ")) for b in reply.buttons]
    assert len(caps) == 2 and caps == sorted(caps) and min(prices) < caps[0] < max(prices), reply.buttons
    assert reply.buttons[0]["payload"] == f'/inform{{"budget":"under {caps[0]}"}}'
    assert range_reply(found, "牛仔裤", "zh").buttons[0] == {
        "title": f"{caps[0]}以内",
        "payload": f'/inform{{"budget":"{caps[0]}以内"}}',
    }


def test_sizes_are_listed_from_small_to_large(stocked):
    sneakers = catalogue_range(stocked, Constraints(categories=["sneakers"]), "sizes_in_stock").values
    assert sneakers == sorted(sneakers, key=float) and len(sneakers) > 3
    assert sorted(["XL", "m", "42", "S", "one size", "38.5"], key=size_order) == [
        "S",
        "m",
        "XL",
        "38.5",
        "42",
        "one size",
    ]
