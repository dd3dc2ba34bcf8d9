"""Whole conversations over HTTP against a real Rasa server and action server on the demo catalogue."""

from __future__ import annotations

import json
import re
import statistics
import uuid
from pathlib import Path

import httpx
import pytest

from shopguide.conversation.outfits import group_of
from shopguide.redis_client import redis_client
from shopguide.uploads import UploadStore
from tests.running_assistant import cards, demo_items, texts, until_cards

pytestmark = pytest.mark.slow
CJK = re.compile(r"[\u4e00-\u9fff]")


def sender() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


def test_full_request_goes_straight_to_cards(assistant):
    reply = until_cards(assistant, sender(), "I need a red dress under 100")
    items = cards(reply)
    assert items, texts(reply)
    assert all(i["price"] <= 100 for i in items)
    assert "Here is what I found" in texts(reply)
    assert not CJK.search(texts(reply))


def test_chinese_request_gets_chinese_cards(assistant):
    reply = until_cards(assistant, sender(), "想买一件黑色的夹克，预算500以内", skip="随便")
    items = cards(reply)
    assert items and all(i["price"] <= 500 for i in items)
    assert CJK.search(texts(reply)) and all(CJK.search(i["title"]) for i in items)


def test_form_asks_what_is_missing_and_accepts_anything(assistant):
    who = sender()
    first = assistant.say(who, "I'm looking for something to wear")
    assert "What kind of item" in texts(first)
    second = assistant.say(who, "jeans")
    asked = texts(second)
    assert "kind of item" not in asked and not cards(second)
    reply = second
    for _ in range(3):
        if cards(reply):
            break
        reply = assistant.say(who, "anything")
    assert cards(reply), "after 'anything' the assistant shows results"


def test_the_forms_last_answer_is_the_cards_with_no_action_after_it(assistant):
    """The form's validation shows the cards once nothing is left to ask: the turn calls the action server
    for the slots and for the form only (another action cost each recommendation a hand-off, `make bench`)."""
    who = sender()
    assert cards(until_cards(assistant, who, "jeans"))
    events = json.loads(redis_client(assistant.settings).get(f"garments:tracker:{who}"))["events"]
    last_message = max(i for i, event in enumerate(events) if event["event"] == "user")
    actions = [event["name"] for event in events[last_message:] if event["event"] == "action"]
    assert actions == ["shopping_form", "action_listen"], actions


def test_refinements_keep_the_constraints(assistant):
    who = sender()
    shown = cards(until_cards(assistant, who, "black jeans for men under 200"))
    assert shown
    cheaper = cards(assistant.say(who, "something cheaper"))
    assert cheaper and max(i["price"] for i in cheaper) < max(i["price"] for i in shown)
    more = cards(assistant.say(who, "show me more"))
    assert not {i["id"] for i in more} & {i["id"] for i in shown + cheaper}


@pytest.mark.parametrize(
    "words", ["is there anything cheaper than number {n}?", "有比{n}号便宜的吗", "number {n} but cheaper"]
)
def test_cheaper_than_a_card_named(assistant, words):
    """ "is there anything cheaper than the second one?" told card 2's details (NLU: item details), "有比第二件便宜
    的吗" went below the middle price of the cards on screen, "the second one but cheaper" got "Noted.". (Asked
    of the dearest card: one is cheaper.)"""
    who = sender()
    shown = cards(until_cards(assistant, who, "shirts", skip="anything"))
    dearest = max(range(len(shown)), key=lambda i: shown[i]["price"])
    cheaper = cards(assistant.say(who, words.format(n=dearest + 1)))
    assert cheaper and all(card["price"] < shown[dearest]["price"] for card in cheaper), (shown[dearest], cheaper)


@pytest.mark.parametrize(("request_words", "anything"), [("shirts", "anything"), ("我想买衬衫", "随便")])
def test_anything_said_after_the_cards_brings_the_next_ones(assistant, request_words, anything):
    """With the cards on screen and no question open, "anything" showed the same ten again."""
    who = sender()
    shown = cards(until_cards(assistant, who, request_words, skip=anything))
    more = cards(assistant.say(who, anything))
    assert shown and more and not {i["id"] for i in more} & {i["id"] for i in shown}


@pytest.mark.parametrize(("order", "words"), [("cheapest", "show me the cheapest"), ("dearest", "最贵的")])
def test_the_matching_garments_by_price(assistant, order, words):
    """ "show me the cheapest" was a step cheaper than the cards shown: with one card on screen, nothing."""
    who = sender()
    assert cards(until_cards(assistant, who, "dresses"))
    prices = [card["price"] for card in cards(assistant.say(who, words))]
    every = [item["price"] for item in demo_items(assistant).values() if item["category"] == "dress"]
    assert prices == sorted(prices, reverse=order == "dearest")
    assert prices[0] == (min(every) if order == "cheapest" else max(every))


def assert_by_price(shown: list[dict], catalogue: dict[str, dict], colour: str, dearest: bool) -> None:
    """Cards by price, those of the colour wished for first, then those with it in them (an orange jacket
    trimmed in black led "black jackets, cheapest first")."""
    main = [catalogue[card["id"]]["colours"][0] == colour for card in shown]
    assert shown and main == sorted(main, reverse=True), main
    for group in (True, False):
        prices = [card["price"] for card, of_colour in zip(shown, main, strict=True) if of_colour is group]
        assert prices == sorted(prices, reverse=dearest), prices


@pytest.mark.parametrize(
    ("order", "words", "skip", "then", "other"),
    [
        ("cheapest", "show me the cheapest dresses", "anything", "in black", "now some jeans"),
        ("dearest", "最贵的裙子", "随便", "要黑色的", "换成牛仔裤吧"),
    ],
)
def test_a_request_for_the_cheapest_asks_no_budget_and_orders_by_price(assistant, order, words, skip, then, other):
    """ "show me the cheapest dresses" as the request (no cards yet) asked for a budget, then showed the best
    matches in no order. The order now holds for the cards the questions lead to and the refinements after
    them, until another kind of garment is asked for."""
    who, catalogue = sender(), demo_items(assistant)
    replies = [assistant.say(who, words)]
    while not cards(replies[-1]) and len(replies) < 4:
        replies.append(assistant.say(who, skip))
    asked = " ".join(texts(reply) for reply in replies)
    assert "budget" not in asked and "预算" not in asked
    shown = cards(replies[-1])
    category = catalogue[shown[0]["id"]]["category"]
    prices = [card["price"] for card in shown]
    kind = [item["price"] for item in catalogue.values() if item["category"] == category]
    assert prices == sorted(prices, reverse=order == "dearest")
    assert prices[0] == (min(kind) if order == "cheapest" else max(kind))
    assert_by_price(cards(assistant.say(who, then)), catalogue, "black", order == "dearest")
    jeans = assistant.say(who, other)
    assert "first" not in texts(jeans) and "价格从" not in texts(jeans)


def test_a_height_and_weight_get_the_size_guides_answer(assistant):
    """ "我身高170体重60穿什么码" was "I showed you 10 items, pick 1 to 10": 170 was a card number. The guide's
    size is kept as the shopper's, and dropped for a garment sized otherwise (sneakers "in size XXL" matched
    nothing)."""
    who = sender()
    both = texts(assistant.say(who, "我身高170体重60穿什么码"))
    assert "女款L码" in both and "男款S码" in both, both
    assert cards(until_cards(assistant, who, "men's shirts"))
    answer = texts(assistant.say(who, "what size for the second one? I am 185 cm 90 kg"))
    assert "XXL in men's sizes" in answer and "Your size XXL" in answer, answer
    sneakers = until_cards(assistant, who, "white sneakers")
    assert cards(sneakers) and "XXL" not in texts(sneakers)
    shoes = texts(assistant.say(who, "which size should I get, I am 175 cm 70kg"))
    assert "42" in shoes and "height and weight can't tell which" in shoes, shoes
    foot = texts(assistant.say(who, "脚长26厘米穿几码"))
    assert "脚长26厘米一般穿41码" in foot, foot


def test_a_height_and_weight_with_a_request_search_in_the_guides_size(assistant):
    """ "身高170体重60，想买条裙子" searched skirts in every size: the request's height and weight now give the
    guide's size for the kind asked for (skirts are women's here)."""
    who = sender()
    reply = until_cards(assistant, who, "身高170体重60，想买条裙子", skip="随便")
    items, catalogue = cards(reply), demo_items(assistant)
    assert items and "L码" in texts(reply), texts(reply)
    in_stock = [{s["size"] for s in catalogue[card["id"]]["sizes"] if s["stock"]} for card in items]
    assert all("L" in sizes for sizes in in_stock), in_stock


