"""Per-message language: Chinese when the message has Chinese characters, else English.

Shoppers mix languages ("想买一条jeans"); any Chinese in a message means they read Chinese.
"""

from __future__ import annotations

import re
from typing import Literal

from shopguide.search.lexicon import (
    CATEGORY_WORDS,
    COLOUR_WORDS,
    EVERYDAY_WORDS,
    FIT_WORDS,
    OTHER_STEP_WORDS,
    PATTERN_WORDS,
    PRICE_MOVE_WORDS,
    REQUEST_WORDS,
    TAG_WORDS,
)

Language = Literal["en", "zh"]
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def detect_language(text: str | None, previous: str | None = None) -> Language:
    """The message's language; a message with no letters at all (emoji, "42") keeps the previous one, and
    so do Latin letters in a Chinese conversation that make no English word this shop knows ("XL", "ok",
    a brand, "asdfgh": they got English replies)."""
    text = text or ""
    if _CJK.search(text):
        return "zh"
    if re.search(r"[A-Za-z]", text) and (previous != "zh" or _english(text)):
        return "en"
    return "zh" if previous == "zh" else "en"


def _english(text: str) -> bool:
    words = re.findall(r"[a-z']+", text.lower())
    return any(word in _ENGLISH or word.removesuffix("s") in _ENGLISH for word in words)


# everyday words and the shop's English words for kinds, colours, patterns, occasions, fits and steps
# ("something thinner" in a Chinese conversation got a Chinese reply)
_ENGLISH = (
    EVERYDAY_WORDS
    | {"something", "anything", *OTHER_STEP_WORDS}
    | REQUEST_WORDS
    | {
        word
        for words in (CATEGORY_WORDS, COLOUR_WORDS, PATTERN_WORDS, PRICE_MOVE_WORDS, TAG_WORDS, FIT_WORDS)
        for phrase in [*words, *words.values()]
        for word in re.split(r"[\s-]+", phrase)
        if word.isascii() and len(word) > 2
    }
)
