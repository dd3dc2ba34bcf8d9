"""Free text ("red summer dress under 50", "黑色男士夹克500以内") -> hard constraints + text to embed.

Only values the catalogue has become constraints: the catalogue's vocabulary (kept in the store)
decides, the lexicon translates shoppers' words into it. The text to embed keeps the shopper's
words except the price phrase, which the metadata filter handles better than any embedding.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shopguide.search.lexicon import (
    ANOTHER_COLOUR_WORDS,
    CATEGORY_GROUPS,
    CATEGORY_WORDS,
    CHOICE_WORDS,
    COLOUR_WORDS,
    EVERYDAY_WORDS,
    FIT_WORDS,
    FITS,
    GENDER_WORDS,
    MATERIAL_WORDS,
    NEGATION_WORDS,
    OTHER_STEP_WORDS,
    OUTFIT_WORDS,
    PATTERN_WORDS,
    PHOTO_WORDS,
    PRICE_MOVE_WORDS,
    PRICE_ORDER_WORDS,
    SERVICE_WORDS,
    SIZE_STEP_WORDS,
    TAG_WORDS,
)
from shopguide.search.number_words import numbers_to_digits
from shopguide.store.filters import Constraints

_NUMBER = r"(\d+(?:[.,]\d+)?)\s*(?:k\b)?"
_SIGNED_NUMBER = r"(-?\d+(?:[.,]\d+)?)\s*(?:k\b)?"
# "euros" before "eur", which left "os" behind
_MONEY = r"(?:[$€£¥￥]|usd|euros?|eur|gbp|rmb|cny|dollars?|pounds?|美元|美金|欧元|英镑|人民币|元|块钱|块)"
# the currency a price phrase names, longest words first ("美元" before "元")
_CURRENCY_WORDS = (
    ("美元", "USD"), ("美金", "USD"), ("欧元", "EUR"), ("英镑", "GBP"), ("人民币", "CNY"),
    ("dollar", "USD"), ("usd", "USD"), ("$", "USD"), ("euro", "EUR"), ("eur", "EUR"), ("€", "EUR"),
    ("pound", "GBP"), ("gbp", "GBP"), ("£", "GBP"), ("rmb", "CNY"), ("cny", "CNY"), ("¥", "CNY"),
    ("￥", "CNY"), ("元", "CNY"), ("块", "CNY"),
)  # fmt: skip
_CUR = rf"{_MONEY}?"
ABOUT_LEEWAY = 1.2  # "around 80" is a budget up to 96
_BELOW = r"under|below|less than|cheaper than|up to|at most|max(?:imum)?|no more than|<=?"
_PRICE_PATTERNS: list[tuple[str, str]] = [
    (rf"between\s*{_CUR}\s*{_NUMBER}\s*{_CUR}\s*and\s*{_CUR}\s*{_NUMBER}\s*{_CUR}", "range"),
    (rf"{_CUR}\s*{_NUMBER}\s*{_CUR}\s*(?:-|–|~|to|到|至)\s*{_CUR}\s*{_NUMBER}\s*{_CUR}(?:\s*之间)?", "range"),
    # "around 80 dollars", "80左右": a price near it; "about" only with money named ("tell me about 2")
    (rf"(?:around|roughly|approximately|approx\.?)\s*{_CUR}\s*{_NUMBER}\s*{_CUR}(?:\s*or so)?", "about"),
    (rf"\babout\s*(?:{_MONEY}\s*{_NUMBER}|{_NUMBER}\s*{_MONEY})|{_CUR}\s*{_NUMBER}\s*{_CUR}\s*or so", "about"),
    (rf"(?:大概|大约|差不多)\s*{_CUR}\s*{_NUMBER}\s*{_CUR}(?:\s*(?:左右|上下))?", "about"),
    (rf"{_CUR}\s*{_NUMBER}\s*{_CUR}\s*(?:左右|上下)", "about"),
    (rf"(?:{_BELOW})\s*{_CUR}\s*{_NUMBER}\s*{_CUR}", "max"),
    (rf"(?:预算|不超过|低于|少于)\s*{_CUR}\s*{_NUMBER}\s*{_CUR}(?:\s*(?:以内|以下|之内))?", "max"),
    (rf"{_CUR}\s*{_NUMBER}\s*{_CUR}\s*(?:以内|以下|之内|or less|and under|or under)", "max"),
    (rf"(?:over|above|more than|at least|from|>=?)\s*{_CUR}\s*{_NUMBER}\s*{_CUR}", "min"),
    (rf"(?:高于|超过)\s*{_CUR}\s*{_NUMBER}\s*{_CUR}", "min"),
    (rf"{_CUR}\s*{_NUMBER}\s*{_CUR}\s*(?:以上|or more|and up|plus)", "min"),
    # signed, so that "budget -5" is refused as a budget rather than read as 5 or missed
    (rf"\bbudget(?:\s+is|\s+of|\s*:)?\s*{_CUR}\s*{_SIGNED_NUMBER}\s*{_CUR}", "max"),
    # last, as "$100 and up" says more; "a jacket for 50 dollars" only with money named ("for 2 people")
    (rf"\bfor\s*{_MONEY}\s*{_NUMBER}|\bfor\s*{_NUMBER}\s*{_MONEY}", "max"),
]
_SIZE_PATTERN = re.compile(
    # after "size", a token that looks like one ("size 42", "size M", "size W32"), not "what size for ..."
    r"(?:\bsize\s+|尺码\s*|\bin\s+(?=(?:xxs|xs|s|m|l|xl|xxl|xxxl)\b))([a-z]{0,2}\d[a-z0-9]{0,2}|[xsml]{1,4})\b|"
    r"\b(xxs|xs|xl|xxl|xxxl)\b|"
    r"([smlx]{1,3}|\d{2})\s*码|"
    r"有\s*([smlx]{1,3}|\d{2})\s*(?:号|的)?\s*(?:吗|嘛|么|没)",  # "有L吗", "有42的吗": no 码, no word boundary
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u9fff]")


def singular(word: str) -> str:
    key = re.sub(r"[^a-z0-9]", "", word.lower())
    if key.endswith("ies"):
        return key[:-3] + "y"
    if key.endswith(("sses", "shes", "ches", "xes")):
        return key[:-2]
    if key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return key


@dataclass
class ParsedQuery:
    text: str
    constraints: Constraints
    matched: dict[str, str] = field(default_factory=dict)
    price_move: str | None = None  # "cheaper" or "pricier" than what is found (PRICE_MOVE_WORDS)
    tags: list[str] = field(default_factory=list)  # occasions, styles and fits the catalogue tags items with
    brand: str | None = None  # the first of the catalogue's brands the words name, as the catalogue spells it
    materials: list[str] = field(default_factory=list)  # the catalogue's materials named: they rank like tags
    # "green or blue", "shoes" (sneakers or boots): any of them will do, by slot (colour, category)
    choices: dict[str, list[str]] = field(default_factory=dict)

    def slot_values(self) -> dict[str, Any]:
        """The conversation's slot values these words name (the first category and colour, and the colours
        offered as alternatives: "green or blue"; the tags as the occasion and style the NLU would fill),
        those not named left out."""
        parsed = self.constraints
        found = {
            "category": parsed.categories[0] if parsed.categories else None,
            "colour": parsed.colours[0] if parsed.colours else None,
            "gender": parsed.gender,
            "pattern": parsed.pattern,
            "size": parsed.size,
            "budget_max": parsed.price_max,
            "budget_min": parsed.price_min,
            "style": " ".join(tag for tag in self.tags if tag in FITS) or None,
            "occasion": " ".join(tag for tag in self.tags if tag not in FITS) or None,
            "brand": self.brand,
            "material": self.materials[0] if self.materials else None,
            "avoided_colours": parsed.exclude_colours or None,
            "avoided_patterns": parsed.exclude_patterns or None,
            **{f"{slot}_choices": values for slot, values in self.choices.items() if values},
        }
        return {name: value for name, value in found.items() if value is not None}


def _to_number(text: str, whole: str) -> float:
    value = float(text.replace(",", "."))
    return value * 1000 if re.search(re.escape(text) + r"\s*k\b", whole, re.IGNORECASE) else value


def _price_phrase(digits: str) -> tuple[re.Match[str], str] | None:
    for pattern, kind in _PRICE_PATTERNS:
        match = re.search(pattern, digits, re.IGNORECASE)
        if match:
            return match, kind
    return None


@dataclass
class PricePhrase:
    low: float | None
    high: float | None
    rest: str  # the text without the price phrase
    currency: str | None  # the currency it names ("100元以内": CNY, "under $50": USD), None if none


def read_price(text: str) -> PricePhrase:
    """The price phrase of a text; numbers may be words ("under fifty", "五十块以内")."""
    digits = numbers_to_digits(text)
    found = _price_phrase(digits)
    if found is None:
        return PricePhrase(None, None, text, None)
    match, kind = found
    phrase = match.group(0)
    numbers = [_to_number(g, phrase) for g in match.groups() if g]
    rest = (digits[: match.start()] + " " + digits[match.end() :]).strip()
    currency = next((code for word, code in _CURRENCY_WORDS if word in phrase.lower()), None)
    if kind == "range":
        return PricePhrase(min(numbers), max(numbers), rest, currency)
    if kind == "about":  # a price near it: a little over is fine, and less is never unwelcome
        return PricePhrase(None, round(numbers[0] * ABOUT_LEEWAY, 2), rest, currency)
    low, high = (None, numbers[0]) if kind == "max" else (numbers[0], None)
    return PricePhrase(low, high, rest, currency)


def extract_price(text: str) -> tuple[float | None, float | None, str]:
    """(min, max, text without the price phrase), as `read_price` finds them."""
    price = read_price(text)
    return price.low, price.high, price.rest


class ValueIndex:
    """Catalogue values by the singular of their whole name and of each of their words, made once: a
    parser resolves every phrase it finds, and every turn parses a few dozen slot values."""

    def __init__(self, values: list[str]) -> None:
        self._whole: dict[str, list[str]] = {}
        self._words: dict[str, list[str]] = {}
        for value in values:
            self._whole.setdefault(singular(value), []).append(value)
            for word in dict.fromkeys(singular(w) for w in value.split()):
                self._words.setdefault(word, []).append(value)

    def resolve(self, canonical: str) -> list[str]:
        """Catalogue values meaning `canonical`: the same word, else those one of whose words it is."""
        key = singular(canonical)
        return self._whole.get(key) or self._words.get(key, [])


def resolve(canonical: str, values: list[str]) -> list[str]:
    return ValueIndex(values).resolve(canonical)


class PhraseFinder:
    """Non-overlapping (start, end, value) of known phrases in a lower-case text, longest phrase first.
    The patterns are compiled once: a parser holds hundreds of phrases, more than re's own cache keeps,
    and every turn parses a few dozen slot values."""

    def __init__(self, phrases: dict[str, str]) -> None:
        self._patterns = [
            (phrase, re.compile(phrase_pattern(phrase)), value)
            for phrase, value in sorted(phrases.items(), key=lambda item: len(item[0]), reverse=True)
        ]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        taken = [False] * len(text)
        for phrase, pattern, value in self._patterns:
            if phrase not in text:  # the pattern matches only the phrase itself: most are absent
                continue
            for match in pattern.finditer(text):
                if not any(taken[match.start() : match.end()]):
                    taken[match.start() : match.end()] = [True] * (match.end() - match.start())
                    found.append((match.start(), match.end(), value))
        return sorted(found)

    def closest(self, words: str, cutoff: float = 0.8) -> str | None:
        """The value of the English phrase nearest to `words` when they are a near spelling of it
        ("jeens" -> jeans), else None."""
        phrases = {phrase: value for phrase, _, value in self._patterns if phrase.isascii()}
        found = difflib.get_close_matches(words, phrases, n=1, cutoff=cutoff)
        return phrases[found[0]] if found else None


BARE_WISH_WORDS = 4  # at most, in English
BARE_WISH_CHARACTERS = 8  # at most, in Chinese
_CHINESE_NEGATIONS = tuple(word for word in NEGATION_WORDS if _CJK.match(word))  # found inside words too


def is_bare_wish(text: str) -> bool:
    """Whether a message is short, and free of a "not", enough to mean just the wishes its words name
    ("oversized", "linen please", "宽松的"); a longer one says more than its catalogue words do."""
    words = re.findall(r"[a-z']+", text.lower())
    characters = _CJK.findall(text)
    if len(words) > BARE_WISH_WORDS or len(characters) > BARE_WISH_CHARACTERS:
        return False
    return not negates(text)


# a word that turns down what follows it, up to the end of its clause ("not red", "anything but black",
# "不要红色的"); 别 not inside 特别 (especially) and the like
_AVOID_CUE = re.compile(
    r"(?<![a-z'])(?:not|no|never|don'?t|without|except|anything but|other than|besides|hate)(?![a-z'])"
    r"|不要|不想要|(?<!是)不是|(?<![特区分级类个])别|除了|讨厌|不喜欢"
)
_CLAUSE_END = re.compile(r"[,.;!?，。；！？]|(?<![a-z])(?:but|and|instead)(?![a-z])|但|而是|换成|只要|就要")


def avoided_clauses(text: str) -> list[str]:
    """The parts of a message that say what is not wanted: from each turning word to its clause's end."""
    clauses = []
    for cue in _AVOID_CUE.finditer(text):
        end = _CLAUSE_END.search(text, cue.end())
        clauses.append(text[cue.end() : end.start() if end else len(text)])
    return clauses