@pytest.mark.parametrize(
    ("words", "answer"),
    [
        ("show me suits", "Sorry, we don't carry suits."),  # not understood
        ("I want a swimsuit", "Sorry, we don't carry swimwear."),  # a photo asked for
        ("do you sell socks", "Sorry, we don't carry socks."),  # the kinds listed, socks unmentioned
        ("I need a tie for a wedding", "Sorry, we don't carry ties."),  # "What kind of item?"
        ("我想买泳衣", "抱歉，我们没有泳衣。"),  # "nothing matches 泳衣"
        ("shirts for boys", "we don't carry children's clothing"),  # three questions, then nothing found
        ("儿童的衣服有吗", "我们没有童装"),  # a photo asked for
    ],
)
def test_what_the_shop_does_not_carry_is_said_so_with_what_it_has(assistant, words, answer):
    reply = assistant.say(sender(), words)
    said = texts(reply)
    assert answer in said and not cards(reply), said
    assert len(reply) == 1, "one answer, no question after it"
    if "children" not in answer and "童装" not in answer:
        assert reply[0]["buttons"], "the kinds there are, as buttons"
    else:
        assert "women" in said or "女士" in said


def test_a_size_asked_of_the_cards_on_screen_searches_them_in_it(assistant):
    """ "do you have it in xl?" (a question about the range to NLU) after grey coats answered "nothing
    matches men · size xl": the range question dropped the coats and the colour, and "xl" matched no XL."""
    who, catalogue = sender(), demo_items(assistant)
    assert cards(until_cards(assistant, who, "grey coats for men"))
    reply = assistant.say(who, "do you have it in xl?")
    items = cards(reply)
    assert items and "size XL" in texts(reply), texts(reply)
    for card in items:
        item = catalogue[card["id"]]
        assert item["category"] == "coat" and "XL" in {s["size"] for s in item["sizes"] if s["stock"]}


def test_a_colour_asked_of_the_kind_wished_for_searches_it(assistant):
    """ "do they come in red?" while the form asked the colour of the cheapest jackets (a question about the
    range to NLU) listed the kinds of garment in red, jackets forgotten, and asked the colour again."""
    who, catalogue = sender(), demo_items(assistant)
    colours = [item["colours"][0] for item in catalogue.values() if item["category"] == "jacket"]
    colour = max(set(colours), key=colours.count)
    assistant.say(who, "show me the cheapest jackets")
    reply = assistant.say(who, f"do they come in {colour}?")
    assert_by_price(cards(reply), catalogue, colour, dearest=False)
    assert all(catalogue[card["id"]]["category"] == "jacket" for card in cards(reply))
    assert "Any colour in mind?" not in texts(reply)


@pytest.mark.parametrize("words", ["it's a hoodie, not a sweater", "不是毛衣，是卫衣"])
def test_a_kind_put_right_keeps_the_other_wishes(assistant, words):
    """ "it's a hoodie, not a sweater" (a photo read as a sweater) searched sweaters again: NLU tagged both
    kinds, and the last one stood. As a new kind, it also dropped the colour and asked it again."""
    who, catalogue = sender(), demo_items(assistant)
    assert cards(until_cards(assistant, who, "black sweaters"))
    reply = assistant.say(who, words)
    items = [catalogue[card["id"]] for card in cards(reply)]
    assert items and all(i["category"] == "hoodie" and "black" in i["colours"] for i in items), texts(reply)


@pytest.mark.parametrize(
    ("words", "answer"),
    [
        ("要短一点的", "没法比较"),  # shorter: "more expensive" to NLU, which showed dearer dresses
        ("a bit shorter please", "can't compare"),  # "cheaper" with a kind "shorter": shorts were shown
        ("大一点的", "尺码"),  # bigger: not understood; no size held, so the size is asked
        ("有没有厚一点的", "冬天"),  # thicker: a winter wish
        ("which one is the warmest?", "winter"),  # card 1's details
        ("哪件最暖和", "冬天"),  # "you have liked nothing yet"
    ],
)
def test_a_step_along_another_measure_than_the_price(assistant, words, answer):
    who, catalogue = sender(), demo_items(assistant)
    shown = cards(until_cards(assistant, who, "red dresses"))
    reply = assistant.say(who, words)
    assert shown and answer in texts(reply), texts(reply)
    if answer in ("冬天", "winter"):
        assert all(catalogue[card["id"]]["category"] == "dress" for card in cards(reply))
    else:
        assert not cards(reply)


@pytest.mark.parametrize(
    ("words", "answer"),
    [
        ("how long is shipping?", "my colleagues' part"),  # a card's details: "I haven't shown you anything"
        ("运费多少", "同事"),  # a card's details
        ("can I pay with paypal", "my colleagues' part"),  # "anything": the form's next question
    ],
)
def test_delivery_payment_and_returns_go_to_the_staff(assistant, words, answer):
    who = sender()
    assistant.say(who, "I want a coat")
    reply = assistant.say(who, words)
    said = texts(reply)
    assert answer in said and ("coat" in said or "大衣" in said), said  # what the shopper wants so far
    assert len(reply) == 1, "no question after it"


def test_a_size_up_or_down_from_the_shoppers(assistant):
    """ "大一点的" (bigger) with size M held asked for the size; now the next size in stock, searched in."""
    who, catalogue = sender(), demo_items(assistant)
    assert cards(until_cards(assistant, who, "women's blouses in size M"))
    steps = (("大一点的", "L"), ("a size smaller", "M"), ("小一号", "S"), ("one size up", "M"))
    for words, size in steps:
        reply = assistant.say(who, words)
        in_stock = [{s["size"] for s in catalogue[card["id"]]["sizes"] if s["stock"]} for card in cards(reply)]
        assert in_stock and all(size in sizes for sizes in in_stock), (words, texts(reply))
        assert slot_of(assistant, who, "size") == size


def test_a_wish_before_any_card_and_any_kind_asks_the_kind(assistant):
    """ "hi, I'm going to a wedding next month" (more cards, to NLU) showed ten wedding garments of every kind
    under "Here is what I found:"; the form asks the kind first, and so does this."""
    who = sender()
    reply = assistant.say(who, "hi, I'm going to a wedding next month")
    assert "What kind of item" in texts(reply) and not cards(reply), texts(reply)
    assert slot_of(assistant, who, "occasion") == "wedding"


def test_a_complaint_about_the_price_brings_cheaper_ones(assistant):
    """ "好贵啊" ("so expensive!") after the cards was a "yes" to NLU (好啊), answered with "OK. Tell me what
    you're looking for"."""
    who = sender()
    shown = cards(until_cards(assistant, who, "黑色的男士牛仔裤", skip="随便"))
    cheaper = cards(assistant.say(who, "好贵啊"))
    assert shown and cheaper and max(i["price"] for i in cheaper) < max(i["price"] for i in shown)


def test_not_this_one_never_comes_back(assistant):
    who = sender()
    shown = cards(until_cards(assistant, who, "shirts"))
    assert len(shown) >= 3
    after = cards(assistant.say(who, "not number 2"))
    assert shown[1]["id"] not in {i["id"] for i in after}


def test_more_like_a_shown_item_out_of_range(assistant):
    who = sender()
    shown = cards(until_cards(assistant, who, "show me dresses under 300"))
    reply = assistant.say(who, f"more like #{len(shown) + 5}")
    assert f"from 1 to {len(shown)}" in texts(reply)


def slot_of(assistant, who: str, name: str):
    """A slot's value in the shopper's tracker, as Rasa keeps it in Redis."""
    events = json.loads(redis_client(assistant.settings).get(f"garments:tracker:{who}"))["events"]
    return [event["value"] for event in events if event["event"] == "slot" and event["name"] == name][-1]


@pytest.mark.parametrize("words", ["show me the second one in red", "#2 in red"])
def test_a_card_asked_for_in_another_colour_brings_ones_like_it_in_that_colour(assistant, words):
    """ "show me the second one in red" (NLU: search_products) searched red dresses with no regard to #2,
    and "#2 in green" (item_details) told #2's details."""
    who = sender()
    shown = cards(until_cards(assistant, who, "blue dresses"))
    assert len(shown) > 1
    like = cards(assistant.say(who, words))
    assert like and all("red" in card["explanation"] for card in like), like
    assert slot_of(assistant, who, "reference_item") == shown[1]["id"]


