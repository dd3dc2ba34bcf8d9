"""What the catalogue holds: "which brands do you have?", "what colours do the hoodies come in?".

A question about the range names what it asks about (brands, colours, sizes, ...) in its words; the
answer counts that field's values over the items the shopper's other wishes allow, and offers the
most common ones as buttons that ask for them.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from shopguide.conversation.messages import name_of, say
from shopguide.replies.product_cards import Reply, price_text
from shopguide.search.query_parser import PhraseFinder, plural
from shopguide.store.filters import Constraints
from shopguide.store.garment_store import GarmentStore, metadata_values

RANGE_SAMPLE = 2_000  # items read to count values: a count over more would cost a large catalogue seconds
LISTED = 12  # values named in the answer
BUTTONS = 6  # of them offered as buttons
# field -> the words that ask about it, English (also plural) and Chinese
FACET_WORDS: dict[str, tuple[str, ...]] = {
    "brand": ("brand", "make", "label", "designer", "maker", "品牌", "牌子"),
    "colours": ("colour", "color", "colourful", "colorful", "shade", "颜色", "色"),
    "sizes_in_stock": ("size", "尺码", "尺寸", "码"),
    "material": ("material", "fabric", "材质", "面料", "材料"),
    "pattern": ("pattern", "print", "图案", "花纹", "印花"),
    "category": ("kind", "type", "category", "品类", "种类", "款"),
    "price": ("price", "cost", "how much", "expensive", "价格", "价位", "价钱", "多少钱"),
}
FACET_SLOT = {
    "brand": "brand",
    "colours": "colour",
    "sizes_in_stock": "size",
    "material": "material",
    "pattern": "pattern",
    "category": "category",
    "price": "budget_max",
}


FACET_FINDER = PhraseFinder(
    {
        form: facet
        for facet, words in FACET_WORDS.items()
        for word in words
        for form in ((word, plural(word)) if word.isascii() else (word,))
    }
)


def asked_facet(text: str) -> str | None:
    """The field a question about the range asks about: the first one its words name; None when they
    name none ("what do you sell?", "what jackets do you have?")."""
    found = FACET_FINDER.find(text.lower())
    return found[0][2] if found else None


LETTER_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")


def size_order(size: str) -> tuple[int, float, str]:
    """Letter sizes from small to large, then numbers ascending, then anything else by name."""
    if size.upper() in LETTER_SIZES:
        return (0, LETTER_SIZES.index(size.upper()), "")
    try:
        return (1, float(size), "")
    except ValueError:
        return (2, 0.0, size)


def closest_sizes(size: str, in_stock: list[str], count: int = 2) -> list[str]:
    """The sizes in stock nearest the one asked for (45 and 46 for a 47; XL and XXL for an XXXL), small
    to large; sizes of another kind (letters for a number) come last."""
    kind, position, _ = size_order(size)

    def distance(other: str) -> float:
        other_kind, other_position, _ = size_order(other)
        return abs(other_position - position) if other_kind == kind < 2 else math.inf

    return sorted(sorted(in_stock, key=distance)[:count], key=size_order)


@dataclass
class CatalogueRange:
    facet: str
    counts: list[tuple[str, int]]  # most common first; sizes from small to large
    complete: bool  # every matching item was counted (else the counts are of a sample)
    prices: list[float] = field(default_factory=list)  # ascending
    currency: str = ""

    @property
    def values(self) -> list[str]:
        return [value for value, _ in self.counts]

    def is_empty(self) -> bool:
        return not (self.counts or self.prices)


def catalogue_range(
    store: GarmentStore,
    constraints: Constraints,
    facet: str,
    sample: int = RANGE_SAMPLE,
    prefer: Collection[str] = (),
) -> CatalogueRange:
    """The values of `facet` among the items matching `constraints` (at most `sample` of them), with how
    many items have each; for the price, the items' prices. `prefer`: tags or materials (soft wishes);
    when some of the items carry one, only those count (the kinds to offer for "something for a summer
    party" are those with party or summer wear)."""
    found = store.filtered_metadata(constraints, sample)
    wished = set(prefer)
    metadatas = [m for m in found if wished & {*metadata_values(m, "tags"), m.get("material")}] or found
    counted = [] if facet == "price" else metadatas
    counts = Counter(value for metadata in counted for value in metadata_values(metadata, facet))
    if facet == "sizes_in_stock":
        ordered = sorted(counts.items(), key=lambda pair: size_order(pair[0]))
    else:
        ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    prices = sorted(m["price"] for m in metadatas if facet == "price" and m.get("price") is not None)
    currencies = Counter(m.get("currency") for m in metadatas if m.get("currency")).most_common(1)
    currency = currencies[0][0] if currencies else ""
    return CatalogueRange(facet, ordered, len(found) < sample, prices, currency)


def wish_payload(facet: str, value: str) -> str:
    """A button's message that wants this value: an intent with the value as its entity, which Rasa
    takes as it is (words would go through NLU, and "show me navy ones" may not read as a wish)."""
    intent = "search_products" if facet == "category" else "inform"
    entity = "budget" if facet == "price" else FACET_SLOT[facet]
    return f"/{intent}{json.dumps({entity: value}, ensure_ascii=False, separators=(',', ':'))}"


def range_buttons(found: CatalogueRange, language: str, limit: int = BUTTONS) -> list[dict[str, str]]:
    """Buttons that ask for the commonest values; for the price, budgets that keep the cheapest quarter
    and the cheaper half of the items."""
    if found.facet != "price":
        wanted = [(name_of(value, language), value) for value in found.values[:limit]]
    elif found.prices:
        caps = dict.fromkeys(math.ceil(p) for p in _quartiles(found.prices)[:2] if p > found.prices[0])
        wanted = [(words, words) for words in (say("range_budget", language, cap=cap) for cap in caps)]
    else:
        wanted = []
    return [{"title": _title(title), "payload": wish_payload(found.facet, value)} for title, value in wanted]


def range_reply(found: CatalogueRange, wanted: str, language: str) -> Reply:
    """'For hoodie · women we have 4 colours: black (12), navy (9), ...' with the first few as buttons."""
    if found.facet == "price":
        return Reply(_price_text(found, wanted, language), buttons=range_buttons(found, language))
    if found.complete:
        named = [say("range_count", language, value=name_of(v, language), count=n) for v, n in found.counts]
    else:
        named = [name_of(v, language) for v in found.values]
    cut = len(named) > LISTED + 2  # "and 1 more" would say less than naming it
    listed = say("range_list_separator", language).join(named[:LISTED] if cut else named)
    if cut:
        listed += say("range_more", language, count=len(named) - LISTED)
    facet = say(f"range_{found.facet}", language)
    key = "range_of" if wanted else "range_all"
    text = say(key, language, wanted=wanted, count=len(named), facet=facet, values=listed)
    return Reply(text, buttons=range_buttons(found, language))


def _title(name: str) -> str:
    return name[:1].upper() + name[1:]


def _quartiles(prices: list[float]) -> list[float]:
    return statistics.quantiles(prices, n=4) if len(prices) > 1 else prices * 3


def _price_text(found: CatalogueRange, wanted: str, language: str) -> str:
    """'For jeans prices run from 25.00 to 120.00 USD; half of them between 40.00 and 75.00.'"""
    prices = found.prices
    quarter, _, three_quarters = _quartiles(prices)
    return say(
        "range_price_of" if wanted else "range_price",
        language,
        wanted=wanted,
        low=price_text(prices[0], found.currency),
        high=price_text(prices[-1], found.currency),
        quarter=price_text(quarter, found.currency),
        three_quarters=price_text(three_quarters, found.currency),
    )