def negates(text: str) -> bool:
    """Whether a message has a word that turns its wishes around ("no linen", "not for the office", "不要宽松的")."""
    words, chinese = re.findall(r"[a-z']+", text.lower()), _QUESTION_PAIRS.sub("", text)
    return bool(NEGATION_WORDS.intersection(words)) or any(word in chinese for word in _CHINESE_NEGATIONS)


def mentions_photo(text: str) -> bool:
    """Whether a message speaks of photos ("can I send a picture?", "拍照找同款")."""
    return any(word in text.lower() for word in PHOTO_WORDS)


def asks_another_colour(text: str) -> bool:
    """Whether a message asks for the same in other colours ("换个颜色", "any other colours?")."""
    return _first(_ANOTHER_COLOUR, text) is not None


def price_order(text: str) -> str | None:
    """ "cheapest" or "dearest" first, when a message asks for the garments by price ("最便宜的")."""
    return _first(_PRICE_ORDER, text)


# "短一点的" (shorter), "a bit bigger": a step along a measure other than the price, which NLU took for
# one ("more expensive": 一点 is how 贵一点 ends); the catalogue lists sizes, not lengths or thicknesses
_OTHER_STEP = re.compile(
    rf"(?<![a-z])(?:{'|'.join(OTHER_STEP_WORDS)})(?![a-z])|[短长薄厚宽紧大小深浅软硬暖凉肥瘦]一?[点些]"
    r"|最[短长薄厚宽松紧深浅软硬暖凉]",  # "最暖和的" (the warmest); 最大 / 最小 may be a size
    re.I,
)
_PRICE_SPOKEN = re.compile(r"价|钱|预算|pric|cost|budget|cheap|expens|[$¥€£]", re.I)
_SIZE_STEP = re.compile(
    rf"(?<![a-z])(?:{'|'.join(SIZE_STEP_WORDS)}|(?:up|down) (?:a|one) size|(?:a |one )?size (?:up|down))(?![a-z])"
    r"|[大小肥瘦]一?[点些]|[大小]一个?[码号]",  # "大一码" (a size up), not "大码" (plus size)
    re.I,
)
# questions that hold a negation's character: "有没有" (is there), "是不是" (is it)
_QUESTION_PAIRS = re.compile(r"有没有|是不是|要不要|能不能|可不可以|好不好")