def test_a_card_asked_for_in_a_colour_nobody_makes_is_not_said_to_be_all_shown(assistant):
    """ "#1 in green" with no green dress under the budget said "That's everything I have for green ...",
    as after "show more": the card itself was held back from the search."""
    who = sender()
    assert cards(until_cards(assistant, who, "dresses under 20"))
    reply = texts(assistant.say(who, "the first one in green"))
    assert "nothing in the catalogue matches green" in reply, reply


def test_a_size_asked_for_while_the_form_asks_is_searched_with(assistant):
    """ "do you have it in M?" (NLU: photo_search at 0.63) got "Send me a photo ...", nothing about M. It is
    searched with, or noted while the form's questions go on (NLU's reading varies between retrains)."""
    who = sender()
    assert not cards(assistant.say(who, "a dress"))
    reply = assistant.say(who, "do you have it in M?")
    shown = cards(reply) or cards(until_cards(assistant, who, "anything"))
    assert "photo" not in texts(reply) and slot_of(assistant, who, "size") == "M", texts(reply)
    assert shown and all("M" in card["sizes"] for card in shown), shown


def test_a_budget_around_a_price_is_read(assistant):
    """ "around 80 dollars", answering the budget question, got "Noted." and the question again."""
    who = sender()
    reply = until_cards(assistant, who, "a blue dress", done=lambda r: "budget" in texts(r) or cards(r))
    assert "budget" in texts(reply) and not cards(reply), reply
    shown = cards(assistant.say(who, "around 80 dollars"))
    assert shown and max(card["price"] for card in shown) <= 96


def test_an_occasion_named_in_a_long_request_counts(assistant):
    """ "I need something to wear to a wedding next month": NLU tagged no occasion, and the wedding was
    lost by the time the form had asked what kind of item."""
    who = sender()
    assert not cards(assistant.say(who, "I need something to wear to a wedding next month"))
    reply = until_cards(assistant, who, "a dress")
    assert cards(reply) and "wedding" in texts(reply).splitlines()[0], texts(reply)


@pytest.mark.parametrize(
    ("request_words", "skip"), [("a dress for women but not red", "anything"), ("不要红色的连衣裙", "随便")]
)
def test_a_colour_turned_down_is_left_out_not_searched_for(assistant, request_words, skip):
    """ "a dress for women but not red" showed red dresses only (NLU tags red as the colour); asked for
    again later ("show me red ones after all"), red is wanted again."""
    who = sender()
    shown = cards(until_cards(assistant, who, request_words, skip=skip))
    items = demo_items(assistant)
    assert shown and not any("red" in items[card["id"]]["colours"] for card in shown), shown
    again = cards(assistant.say(who, "show me red ones after all"))
    assert again and all("red" in items[card["id"]]["colours"] for card in again), again


@pytest.mark.parametrize(
    ("request_words", "skip"), [("a shirt for men, not striped", "anything"), ("不要条纹的男士衬衫", "随便")]
)
def test_a_pattern_turned_down_is_left_out_not_searched_for(assistant, request_words, skip):
    """ "a shirt for men, not striped" showed striped shirts only (NLU tags striped as the pattern)."""
    who = sender()
    shown = cards(until_cards(assistant, who, request_words, skip=skip))
    items = demo_items(assistant)
    assert shown and not any(items[card["id"]]["pattern"] == "striped" for card in shown), shown
    again = cards(assistant.say(who, "show me striped ones after all"))
    assert again and all(items[card["id"]]["pattern"] == "striped" for card in again), again


@pytest.mark.parametrize(
    ("request_words", "skip", "other_colour", "card_in_other_colours"),
    [
        ("red dresses", "anything", "in another colour", "do you have the second one in other colours?"),
        ("红色的连衣裙", "随便", "换个颜色", "第二件有别的颜色吗"),
    ],
)
def test_another_colour_turns_down_the_colours_shown(
    assistant, request_words, skip, other_colour, card_in_other_colours
):
    """ "换个颜色" told the first card's details (NLU: item_details) and "in another colour" showed other
    styles of red dresses: the search again without the colour, and a card's own colours for "#2 in other
    colours"."""
    who = sender()
    items = demo_items(assistant)
    assert cards(until_cards(assistant, who, request_words, skip=skip))
    others = cards(assistant.say(who, other_colour))
    assert others and not any("red" in items[card["id"]]["colours"] for card in others), others
    second = items[others[1]["id"]]
    again = cards(assistant.say(who, card_in_other_colours))
    avoided = {"red", *second["colours"]}
    assert again and not any(avoided & set(items[card["id"]]["colours"]) for card in again), again
    assert all(items[card["id"]]["category"] == "dress" for card in again)


@pytest.mark.parametrize("wish", ["something with flowers", "with stripes please", "something warm"])
def test_a_wish_read_as_a_move_on_cards_before_any_is_noted(assistant, wish):
    """ "something with flowers" while the form asks the kind (NLU: an outfit, with or without the pattern)
    was answered "I haven't shown you anything yet"; "something warm" (a photo search) "send me a photo"."""
    who = sender()
    assert "What kind of item" in texts(assistant.say(who, "I need something elegant for a wedding"))
    reply = texts(assistant.say(who, wish))
    assert "Noted:" in reply and "What kind of item" in reply and "haven't shown" not in reply, reply


def test_a_wish_read_as_an_outfit_after_the_cards_refines_them(assistant):
    """ "with stripes please" after the cards (NLU: an outfit) showed what goes with the first card."""
    who = sender()
    assert cards(until_cards(assistant, who, "shirts for men"))
    striped = cards(assistant.say(who, "with stripes please"))
    items = demo_items(assistant)
    assert striped and all(items[card["id"]]["pattern"] == "striped" for card in striped), striped
    assert "To go with" in texts(assistant.say(who, "what goes with the first one?"))


def test_a_card_chosen_is_confirmed_with_its_price(assistant):
    """ "I'll take the second one" was "not this one" to NLU (the card excluded), "就要这件了" a photo search
    ("send me a photo ...")."""
    who = sender()
    shown = cards(until_cards(assistant, who, "black jeans for men"))
    reply = texts(assistant.say(who, "I'll take the second one"))
    assert reply.startswith(f"Good choice: {shown[1]['title']}"), reply
    assert f"It's in the shop here: {demo_items(assistant)[shown[1]['id']]['url']}" in reply
    assert texts(assistant.say(who, "add it to my cart")).startswith(f"Good choice: {shown[1]['title']}")
    who = sender()
    shown = cards(until_cards(assistant, who, "男士衬衫", skip="随便"))
    assert texts(assistant.say(who, "第二件详细介绍一下")).startswith("2号")
    assert texts(assistant.say(who, "就要这件了")).startswith(f"好眼光：{shown[1]['title']}")
    assert texts(assistant.say(who, "加入购物车")).startswith(f"好眼光：{shown[1]['title']}")  # out of scope to NLU


@pytest.mark.parametrize(
    ("request_words", "skip", "question"),
    [("dresses", "anything", "what shoes go with the first one?"), ("连衣裙", "随便", "第一件配什么鞋")],
)
def test_an_outfit_of_the_kind_asked_for(assistant, request_words, skip, question):
    """ "what shoes go with the first one?" showed a jacket and a bag."""
    who = sender()
    assert cards(until_cards(assistant, who, request_words, skip=skip))
    shoes = cards(reply := assistant.say(who, question))
    items = demo_items(assistant)
    assert shoes and {items[card["id"]]["category"] for card in shoes} <= {"sneakers", "boots"}, texts(reply)


@pytest.mark.parametrize(
    ("question", "kinds"),
    [("do you have a matching pair of pants?", {"trousers"}), ("show me a bag that goes with the hoodie", {"bag"})],
)
def test_an_outfit_asked_as_a_search(assistant, question, kinds):
    """ "do you have a matching pair of pants?" after hoodies was a search to NLU: the form asked the trousers'
    colour, and the hoodies' wishes were gone. It is what goes with the card, and the hoodies stay wanted."""
    who, items = sender(), demo_items(assistant)
    assert cards(until_cards(assistant, who, "hoodies for women"))
    reply = assistant.say(who, question)
    outfit = cards(reply)
    assert "To go with" in texts(reply) and outfit, texts(reply)
    assert {items[card["id"]]["category"] for card in outfit} <= kinds
    more = assistant.say(who, "show me more")  # the next hoodies, or "That's everything I have for hoodie · ..."
    assert "hoodie" in texts(more) and all(items[card["id"]]["category"] == "hoodie" for card in cards(more))


