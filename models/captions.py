"""Bilingual training text built from a catalogue's attributes, and short descriptions of a garment.

Heads trained on English titles alone did not carry over to Chinese queries (precision@10 0.06-0.10
in a prototype), so every item also gets template captions in English and Chinese made from its
labels. Names missing from these tables fall back to the catalogue's own (English) value.
"""

from __future__ import annotations

import random
import re

from models.colour import chinese_colour

TYPE_ZH = {
    "tshirts": "T恤",
    "shirts": "衬衫",
    "casual shoes": "休闲鞋",
    "tops": "上衣",
    "kurtas": "库尔塔长衫",
    "sports shoes": "运动鞋",
    "watches": "手表",
    "handbags": "手提包",
    "heels": "高跟鞋",
    "sunglasses": "太阳镜",
    "sweaters": "毛衣",
    "wallets": "钱包",
    "sandals": "凉鞋",
    "flip flops": "人字拖",
    "sweatshirts": "卫衣",
    "belts": "腰带",
    "trousers": "长裤",
    "formal shoes": "正装鞋",
    "jeans": "牛仔裤",
    "socks": "袜子",
    "jackets": "夹克",
    "flats": "平底鞋",
    "backpacks": "双肩包",
    "briefs": "内裤",
    "shorts": "短裤",
    "innerwear vests": "背心",
    "caps": "帽子",
    "track pants": "运动裤",
    "ties": "领带",
    "kurtis": "短款库尔塔",
    "clutches": "手拿包",
    "mufflers": "围巾",
    "dresses": "连衣裙",
    "skirts": "半身裙",
    "scarves": "丝巾",
    "capris": "七分裤",
    "tunics": "束腰上衣",
    "leggings": "打底裤",
    "blazers": "西装外套",
    "dress": "连衣裙",
    "skirt": "半身裙",
    "shirt": "衬衫",
    "t-shirt": "T恤",
    "jacket": "夹克",
    "coat": "大衣",
    "hoodie": "连帽衫",
    "sweater": "毛衣",
    "blazer": "西装外套",
    "sneakers": "运动鞋",
    "boots": "靴子",
    "hat": "帽子",
    "bag": "包",
    "scarf": "围巾",
}
GENDER_ZH = {"men": "男士", "women": "女士", "unisex": "中性", "boys": "男孩", "girls": "女孩"}
GENDER_EN = {"men": "men", "women": "women", "unisex": "anyone", "boys": "boys", "girls": "girls"}
PATTERN_ZH = {
    "striped": "条纹",
    "checked": "格子",
    "printed": "印花",
    "solid": "纯色",
    "floral": "碎花",
    "dotted": "波点",
}
PATTERN_IN_TITLES = {
    "striped": "striped",
    "stripes": "striped",
    "checked": "checked",
    "check": "checked",
    "printed": "printed",
    "print": "printed",
    "graphic": "printed",
    "solid": "solid",
    "plain": "solid",
    "floral": "floral",
    "polka": "dotted",
    "dotted": "dotted",
}


def chinese_type(name: str) -> str:
    return TYPE_ZH.get(name.strip().lower(), name)


def singular(name: str) -> str:
    """'tshirts' -> 't-shirt', 'shirts' -> 'shirt', 'dresses' -> 'dress' (good enough for captions)."""
    name = name.strip().lower().replace("tshirt", "t-shirt")
    if name.endswith(("sses", "ches", "shes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith(("ss", *PLURAL_ONLY)):
        return name[:-1]
    return name


def pattern_from_title(title: str) -> str | None:
    """The pattern word a title names (myntra has no pattern column but says 'Striped', 'Solid'...)."""
    for word in re.findall(r"[a-z]+", title.lower()):
        if word in PATTERN_IN_TITLES:
            return PATTERN_IN_TITLES[word]
    return None


PLURAL_ONLY = ("jeans", "shorts", "trousers", "pants", "leggings", "capris", "tights", "joggers", "chinos")


def english_words(category: str | None, colour: str | None, pattern: str | None, gender: str | None = None) -> str:
    """'navy blue striped shirt for men'."""
    words = [w for w in (colour, pattern if pattern != "solid" else None, singular(category or "garment")) if w]
    suffix = f" for {GENDER_EN.get(gender, gender)}" if gender else ""
    return " ".join(words) + suffix


def english_phrase(category: str | None, colour: str | None, pattern: str | None, gender: str | None = None) -> str:
    """'a navy blue striped shirt for men', 'an orange dress', 'white checked trousers' (no article)."""
    phrase = english_words(category, colour, pattern, gender)
    if singular(category or "garment").endswith(PLURAL_ONLY):
        return phrase
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


MEASURE_WORDS = (("裤", "条"), ("裙", "条"), ("巾", "条"), ("领带", "条"), ("鞋", "双"), ("靴", "双"), ("袜", "双"))
MEASURE_WORDS += (("帽", "顶"), ("包", "个"))


def chinese_one(name: str) -> str:
    """'一' and the measure word a garment's Chinese name takes: 一条裤子, 一双运动鞋, 一顶帽子, else 一件."""
    return "一" + next((measure for ending, measure in MEASURE_WORDS if ending in name[-2:]), "件")


def chinese_phrase(category: str | None, colour: str | None, pattern: str | None, gender: str | None = None) -> str:
    """'一件男士海军蓝条纹衬衫', '一条白色格子长裤'."""
    kind = chinese_type(category or "服装")
    parts = [
        GENDER_ZH.get(gender or "", ""),
        chinese_colour(colour) if colour else "",
        PATTERN_ZH.get(pattern or "", "") if pattern != "solid" else "",
        kind,
    ]
    return chinese_one(kind) + "".join(parts)


def training_captions(
    title: str, category: str | None, colour: str | None, gender: str | None, pattern: str | None = None
) -> list[str]:
    """The texts an item is paired with in training: its title, then English and Chinese captions."""
    pattern = pattern or pattern_from_title(title)
    captions = [title]
    if category or colour:
        captions.append(english_words(category, colour, pattern, gender))
        captions.append(f"{colour or ''} {singular(category or '')}".strip())
        captions.append(chinese_phrase(category, colour, pattern, gender)[2:])
        captions.append(f"{chinese_colour(colour) if colour else ''}{chinese_type(category or '')}")
    return captions


def modifier_text(attribute: str, value: str, language: str = "en", rng: random.Random | None = None) -> str:
    """The shopper's change to a reference item: 'in red', 'for men', 'with stripes' / '红色的'..."""
    if language == "zh":
        if attribute == "colour":
            return f"换成{chinese_colour(value)}"
        if attribute == "gender":
            return f"{GENDER_ZH.get(value, value)}款"
        return f"{PATTERN_ZH.get(value, value)}的"
    if attribute == "colour":
        return (rng or random).choice([f"in {value}", f"but {value}", f"{value} instead"])
    if attribute == "gender":
        return f"for {GENDER_EN.get(value, value)}"
    return f"with a {value} pattern" if value not in ("striped", "checked") else f"{value} instead"


def phrases(category: str | None, colour: str | None, pattern: str | None) -> dict[str, str]:
    """The garment in words: ``{"en": "a navy blue striped shirt", "zh": "一件海军蓝条纹衬衫"}``."""
    return {"en": english_phrase(category, colour, pattern), "zh": chinese_phrase(category, colour, pattern)}
