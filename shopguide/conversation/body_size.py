"""A letter size from the height and weight a shopper gives ("我身高170体重120斤穿什么码", "I'm 5'8 and
150 lbs, what size?"), and a shoe size from a foot length ("脚长25厘米穿几码"): the numbers were read as card
numbers ("pick a number from 1 to 10").

The guide is a general one for letter-sized clothing (the shape of the charts Chinese shops print under
their size tables), not a retailer's own chart: the reply says it is a general guide. Where height and
weight point to different sizes, the weight's is given.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from shopguide.conversation.messages import say

# (size, up to this height in cm, up to this weight in kg); above the last row: XXL
_GUIDE = {
    "women": (("XS", 155, 45), ("S", 160, 50), ("M", 165, 56), ("L", 170, 62), ("XL", 175, 70)),
    "men": (("XS", 163, 52), ("S", 168, 60), ("M", 173, 68), ("L", 178, 76), ("XL", 183, 85)),
}
_LARGEST = "XXL"
LETTER_SIZES = ("XS", "S", "M", "L", "XL", "XXL")

_NUMBER = r"(\d+(?:\.\d+)?)"
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "零": 0}
_FEET = re.compile(r"(\d)\s*(?:'|’|ft|feet|foot)\s*(\d{1,2})?", re.I)
_METRES_AND = re.compile(r"[1一]米([一二三四五六七八九\d])([一二三四五六七八九零\d])?")  # 一米七, 1米75
_HEIGHTS = (
    (re.compile(rf"{_NUMBER}\s*(?:cm|厘米|公分)", re.I), 1.0),
    (re.compile(r"(1\.\d{1,2})\s*(?:m|米)(?![a-z])", re.I), 100.0),
    (re.compile(rf"(?:身高|height)\D{{0,6}}?{_NUMBER}", re.I), 1.0),
)
# a bare height, last: a number 140-209 that no unit makes a weight, a price or a size ("180的个子", "165 50kg")
_BARE_HEIGHT = re.compile(
    r"(?<![\d.#])(1[4-9]\d|20\d)(?![\d.])"
    r"(?!\s*(?:kg|公斤|千克|斤|lbs?|pounds?|块|元|rmb|usd|\$|码|号|以内|以下|之内|左右|上下|多))",
    re.I,
)
# a height or weight said outright: a unit or a word for it, not a bare number ("200以内" is a budget)
_OUTRIGHT = re.compile(
    r"身高|体重|个子|个儿|height|weigh|tall|[1一]米"
    r"|\d\s*(?:cm|厘米|公分|kg|公斤|千克|斤|lbs?|pounds?|'|’|ft|feet)",
    re.I,
)
_PRICE_BEFORE = re.compile(r"(?:under|below|over|above|than|budget|within|\$|¥|预算|低于|高于)\s*$", re.I)
_WEIGHTS = (
    (re.compile(rf"{_NUMBER}\s*(?:kg|kgs|公斤|千克|kilos?)", re.I), 1.0),
    (re.compile(rf"{_NUMBER}\s*斤"), 0.5),
    (re.compile(rf"{_NUMBER}\s*(?:lbs?|pounds?)", re.I), 0.4536),
)
_BARE_WEIGHT = re.compile(rf"(?:体重|weigh(?:t|s)?)\D{{0,6}}?{_NUMBER}", re.I)
_FOOT = re.compile(r"(?:脚长|脚|foot\s+length|foot\s+is|feet\s+are)\D{0,6}?(\d{2}(?:\.\d)?)", re.I)
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class BodyMeasures:
    height_cm: float | None
    weight_kg: float | None
    foot_cm: float | None = None

    @property
    def shoe_size(self) -> str | None:
        """The European shoe size for the foot ("脚长25厘米": 40): 1.5 x the last, 1.5 cm longer than the foot
        (the Paris point), rounded to a whole size."""
        return None if self.foot_cm is None else str(round(1.5 * (self.foot_cm + 1.5)))

    def letter_size(self, gender: str) -> str | None:
        """The guide's letter size for "women" or "men" (another gender: None): by the weight, which a
        garment's fit follows more than the height; by the height when no weight is given."""
        guide = _GUIDE.get(gender)
        if guide is None:
            return None
        value, column = (self.weight_kg, 2) if self.weight_kg is not None else (self.height_cm, 1)
        return next((row[0] for row in guide if (value or 0) <= row[column]), _LARGEST)

    def described(self, language: str) -> str:
        """ "170 cm and 60 kg", "身高170cm、体重60kg"."""
        height, weight = (f"{round(v)}" if v is not None else None for v in (self.height_cm, self.weight_kg))
        key = "height_and_weight" if height and weight else "height_only" if height else "weight_only"
        return say(key, language, height=height, weight=weight)


def states_body(text: str) -> bool:
    """Whether a message says a height or weight outright, with a unit or a word for it: a request's bare
    number is more likely a budget ("裙子200以内") than a height."""
    return _OUTRIGHT.search(text) is not None


def letter_sized(sizes: Collection[str]) -> bool:
    """Whether a garment comes in the guide's letter sizes (not shoes' 39-46, not "one size")."""
    return any(size.upper() in LETTER_SIZES for size in sizes)


def body_measures(text: str) -> BodyMeasures | None:
    """The height, weight and foot length a message states, each in a plausible range (140-210 cm, 30-160 kg,
    20-32 cm); None if none."""
    height, weight, foot = _height_cm(text), _weight_kg(text), _foot_cm(text)
    height = height if height and 140 <= height <= 210 else None
    weight = weight if weight and 30 <= weight <= 160 else None
    foot = foot if foot and 20 <= foot <= 32 else None
    return BodyMeasures(height, weight, foot) if height or weight or foot else None


def _foot_cm(text: str) -> float | None:
    return float(match.group(1)) if (match := _FOOT.search(text)) else None


def _height_cm(text: str) -> float | None:
    if match := _FEET.search(text):
        return round((int(match.group(1)) * 12 + int(match.group(2) or 0)) * 2.54, 1)
    if match := _METRES_AND.search(text):
        return 100 + 10 * _digit(match.group(1)) + (_digit(match.group(2)) if match.group(2) else 0)
    if (height := _with_unit(text, _HEIGHTS, 140, 210)) is not None:
        return height
    bare = [m for m in _BARE_HEIGHT.finditer(text) if not _PRICE_BEFORE.search(text[: m.start()])]
    return float(bare[0].group(1)) if bare else None


def _weight_kg(text: str) -> float | None:
    """A weight with its unit; a bare one ("体重120", "I weigh 150") over 100 is in 斤 (half a kilogram) in
    Chinese and in pounds in English, as shoppers mean them."""
    if (weight := _with_unit(text, _WEIGHTS, 30, 160)) is not None:
        return weight
    if match := _BARE_WEIGHT.search(text):
        raw = float(match.group(1))
        return raw if raw <= 100 else round(raw * (0.5 if _CHINESE.search(text) else 0.4536), 1)
    return None


def _digit(character: str) -> int:
    return int(character) if character.isdigit() else _DIGITS[character]


def _with_unit(text: str, patterns: tuple[tuple[re.Pattern[str], float], ...], low: float, high: float) -> float | None:
    """The first figure a pattern finds in [low, high] once in its unit ("脚长25cm" is no height)."""
    for pattern, unit in patterns:
        for match in pattern.finditer(text):
            if low <= (value := round(float(match.group(1)) * unit, 1)) <= high:
                return value
    return None