def _groups(outfit: list[dict], items: dict[str, dict]) -> list[str | None]:
    return [group_of(items[card["id"]]["category"]) for card in outfit]


@pytest.mark.parametrize(
    ("request_words", "gender", "budget", "together"),
    [
        ("what should I wear to a wedding? I'm a guy, budget 300", "men", 300, "together"),
        ("帮我搭配一套面试穿的衣服，女生，预算250以内", "women", 250, "共"),
    ],
)
def test_a_whole_outfit_for_an_occasion(assistant, request_words, gender, budget, together):
    """ "what should I wear to a wedding?" (an inform to NLU) asked the kind of garment, and "帮我搭配一套面试穿的"
    the kind too: one garment of each kind a look needs, for whom it is, within the budget for them all."""
    who, items = sender(), demo_items(assistant)
    reply = assistant.say(who, request_words)
    outfit = cards(reply)
    groups = _groups(outfit, items)
    assert len(outfit) >= 3 and len(set(groups)) == len(groups) and "shoes" in groups, texts(reply)
    assert {items[card["id"]]["gender"] for card in outfit} <= {gender, "unisex"}
    assert sum(card["price"] for card in outfit) <= budget and together in texts(reply)
    assert "kind of item" not in texts(reply) and "哪一类" not in texts(reply)


def test_a_fit_named_for_someone_says_nothing_of_whom_for(assistant):
    """ "boyfriend jeans" (NLU: gender "boyfriend") searched men's jeans; it is a women's fit."""
    who = sender()
    assistant.say(who, "show me boyfriend jeans in blue")
    assert slot_of(assistant, who, "gender") is None and slot_of(assistant, who, "category") == "jeans"


def test_a_card_asked_for_again_gets_its_details(assistant):
    """ "show me the first one again" (an inform naming a card) was answered "Noted."."""
    who = sender()
    shown = cards(until_cards(assistant, who, "black leather jacket for men under 200"))
    reply = texts(assistant.say(who, "show me the first one again"))
    assert shown and reply.startswith(f"#1 {shown[0]['title']}"), reply


def test_a_whole_outfit_around_a_kind_of_ones_own(assistant):
    """ "what goes with black jeans?" with shirts on screen showed white jeans to go with the first shirt."""
    who, items = sender(), demo_items(assistant)
    assert cards(until_cards(assistant, who, "white shirts for men"))
    outfit = cards(reply := assistant.say(who, "what goes with black jeans?"))
    worn = [items[card["id"]] for card in outfit]
    assert any(i["category"] == "jeans" and i["colours"][0] == "black" for i in worn), texts(reply)
    assert len(set(_groups(outfit, items))) == len(outfit) >= 3


@pytest.mark.parametrize("whom", ['/outfit{"gender":"women"}', "women"])  # a tap on a button, or typed
def test_a_whole_outfit_asks_whom_for_and_another_is_new(assistant, whom):
    """Whom the outfit is for is asked where the catalogue dresses both; "another outfit" shows none of the
    pieces seen; a card of the outfit is chosen by its number."""
    who, items = sender(), demo_items(assistant)
    asked = assistant.say(who, "I need an outfit for a job interview")
    payloads = [b["payload"] for m in asked for b in m.get("buttons", [])]
    assert "Who is the outfit for?" in texts(asked) and '/outfit{"gender":"women"}' in payloads, texts(asked)
    first = cards(assistant.say(who, whom))
    assert first and {items[card["id"]]["gender"] for card in first} <= {"women", "unisex"}
    assert "formal" in {tag for card in first for tag in items[card["id"]]["tags"]}
    again = cards(assistant.say(who, "换一套"))
    assert again and not {card["id"] for card in first} & {card["id"] for card in again}
    chosen = texts(assistant.say(who, "I'll take number 2"))  # in English, after a Chinese message
    assert chosen.startswith("Good choice:") and items[again[1]["id"]]["url"] in chosen, chosen


def test_several_occasions_are_all_wished_for(assistant):
    """ "a dress for the office and for parties": the slot kept the first occasion NLU tagged."""
    who, catalogue = sender(), demo_items(assistant)
    items = cards(until_cards(assistant, who, "a dress for the office and for parties"))
    assert items and {"office", "party"} <= set(catalogue[items[0]["id"]]["tags"]), items[0]["explanation"]


def test_an_occasion_turned_down_is_not_wished_for(assistant):
    """ "not for the office" ranked office wear first, and the intro said "(dress · office · women)"."""
    reply = until_cards(assistant, sender(), "a dress for women, not for the office")
    assert cards(reply) and "office" not in texts(reply).splitlines()[0], texts(reply)


def test_a_colour_turned_down_with_another_garment_does_not_bring_back_the_old_colour(assistant):
    """After blue sweaters, "a dress but not red" searched blue dresses: the sweater's colour was kept as
    the colour wanted instead of the red turned down."""
    who = sender()
    assert cards(until_cards(assistant, who, "a blue sweater"))
    reply = until_cards(assistant, who, "a dress for women but not red")
    intro = next(line for line in texts(reply).splitlines() if line.startswith("Here is what I found"))
    assert "(dress · not red · women" in intro, intro


@pytest.mark.parametrize(
    ("request_words", "skip", "either", "later"),
    [
        ("red or black skirts", "anything", "red or black", "in blue"),
        ("红色或者黑色的半身裙", "随便", "红色或黑色", "蓝色的"),
    ],
)
def test_colours_offered_as_alternatives_are_all_searched(assistant, request_words, skip, either, later):
    """ "green or blue skirts" showed blue skirts only (one colour slot: NLU's last colour); a colour stated
    later stands alone."""
    who = sender()
    reply = until_cards(assistant, who, request_words, skip=skip)
    items = demo_items(assistant)
    shown = [items[card["id"]]["colours"] for card in cards(reply)]
    assert shown and all({"red", "black"} & set(colours) for colours in shown), shown
    assert {"red", "black"} <= {colours[0] for colours in shown}, shown
    assert either in texts(reply).splitlines()[0], texts(reply)
    again = cards(assistant.say(who, later))
    assert again and all("blue" in items[card["id"]]["colours"] for card in again), again


@pytest.mark.parametrize(
    ("request_words", "skip", "either"),
    [("I want shoes", "anything", "sneakers or boots"), ("我想买鞋", "随便", "运动鞋或靴子")],
)
def test_a_word_for_several_kinds_of_garment_searches_them_all(assistant, request_words, skip, either):
    """ "shoes" named no kind of this shop's (it sells sneakers and boots): the form asked what kind of item."""
    reply = until_cards(assistant, sender(), request_words, skip=skip)
    items = demo_items(assistant)
    assert {items[card["id"]]["category"] for card in cards(reply)} == {"sneakers", "boots"}, texts(reply)
    assert either in texts(reply).splitlines()[0], texts(reply)


def test_item_details(assistant):
    who = sender()
    assert cards(until_cards(assistant, who, "white sneakers"))
    assert "Sizes in stock" in texts(assistant.say(who, "tell me more about number 1"))


def test_a_question_about_it_is_about_the_card_asked_about_last(assistant):
    """After "tell me more about number 2", "what is it made of?" told #1's details, and "is it available
    in 43?" answered "pick a number from 1 to 10" (NLU reads 43 as a card's number)."""
    who = sender()
    shown = cards(until_cards(assistant, who, "sneakers for men"))
    assert len(shown) > 1 and texts(assistant.say(who, "tell me more about number 2")).startswith("#2 ")
    assert texts(assistant.say(who, "what is it made of?")).startswith(f"#2 {shown[1]['title']}")
    reply = texts(assistant.say(who, "is it available in 43?"))
    assert reply.startswith(shown[1]["title"]) and "43" in reply.split(".", 1)[1], reply
    assert "pick a number" in texts(assistant.say(who, "tell me about number 14"))  # a card, not a size


def test_a_question_whether_a_card_comes_in_a_size_is_answered_about_that_size(assistant):
    """ "does it come in L?" (NLU: item_details) told the card's details, its sizes somewhere inside."""
    who = sender()
    assert cards(until_cards(assistant, who, "shirts for men"))
    assert texts(assistant.say(who, "tell me about number 1")).startswith("#1 ")
    assert "Your size L is" in texts(assistant.say(who, "does it come in L?"))  # in stock, or sold out


