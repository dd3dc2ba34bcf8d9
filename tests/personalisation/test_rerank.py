"""Personalised ranking on the demo catalogue's real vectors (ingested into Chroma, as the assistant does)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shopguide.catalogue.ingest import CatalogueIngester, IngestOptions
from shopguide.catalogue.schema import CatalogueItem
from shopguide.personalisation.profile import Profile
from shopguide.personalisation.reasons import profile_reasons, similarity_scores
from shopguide.personalisation.rerank import PersonalWeights, diversify, personalise, personalise_from_store
from shopguide.replies.product_cards import explanation
from shopguide.search.ranking import RankedItem, rank
from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.filters import Constraints
from shopguide.store.garment_store import GarmentStore

WEIGHTS = PersonalWeights()
TOPS = {"blouse", "t-shirt", "shirt", "skirt", "dress", "scarf"}  # where the demo's floral prints are


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory, encoder, demo_catalogue: Path, demo_items) -> GarmentStore:
    """The demo's tops, skirts, dresses and scarves (about 50, florals among them) ingested into Chroma."""
    folder = tmp_path_factory.mktemp("tops")
    subset = folder / "tops.jsonl"
    subset.write_text("".join(i.model_dump_json() + "\n" for i in demo_items.values() if i.category in TOPS))
    settings = Settings(var_dir=folder / "var", chroma_url=None, ingest_batch_size=32)
    store = GarmentStore(make_chroma_client(settings), settings.collection_prefix, encoder.spaces, encoder.name)
    options = IngestOptions(images_dir=demo_catalogue.parent, show_progress=False)
    CatalogueIngester(store, encoder, settings).ingest(subset, options)
    return store


@pytest.fixture(scope="module")
def candidates(demo_store: GarmentStore, encoder) -> list[RankedItem]:
    """What the search ranks for a vague request: every stored item by text similarity."""
    query = encoder.query_vectors("something nice to wear", None)["text"]
    similarities = demo_store.query("text", query, None, demo_store.count())
    return rank(demo_store.fetch(list(similarities)), {"text": similarities}, {"text": 1.0}, len(similarities))


def floral_count(items: list[RankedItem]) -> int:
    return sum(r.item.pattern == "floral" for r in items)


def test_a_liked_floral_item_pulls_florals_up_and_says_why(demo_store, candidates, demo_items):
    before = personalise_from_store(candidates, Profile(shopper="s"), demo_store, "image", WEIGHTS, 10)
    profile = Profile(shopper="s")
    profile.like(demo_items["demo-0050"])  # a floral blouse
    after = personalise_from_store(candidates, profile, demo_store, "image", WEIGHTS, 10)
    print("florals in the top 10 before/after one like:", floral_count(before), floral_count(after))
    assert floral_count(after) >= floral_count(before) + 3
    lifted = next(r for r in after if r.item.pattern == "floral" and r.item.id != "demo-0050")
    assert lifted.scores["profile.pattern:floral"] > 0 and lifted.scores["affinity"] > 0
    parts = ("relevance", "affinity", "availability")
    assert lifted.score == pytest.approx(sum(lifted.scores[p] for p in parts))
    assert "you liked floral prints" in profile_reasons(lifted, "en", limit=5)
    assert "你喜欢碎花图案" in profile_reasons(lifted, "zh", limit=5)
    assert set(similarity_scores(lifted)) == {"text"}
    card_text = explanation(lifted, Constraints(), "en")
    assert "you liked" in card_text and "profile." not in card_text and "affinity" not in card_text


def test_a_disliked_item_never_comes_back(demo_store, candidates, demo_items):
    profile = Profile(shopper="s")
    top = personalise_from_store(candidates, profile, demo_store, "image", WEIGHTS, 10)[0].item
    profile.dislike(top)
    shown = personalise_from_store(candidates, profile, demo_store, "image", WEIGHTS, len(candidates))
    assert top.id not in {r.item.id for r in shown} and len(shown) == len(candidates) - 1
    below = [r for r in shown if r.item.category == top.category]
    assert all(r.scores.get("profile.category:" + top.category, 0) < 0 for r in below)


