"""Every reason on a card is true of its item and of the scores that ranked it: real searches on the
demo catalogue, plain and personalised, in English."""

from __future__ import annotations

import re

import pytest

from shopguide.catalogue.schema import CatalogueItem
from shopguide.personalisation.profile import Profile
from shopguide.personalisation.rerank import PersonalWeights, personalise_from_store
from shopguide.replies.product_cards import _LIKE_PICKED, _MATCH_WORDS, cards_reply, explanation
from shopguide.search.ranking import RankedItem
from shopguide.search.service import SearchRequest, SearchService
from shopguide.store.filters import Constraints

SIMILARITY = re.compile(r"^(matches your words|looks like your photo|fits your description) \((\d+)%\)$")
LOOK = re.compile(r"^(.+) (?:as in your photo|like the one you picked)$")
TAG = re.compile(r"^for (\w+) wear$|^([\w-]+) fit$")
SPACES = {"matches your words": "text", "looks like your photo": "image", "fits your description": "joint"}


def check_reason(reason: str, ranked: RankedItem, constraints: Constraints, tags: list[str] | None = None) -> None:
    item = ranked.item
    if tag := TAG.match(reason):  # an occasion or style asked for that the item is tagged with
        named = tag.group(1) or tag.group(2)
        assert named in item.tags and named in (tags or []), (reason, item.tags)
    elif similarity := SIMILARITY.match(reason):
        space = SPACES[similarity.group(1)]
        assert abs(ranked.scores[space] * 100 - int(similarity.group(2))) <= 0.5 + 1e-9, reason
    elif reason.startswith("under "):
        assert item.price is not None and item.price <= float(reason.removeprefix("under "))
    elif reason.startswith("size ") and reason.endswith(" in stock"):
        assert reason.split()[1] in item.sizes_in_stock
    elif reason.startswith("for "):
        assert item.gender == reason.removeprefix("for ")
    elif reason.startswith("you liked "):
        liked = reason.removeprefix("you liked ")
        lifted = [key for key, value in ranked.scores.items() if key.startswith("profile.") and value > 0]
        assert any(key.split(":")[-1] in liked or key == "profile.look" for key in lifted), (reason, lifted)
        values = (*item.colours, item.category, item.pattern, item.gender, item.brand)
        assert any(value in liked for value in values if value)
    elif reason.startswith("with "):  # a wanted colour that is not the item's main one
        assert reason.removeprefix("with ") in item.colours[1:] and reason.removeprefix("with ") in constraints.colours
    elif look := LOOK.match(reason):  # the colour and pattern of the photo or picked item, ranked as words
        assert set(look.group(1).split()) <= {*item.colours[:1], item.pattern}, (reason, item)
    elif reason == "looks like what you liked":
        assert ranked.scores.get("profile.look", 0) > 0
    else:
        named = (*item.colours[:1], item.category, item.pattern, constraints.brand and item.brand)
        assert reason in named, f"unexplained reason {reason!r} for {item}"


@pytest.fixture
def search(ingester, demo_catalogue, store, encoder, settings) -> SearchService:
    ingester.ingest(demo_catalogue)
    return SearchService(store, encoder, settings)


@pytest.mark.parametrize(
    "query", ["red dress under 80", "men's jacket size M", "striped shirt", "blue jeans", "Northwind hats"]
)
def test_each_reason_is_true(search, query):
    result = search.search(SearchRequest(text=query))
    assert result.items
    for ranked in result.items:
        for reason in explanation(ranked, result.constraints).split(" · "):
            check_reason(reason, ranked, result.constraints)


def test_personal_reasons_name_only_what_lifted_the_item(search):
    first = search.search(SearchRequest(text="dress", k=30))
    liked = [r.item for r in first.items if r.item.pattern][:2]
    profile = Profile(shopper="explain-1")
    for item in liked:
        profile.like(item)
    pool = search.search(SearchRequest(text="dress", k=60))
    ranked = personalise_from_store(pool.items, profile, search.store, "image", PersonalWeights(), k=10)
    reasons = [explanation(r, pool.constraints).split(" · ") for r in ranked]
    assert any(reason.startswith("you liked") for item_reasons in reasons for reason in item_reasons)
    for item_reasons, item in zip(reasons, ranked, strict=True):
        for reason in item_reasons:
            check_reason(reason, item, pool.constraints)


