"""Kinds of garment, and children's clothing, that a shopper asks for and this shop does not carry.

"do you sell socks?" listed the kinds there are without a word on socks, "show me suits" was not
understood, "I want a swimsuit" asked for a photo and "shirts for boys" asked three questions to find
nothing: the catalogue's vocabulary knows only what it holds, so such words were no wish at all. These
tables name what shoppers commonly ask a clothes shop for; a kind counts as not carried only when the
catalogue has no category of that name or of a word for it (socks are carried by a catalogue's "Hosiery").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shopguide.search.query_parser import QueryParser

# the kind's name in each language, then the words that ask for it (English ones as whole words)
_KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "suits": ("suits", "西服套装", ("suits", "a suit", "business suit", "wedding suit", "tuxedo", "tuxedos")),
    "swimwear": (
        "swimwear",
        "泳衣",
        ("swimsuit", "swimsuits", "swimwear", "bikini", "bikinis", "泳衣", "泳装", "泳裤"),
    ),
    "socks": ("socks", "袜子", ("socks", "sock", "stockings", "tights", "hosiery", "袜子", "丝袜", "袜")),
    "underwear": (
        "underwear",
        "内衣",
        ("underwear", "innerwear", "lingerie", "bra", "bras", "briefs", "boxers", "内衣", "内裤", "文胸"),
    ),
    "sleepwear": ("sleepwear", "睡衣", ("pyjamas", "pajamas", "sleepwear", "nightwear", "nightgown", "睡衣", "睡裙")),
    "ties": ("ties", "领带", ("tie", "ties", "necktie", "bow tie", "neckwear", "领带", "领结")),
    "belts": ("belts", "腰带", ("belt", "belts", "腰带", "皮带")),
    "gloves": ("gloves", "手套", ("gloves", "mittens", "手套")),
    "sunglasses": ("sunglasses", "太阳镜", ("sunglasses", "eyewear", "墨镜", "太阳镜")),
    "watches": ("watches", "手表", ("watch", "watches", "wristwatch", "手表")),
    "jewellery": (
        "jewellery",
        "首饰",
        ("jewellery", "jewelry", "necklace", "earrings", "bracelet", "ring", "首饰", "项链", "耳环", "手链", "戒指"),
    ),
    "sandals": ("sandals", "凉鞋", ("sandals", "flip flops", "slippers", "凉鞋", "拖鞋")),
    "heels": ("heels", "高跟鞋", ("heels", "high heels", "pumps", "高跟鞋")),
}
# "this colour suits me", "the tie at the neck", "watch out": words that ask for no garment
_NOT_A_KIND = re.compile(
    r"\b(?:it|that|this|which|would|will|does|do|might|may|could|best|to)\s+suits?\b|\bsuits?\s+(?:me|you|him|her|them|us)\b"
    r"|\btie[- ]?dye\b|\b(?:a\s+)?tie\s+(?:at|around|on)\b|\bwatch\s+(?:out|it|this)\b|\bring\s+(?:me|you)\b",
    re.I,
)
_CHILDREN = re.compile(
    r"\b(?:kids?|children|child|toddlers?|babies|baby|boys?|girls?)\b(?!'?s?\s*(?:friend|night|blue|pink))"
    r"|儿童|童装|孩子|小孩|宝宝|婴儿|男孩|女孩|男童|女童"
)
_CHILDREN_GENDERS = {"boys", "girls", "kids", "children", "baby", "babies", "boy", "girl", "kid"}
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class NotCarried:
    """What the words ask for that the shop lacks: a kind ("socks"), or clothing for children."""

    kind: str | None = None
    children: bool = False

    def named(self, language: str) -> str:
        names = _KINDS.get(self.kind or "")
        return (names[1] if language == "zh" else names[0]) if names else ""


def not_carried(text: str, parser: QueryParser) -> NotCarried | None:
    """The kind of garment (or children's clothing) the words ask for that the catalogue lacks; None when
    they name a kind it carries, or nothing it lacks."""
    if text.startswith("/"):
        return None
    lowered = text.lower()
    if _CHILDREN.search(lowered) and not _CHILDREN_GENDERS & {g.lower() for g in parser.genders}:
        return NotCarried(children=True)
    if parser.parse(text).constraints.categories:
        return None
    cleaned = _NOT_A_KIND.sub(" ", lowered)
    carried = {category.lower().rstrip("s") for category in parser.categories}
    for kind, (_, _, words) in _KINDS.items():
        if any(_names(cleaned, word) for word in words) and not carried & {w.rstrip("s") for w in (kind, *words)}:
            return NotCarried(kind=kind)
    return None


def _names(text: str, word: str) -> bool:
    if _CHINESE.search(word):
        return word in text
    return re.search(rf"\b{re.escape(word)}\b", text) is not None