@pytest.mark.parametrize(
    ("request_words", "details", "size_question", "size"),
    [("男士衬衫", "第一件详细介绍一下", "有L码吗", "L码"), ("运动鞋", "第一双详细介绍一下", "我穿42码", "42码")],
)
def test_a_size_alone_after_a_cards_details_asks_about_that_card(
    assistant, request_words, details, size_question, size
):
    """ "有L码吗" after the first card's details (NLU: an inform of size L) searched all shirts in L; "我穿42码"
    was taken for card 42 ("pick a number from 1 to 10")."""
    who = sender()
    shown = cards(until_cards(assistant, who, request_words, skip="随便"))
    assert shown and texts(assistant.say(who, details)).startswith("1号")
    reply = assistant.say(who, size_question)
    assert not cards(reply) and texts(reply).startswith(shown[0]["title"]) and size in texts(reply), reply


@pytest.mark.parametrize("question", ["第二件有L码吗", "2号有L吗"])
def test_a_size_asked_of_a_card_named_is_answered_about_that_card(assistant, question):
    """ "第二件有XL吗" (NLU: an inform of the card number and size XL) searched every shirt in XL; "2号有L吗"
    (NLU: the card's details) listed its sizes without an answer: a bare "L" was read as no size."""
    who = sender()
    shown = cards(until_cards(assistant, who, "男士衬衫", skip="随便"))
    reply = assistant.say(who, question)
    assert not cards(reply) and texts(reply).startswith(shown[1]["title"]) and "L码" in texts(reply), reply


def test_a_card_number_past_a_single_card_is_answered_in_the_singular(assistant):
    """ "I showed 1 items; pick a number from 1 to 1." (the demo has one black skirt)"""
    who = sender()
    assert len(cards(until_cards(assistant, who, "a black skirt"))) == 1
    assert texts(assistant.say(who, "more like #2")) == "I showed one item; it is number 1."


def test_nothing_matches_proposes_a_relaxation(assistant):
    reply = assistant.say(sender(), "a purple dress under 1 dollar")
    assert "nothing in the catalogue matches" in texts(reply)
    assert not cards(reply)


def offered(messages: list[dict]) -> list[str]:
    """The conditions the reply offers to drop, as their buttons' payloads."""
    payloads = [button["payload"] for message in messages for button in message.get("buttons", [])]
    return [payload for payload in payloads if payload.startswith("/relax")]


def until_offer(assistant, who: str, request_words: str) -> list[dict]:
    """The request, the form's questions answered "anything", up to the offer to drop the budget."""
    skip = "随便" if CJK.search(request_words) else "anything"
    offer = until_cards(assistant, who, request_words, skip=skip, done=lambda reply: cards(reply) or offered(reply))
    assert not cards(offer) and offered(offer) == ['/relax{"condition":"budget_max"}'], offer
    return offer


@pytest.mark.parametrize(
    ("request_words", "yes"),
    [("dresses under 5", "yes"), ("5块以下的连衣裙", "好的"), ("dresses under 5", "doesn't matter")],
)
def test_yes_to_the_offer_to_drop_a_condition_drops_it(assistant, request_words, yes):
    """ "Shall I drop it?" answered by typing "yes" (NLU had no such intent: an inform of nothing) searched
    again with every wish and offered the same again; "doesn't matter" (a skip) says the budget may go."""
    who = sender()
    until_offer(assistant, who, request_words)
    shown = cards(assistant.say(who, yes))
    assert shown and all(card["price"] > 5 for card in shown)


@pytest.mark.parametrize(
    ("request_words", "no", "kept"),
    [
        ("dresses under 5", "no", "I'll keep “budget”"),
        ("dresses under 5", "nope", "I'll keep “budget”"),
        ("5块以下的连衣裙", "不用了", "保留“预算”"),
    ],
)
def test_no_to_the_offer_keeps_the_search_as_it_was(assistant, request_words, no, kept):
    """ "no" (a skip to NLU) searched again and offered the same again; "nope" (not_this) and "不用了"
    (nlu_fallback) are read as a no too. The offer ends with the answer: a "yes" after it drops nothing."""
    who = sender()
    until_offer(assistant, who, request_words)
    reply = assistant.say(who, no)
    assert kept in texts(reply) and not cards(reply) and not offered(reply), reply
    assert not cards(assistant.say(who, "好的" if CJK.search(request_words) else "yes"))


def test_a_yes_to_a_later_question_is_no_answer_to_an_old_offer(assistant):
    """An offer left unanswered ("show me shirts" instead) was still taken by a "yes" to the form's next
    question ("Any colour in mind?"), which dropped the old condition and ended the questions."""
    who = sender()
    until_offer(assistant, who, "dresses under 5")
    question = assistant.say(who, "show me shirts")
    assert not cards(question) and question[-1].get("buttons"), question
    reply = assistant.say(who, "yes")
    assert "Tell me which" in texts(reply) and not cards(reply), reply
    assert texts(reply).endswith(question[-1]["text"])  # the question again


def test_yes_with_nothing_offered_gets_a_friendly_prompt(assistant):
    assert "Tell me what you're looking for" in texts(assistant.say(sender(), "yes"))


def test_a_clash_offers_to_drop_the_older_condition_not_the_one_just_said(assistant):
    """Dresses under 40, then "in purple": no purple dress costs so little. Dropping the budget finds 2;
    dropping purple would find 5, but purple is what the shopper has just asked for."""
    who = sender()
    assert cards(until_cards(assistant, who, "a dress for women under 40"))
    reply = assistant.say(who, "in purple")
    assert not cards(reply) and "nothing in the catalogue matches purple" in texts(reply)
    assert [b["title"] for m in reply for b in m.get("buttons", [])] == ["− budget"], reply


def test_show_more_past_the_last_match_says_all_were_shown(assistant):
    """Not 'nothing in the catalogue matches black bags' after four black bags were shown."""
    who = sender()
    assert cards(until_cards(assistant, who, "black bags"))
    for _ in range(10):
        reply = assistant.say(who, "show more")
        if not cards(reply):
            break
    assert "That's everything I have for" in texts(reply), texts(reply)


def test_another_kind_of_garment_starts_afresh_but_keeps_what_is_said_with_it(assistant):
    """A dress budget and colour do not follow the shopper to men's jackets; words said with the new
    request do; who it is for stays."""
    who = sender()
    assert cards(until_cards(assistant, who, "a red dress under 100"))
    jackets = texts(until_cards(assistant, who, "show me jackets"))
    assert "jacket" in jackets and "red" not in jackets and "100" not in jackets, jackets
    shirts = texts(until_cards(assistant, who, "blue shirts under 80"))
    assert "blue" in shirts and "80" in shirts, shirts


def test_photo_turn_describes_and_finds_similar(assistant, demo_photo: Path):
    image_id, reply = send_photo_file(assistant, sender(), demo_photo)
    assert "Your photo looks like" in texts(reply)
    assert cards(reply)
    uploads = UploadStore(redis_client(assistant.settings), ttl_s=60)
    assert uploads.take(image_id) is None, "the photo's bytes are gone once embedded"


FORM_QUESTIONS = ("What kind of item", "For women or for men?", "What's your budget?", "Any colour in mind?")


def send_photo_file(assistant, who: str, photo: Path) -> tuple[str, list[dict]]:
    """As a channel does it: the bytes into Redis, their id in the message metadata."""
    image_id = UploadStore(redis_client(assistant.settings), ttl_s=60).put(photo.read_bytes())
    return image_id, assistant.say(who, "/photo_search", metadata={"image_id": image_id})


def send_demo_photo(assistant, who: str, item: dict) -> list[dict]:
    return send_photo_file(assistant, who, assistant.settings.var_dir / "demo" / item["image"])[1]


def test_a_photo_sent_while_the_form_asks_answers_it_and_asks_no_more(assistant):
    """The photo answers what the questions were gathering; the shopper refines from its cards."""
    who = sender()
    assert any(q in texts(assistant.say(who, "I need a jacket")) for q in FORM_QUESTIONS)
    jacket = next(i for i in demo_items(assistant).values() if i["category"] == "jacket")
    reply = send_demo_photo(assistant, who, jacket)
    assert cards(reply) and not any(q in texts(reply) for q in FORM_QUESTIONS), texts(reply)
    assert cards(assistant.say(who, "cheaper please"))


def test_a_turn_about_shown_items_ends_the_questions(assistant):
    """Refining or asking about what was shown, while a new search's form asks: no question after it."""
    who = sender()
    assert cards(until_cards(assistant, who, "show me shirts"))
    assert any(q in texts(assistant.say(who, "I need a jacket")) for q in FORM_QUESTIONS)
    about = texts(assistant.say(who, "what material is the first one?"))
    assert "Material" in about and not any(q in about for q in FORM_QUESTIONS), about
    assert any(q in texts(assistant.say(who, "now some dresses")) for q in FORM_QUESTIONS)
    cheaper = assistant.say(who, "cheaper")
    assert cards(cheaper) and not any(q in texts(cheaper) for q in FORM_QUESTIONS), texts(cheaper)


