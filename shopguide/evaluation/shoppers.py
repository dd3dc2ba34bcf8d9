"""Simulated shoppers for the personalisation evaluation: a hidden taste, a broad request, feedback.

A shopper wants one colour of one article type for one gender line (e.g. navy blue shirts for
men) but asks only for the broad group (e.g. "topwear"). Each turn they are shown the top `k` of
the items they have not reacted to yet and react to two: a like for the shown item closest to
their taste (if it has at least two of the three attributes right) and a dislike for the
highest-placed item with at most one. Reacted items leave the list; the others may be shown again,
as a re-ranked list shows them, so a method is never charged for having found the taste early.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from shopguide.catalogue.schema import CatalogueItem
from shopguide.personalisation.profile import Profile
from shopguide.personalisation.rerank import PersonalWeights, liked_centroid, personalise
from shopguide.search.ranking import RankedItem

LIKE_MIN_MATCHES = 2
DISLIKE_MAX_MATCHES = 1


@dataclass(frozen=True)
class Taste:
    category: str
    colour: str
    gender: str

    def matches(self, item: CatalogueItem) -> int:
        return (item.category == self.category) + (self.colour in item.colours) + (item.gender == self.gender)

    def fits(self, item: CatalogueItem) -> bool:
        return self.matches(item) == 3


@dataclass
class Arm:
    """One way of choosing the next page: `weights` None is the search's own order; `next_pages`
    shows only items never shown before ("show more") instead of re-ranking."""

    name: str
    weights: PersonalWeights | None
    next_pages: bool = False


@dataclass
class Session:
    """A shopper's browsing: the candidates of their request (relevance-scored) and what happened."""

    taste: Taste
    candidates: list[RankedItem]  # the requested group, most relevant first
    vectors: dict[str, np.ndarray]
    profile: Profile = field(default_factory=lambda: Profile(shopper="simulated"))
    shown: set[str] = field(default_factory=set)

    def remaining(self, unseen: bool = False) -> list[RankedItem]:
        """Candidates not reacted to (with `unseen`: never shown)."""
        hidden = self.shown if unseen else set(self.profile.liked) | set(self.profile.disliked)
        return [r for r in self.candidates if r.item.id not in hidden]

    def page_similarity(self, page: Sequence[RankedItem]) -> float:
        """Mean cosine between the page's items: 1 would be ten copies of one look."""
        vectors = [self.vectors[r.item.id] for r in page if r.item.id in self.vectors]
        if len(vectors) < 2:
            return 0.0
        rows = np.stack(vectors) / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return float(((rows @ rows.T).sum() - len(rows)) / (len(rows) * (len(rows) - 1)))


def _pool(session: Session, size: int) -> list[RankedItem]:
    """What the search would hand to the reranker: the `size` most relevant candidates, plus the
    `size` that look most like the liked items (the profile as a second query)."""
    remaining = session.remaining()
    pool = {r.item.id: r for r in remaining[:size]}
    centroid = liked_centroid(session.profile, session.vectors)
    if centroid is not None:
        with_vectors = [r for r in remaining if r.item.id in session.vectors]
        closeness = np.array([session.vectors[r.item.id] @ centroid for r in with_vectors])
        for index in np.argsort(-closeness, kind="stable")[:size]:
            pool.setdefault(with_vectors[index].item.id, with_vectors[index])
    return list(pool.values())


def next_page(session: Session, arm: Arm, k: int, pool: int) -> list[RankedItem]:
    if arm.weights is None:
        return session.remaining(unseen=arm.next_pages)[:k]
    return personalise(_pool(session, pool), session.profile, session.vectors, arm.weights, k)


def react(session: Session, page: Sequence[RankedItem]) -> None:
    """The shopper's like and dislike for this page, learned into their profile."""
    by_match = sorted(page, key=lambda r: -session.taste.matches(r.item))  # stable: page order breaks ties
    if by_match and session.taste.matches(by_match[0].item) >= LIKE_MIN_MATCHES:
        session.profile.like(by_match[0].item)
    worst = next((r for r in page if session.taste.matches(r.item) <= DISLIKE_MAX_MATCHES), None)
    if worst is not None:
        session.profile.dislike(worst.item)


def browse(session: Session, arm: Arm, turns: int, k: int, pool: int) -> tuple[list[float], list[float]]:
    """precision@k of the taste, and the page similarity, on the page shown after 0..`turns` turns."""
    precision, similarity = [], []
    for _ in range(turns + 1):
        page = next_page(session, arm, k, pool)
        precision.append(sum(session.taste.fits(r.item) for r in page) / k)
        similarity.append(session.page_similarity(page))
        session.shown.update(r.item.id for r in page)
        react(session, page)
    return precision, similarity


def simulate(
    tastes: Sequence[Taste], sessions: Callable[[Taste], Session], arm: Arm, turns: int, k: int, pool: int
) -> dict:
    """Per turn, over the shoppers: mean precision@k, the half-width of its 95% interval and the mean
    page similarity; and the mean number of likes a shopper gave."""
    runs = [sessions(taste) for taste in tastes]
    precision, similarity = (np.array(t) for t in zip(*(browse(s, arm, turns, k, pool) for s in runs), strict=True))
    half_width = 1.96 * precision.std(0, ddof=1) / np.sqrt(len(runs)) if len(runs) > 1 else np.zeros(turns + 1)
    return {
        "precision": [round(float(v), 4) for v in precision.mean(0)],
        "page_similarity": [round(float(v), 4) for v in similarity.mean(0)],
        "ci95": [round(float(v), 4) for v in half_width],
        "likes": float(np.mean([len(s.profile.liked) for s in runs])),
    }
