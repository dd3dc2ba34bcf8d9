"""Words shoppers use, in English and Chinese, mapped to the catalogue's canonical English values.

The catalogue's own vocabulary (read from the store) decides what exists; these tables only
translate the shopper's wording into it.
"""

from __future__ import annotations

GENDER_WORDS = {
    "men": "men", "man": "men", "mens": "men", "men's": "men", "male": "men", "guy": "men", "guys": "men",
    "women": "women", "woman": "women", "womens": "women", "women's": "women", "female": "women",
    "ladies": "women", "lady": "women", "girls": "girls", "girl": "girls", "boys": "boys", "boy": "boys",
    "unisex": "unisex",
    "男士": "men", "男款": "men", "男装": "men", "男": "men", "女士": "women", "女款": "women", "女装": "women",
    "女": "women", "男孩": "boys", "女孩": "girls", "中性": "unisex",
}

COLOUR_WORDS = {
    "gray": "grey", "navy": "navy", "navy blue": "navy blue",
    "红色": "red", "红": "red", "黑色": "black", "黑": "black", "白色": "white", "白": "white",
    "蓝色": "blue", "蓝": "blue", "海军蓝": "navy", "藏青": "navy", "绿色": "green", "绿": "green",
    "黄色": "yellow", "黄": "yellow", "粉色": "pink", "粉红": "pink", "粉": "pink", "紫色": "purple",
    "紫": "purple", "灰色": "grey", "灰": "grey", "棕色": "brown", "咖啡色": "brown", "棕": "brown",
    "米色": "beige", "卡其": "khaki", "橙色": "orange", "橙": "orange", "金色": "gold", "银色": "silver",
    "酒红": "maroon",
}

CATEGORY_WORDS = {
    "tee": "t-shirt", "tees": "t-shirt", "tshirt": "t-shirt", "t shirt": "t-shirt", "pants": "trousers",
    "trouser": "trousers", "sneaker": "sneakers", "trainers": "sneakers", "shoes": "shoes",
    "jumper": "sweater", "pullover": "sweater", "purse": "bag", "handbag": "bag", "cap": "hat",
    "连衣裙": "dress", "裙子": "skirt", "半身裙": "skirt", "衬衫": "shirt", "衬衣": "shirt", "t恤": "t-shirt",
    "短袖": "t-shirt", "上衣": "top", "女衫": "blouse", "夹克": "jacket", "外套": "jacket", "大衣": "coat",
    "风衣": "coat", "卫衣": "hoodie", "连帽衫": "hoodie", "毛衣": "sweater", "针织衫": "sweater",
    "西装": "blazer", "西服": "blazer", "牛仔裤": "jeans", "裤子": "trousers", "长裤": "trousers",
    "短裤": "shorts", "运动鞋": "sneakers", "球鞋": "sneakers", "靴子": "boots", "靴": "boots", "鞋": "shoes",
    "帽子": "hat", "围巾": "scarf", "包": "bag", "手提包": "bag",
}

PATTERN_WORDS = {
    "stripes": "striped", "stripe": "striped", "striped": "striped", "checked": "checked",
    "checks": "checked", "check": "checked", "plaid": "checked", "tartan": "checked", "dots": "dotted",
    "dotted": "dotted", "polka": "dotted", "floral": "floral", "flowers": "floral", "flowery": "floral",
    "plain": "plain", "solid": "plain", "条纹": "striped", "格子": "checked", "格纹": "checked",
    "波点": "dotted", "圆点": "dotted", "碎花": "floral", "印花": "floral", "花": "floral", "纯色": "plain",
}
