"""Personalised ranking: relevance + affinity to the shopper's profile + availability, then diversity.

``score = relevance + affinity + availability``, where relevance is the search's fused similarity
and affinity sums, each with its weight: closeness to the look of recently liked items, distance
from recently disliked ones (cosines to their centroids, centred on the candidates' mean so that
only the difference between candidates counts), the learned attribute preferences (each count
squashed by tanh, so a taste saturates after a few signals) and the usual price range. A greedy
maximal-marginal-relevance pass then picks the `k` shown, so that ten results are not ten near-copies.
What the shopper asked for now outranks what the profile learned: the items that carry more of the
occasions, styles and materials asked for (the search's tag agreement) come first, whatever their
affinity ("a wool coat" after disliking a white wool one still shows wool coats first).

Every contribution stays on the item: ``scores["relevance"|"affinity"|"availability"|"mmr_penalty"]``
and one ``scores["profile.<signal>"]`` per profile signal that moved it (``profile.colour:navy blue``,
``profile.look``, ``profile.size:M``...), which :mod:`shopguide.personalisation.reasons` puts in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from shopguide.catalogue.schema import CatalogueItem
from shopguide.personalisation.profile import Profile, item_attributes
from shopguide.search.ranking import TAG_AGREEMENT, RankedItem
from shopguide.settings import Settings
from shopguide.store.garment_store import GarmentStore

SIGNAL = "profile."
LOOK = SIGNAL + "look"
AVOID_LOOK = SIGNAL + "avoid_look"
PRICE = SIGNAL + "price"
SIZE = SIGNAL + "size:"
PERSONAL_SCORES = ("relevance", "affinity", "availability", "mmr_penalty")
RECENT = 20  # likes/dislikes whose look counts: tastes move on
PRICE_MARGIN = 0.2  # the usual price range, widened by this share on both sides
UNKNOWN_SIZES = 0.5  # availability of an item that lists no sizes


def _default(name: str) -> float:
    return Settings.model_fields[name].default


@dataclass(frozen=True)
class PersonalWeights:
    """The weights of :func:`personalise`; defaults are the settings' defaults."""

    like: float = _default("personal_like_weight")
    dislike: float = _default("personal_dislike_weight")
    attributes: float = _default("personal_attribute_weight")
    price: float = _default("personal_price_weight")
    availability: float = _default("personal_availability_weight")
    mmr_lambda: float = _default("mmr_lambda")

    @classmethod
    def from_settings(cls, settings: Settings) -> PersonalWeights:
        return cls(
            like=settings.personal_like_weight,
            dislike=settings.personal_dislike_weight,
            attributes=settings.personal_attribute_weight,
            price=settings.personal_price_weight,
            availability=settings.personal_availability_weight,
            mmr_lambda=settings.mmr_lambda,
        )


def attribute_key(attribute: str, value: str) -> str:
    return f"{SIGNAL}{attribute}:{value}"


def personalise(
    items: Sequence[RankedItem], profile: Profile, vectors: dict[str, np.ndarray], weights: PersonalWeights, k: int
) -> list[RankedItem]:
    """The `k` items to show, disliked ones left out, personal scores added, in MMR order.

    `vectors` maps item ids to their vectors in one space (candidates and the profile's recent
    likes and dislikes: :func:`needed_vector_ids`); items without one get no look affinity and
    count as unlike every other item in the diversity step. The input items are not modified."""
    disliked = set(profile.disliked)
    kept = [r for r in items if r.item.id not in disliked]
    looks = look_closeness([r.item.id for r in kept], profile, vectors)
    scored = [_scored(r, profile, looks.get(r.item.id, {}), weights) for r in kept]
    return diversify(scored, vectors, weights.mmr_lambda, k)


def needed_vector_ids(items: Sequence[RankedItem], profile: Profile) -> list[str]:
    """Ids whose vectors :func:`personalise` reads."""
    ids = [r.item.id for r in items] + profile.liked[-RECENT:] + profile.disliked[-RECENT:]
    return list(dict.fromkeys(ids))


def personalise_from_store(
    items: Sequence[RankedItem], profile: Profile, store: GarmentStore, space: str, weights: PersonalWeights, k: int
) -> list[RankedItem]:
    """:func:`personalise` with the vectors read from the store's `space` collection."""
    vectors = store.vectors(needed_vector_ids(items, profile), space) if space in store.spaces else {}
    return personalise(items, profile, vectors, weights, k)


def _unit_rows(ids: Sequence[str], vectors: dict[str, np.ndarray], dim: int) -> np.ndarray:
    """Unit-length rows for `ids`; zero rows for ids without a vector."""
    rows = np.zeros((len(ids), dim), np.float32)
    for row, item_id in enumerate(ids):
        if item_id in vectors:
            rows[row] = vectors[item_id]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