def sold_out(item: CatalogueItem, size: str) -> CatalogueItem:
    sizes = [s.model_copy(update={"stock": 0}) if s.size == size else s for s in item.sizes]
    return item.model_copy(update={"id": item.id + "-sold-out", "sizes": sizes})


def test_the_shoppers_size_in_stock_comes_first(candidates):
    profile = Profile(shopper="s")
    profile.set_size("M")
    with_m = [r.item for r in candidates if "M" in r.item.sizes_in_stock][:6]
    level = [RankedItem(item, 0.5, {"text": 0.5}) for item in [sold_out(i, "M") for i in with_m] + with_m]
    ranked = personalise(level, profile, {}, PersonalWeights(mmr_lambda=1.0), len(level))
    assert ["M" in r.item.sizes_in_stock for r in ranked] == [True] * 6 + [False] * 6
    assert ranked[0].scores["profile.size:M"] == pytest.approx(WEIGHTS.availability)
    assert profile_reasons(ranked[0], "zh") == ["你的M码有货"]
    assert profile_reasons(ranked[0], "en", size=False) == []


def test_what_was_asked_for_stays_ahead_of_what_the_profile_learned(demo_store, candidates, demo_items):
    """ "A wool coat" after disliking a white wool one showed polyester and cotton coats among the wool
    ones: the dislike taught its colour, gender and brand, and that outweighed the material asked for.
    Items carrying more of what was asked for (tags, material) now come first, the profile ordering them."""
    profile = Profile(shopper="s")
    profile.dislike(demo_items["demo-0050"])
    asked = {r.item.id: 1.0 if r.item.pattern == "floral" else 0.0 for r in candidates}
    pool = [
        RankedItem(r.item, r.score + 0.1 * asked[r.item.id], {**r.scores, "tags": asked[r.item.id]}) for r in candidates
    ]
    shown = personalise_from_store(pool, profile, demo_store, "image", WEIGHTS, 20)
    floral = [r.item.pattern == "floral" for r in shown]
    assert floral == sorted(floral, reverse=True) and floral[0] and not floral[-1], floral
    assert any(r.scores.get("mmr_penalty", 0) > 0 for r in shown)  # the diversity step still ran


def test_the_diversity_step_breaks_up_near_copies(candidates, demo_store):
    vectors = demo_store.vectors([r.item.id for r in candidates], "image")
    first = candidates[0]
    twins = [RankedItem(first.item.model_copy(update={"id": f"twin-{n}"}), first.score) for n in range(4)]
    vectors.update({t.item.id: vectors[first.item.id] for t in twins})
    pool = [*twins, *candidates]
    plain = diversify(pool, vectors, 1.0, 10)
    diverse = diversify(pool, vectors, 0.5, 10)
    copies = [sum(r.item.title == first.item.title for r in page) for page in (plain, diverse)]
    assert copies[0] == 5 and copies[1] <= 2
    assert diverse[0].scores["mmr_penalty"] == 0 and all(r.scores["mmr_penalty"] >= 0 for r in diverse)


def test_an_empty_profile_keeps_the_search_order_but_for_sizes_in_stock_and_diversity(candidates):
    weights = PersonalWeights(availability=0.0, mmr_lambda=1.0)
    ranked = personalise(candidates, Profile(shopper="s"), {}, weights, 10)
    assert [r.item.id for r in ranked] == [r.item.id for r in candidates[:10]]
    assert all(
        r.scores["affinity"] == 0 and np.isclose(r.scores["relevance"], c.score) for r, c in zip(ranked, candidates)
    )
    with_stock = personalise(candidates, Profile(shopper="s"), {}, PersonalWeights(mmr_lambda=1.0), 10)
    assert [r.scores["availability"] for r in with_stock] != [0.0] * 10
