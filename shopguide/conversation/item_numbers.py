"""Which shown item the shopper means: "#2", "number 3", "the second one", "第二件", "2号"."""

from __future__ import annotations

import re

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_CHINESE = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def parse_item_number(*sources: str | None) -> int | None:
    """The first item number found in the entity value(s) or the text, in that order."""
    for source in sources:
        text = (source or "").lower()
        digits = re.search(r"\d+", text)
        if digits:
            return int(digits.group())
        for word, number in _ORDINALS.items():
            if re.search(rf"\b{word}\b", text):
                return number
        chinese = re.search(r"第?([一二两三四五六七八九十])\s*(?:号|个|件|款|条|双|顶|套|只)", text) or re.search(
            r"第([一二两三四五六七八九十])", text
        )
        if chinese:
            return _CHINESE[chinese.group(1)]
    return None
