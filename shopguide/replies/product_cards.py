"""The recommendation reply every channel can show.

A custom payload ``{"type": "products", "items": [...]}`` for channels that draw cards, and the
same items as numbered plain text with quick-reply buttons for those that cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shopguide.images import is_url
from shopguide.search.ranking import RankedItem
from shopguide.search.service import SearchResult
from shopguide.store.filters import Constraints


@dataclass
class Reply:
    text: str
    payload: dict[str, Any] | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)


def explanation(ranked: RankedItem, constraints: Constraints) -> str:
    """Why this item: the constraints it meets, then how closely it matches the words or photo."""
    item = ranked.item
    reasons = [c for c in item.colours if c in constraints.colours][:1]
    if constraints.categories and item.category:
        reasons.append(item.category)
    if constraints.gender and item.gender:
        reasons.append(f"for {item.gender}")
    if constraints.price_max is not None:
        reasons.append(f"under {constraints.price_max:g}")
    if constraints.size:
        reasons.append(f"size {constraints.size} in stock")
    matches = {"text": "matches your words", "image": "looks like your photo"}
    reasons += [f"{matches.get(space, space)} ({value:.0%})" for space, value in ranked.scores.items()]
    return " · ".join(reasons)


def card(ranked: RankedItem, constraints: Constraints, image_base_url: str) -> dict[str, Any]:
    item = ranked.item
    if ranked.thumbnail:
        image_url = image_base_url + ranked.thumbnail
    else:
        image_url = item.image if item.image and is_url(item.image) else None
    return {
        "id": item.id,
        "title": item.title,
        "price": item.price,
        "currency": item.currency,
        "image_url": image_url,
        "url": item.url,
        "explanation": explanation(ranked, constraints),
        "sizes": item.sizes_in_stock,
        "score": round(ranked.score, 4),
    }


def recommendation_reply(result: SearchResult, image_base_url: str) -> Reply:
    if not result.items:
        return Reply(
            f"Sorry, nothing in the catalogue matches {result.constraints.describe()}. "
            "Try fewer conditions or a higher budget."
        )
    cards = [card(r, result.constraints, image_base_url) for r in result.items]
    wanted = "" if result.constraints.is_empty() else f" ({result.constraints.describe()})"
    lines = [f"Here is what I found{wanted}:"]
    for number, c in enumerate(cards, start=1):
        price = f"{c['price']:.2f} {c['currency']}" if c["price"] is not None else ""
        lines.append(f"{number}. {c['title']} {price}".rstrip())
    buttons = [{"title": "Cheaper", "payload": "cheaper"}, {"title": "Show more", "payload": "show more"}]
    return Reply("\n".join(lines), {"type": "products", "items": cards}, buttons)
