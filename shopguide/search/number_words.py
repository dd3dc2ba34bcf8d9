"""Numbers written in words, English or Chinese, turned into digits: "under fifty" -> "under 50".

Shoppers write budgets as words ("two hundred", "五十块", "一千五"); the price patterns read digits.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_EN_WORD = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))
# a run of number words, e.g. "two hundred and fifty"; a lone "a" is not a number
_EN_RUN = re.compile(rf"\b(?:{_EN_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_EN_WORD}))*\b", re.IGNORECASE)

_ZH_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_ZH_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_ZH_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]{2,}|十")


def _english_value(words: list[str]) -> int | None:
    total, current = 0, 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALES[word]
            current = 0
    return total + current


def _english(match: re.Match[str]) -> str:
    """A run of number words -> digits; "and" joins only after a scale ("two hundred and fifty")."""
    groups: list[list[str]] = [[]]
    words = re.split(r"[\s-]+", match.group(0).lower())
    for previous, word in zip(["", *words], words, strict=False):
        if word == "and":
            if previous not in _SCALES:
                groups.append([])
        else:
            groups[-1].append(word)
    if groups[0][:1] == ["a"] and (len(groups[0]) == 1 or groups[0][1] in _UNITS):
        return match.group(0)  # "a" alone, or "a two-piece": an article
    return " and ".join(str(_english_value(group)) for group in groups if group)


def _chinese_value(text: str) -> int:
    """Chinese numerals, including the shorthand "一千五" (1500) and "两百五" (250)."""
    total, current, last_scale = 0, 0, 1
    if "零" in text or "〇" in text:
        last_scale = 1  # "一百零五" is 105: no shorthand after a zero
    for char in text:
        if char in ("零", "〇"):
            last_scale, current = -1, 0
        elif char in _ZH_DIGITS:
            current = _ZH_DIGITS[char]
        else:
            scale = _ZH_SCALES[char]
            total += max(current, 1 if char == "十" else current) * scale
            current, last_scale = 0, scale if last_scale != -1 else -1
    if current and last_scale >= 100:  # trailing digit after a scale: one step below it
        current *= last_scale // 10
    return total + current


def numbers_to_digits(text: str) -> str:
    text = _EN_RUN.sub(_english, text)
    return _ZH_RUN.sub(lambda m: str(_chinese_value(m.group(0))), text)
