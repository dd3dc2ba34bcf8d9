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
_MEASURE = r"\s*(?:号|个|件|款|条|双|顶|套|只)"
_ORDINAL_WORDS = re.compile(rf"\b({'|'.join(_ORDINALS)})\b")
# "最后一个" is the last one, not the first; "第二个", "2号", "第三"
_CHINESE_NUMBER = re.compile(
    rf"最后一?(?:{_MEASURE})?|第?([一二两三四五六七八九十]){_MEASURE}|第([一二两三四五六七八九十])"
)


def parse_item_number(*sources: str | None) -> int | None:
    """The first item number found in the entity value(s) or the text, in that order."""
    for source in sources:
        numbers = item_numbers(source)
        if numbers:
            return numbers[0]
    return None


def item_numbers(text: str | None) -> list[int]:
    """Every item number a text names, in its order ("compare 1 and 3": [1, 3]; -1 for "the last"):
    its digits, else its ordinal words, else its Chinese numbers."""
    text = (text or "").lower()
    for find in (_digits, _ordinal_words, _chinese_numbers):
        numbers = list(dict.fromkeys(find(text)))
        if numbers:
            return numbers
    return []


def _digits(text: str) -> list[int]:
    return [int(digits) for digits in re.findall(r"\d+", text)]


def _ordinal_words(text: str) -> list[int]:
    """Ordinal and number words; "one" after one of them is the noun ("the third one"), not 1."""
    numbers, previous_end = [], None
    for match in _ORDINAL_WORDS.finditer(text):
        noun = match.group(1) == "one" and previous_end is not None and not text[previous_end : match.start()].strip()
        if not noun:
            numbers.append(_ORDINALS[match.group(1)])
        previous_end = match.end()
    return numbers


def _chinese_numbers(text: str) -> list[int]:
    """ "第二个", "2号"-style numbers in Chinese characters; -1 for "最后一个" (the last)."""
    numbers = []
    for match in _CHINESE_NUMBER.finditer(text):
        character = match.group(1) or match.group(2)
        numbers.append(_CHINESE[character] if character else -1)
    return numbers


def names_a_card(text: str | None, number: int) -> bool:
    """Whether the words call the number a card's ("number 14", "#14", "item 14", "第14件"), not a size
    ("is it available in 43?", "有43码吗")."""
    card = rf"(?:#|\bnumber|\bno\.?|\bnr\.?|\bitem|\bproduct|\boption|第)\s*{number}(?!\d)"
    return re.search(card, (text or "").lower()) is not None


_TRUE_ORDINALS = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)\b")
_CHINESE_ORDINAL = re.compile(r"第([一二两三四五六七八九十])")


def card_named(text: str | None) -> int | None:
    """The card the words name outright where NLU tagged none ("#2 in red": a size 2 to one model): a
    number called a card's ("#2", "number 2"), else an ordinal ("the second one", "第一件"); not a bare
    number or "one" ("one in red", "两件")."""
    text = (text or "").lower()
    called = [number for number in _digits(text) if names_a_card(text, number)]
    ordinals = [_ORDINALS[word] for word in _TRUE_ORDINALS.findall(text)]
    ordinals += [_CHINESE[character] for character in _CHINESE_ORDINAL.findall(text)]
    return next(iter(called + ordinals), None)


_THAN_A_CARD = re.compile(r"\b(cheaper|less expensive|pricier|more expensive|dearer)\s+than\s+(.+)", re.IGNORECASE)
_THAN_A_CARD_ZH = re.compile(r"比(.{1,6}?)(?:还|更)?(便宜|贵)")
# "the second one but cheaper", "like #2 but pricier", "第二件但是便宜一点的"
_CARD_BUT = re.compile(r"(.{1,40}?)\s*,?\s*but\s+(cheaper|less expensive|pricier|more expensive|dearer)\b", re.I)
_CARD_BUT_ZH = re.compile(r"(.{1,8}?)(?:那种|那样|一样的?)?(?:但是?|可是|不过)(?:再|更)?(便宜|贵)")


def price_step_from_card(text: str | None) -> tuple[bool, int] | None:
    """ "anything cheaper than the second one?", "有比第二件便宜的吗", "the second one but cheaper": (cheaper, the
    card's number); None when the words name no card after "than" (or before "but"), or compare two ("is #2
    cheaper than #1?" asks which is)."""
    text = text or ""
    if len(item_numbers(text)) > 1:
        return None
    if match := _THAN_A_CARD.search(text):
        cheaper, card = match.group(1).lower() in ("cheaper", "less expensive"), match.group(2)
    elif match := _CARD_BUT.search(text):
        cheaper, card = match.group(2).lower() in ("cheaper", "less expensive"), match.group(1)
    elif match := _THAN_A_CARD_ZH.search(text) or _CARD_BUT_ZH.search(text):
        cheaper, card = match.group(2) == "便宜", match.group(1)
    else:
        return None
    counted = re.match(rf"(\d+){_MEASURE}", card)  # "2号", not "50块"
    number = (
        card_named(card) or next(iter(_chinese_numbers(card)), None) or (int(counted.group(1)) if counted else None)
    )
    return (cheaper, number) if number else None
