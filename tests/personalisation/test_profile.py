"""How a profile learns: likes, dislikes, choices and purchases, on real demo catalogue items."""

from __future__ import annotations

from datetime import date

from shopguide.personalisation.profile import Profile, Purchase


def test_like_learns_every_attribute_once_and_a_dislike_takes_it_back(demo_items):
    item = demo_items["demo-0050"]  # a blue and pink floral blouse for women
    profile = Profile(shopper="ann")
    profile.like(item)
    profile.like(item)
    assert profile.liked == ["demo-0050"]
    assert profile.preferences["pattern"] == {"floral": 1.0}
    assert profile.preferences["colour"] == {"blue": 1.0, "pink": 1.0}
    assert profile.preferences["category"] == {"blouse": 1.0} and profile.preferences["gender"] == {"women": 1.0}
    profile.dislike(item)
    assert profile.liked == [] and profile.disliked == ["demo-0050"]
    assert profile.preferences["pattern"] == {"floral": -1.0}


def test_choice_is_a_softer_signal(demo_items):
    profile = Profile(shopper="ann")
    profile.choose(demo_items["demo-0050"])
    assert profile.preferences["pattern"]["floral"] == 0.5 and not profile.liked


def test_purchases_count_once_and_the_latest_size_per_category_wins(demo_items):
    profile = Profile(shopper="ann")
    shirt = next(i for i in demo_items.values() if i.category == "shirt")
    assert profile.buy(Purchase(item_id=shirt.id, date=date(2024, 5, 1), size="L"), shirt)
    assert not profile.buy(Purchase(item_id=shirt.id, date=date(2024, 5, 1), size="L"), shirt)
    assert profile.buy(Purchase(item_id="old", date=date(2023, 1, 1), size="S", category="shirt"), None)
    assert profile.size_for("shirt") == "L" and profile.size_for("jeans") is None
    assert profile.preferences["category"] == {"shirt": 2.0}
    assert [p.item_id for p in profile.purchases] == ["old", shirt.id]


def test_price_range_needs_two_prices(demo_items):
    priced = [i for i in demo_items.values() if i.price is not None][:2]
    profile = Profile(shopper="ann")
    profile.like(priced[0])
    assert profile.price_range() is None
    profile.like(priced[1])
    assert profile.price_range() == (min(i.price for i in priced), max(i.price for i in priced))