def other_step(text: str) -> str | None:
    """ "bigger" or "smaller" for a step to another size ("大一点的", "a bit smaller"), "other" for a step
    along a measure the catalogue holds no figure of ("短一点的", "something thinner"); None for the price
    or none."""
    if text.startswith("/") or _first(_PRICE_MOVES, text) or _PRICE_SPOKEN.search(text):
        return None
    if size := _SIZE_STEP.search(text):
        return "bigger" if re.search(r"bigger|larger|up|[大肥]", size.group(0), re.I) else "smaller"
    return "other" if _OTHER_STEP.search(text) else None


def names_a_fit(words: str, text: str) -> bool:
    """Whether the words are whom a fit is named for in the text ("boyfriend" in "boyfriend jeans")."""
    return any(words.strip().lower() in fit.group(0) for fit in _A_FIT_NAMED_FOR.finditer(text.lower()))


def asks_service(text: str) -> bool:
    """Whether a message asks about delivery, returns, payment or orders: the shop staff's questions."""
    return _first(_SERVICE, text) is not None


def takes_one(text: str) -> bool:
    """Whether a message chooses a garment to buy ("I'll take the second one", "就要这件了")."""
    return _first(_CHOICE, text.replace("\u2019", "'")) is not None


def asks_outfit(text: str) -> bool:
    """Whether a message asks what goes with a garment ("what shoes go with #2?", "2号怎么搭")."""
    return _first(_OUTFIT, text) is not None