def liked_centroid(profile: Profile, vectors: dict[str, np.ndarray], liked: bool = True) -> np.ndarray | None:
    """Unit mean of the recent liked (or disliked) items' unit vectors; None without any. Also a
    query vector for fetching candidates that look like what the shopper liked."""
    ids = [i for i in (profile.liked if liked else profile.disliked)[-RECENT:] if i in vectors]
    if not ids:
        return None
    mean = _unit_rows(ids, vectors, len(vectors[ids[0]])).mean(0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def look_closeness(ids: Sequence[str], profile: Profile, vectors: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Per item: cosine to the liked (LOOK) and disliked (AVOID_LOOK) centroids, minus the mean
    over the candidates that have vectors."""
    ids = [i for i in ids if i in vectors]
    out: dict[str, dict[str, float]] = {i: {} for i in ids}
    centroids = {LOOK: liked_centroid(profile, vectors), AVOID_LOOK: liked_centroid(profile, vectors, liked=False)}
    for key, centroid in centroids.items():
        if centroid is None or not ids:
            continue
        similarity = _unit_rows(ids, vectors, len(centroid)) @ centroid
        for item_id, value in zip(ids, similarity - similarity.mean(), strict=True):
            out[item_id][key] = float(value)
    return out


def attribute_signals(item: CatalogueItem, profile: Profile) -> dict[str, float]:
    """tanh(count / 2) of each learned value the item has, shared among an attribute's values
    (an item in two colours gets half of each)."""
    signals = {}
    for attribute, values in item_attributes(item).items():
        counts = profile.preferences.get(attribute, {})
        for value in values:
            if counts.get(value):
                signals[attribute_key(attribute, value)] = math.tanh(counts[value] / 2) / len(values)
    return signals


def price_fit(item: CatalogueItem, profile: Profile) -> float | None:
    """1 inside the shopper's usual price range (widened a little), 0 outside; None if unknown."""
    usual = profile.price_range()
    if usual is None or item.price is None:
        return None
    low, high = usual
    margin = PRICE_MARGIN * max(high - low, high * 0.1)
    return 1.0 if low - margin <= item.price <= high + margin else 0.0


def availability(item: CatalogueItem, profile: Profile) -> tuple[float, str | None]:
    """1 if the shopper's size (for this category) is in stock, 0 if not; without a known size, the
    share of the item's sizes in stock. The size is returned when it decided."""
    if not item.sizes:
        return UNKNOWN_SIZES, None
    size = profile.size_for(item.category)
    if size is not None and any(s.size == size for s in item.sizes):
        return (1.0 if size in item.sizes_in_stock else 0.0), size
    return len(item.sizes_in_stock) / len(item.sizes), None


def _scored(ranked: RankedItem, profile: Profile, looks: dict[str, float], weights: PersonalWeights) -> RankedItem:
    signals = {key: weights.attributes * value for key, value in attribute_signals(ranked.item, profile).items()}
    if LOOK in looks:
        signals[LOOK] = weights.like * looks[LOOK]
    if AVOID_LOOK in looks:
        signals[AVOID_LOOK] = -weights.dislike * looks[AVOID_LOOK]
    fit = price_fit(ranked.item, profile)
    if fit is not None:
        signals[PRICE] = weights.price * fit
    available, size = availability(ranked.item, profile)
    available *= weights.availability
    if size is not None:
        signals[SIZE + size] = available
    affinity = sum(value for key, value in signals.items() if not key.startswith(SIZE))
    scores = {**ranked.scores, "relevance": ranked.score, "affinity": affinity, "availability": available}
    scores.update({key: value for key, value in signals.items() if value})
    return replace(ranked, score=ranked.score + affinity + available, scores=scores)


def asked_share(ranked: RankedItem) -> float:
    """The share of the occasions, styles and materials asked for that the item carries (0 if none was)."""
    return ranked.scores.get(TAG_AGREEMENT, 0.0)


def diversify(
    items: Sequence[RankedItem], vectors: dict[str, np.ndarray], mmr_lambda: float, k: int
) -> list[RankedItem]:
    """Greedy MMR: repeatedly take the item with the best ``λ·score − (1−λ)·max cosine to those
    already taken`` among those that carry the most of what was asked for (:func:`asked_share`); the
    penalty paid is kept as ``scores["mmr_penalty"]``. λ >= 1: plain order."""
    order = sorted(items, key=lambda r: (-asked_share(r), -r.score, r.item.id))
    if mmr_lambda >= 1.0 or len(order) <= 1:
        return order[:k]
    ids = [r.item.id for r in order]
    dim = len(next(iter(vectors.values()))) if vectors else 1
    matrix = _unit_rows(ids, vectors, dim)
    scores = np.array([r.score for r in order])
    shares = np.array([asked_share(r) for r in order])
    closest = np.zeros(len(order))  # max cosine to a taken item (negative cosines earn no bonus)
    free = np.ones(len(order), dtype=bool)
    chosen = []
    for _ in range(min(k, len(order))):
        tier = free & (shares == shares[free].max())
        objective = np.where(tier, mmr_lambda * scores - (1 - mmr_lambda) * closest, -np.inf)
        best = int(np.argmax(objective))
        penalty = float((1 - mmr_lambda) * closest[best])
        chosen.append(replace(order[best], scores={**order[best].scores, "mmr_penalty": penalty}))
        free[best] = False
        closest = np.maximum(closest, matrix @ matrix[best])
    return chosen