@pytest.mark.parametrize(("language", "main", "other"), [("en", "red", "with red"), ("zh", "红色", "带红色")])
def test_a_wanted_colour_that_is_not_the_main_one_says_so(language, main, other):
    """A khaki dress with red stripes, for "a red dress": "with red", not "red"."""
    red = Constraints(colours=["red"])
    for colours, said in ((["red", "white"], main), (["khaki", "red"], other)):
        item = CatalogueItem(id="d", title="Striped Linen Dress", colours=colours)
        assert explanation(RankedItem(item, 1.0), red, language) == said


@pytest.mark.parametrize("language", sorted(_MATCH_WORDS))
def test_each_space_has_its_own_words(language):
    """A card saying "符合你的描述 (73%) · 符合你的描述 (91%)" leaves the shopper guessing which is which."""
    words = _MATCH_WORDS[language]
    assert len(set(words.values())) == len(words), words
    assert _LIKE_PICKED[language] not in words.values()


def test_a_photos_colour_and_pattern_rank_as_words_without_filtering(search):
    """What a shopper's photo showed ("black dotted") counts in the ranking and is named on the cards it
    lifted, but other colours stay in the results: the shopper may want another colour."""
    dresses = Constraints(categories=["dress"])
    wishes = {"colour": "black", "pattern": "dotted"}
    result = search.search(SearchRequest(text="dress", soft_words="black dotted", constraints=dresses, k=20))
    colours = [r.item.colours[0] for r in result.items]
    assert colours[0] == "black" and set(colours) != {"black"}
    reasons = [explanation(r, result.constraints, look_wishes=wishes).split(" · ") for r in result.items]
    assert "as in your photo" in reasons[0][0]
    for item_reasons, ranked in zip(reasons, result.items, strict=True):
        for reason in item_reasons:
            check_reason(reason, ranked, result.constraints)


@pytest.mark.parametrize(
    ("language", "picked", "said"),
    [
        ("en", False, "black dotted as in your photo"),
        ("zh", False, "和照片一样黑色波点"),
        ("en", True, "black dotted like the one you picked"),
        ("zh", True, "和你选的那件一样黑色波点"),
    ],
)
def test_the_looks_source_is_named_in_the_shoppers_language(language, picked, said):
    item = CatalogueItem(id="d", title="Dotted Chiffon Dress", colours=["black"], pattern="dotted")
    wishes = {"colour": "black", "pattern": "dotted"}
    assert explanation(RankedItem(item, 1.0), Constraints(), language, picked, wishes) == said


@pytest.mark.parametrize(
    ("query", "category", "tag", "language", "said"),
    [
        ("a dress for a wedding", "dress", "wedding", "en", "for wedding wear"),
        ("参加婚礼穿的连衣裙", "dress", "wedding", "zh", "适合婚礼"),
        ("an oversized hoodie", "hoodie", "oversized", "en", "oversized fit"),
        ("廓形卫衣", "hoodie", "oversized", "zh", "廓形版型"),
    ],
)
def test_an_occasion_or_fit_asked_for_ranks_the_items_tagged_with_it_first(
    search, query, category, tag, language, said
):
    """ "For a wedding": the dresses the catalogue tags for weddings come first, and their cards say so. Before,
    the occasion was only embedded with the words, which read the titles alone: the first dress was a beach one
    (and the first "oversized" hoodie a regular-fit one)."""
    result = search.search(SearchRequest(text=query))
    assert result.tags == [tag]
    garments = search.store.filtered_metadata(Constraints(categories=[category]), 1000)
    tagged = sum(tag in (m.get("tags") or []) for m in garments)
    assert 0 < tagged < len(garments)  # the tag ranks among them, it does not filter them
    first = result.items[: min(tagged, len(result.items))]
    assert all(tag in r.item.tags for r in first)
    reasons = explanation(first[0], result.constraints, language, tags=result.tags).split(" · ")
    assert said in reasons
    if language == "en":
        for ranked in result.items:
            for reason in explanation(ranked, result.constraints, tags=result.tags).split(" · "):
                check_reason(reason, ranked, result.constraints, result.tags)


def test_a_card_shows_the_brand_with_the_title_in_the_text_and_the_payload():
    item = CatalogueItem(id="tee", title="Basic Tee", brand="Acme", price=19.0, localized_titles={"zh": "基础T恤"})
    for language, shown in (("en", "Acme Basic Tee"), ("zh", "Acme 基础T恤")):
        reply = cards_reply("Here:", [RankedItem(item, 1.0)], Constraints(), "/img/", language)
        card = reply.payload["items"][0]
        assert card["title"] == shown and card["brand"] == "Acme"
        assert reply.text.splitlines()[1] == f"1. {shown} 19.00 USD"