def _first(finder: PhraseFinder, text: str) -> str | None:
    """The value of the first of the finder's phrases in the text."""
    found = finder.find(text.lower())
    return found[0][2] if found else None


def names_phrase(text: str, phrase: str) -> bool:
    """Whether the text holds the phrase as whole words (anywhere, for Chinese), whatever the case."""
    return re.search(phrase_pattern(phrase.casefold()), text.casefold()) is not None


def phrase_pattern(phrase: str) -> str:
    """Chinese phrases match anywhere, others as whole words ("men" not inside "women")."""
    return re.escape(phrase) if _CJK.search(phrase) else rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"


# what joins colours offered as alternatives: "green or blue", "red, black or white", "红的还是黑的"
_OR_JOIN = re.compile(r"(?:的)?\s*(?:,|/|，|、)?\s*(?:or|或者|或|还是)?\s*(?:maybe\s*)?")
_GENDERS = PhraseFinder(GENDER_WORDS)
_A_FIT_NAMED_FOR = re.compile(r"\b(?:boyfriend|girlfriend)[- ](?:jeans|fit|cut|style|shirts?|blazers?)\b")
_PATTERNS = PhraseFinder(PATTERN_WORDS)
_PRICE_MOVES = PhraseFinder(PRICE_MOVE_WORDS)


