"""The recommendation reply every channel can show.

A custom payload ``{"type": "products", "items": [...]}`` for channels that draw cards, and the
same items as numbered plain text with quick-reply buttons for those that cannot. Explanations
name only the signals that selected the item: the constraints it meets, the profile signals that
lifted it and its similarity scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shopguide.catalogue.schema import CatalogueItem
from shopguide.conversation.messages import name_of
from shopguide.images import is_url
from shopguide.personalisation.reasons import profile_reasons, similarity_scores
from shopguide.search.lexicon import FITS
from shopguide.search.ranking import RankedItem
from shopguide.store.filters import Constraints


@dataclass
class Reply:
    text: str
    payload: dict[str, Any] | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)


_MATCH_WORDS = {
    "en": {"text": "matches your words", "image": "looks like your photo", "joint": "fits your description"},
    "zh": {"text": "和你说的相符", "image": "和你的照片相似", "joint": "符合你的描述"},
}
# "more like #2": the look searched with is that item's photo, not one the shopper sent
_LIKE_PICKED = {"en": "looks like the one you picked", "zh": "和你选的那件相似"}


def explanation(
    ranked: RankedItem,
    constraints: Constraints,
    language: str = "en",
    picked: bool = False,
    look_wishes: Mapping[str, str] | None = None,
    tags: Sequence[str] = (),
) -> str:
    """Why this item: the constraints it meets, then how closely it matches the words or photo (`picked`:
    the photo of a shown item the shopper picked; `look_wishes`: the colour and pattern that photo or
    the shopper's own showed, which ranked as words; `tags`: the occasions, styles, fits and materials asked for)."""
    item = ranked.item
    reasons = _colour_reason(item.colours, constraints.colours, language)
    reasons += _look_reason(item, look_wishes or {}, language, picked)
    reasons += _tag_reasons(item, tags, language)
    if constraints.brand and item.brand:
        reasons.append(item.brand)
    if constraints.categories and item.category:
        reasons.append(name_of(item.category, language))
    if constraints.pattern and item.pattern:
        reasons.append(name_of(item.pattern, language))
    if constraints.gender and item.gender:
        reasons.append(name_of(item.gender, language) if language == "zh" else f"for {item.gender}")
    if constraints.price_max is not None:
        reasons.append(f"{constraints.price_max:g}以内" if language == "zh" else f"under {constraints.price_max:g}")
    if constraints.size:
        reasons.append(f"{constraints.size}码有货" if language == "zh" else f"size {constraints.size} in stock")
    reasons += profile_reasons(ranked, language, size=not constraints.size)
    words = _MATCH_WORDS.get(language, _MATCH_WORDS["en"])
    if picked:
        words = {**words, "image": _LIKE_PICKED.get(language, _LIKE_PICKED["en"])}
    similarities = similarity_scores(ranked)
    reasons += [f"{words.get(space, space)} ({value:.0%})" for space, value in similarities.items() if value > 0]
    return " · ".join(reasons)


def _colour_reason(colours: list[str], wanted: list[str], language: str) -> list[str]:
    """The wanted colour the item has; "with red" when it is not the item's main colour (a khaki dress
    with red stripes is no red dress)."""
    matched = next((c for c in colours if c in wanted), None)
    if matched is None:
        return []
    name = name_of(matched, language)
    if matched == colours[0]:
        return [name]
    return [f"带{name}" if language == "zh" else f"with {name}"]


def _look_reason(item: CatalogueItem, look_wishes: Mapping[str, str], language: str, picked: bool) -> list[str]:
    """ "black dotted as in your photo" / "like the one you picked": what of that look's colour and pattern
    the item's main colour and pattern share."""
    has = {"colour": item.colours[0] if item.colours else None, "pattern": item.pattern}
    shared = [name_of(value, language) for name, value in look_wishes.items() if has.get(name) == value]
    if not shared:
        return []
    if language == "zh":
        return [f"和{'你选的那件' if picked else '照片'}一样{''.join(shared)}"]
    return [f"{' '.join(shared)} {'like the one you picked' if picked else 'as in your photo'}"]


def _tag_reasons(item: CatalogueItem, wanted: Sequence[str], language: str) -> list[str]:
    """Each occasion, style or fit asked for that the item is tagged with: "for wedding wear" / "适合婚礼",
    "oversized fit" / "廓形版型"; and the material asked for that it is made of: "linen" / "亚麻"."""
    reasons = []
    for tag in wanted:
        if tag in item.tags:
            reasons.append(_tag_reason(tag, language))
        elif tag == item.material:
            reasons.append(name_of(tag, language))
    return reasons


def _tag_reason(tag: str, language: str) -> str:
    is_fit = tag in FITS or tag.endswith(" fit")
    if language == "zh":
        return f"{name_of(tag, language)}版型" if is_fit else f"适合{name_of(tag, language)}"
    if is_fit:
        return tag if tag.endswith(" fit") else f"{tag} fit"
    return f"for {tag} wear"


def card(
    ranked: RankedItem,
    constraints: Constraints,
    image_base_url: str,
    language: str = "en",
    picked: bool = False,
    look_wishes: Mapping[str, str] | None = None,
    tags: Sequence[str] = (),
) -> dict[str, Any]:
    item = ranked.item
    if ranked.thumbnail:
        image_url = image_base_url + ranked.thumbnail
    else:
        image_url = item.image if item.image and is_url(item.image) else None
    return {
        "id": item.id,
        "title": item.shown_title(language),
        "brand": item.brand,
        "price": item.price,
        "currency": item.currency,
        "image_url": image_url,
        "url": item.url,
        "explanation": explanation(ranked, constraints, language, picked, look_wishes, tags),
        "sizes": item.sizes_in_stock,
        "score": round(ranked.score, 4),
    }


def price_text(price: float | None, currency: str) -> str:
    return f"{price:.2f} {currency}" if price is not None else ""


def cards_reply(
    intro: str,
    items: list[RankedItem],
    constraints: Constraints,
    image_base_url: str,
    language: str = "en",
    buttons: list[dict[str, str]] | None = None,
    picked: bool = False,
    look_wishes: Mapping[str, str] | None = None,
    tags: Sequence[str] = (),
) -> Reply:
    """Numbered text plus the products payload for the same items."""
    cards = [card(r, constraints, image_base_url, language, picked, look_wishes, tags) for r in items]
    lines = [intro]
    for number, c in enumerate(cards, start=1):
        lines.append(f"{number}. {c['title']} {price_text(c['price'], c['currency'])}".rstrip())
    return Reply("\n".join(lines), {"type": "products", "items": cards}, buttons or [])
