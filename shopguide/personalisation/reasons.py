"""The profile signals that lifted an item, as short phrases: "you liked floral prints" / "你喜欢碎花图案".

Reads only the ``profile.*`` scores that :func:`shopguide.personalisation.rerank.personalise` left
on the item, so a reason is never named unless it moved the item up.
"""

from __future__ import annotations

from models.captions import PATTERN_ZH, chinese_type
from models.colour import chinese_colour
from shopguide.conversation.messages import name_of
from shopguide.personalisation.rerank import LOOK, PERSONAL_SCORES, PRICE, SIGNAL, SIZE
from shopguide.search.ranking import TAG_AGREEMENT, RankedItem

MIN_CONTRIBUTION = 0.01  # smaller lifts are not worth a reason

_FIXED = {
    LOOK: {"en": "looks like what you liked", "zh": "和你喜欢的款式相似"},
    PRICE: {"en": "in your usual price range", "zh": "在你常买的价位内"},
}
_PATTERNS_EN = {
    "floral": "floral prints",
    "striped": "stripes",
    "checked": "checks",
    "dotted": "polka dots",
    "printed": "prints",
    "plain": "plain designs",
    "solid": "plain designs",
}
_GENDERS = {
    "men": ("menswear", "男装"),
    "women": ("womenswear", "女装"),
    "unisex": ("unisex styles", "男女同款"),
    "boys": ("boys' clothes", "男童装"),
    "girls": ("girls' clothes", "女童装"),
}
_STYLES_ZH = {
    "casual": "休闲",
    "office": "通勤",
    "formal": "正式",
    "party": "派对",
    "evening": "晚宴",
    "wedding": "婚礼",
    "summer": "夏季",
    "winter": "冬季",
    "sport": "运动",
    "sports": "运动",
    "beach": "海滩",
    "travel": "旅行",
}


def similarity_scores(ranked: RankedItem) -> dict[str, float]:
    """The item's per-space similarities, without the personal components and the tag agreement next to them."""
    others = (*PERSONAL_SCORES, TAG_AGREEMENT)
    return {k: v for k, v in ranked.scores.items() if k not in others and not k.startswith(SIGNAL)}


def profile_reasons(ranked: RankedItem, language: str = "en", limit: int = 2, size: bool = True) -> list[str]:
    """Up to `limit` phrases for the profile signals that lifted the item most, strongest first;
    `size=False` leaves out "your size is in stock" (when a size constraint already says so)."""
    lifts = sorted(
        ((value, key) for key, value in ranked.scores.items() if key.startswith(SIGNAL) and value >= MIN_CONTRIBUTION),
        key=lambda pair: (-pair[0], pair[1]),
    )
    phrases = [_phrase(key, language) for _, key in lifts if size or not key.startswith(SIZE)]
    return list(dict.fromkeys(p for p in phrases if p))[:limit]


def _phrase(key: str, language: str) -> str | None:
    zh = language == "zh"
    if key in _FIXED:
        return _FIXED[key]["zh" if zh else "en"]
    if key.startswith(SIZE):
        size = key[len(SIZE) :]
        return f"你的{size}码有货" if zh else f"your size {size} is in stock"
    attribute, _, value = key[len(SIGNAL) :].partition(":")
    liked = _liked(attribute, value, zh)
    if liked is None:
        return None
    return f"你喜欢{liked}" if zh else f"you liked {liked}"


def _liked(attribute: str, value: str, zh: bool) -> str | None:
    """What the shopper liked, as the object of "you liked ..." / "你喜欢..."."""
    if attribute == "colour":
        return _chinese(value, chinese_colour) if zh else value
    if attribute == "category":
        return _chinese(value, chinese_type) if zh else _plural(value)
    if attribute == "pattern":
        if zh:
            return PATTERN_ZH.get(value, name_of(value, "zh")) + "图案"
        return _PATTERNS_EN.get(value, f"{value} patterns")
    if attribute == "gender":
        en, chinese = _GENDERS.get(value, (f"{value}'s items", name_of(value, "zh")))
        return chinese if zh else en
    if attribute == "style":
        return f"{_STYLES_ZH.get(value, value)}风格" if zh else f"{value} styles"
    if attribute == "brand":
        return value  # "you liked Northwind": a brand is a name in every language
    return None


def _chinese(value: str, fallback) -> str:
    """The conversation's own Chinese word when it has one, else the model's caption vocabulary."""
    name = name_of(value, "zh")
    return name if name != value else fallback(value)


def _plural(category: str) -> str:
    """'dress' -> 'dresses', 'scarf' -> 'scarves', 'jeans' and 'casual shoes' stay (good enough for a reason)."""
    if category.endswith(("ss", "ch", "sh", "x")):
        return category + "es"
    if category.endswith("f"):
        return category[:-1] + "ves"
    return category if category.endswith(("s", "wear")) else category + "s"