def plural(word: str) -> str:
    if word.endswith(("s", "x", "sh", "ch")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _blank(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The text with the found phrases' characters replaced by spaces (positions kept)."""
    for start, end, _ in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _brand_phrases(brands: list[str]) -> dict[str, str]:
    """Phrases that name each brand: its lower-case spelling, also without apostrophes ("levis")."""
    phrases: dict[str, str] = {}
    for brand in brands:
        for form in (brand.lower(), re.sub(r"['’]", "", brand.lower())):
            phrases.setdefault(form, brand)
    return phrases


def _vocabulary_phrases(values: list[str], lexicon: dict[str, str]) -> dict[str, str]:
    """Phrases that name each value: the lexicon's words, the value, its singular and its plural."""
    phrases = dict(lexicon)
    for value in values:
        for form in (value.lower(), singular(value), plural(value.lower())):
            phrases.setdefault(form, value)
    return phrases


class QueryParser:
    def __init__(self, vocabulary: dict[str, list[str]]) -> None:
        self.categories = vocabulary.get("category", [])
        self.colours = vocabulary.get("colours", [])
        self.patterns = vocabulary.get("pattern", [])
        self.genders = vocabulary.get("gender", [])
        self._category_finder = PhraseFinder(_vocabulary_phrases(self.categories, CATEGORY_WORDS))
        self._colour_finder = PhraseFinder(_vocabulary_phrases(self.colours, COLOUR_WORDS))
        self._category_index, self._colour_index = ValueIndex(self.categories), ValueIndex(self.colours)
        self._remembered_values: dict[tuple[str, str], Any] = {}  # parses, slot values, misspellings
        self.tags = vocabulary.get("tags", [])
        # only the lexicon's words for tags the catalogue has, and the catalogue's own tags
        tag_words = {w: t for w, t in {**TAG_WORDS, **FIT_WORDS}.items() if t in self.tags}
        self._tag_finder = PhraseFinder(_vocabulary_phrases(self.tags, tag_words))
        self._brand_finder = PhraseFinder(_brand_phrases(vocabulary.get("brand", [])))
        self.materials = vocabulary.get("material", [])
        material_words = {w: m for w, m in MATERIAL_WORDS.items() if m in self.materials}
        self._material_finder = PhraseFinder(_vocabulary_phrases(self.materials, material_words))
        self._everyday = EVERYDAY_WORDS | {
            word.lower()
            for table in (
                CATEGORY_WORDS,
                COLOUR_WORDS,
                GENDER_WORDS,
                PATTERN_WORDS,
                TAG_WORDS,
                FIT_WORDS,
                MATERIAL_WORDS,
            )
            for word in table
        }
        for name in ("category", "colours", "pattern", "gender", "material", "tags"):
            self._everyday |= {value.lower() for value in vocabulary.get(name, [])}

    def _kinds(self, canonical: str) -> list[str]:
        """The catalogue's kinds a word means: its own, else those of the group it names ("shoes": sneakers,
        boots, ... where the catalogue has no "shoes")."""
        own = self._category_index.resolve(canonical)
        return own or [
            kind for member in CATEGORY_GROUPS.get(canonical, ()) for kind in self._category_index.resolve(member)
        ]

    @staticmethod
    def _alternatives(
        lowered: str, spans: list[tuple[int, int, str]], resolve: Callable[[str], list[str]]
    ) -> list[str]:
        """The values named as alternatives: words joined by "or" ("green or blue", "红色或者黑色"; "black and
        white" is one look), or one word meaning several ("shoes"); [] for fewer than two."""
        if not all(_OR_JOIN.fullmatch(lowered[a[1] : b[0]]) for a, b in itertools.pairwise(spans)):
            return []
        values = list(dict.fromkeys(value for _, _, word in spans for value in resolve(word)))
        return values if len(values) > 1 else []

    def _colours_in(self, lowered: str) -> list[str]:
        found = self._colour_finder.find(lowered)
        return list(dict.fromkeys(value for _, _, colour in found for value in self._colour_index.resolve(colour)))

    def slot_value(self, slot: str, text: str) -> str | None:
        """The catalogue value that words name for a category, colour, gender, pattern or brand slot
        ("tees" -> "t-shirt", "蓝色" -> "blue"), None if none. Remembered: every turn asks again for the same few."""
        return self._remembered((slot, text), lambda: self.parse(text).slot_values().get(slot))

    def _remembered(self, key: tuple[str, str], find: Callable[[], Any]) -> Any:
        """What `find` gives for the key, found once while at most 4,096 are remembered: every turn's checks
        read the same few messages and slot values again."""
        if key not in self._remembered_values:
            if len(self._remembered_values) >= 4096:
                self._remembered_values.clear()
            self._remembered_values[key] = find()
        return self._remembered_values[key]

    def misspelt(self, slot: str, words: str) -> str | None:
        """The catalogue's category or colour that words of four letters or more misspell ("jeens",
        "yelow"), None if none is that near. Only for a slot's own words (an entity), not a whole message."""
        words = words.strip().lower()
        finders = {
            "category": (self._category_finder, self._category_index),
            "colour": (self._colour_finder, self._colour_index),
        }
        if slot not in finders or len(words) < 4 or words in OTHER_STEP_WORDS:  # "shorter" is no "shorts"
            return None
        finder, index = finders[slot]

        def find() -> str | None:
            value = finder.closest(words)
            return next(iter(index.resolve(value)), None) if value else None

        return self._remembered((f"misspelt {slot}", words), find)  # a kept slot is asked every turn

    def _brands(self, rest: str, lowered: str) -> tuple[list[str], str]:
        """The brands named in the text, and the lower-case text with their words blanked out ("Red Tape
        shoes" asks for no red). A brand that is an everyday word counts only with its capital."""
        found = []
        for start, end, brand in self._brand_finder.find(lowered):
            written = rest[start:end] if len(rest) == len(lowered) else brand
            if brand.lower() not in self._everyday or written[:1].isupper():
                found.append((start, end, brand))
        return [brand for _, _, brand in found], _blank(lowered, found)

    def parse(self, text: str) -> ParsedQuery:
        """What the words ask for. Remembered (a turn's checks read the same message a dozen times); each
        caller gets its own copy to change."""
        return copy.deepcopy(self._remembered(("parse", text), lambda: self._parse(text)))

    def _parse(self, text: str) -> ParsedQuery:
        price_min, price_max, rest = extract_price(text)
        brands, lowered = self._brands(rest, rest.lower())
        constraints = Constraints(price_min=price_min, price_max=price_max, brand=brands[0] if brands else None)
        matched: dict[str, str] = {}
        turned_down = " ".join(avoided_clauses(lowered))
        # "it's a hoodie, not a sweater" (a photo read as a sweater) wants hoodies only
        unwanted = {v for _, _, c in self._category_finder.find(turned_down) for v in self._kinds(c)}
        kinds = [span for span in self._category_finder.find(lowered) if not unwanted.issuperset(self._kinds(span[2]))]
        categories = [v for _, _, c in kinds for v in self._kinds(c) if v not in unwanted]
        avoided = self._colours_in(turned_down)
        colours = [colour for colour in self._colours_in(lowered) if colour not in avoided]
        constraints.categories = list(dict.fromkeys(categories))
        constraints.exclude_categories = sorted(unwanted)
        constraints.colours = list(dict.fromkeys(colours))
        constraints.exclude_colours = avoided
        colour_spans = [span for span in self._colour_finder.find(lowered) if span[2] not in avoided]
        choices = {
            "category": [c for c in self._alternatives(lowered, kinds, self._kinds) if c not in unwanted],
            "colour": [
                c for c in self._alternatives(lowered, colour_spans, self._colour_index.resolve) if c in colours
            ],
        }
        whom = _A_FIT_NAMED_FOR.sub(" ", lowered)  # "boyfriend jeans" are a women's fit
        genders = [g for _, _, g in _GENDERS.find(whom) if not self.genders or g in self.genders]
        constraints.gender = genders[0] if genders else None
        constraints.exclude_patterns = [p for _, _, p in _PATTERNS.find(turned_down) if p in self.patterns]
        patterns = [p for _, _, p in _PATTERNS.find(lowered) if p in self.patterns]
        patterns = [p for p in patterns if p not in constraints.exclude_patterns]
        constraints.pattern = patterns[0] if patterns else None
        size = _SIZE_PATTERN.search(rest)
        if size:
            constraints.size = next(g for g in size.groups() if g).upper()
        # a kind's words are not its material's ("牛仔裤", jeans, holds 牛仔, denim) nor its style's ("运动鞋",
        # sneakers, holds 运动, sport)
        unkind = _blank(lowered, kinds)
        tags = list(dict.fromkeys(tag for _, _, tag in self._tag_finder.find(unkind)))
        materials = list(dict.fromkeys(m for _, _, m in self._material_finder.find(unkind)))
        named = (
            ("category", categories),
            ("colour", colours),
            ("gender", genders),
            ("pattern", patterns),
            ("tags", tags),
            ("brand", brands),
            ("material", materials),
        )
        for name, value in named:
            if value:
                matched[name] = ", ".join(dict.fromkeys(value))
        moves = [move for _, _, move in _PRICE_MOVES.find(lowered)]
        text = rest if rest.strip() else text
        price_move = moves[0] if moves else None
        return ParsedQuery(text, constraints, matched, price_move, tags, constraints.brand, materials, choices)


# moves read past NLU, each compiled once (every shopping action checks the choice and the price order)
_ANOTHER_COLOUR = PhraseFinder(dict.fromkeys(ANOTHER_COLOUR_WORDS, "another colour"))
_PRICE_ORDER = PhraseFinder(PRICE_ORDER_WORDS)
_CHOICE = PhraseFinder(dict.fromkeys(CHOICE_WORDS, "chosen"))
_SERVICE = PhraseFinder(dict.fromkeys(SERVICE_WORDS, "service"))
_OUTFIT = PhraseFinder(dict.fromkeys(OUTFIT_WORDS, "outfit"))