def test_starting_over_in_chinese_stays_in_chinese_and_asks_nothing_yet(assistant):
    who = sender()
    assert CJK.search(texts(assistant.say(who, "我想买一条裙子")))
    reply = texts(assistant.say(who, "重新开始"))
    assert "重新开始" in reply and not any(q in reply for q in FORM_QUESTIONS), reply


def test_a_photo_of_another_kind_of_garment_shows_that_kind(assistant):
    """Jackets asked for, then a photo of a dress: the shopper now shows what they want."""
    who = sender()
    assert cards(until_cards(assistant, who, "black jackets under 150"))
    items = demo_items(assistant)
    dress = next(i for i in items.values() if i["category"] == "dress")
    shown = cards(send_demo_photo(assistant, who, dress))
    assert shown and {items[c["id"]]["category"] for c in shown} == {"dress"}, shown


@pytest.mark.parametrize(
    ("words", "said"), [("like this but for a wedding", "for wedding wear"), ("像这样的，婚礼穿", "适合婚礼")]
)
def test_an_occasion_said_with_a_photo_ranks_like_a_typed_one(assistant, words, said):
    """The words with a photo are read for the catalogue's tags too: they were read for filters only."""
    dress = next(i for i in demo_items(assistant).values() if i["category"] == "dress")
    photo = (assistant.settings.var_dir / "demo" / dress["image"]).read_bytes()
    response = assistant.send_photo(sender(), photo, words)
    response.raise_for_status()
    shown = cards(response.json())
    assert shown and said in shown[0]["explanation"], shown[:1]


def test_numbers_after_an_outfit_are_the_outfits_cards(assistant):
    """'What goes with it?' shows trousers and shoes: 'number 2' now means the second of those."""
    who = sender()
    shirts = cards(until_cards(assistant, who, "a white shirt for men"))
    outfit = cards(assistant.say(who, "what goes with number 1?"))
    assert shirts and len(outfit) >= 2
    assert outfit[1]["title"] in texts(assistant.say(who, "I love number 2"))
    items = demo_items(assistant)
    similar = cards(assistant.say(who, "more like number 1"))
    wanted = items[outfit[0]["id"]]["category"]
    assert similar and {items[c["id"]]["category"] for c in similar} == {wanted}, (wanted, similar)


def test_cheaper_after_an_outfit_is_cheaper_than_the_garments_searched_for(assistant):
    """Shirts, then what goes with one (trousers, shoes), then 'cheaper': shirts under the shirts' median."""
    who = sender()
    shirts = cards(until_cards(assistant, who, "shirts for men"))
    assert shirts and cards(assistant.say(who, "what goes with number 1?"))
    reply = assistant.say(who, "cheaper")
    items, budget = demo_items(assistant), round(statistics.median(c["price"] for c in shirts) - 0.01, 2)
    assert {items[c["id"]]["category"] for c in cards(reply)} == {items[shirts[0]["id"]]["category"]}
    assert f"≤ {budget:g}" in texts(reply), (budget, texts(reply))


def test_cheaper_before_any_card_is_cheaper_than_what_the_shopper_would_be_shown(assistant):
    """'cheaper' while the questions run: below the middle price of the women's dresses under 40, not of
    all dresses (their middle, above 40, raised the stated budget)."""
    who = sender()
    assert not cards(assistant.say(who, "dresses for women under 40"))
    reply = assistant.say(who, "cheaper")
    budget = float(re.search(r"≤ ([0-9.]+)", texts(reply)).group(1))
    assert budget < 40 and cards(reply) and all(c["price"] <= budget for c in cards(reply)), texts(reply)


def test_a_budget_is_not_taken_for_a_shoe_size(assistant):
    """NLU also tagged the 60 of "sneakers under 60" as a size, and the reply said there was no size 60."""
    reply = texts(assistant.say(sender(), "sneakers under 60"))
    assert "size" not in reply and any(q in reply for q in FORM_QUESTIONS), reply


def test_asking_about_an_item_before_any_is_shown_keeps_the_questions_going(assistant):
    who = sender()
    assert any(q in texts(assistant.say(who, "I want sneakers")) for q in FORM_QUESTIONS)
    reply = texts(assistant.say(who, "how much is the first one?"))
    assert "haven't shown" in reply and any(q in reply for q in FORM_QUESTIONS), reply


def test_a_wish_after_cards_of_that_kind_refines_without_questions(assistant):
    """A photo's dresses on screen, then 'for women': dresses for women, not 'Any colour in mind?'."""
    who = sender()
    items = demo_items(assistant)
    dress = next(i for i in items.values() if i["category"] == "dress" and i["gender"] == "women")
    assert cards(send_demo_photo(assistant, who, dress))
    reply = assistant.say(who, "for women")
    assert cards(reply) and not any(q in texts(reply) for q in FORM_QUESTIONS), texts(reply)


def test_similar_ones_asked_without_a_photo_are_like_a_card(assistant):
    """ "给我看看类似的" (show me similar ones) after the cards is a photo search to NLU: it was answered "send me a
    photo". And "42码的有吗" (any in 42?) with six cards on screen was "pick a number from 1 to 6"."""
    who, items = sender(), demo_items(assistant)
    shown = cards(until_cards(assistant, who, "我想买双运动鞋", skip="随便"))
    similar = cards(assistant.say(who, "给我看看类似的"))
    assert similar and shown[0]["id"] not in {card["id"] for card in similar}
    assert all(items[card["id"]]["category"] == "sneakers" for card in similar)
    in_42 = cards(assistant.say(who, "42码的有吗"))
    assert in_42 and all("42" in card["sizes"] for card in in_42)


def test_asking_about_photos_without_one_explains_how(assistant):
    """Words read as a photo search with no photo ("can I send a picture?") are not an expired upload."""
    reply = texts(assistant.say(sender(), "/photo_search"))
    assert "Send me a photo" in reply and "again" not in reply, reply


def test_an_order_or_return_question_goes_to_a_colleague(assistant):
    assert "colleague" in texts(assistant.say(sender(), "can I return this?"))


def test_a_negative_budget_is_refused_and_asked_again(assistant):
    who = sender()
    assistant.say(who, "I want a jacket")
    reply = texts(assistant.say(who, "budget -5"))
    assert "doesn't look right (-5)" in reply and "Noted" not in reply, reply
    assert reply.count("?") == 1, reply  # asked once, by the form


def test_expired_photo_gets_a_friendly_reply(assistant):
    reply = assistant.say(sender(), "/photo_search", metadata={"image_id": "0" * 32})
    assert "send it again" in texts(reply)


def test_a_wish_the_form_does_not_ask_about_is_kept_and_the_form_goes_on(assistant):
    who = sender()
    question = texts(assistant.say(who, "I want trousers for men"))
    assert any(q in question for q in FORM_QUESTIONS), question
    reply = texts(assistant.say(who, "size M"))
    assert "Noted: size M." in reply and any(q in reply for q in FORM_QUESTIONS), reply
    shown = until_cards(assistant, who, "anything")
    assert cards(shown) and all("M" in card["sizes"] for card in cards(shown)), texts(shown)


@pytest.mark.parametrize(
    ("request_words", "wishes", "said"),
    [
        ("I need a dress for a wedding", ["women", "under 120"], ["Noted: women.", "Noted: ≤ 120."]),
        ("我想买一条婚礼穿的裙子", ["女士", "200以内"], ["好的，记下了：女士。", "好的，记下了：≤ 200。"]),
    ],
)
def test_a_wish_the_form_asks_about_said_out_of_turn_is_acknowledged(assistant, request_words, wishes, said):
    """'women' while the colour is asked is taken and the colour asked again: without a word on it, the
    same question read as if the answer had been ignored."""
    who = sender()
    question = texts(assistant.say(who, request_words))
    for wish, note in zip(wishes, said, strict=True):
        reply = texts(assistant.say(who, wish))
        assert reply.startswith(note) and reply.endswith(question), (reply, question)


