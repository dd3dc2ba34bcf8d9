"""A whole outfit put together for an occasion ("an outfit for a job interview", "帮我搭配一套约会穿的"):
one garment of each kind a look needs, for whom it is, in the occasion's style, within the budget for
all of them together.

A look is a list of garment groups (outfits.GROUPS): a top, a bottom and shoes; for women also a dress
with shoes and a bag. The best few of each group are searched with the wishes' words; the look kept is
the combination with the highest summed score whose total fits the budget.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from shopguide.conversation.outfits import group_of
from shopguide.search.ranking import RankedItem
from shopguide.search.service import SearchRequest, SearchService
from shopguide.store.filters import Constraints

LOOKS: dict[str, tuple[tuple[str, ...], ...]] = {
    "women": (("top", "bottom", "shoes"), ("one_piece", "shoes", "accessory")),
    "men": (("top", "bottom", "shoes"),),
    "unisex": (("top", "bottom", "shoes"),),
}
LAYERED = {"winter", "formal", "office", "wedding"}  # occasions whose look is completed by a jacket, coat or blazer
CANDIDATES = 4  # per group: 4 ** 4 combinations at most are weighed against the budget
# colours that go with any other; a look with more than one colour besides them clashes
NEUTRALS = {"black", "white", "grey", "gray", "beige", "navy", "navy blue", "khaki", "brown", "cream", "denim"}
CLASH = 0.05  # the mean score an outfit loses for each colour beyond one that is no neutral


@dataclass
class Outfit:
    pieces: list[RankedItem]

    @property
    def total(self) -> float:
        return sum(piece.item.price or 0.0 for piece in self.pieces)

    @property
    def score(self) -> float:
        """The pieces' mean score, less `CLASH` for each colour beyond one that is no neutral (a maroon dress
        with a yellow scarf)."""
        accents = {
            colours[0] for piece in self.pieces if (colours := piece.item.colours) and colours[0] not in NEUTRALS
        }
        return sum(piece.score for piece in self.pieces) / len(self.pieces) - CLASH * max(len(accents) - 1, 0)


@dataclass
class OutfitRequest:
    gender: str  # women, men or unisex
    words: str | None = None  # the occasion's and style's words: they filter nothing, their tags rank
    soft_words: str | None = None  # a colour or pattern wished for the whole look: ranks only
    tags: Sequence[str] = ()  # the catalogue's tags the words name
    budget: float | None = None  # for the whole outfit
    anchor: Constraints | None = None  # "what goes with black jeans?": the named kind, in its colour
    exclude_ids: Sequence[str] = ()

    def excluding(self, ids: Sequence[str]) -> OutfitRequest:
        return dataclasses.replace(self, exclude_ids=[*self.exclude_ids, *ids])


def put_together(search: SearchService, kinds: list[str], request: OutfitRequest) -> Outfit | None:
    """The best look the catalogue's kinds make for the request, None when no look has every piece."""
    outfits = []
    for groups in looks_for(kinds, request):
        candidates = [_candidates(search, kinds, group, request) for group in groups]
        if all(candidates):
            outfits += [Outfit(list(pieces)) for pieces in itertools.product(*candidates)]
    return best_within(outfits, request.budget)


def looks_for(kinds: list[str], request: OutfitRequest) -> list[tuple[str, ...]]:
    """The looks to weigh: those the anchor's group belongs to (else each with it: "what goes with a black
    coat?"), each layered where the occasion asks."""
    anchored = {group for kind in request.anchor.categories if (group := group_of(kind))} if request.anchor else set()
    looks = LOOKS.get(request.gender, LOOKS["unisex"])
    if anchored:
        looks = [look for look in looks if anchored & set(look)] or [(*look, *sorted(anchored)) for look in looks]
    layered = LAYERED & set(request.tags) and any(group_of(kind) == "outer" for kind in kinds)
    return [(*look, "outer") if layered and "outer" not in anchored else look for look in looks]


def _candidates(search: SearchService, kinds: list[str], group: str, request: OutfitRequest) -> list[RankedItem]:
    anchor = request.anchor
    if anchor and any(group_of(kind) == group for kind in anchor.categories):
        constraints = anchor.model_copy(update={"gender": request.gender})
    else:
        constraints = Constraints(categories=[kind for kind in kinds if group_of(kind) == group], gender=request.gender)
    if not constraints.categories:
        return []
    constraints.price_max = request.budget
    constraints.exclude_ids = list(request.exclude_ids)
    found = search.search(
        SearchRequest(text=request.words, soft_words=request.soft_words, constraints=constraints, k=CANDIDATES)
    )
    return found.items


def best_within(outfits: list[Outfit], budget: float | None) -> Outfit | None:
    """The best scored outfit within the budget, else the cheapest one; None for none."""
    within = [outfit for outfit in outfits if budget is None or outfit.total <= budget]
    if within:
        return max(within, key=lambda outfit: outfit.score)
    return min(outfits, key=lambda outfit: outfit.total) if outfits else None