@pytest.mark.parametrize(
    ("request_words", "answer", "note"),
    [
        ("I need a jacket", "oversized", "Noted: oversized."),
        ("I need a jacket", "linen", "Noted: linen."),
        ("我想要一件外套", "廓形", "好的，记下了：廓形。"),
        ("I need a jacket", "qwzx", "Sorry, I didn't get that."),  # NLU: an inform, of nothing
    ],
)
def test_a_bare_fit_or_material_answer_while_the_form_asks_is_noted(assistant, request_words, answer, note):
    """A catalogue's fit or material said on its own while the form asks: "oversized" got "Sorry, I
    didn't get that" and no question, "linen" the small-talk answer, "qwzx" a "Noted."."""
    who = sender()
    question = texts(assistant.say(who, request_words))
    reply = texts(assistant.say(who, answer))
    assert reply.startswith(note) and reply.endswith(question), (reply, question)


def test_a_bare_fit_after_cards_ranks_the_items_with_that_fit_first(assistant):
    who = sender()
    assert cards(until_cards(assistant, who, "hoodies for men"))
    shown = cards(assistant.say(who, "oversized"))
    assert shown and "oversized" in demo_items(assistant)[shown[0]["id"]]["tags"], shown[:1]


def test_an_intro_does_not_claim_a_wish_that_no_card_carries(assistant):
    """No demo dress is oversized: the intro said "dress · oversized · women" above dresses of all fits."""
    who = sender()
    assert cards(until_cards(assistant, who, "dresses for women"))
    intro = texts(assistant.say(who, "oversized")).splitlines()[0]
    assert "(dress · women; no oversized ones)" in intro, intro
    who = sender()  # the shopper's own words for the fit ("宽松的": relaxed) are not named either
    assert cards(until_cards(assistant, who, "女士连衣裙", skip="随便"))
    intro = texts(assistant.say(who, "宽松的")).splitlines()[0]
    assert "(连衣裙 · 女士; 没有宽松的)" in intro, intro


def test_an_intro_says_when_the_colour_asked_for_is_only_a_second_colour(assistant):
    """The only blue men's jacket under 139 was a beige one with a blue lining, under "(blue · jacket · men
    · ≤ 139)"; the card said "with blue", the intro a colour none of the cards is."""
    items = [item for item in demo_items(assistant).values() if item["gender"] in ("men", "women")]
    main = {(i["category"], i["gender"], i["colours"][0]) for i in items}
    second_only = sorted({(i["category"], i["gender"], colour) for i in items for colour in i["colours"][1:]} - main)
    assert second_only
    category, gender, colour = second_only[0]
    reply = until_cards(assistant, sender(), f"{colour} {category} for {gender}")
    assert cards(reply), (category, gender, colour, reply)
    intro = next(line for line in texts(reply).splitlines() if line.startswith("Here is what I found"))
    assert f"{colour} only as a second colour)" in intro and f"({colour}" not in intro, intro


@pytest.mark.parametrize(
    ("request_words", "question", "skip"),
    [
        ("jeans for men", "compare 1 and 2", "anything"),
        ("jeans for men", "what's the difference between 1 and 2?", "anything"),
        ("男士牛仔裤", "1号和2号有什么区别", "随便"),
    ],
)
def test_comparing_two_cards_sets_them_side_by_side(assistant, request_words, question, skip):
    """ "compare 1 and 2" told #1's details only; "the difference between 1 and 2" was a budget of 1 to 2."""
    who = sender()
    shown = cards(until_cards(assistant, who, request_words, skip=skip))
    assert len(shown) > 1
    reply = texts(assistant.say(who, question))
    lines = reply.splitlines()
    assert shown[0]["title"] in lines[0] and shown[1]["title"] in lines[1], reply
    if shown[0]["price"] != shown[1]["price"]:
        assert ("least expensive" in lines[2]) or ("最便宜" in lines[2]), reply


@pytest.mark.parametrize(
    ("request_words", "about", "question", "skip"),
    [
        ("jeans for men", "tell me about number 2", "compare it with the first one", "anything"),
        ("男士牛仔裤", "第二个怎么样", "和第一个比较一下", "随便"),
    ],
)
def test_one_card_compared_is_compared_with_the_card_asked_about(assistant, request_words, about, question, skip):
    """ "和第一个比较一下" after #2's details told #1's details alone ("第二个怎么样" was a 'not this one')."""
    who = sender()
    shown = cards(until_cards(assistant, who, request_words, skip=skip))
    assert len(shown) > 1 and shown[1]["title"] in texts(assistant.say(who, about))
    lines = texts(assistant.say(who, question)).splitlines()
    assert shown[1]["title"] in lines[0] and shown[0]["title"] in lines[1], lines


@pytest.mark.parametrize(
    ("request_words", "like", "ask", "none_said"),
    [
        ("jeans for men", "I like number 2", "what did I like?", "You haven't liked anything yet"),
        ("男士牛仔裤", "我喜欢2号", "我喜欢过哪些", "你还没有喜欢的商品"),
    ],
)
def test_what_the_shopper_liked_is_shown_as_cards(assistant, request_words, like, ask, none_said):
    """'What did I like?' was read as a like of card 1 (a like the shopper never gave); now it lists what
    was liked, latest first, as the cards on screen; before any like it says how to like one."""
    who = sender()
    assert none_said in texts(assistant.say(who, ask))
    shown = cards(until_cards(assistant, who, request_words, skip="随便" if CJK.search(request_words) else "anything"))
    assert len(shown) >= 3
    assistant.say(who, like)
    assistant.say(who, "我喜欢3号" if CJK.search(like) else "I like number 3")
    liked = cards(assistant.say(who, ask))
    assert [card["id"] for card in liked] == [shown[2]["id"], shown[1]["id"]], liked
    assert shown[2]["title"] in texts(assistant.say(who, "我喜欢1号" if CJK.search(like) else "I like number 1"))


def test_asking_what_was_liked_while_the_form_asks_keeps_the_question(assistant):
    who = sender()
    question = texts(assistant.say(who, "I need a dress"))
    reply = texts(assistant.say(who, "what did I like?"))
    assert reply.startswith("You haven't liked anything yet") and reply.endswith(question), reply


@pytest.mark.parametrize("words", ["no limit", "money is no object", "没有上限"])
def test_no_limit_answers_the_budget_question(assistant, words):
    """'No limit' was read as 'not this one' and the budget asked again, turn after turn."""
    who = sender()
    assistant.say(who, "a dress for women")
    assert "budget" in texts(assistant.say(who, "any")).lower()
    assert cards(assistant.say(who, words))


def test_now_and_another_garment_is_a_new_request_not_a_goodbye(assistant):
    """The word "now" came only in goodbyes ("bye for now", "I have to go now"): "now a dress" said bye."""
    who = sender()
    assert cards(until_cards(assistant, who, "black jeans for men"))
    reply = texts(assistant.say(who, "ok now a skirt"))
    assert "Bye" not in reply and reply, reply
    assert "Bye" in texts(assistant.say(who, "I have to go now, bye"))


@pytest.mark.parametrize(("text", "said"), [("a striped linen shirt", "linen"), ("想要亚麻的条纹衬衫", "亚麻")])
def test_a_material_wish_ranks_that_material_first(assistant, text, said):
    """Material is a soft wish (nothing is filtered out) that ranks like a tag: the items made of it come
    before any other, and their cards name it ("a linen shirt" showed silk and cotton shirts among them)."""
    reply = until_cards(assistant, sender(), text, skip="随便" if CJK.search(text) else "anything")
    shown = cards(reply)
    made_of = [demo_items(assistant)[card["id"]]["material"] == "linen" for card in shown]
    assert made_of and made_of[0] and made_of == sorted(made_of, reverse=True), made_of
    assert said in shown[0]["explanation"], shown[0]
    assert ("亚麻" if CJK.search(text) else "linen") in texts(reply).splitlines()[0]  # the intro names it


@pytest.mark.parametrize(
    ("text", "said", "named"),
    [
        ("a dress for a wedding", "for wedding wear", "wedding"),
        ("想要婚礼穿的连衣裙", "适合婚礼", "婚礼"),
        ("an oversized hoodie", "oversized fit", "oversized"),
    ],
)
def test_an_occasion_or_fit_ranks_the_items_tagged_with_it_first_and_says_so(assistant, text, said, named):
    """Occasions and fits are soft wishes like material, but the catalogue's tags carry them: the first
    cards are tagged with what was asked for, named on each card and in the intro."""
    reply = until_cards(assistant, sender(), text, skip="随便" if CJK.search(text) else "anything")
    shown = cards(reply)
    assert shown and said in shown[0]["explanation"], shown[:1]
    assert named in texts(reply).splitlines()[0]


def test_a_misspelt_kind_of_garment_is_read_as_the_nearest_one(assistant):
    """ "jeens for men" answered "nothing in the catalogue matches jeens · men"."""
    shown = cards(until_cards(assistant, sender(), "jeens for men"))
    items = demo_items(assistant)
    assert shown and {items[card["id"]]["category"] for card in shown} == {"jeans"}, shown[:1]


@pytest.mark.parametrize("text", ["black sneakers size 42 under 80", "42码的黑色运动鞋，80以内"])
def test_a_size_stated_with_a_budget_is_not_lost(assistant, text):
    """NLU read the 42 of "size 42 under 80" as a budget and no size: sneakers without a 42 were shown."""
    shown = cards(until_cards(assistant, sender(), text, skip="随便" if CJK.search(text) else "anything"))
    said = "42码有货" if CJK.search(text) else "size 42 in stock"
    assert shown and all(said in card["explanation"] and card["price"] <= 80 for card in shown), shown


def test_an_unknown_size_is_answered_with_the_sizes_of_the_garment_asked_for(assistant):
    reply = texts(assistant.say(sender(), "I want trousers in size XXXL"))
    assert "XXXL" in reply and "XL" in reply.replace("XXXL", "") and "36" not in reply, reply
    # the sizes nearest the one asked for, not the six smallest
    reply = texts(assistant.say(sender(), "sneakers in size 49"))
    assert "“49”" in reply and "46" in reply and "36" not in reply, reply


@pytest.mark.parametrize("text", ["😀😀😀", "<script>alert(1)</script>", "x" * 10000, "a budget of -5", "size banana"])
def test_odd_messages_get_an_answer(assistant, text):
    assert texts(assistant.say(sender(), text)).strip()


def test_empty_message_is_a_clear_error(assistant):
    response = httpx.post(f"{assistant.base_url}/webhook", json={"sender": "x", "message": "  "}, timeout=30)
    assert response.status_code == 400 and "message" in response.json()["error"]


@pytest.fixture
def demo_photo(assistant) -> Path:
    return next((assistant.settings.var_dir / "demo" / "images").glob("*.jpg"))


@pytest.mark.parametrize(
    ("first", "then", "brands"),
    [
        ("Northwind jackets", "and from halden?", ("Northwind", "Halden")),
        ("Northwind的大衣", "Pinecrest的呢", ("Northwind", "Pinecrest")),
    ],
)
def test_a_brand_the_shopper_names_is_what_they_are_shown(assistant, first, then, brands):
    """The catalogue's brands are read from the words (NLU has no entity for them), filter the search and
    lead the cards' titles; another brand named for the same garment replaces the first."""
    who, items = sender(), demo_items(assistant)
    for words, brand in zip((first, then), brands, strict=True):
        shown = cards(until_cards(assistant, who, words, skip="anything" if CJK.search(first) is None else "随便"))
        assert shown and {items[c["id"]]["brand"] for c in shown} == {brand}, (words, shown)
        assert all(c["brand"] == brand and c["title"].startswith(brand) for c in shown)


def test_asking_for_a_brand_with_cards_on_screen_shows_its_garments_of_that_kind(assistant):
    """'do you have Kinfolk ones?' was read as a question about card 1."""
    who, items = sender(), demo_items(assistant)
    assert cards(until_cards(assistant, who, "dresses for women"))
    shown = cards(assistant.say(who, "do you have Kinfolk ones?"))
    assert shown and {(items[c["id"]]["brand"], items[c["id"]]["category"]) for c in shown} == {("Kinfolk", "dress")}


def test_a_brand_that_makes_no_such_garment_is_offered_to_be_dropped(assistant):
    """Pinecrest makes no jeans in the demo: the reply says so and offers the jeans of other brands."""
    who = sender()
    reply = assistant.say(who, "Pinecrest jeans")
    assert not cards(reply) and "nothing in the catalogue matches Pinecrest · jeans" in texts(reply), texts(reply)
    assert [b["payload"] for m in reply for b in m.get("buttons", [])] == ['/relax{"condition":"brand"}'], reply
    relaxed = cards(assistant.say(who, '/relax{"condition":"brand"}'))
    assert relaxed and {demo_items(assistant)[c["id"]]["category"] for c in relaxed} == {"jeans"}


def buttons(messages: list[dict]) -> list[dict]:
    return [b for m in messages for b in m.get("buttons", [])]


def test_asking_which_brands_there_are_lists_them_and_a_button_shows_one(assistant):
    """'Which brands do you have?' names the demo's brands with counts; a brand's button shows its items."""
    who, items = sender(), demo_items(assistant)
    reply = assistant.say(who, "which brands do you have?")
    brands = {item["brand"] for item in items.values()}
    assert f"We have {len(brands)} brands:" in texts(reply) and all(b in texts(reply) for b in brands), reply
    first = buttons(reply)[0]
    shown = until_cards(assistant, who, first["payload"])
    assert cards(shown) and {items[c["id"]]["brand"] for c in cards(shown)} == {first["title"]}, texts(shown)


def test_asking_about_colours_while_the_form_asks_answers_and_asks_again(assistant):
    """The form ignores a question about the range: the colours of the garment asked about (here another
    kind than the one requested), then the form's open question again, and the request stands."""
    who, items = sender(), demo_items(assistant)
    assert any(q in texts(assistant.say(who, "I want jeans for men")) for q in FORM_QUESTIONS)
    reply = texts(assistant.say(who, "what colours do the hoodies come in?"))
    colours = {
        c
        for item in items.values()
        if item["category"] == "hoodie" and item["gender"] in ("men", "unisex")
        for c in item["colours"]
    }
    assert f"For hoodie · men we have {len(colours)} colours:" in reply and all(c in reply for c in colours), reply
    assert any(q in reply for q in FORM_QUESTIONS), reply
    shown = cards(until_cards(assistant, who, "black"))
    assert shown and all(items[c["id"]]["category"] == "jeans" for c in shown), texts(shown)
    assert all(items[c["id"]]["gender"] in ("men", "unisex") for c in shown)


def test_a_range_question_in_chinese_is_answered_in_chinese(assistant):
    reply = texts(assistant.say(sender(), "牛仔裤有哪些品牌"))
    assert "牛仔裤有" in reply and "个品牌：" in reply and "Pinecrest" not in reply, reply


def test_asking_what_a_garment_costs_gives_its_price_span_and_budgets_to_pick(assistant):
    who, items = sender(), demo_items(assistant)
    prices = [item["price"] for item in items.values() if item["category"] == "jeans"]
    reply = assistant.say(who, "how much do your jeans cost?")
    assert f"For jeans prices run from {min(prices):.2f} USD to {max(prices):.2f} USD" in texts(reply), reply
    cheaper_half = buttons(reply)[-1]
    cap = int(cheaper_half["title"].removeprefix("Under "))
    shown = until_cards(assistant, who, cheaper_half["payload"])
    assert cards(shown) and all(items[c["id"]]["price"] <= cap for c in cards(shown)), texts(shown)
    assert all(items[c["id"]]["category"] == "jeans" for c in cards(shown))


def entity_of(payload: str) -> tuple[str, str]:
    """'/inform{"colour":"red"}' -> ('colour', 'red')."""
    return next(iter(json.loads(payload[payload.index("{") :]).items()))


def test_the_forms_buttons_offer_what_the_catalogue_has_for_the_wishes_so_far(assistant):
    """Pinecrest's kinds of garment, then the colours of its garments of the kind pressed, ...: each
    button leads to items (prices: a level above the cheapest); the last one leaves the question open."""
    who, items = sender(), demo_items(assistant)
    wanted = [i for i in items.values() if i["brand"] == "Pinecrest"]
    reply = assistant.say(who, '/inform{"brand":"Pinecrest"}')  # the brands' answer's button
    for _ in range(4):
        if cards(reply):
            break
        *offered, anything = buttons(reply)
        assert anything["payload"] == "/skip" and offered, buttons(reply)
        for name, value in map(entity_of, (b["payload"] for b in offered)):
            if name == "budget":
                assert min(i["price"] for i in wanted) < float(value.split()[-1]), value
            elif name != "gender":
                field = {"category": "category", "colour": "colours"}[name]
                assert any(value == i[field] or value in i[field] for i in wanted), (name, value)
        name, value = entity_of(offered[0]["payload"])
        if name in ("category", "colour"):
            wanted = [i for i in wanted if value == i["category"] or value in i["colours"]]
        reply = assistant.say(who, offered[0]["payload"])
    assert cards(reply) and all(items[c["id"]]["brand"] == "Pinecrest" for c in cards(reply)), texts(reply)
