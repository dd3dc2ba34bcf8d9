"""Words shoppers use, in English and Chinese, mapped to the catalogue's canonical English values.

The catalogue's own vocabulary (read from the store) decides what exists; these tables only
translate the shopper's wording into it.
"""

from __future__ import annotations

GENDER_WORDS = {
    "men": "men",
    "man": "men",
    "mens": "men",
    "men's": "men",
    "male": "men",
    "guy": "men",
    "guys": "men",
    "women": "women",
    "woman": "women",
    "womens": "women",
    "women's": "women",
    "female": "women",
    "ladies": "women",
    "lady": "women",
    "girls": "girls",
    "girl": "girls",
    "boys": "boys",
    "boy": "boys",
    "unisex": "unisex",
    "husband": "men",
    "boyfriend": "men",
    "dad": "men",
    "father": "men",
    "wife": "women",
    "girlfriend": "women",
    "mom": "women",
    "mum": "women",
    "mother": "women",
    "老公": "men",
    "男朋友": "men",
    "爸爸": "men",
    "老婆": "women",
    "女朋友": "women",
    "妈妈": "women",
    "男士": "men",
    "男款": "men",
    "男装": "men",
    "男": "men",
    "女士": "women",
    "女款": "women",
    "女装": "women",
    "女": "women",
    "男孩": "boys",
    "女孩": "girls",
    "中性": "unisex",
    # whom a gift is for ("she likes red", "something for my sister"; "其他" holds 他, so not 他)
    "she": "women",
    "her": "women",
    "he": "men",
    "him": "men",
    "his": "men",
    "sister": "women",
    "brother": "men",
    "grandma": "women",
    "grandmother": "women",
    "grandpa": "men",
    "grandfather": "men",
    "她": "women",
    "姐姐": "women",
    "妹妹": "women",
    "奶奶": "women",
    "外婆": "women",
    "哥哥": "men",
    "弟弟": "men",
    "爷爷": "men",
    "外公": "men",
}

COLOUR_WORDS = {
    "gray": "grey",
    "navy": "navy",
    "navy blue": "navy blue",
    "红色": "red",
    "红": "red",
    "黑色": "black",
    "黑": "black",
    "白色": "white",
    "白": "white",
    "蓝色": "blue",
    "蓝": "blue",
    "海军蓝": "navy",
    "藏青": "navy",
    "绿色": "green",
    "绿": "green",
    "黄色": "yellow",
    "黄": "yellow",
    "粉色": "pink",
    "粉红": "pink",
    "粉": "pink",
    "紫色": "purple",
    "紫": "purple",
    "灰色": "grey",
    "灰": "grey",
    "棕色": "brown",
    "咖啡色": "brown",
    "棕": "brown",
    "米色": "beige",
    "卡其": "khaki",
    "橙色": "orange",
    "橙": "orange",
    "金色": "gold",
    "银色": "silver",
    "酒红": "maroon",
}

CATEGORY_WORDS = {
    "tee": "t-shirt",
    "tees": "t-shirt",
    "tshirt": "t-shirt",
    "tshirts": "t-shirt",
    "t shirt": "t-shirt",
    "pants": "trousers",
    "trouser": "trousers",
    "sneaker": "sneakers",
    "trainers": "sneakers",
    "shoes": "shoes",
    "footwear": "shoes",
    "top": "top",
    "tops": "top",
    "jumper": "sweater",
    "pullover": "sweater",
    "purse": "bag",
    "handbag": "bag",
    "cap": "hat",
    "连衣裙": "dress",
    "裙子": "dress or skirt",  # either, as a Chinese shop files them
    "半身裙": "skirt",
    "衬衫": "shirt",
    "衬衣": "shirt",
    "t恤": "t-shirt",
    "短袖": "t-shirt",
    "上衣": "top",
    "女衫": "blouse",
    "夹克": "jacket",
    "外套": "jacket",
    "大衣": "coat",
    "风衣": "coat",
    "卫衣": "hoodie",
    "连帽衫": "hoodie",
    "毛衣": "sweater",
    "针织衫": "sweater",
    "西装": "blazer",
    "西服": "blazer",
    "牛仔裤": "jeans",
    "裤子": "trousers",
    "长裤": "trousers",
    "短裤": "shorts",
    "运动鞋": "sneakers",
    "球鞋": "sneakers",
    "靴子": "boots",
    "靴": "boots",
    "鞋": "shoes",
    "帽子": "hat",
    "围巾": "scarf",
    "包": "bag",
    "手提包": "bag",
}

# words for several kinds of garment, where a catalogue has no kind of that name: "shoes" in a shop of
# sneakers and boots means either
CATEGORY_GROUPS = {
    "shoes": ("sneakers", "boots", "sandals", "heels", "flats", "loafers", "casual shoes", "formal shoes",
              "sports shoes", "flip flops"),
    "top": ("t-shirt", "shirt", "blouse", "tank top"),
    "dress or skirt": ("dress", "skirt"),
}  # fmt: skip

PATTERN_WORDS = {
    "stripes": "striped",
    "stripe": "striped",
    "striped": "striped",
    "checked": "checked",
    "checks": "checked",
    "check": "checked",
    "plaid": "checked",
    "tartan": "checked",
    "dots": "dotted",
    "dotted": "dotted",
    "polka": "dotted",
    "floral": "floral",
    "flowers": "floral",
    "flowery": "floral",
    "plain": "plain",
    "solid": "plain",
    "条纹": "striped",
    "格子": "checked",
    "格纹": "checked",
    "波点": "dotted",
    "圆点": "dotted",
    "碎花": "floral",
    "印花": "floral",
    "花": "floral",
    "纯色": "plain",
}

# "like this but cheaper": a price relative to what is found, not a budget ("cheaper than 50" is one,
# read by the price parser before these words are looked for)
PRICE_MOVE_WORDS = {
    "cheaper": "cheaper",
    "less expensive": "cheaper",
    "more affordable": "cheaper",
    "lower price": "cheaper",
    "便宜": "cheaper",
    "实惠": "cheaper",
    # a complaint about the price asks for cheaper ones ("好贵啊" was a "yes" to NLU: 好啊)
    "too expensive": "cheaper",
    "so expensive": "cheaper",
    "too pricey": "cheaper",
    "so pricey": "cheaper",
    "太贵": "cheaper",
    "好贵": "cheaper",
    "真贵": "cheaper",
    "这么贵": "cheaper",
    "more expensive": "pricier",
    "pricier": "pricier",
    "higher end": "pricier",
    "更贵": "pricier",
    "贵一点": "pricier",
    "贵一些": "pricier",
    "高档": "pricier",
}

# occasions and styles, as catalogues tag garments ("ideal for wedding and party wear"): a stated one ranks
# the items tagged with it first, never filters (few items carry each tag)
TAG_WORDS = {
    "wedding": "wedding",
    "weddings": "wedding",
    "婚礼": "wedding",
    "婚宴": "wedding",
    "party": "party",
    "parties": "party",
    "派对": "party",
    "聚会": "party",
    "evening": "evening",
    "night out": "evening",
    "dinner": "evening",
    "date night": "evening",
    "a date": "evening",
    "first date": "evening",
    "约会": "evening",
    "晚宴": "evening",
    "晚上": "evening",
    "office": "office",
    "work": "office",  # also "will it work in blue?" with a photo: a soft lift of office items, no filter
    "workwear": "office",
    "business": "office",
    "上班": "office",
    "办公": "office",
    "通勤": "office",
    "formal": "formal",
    "interview": "formal",
    "job interview": "formal",
    "面试": "formal",
    "正式场合": "formal",
    "正式": "formal",
    "正装": "formal",
    "casual": "casual",
    "everyday": "casual",
    "休闲": "casual",
    "日常": "casual",
    "summer": "summer",
    "夏天": "summer",
    "夏季": "summer",
    "winter": "winter",
    "冬天": "winter",
    "冬季": "winter",
    "warm": "winter",  # "something warm" (a photo search to NLU) asked for nothing the catalogue tags
    "warmer": "winter",
    "warmest": "winter",
    "最暖和": "winter",
    "最保暖": "winter",
    "cold weather": "winter",
    "保暖": "winter",
    "暖和": "winter",
    "thicker": "winter",
    "厚一点": "winter",
    "厚点": "winter",
    "厚实": "winter",
    "thinner": "summer",
    "薄一点": "summer",
    "薄点": "summer",
    "透气": "summer",
    "beach": "beach",
    "海边": "beach",
    "沙滩": "beach",
    "sport": "sport",
    "sports": "sport",
    "sporty": "sport",
    "gym": "sport",
    "running": "sport",
    "运动": "sport",
    "健身": "sport",
    "travel": "travel",
    "trip": "travel",
    "holiday": "travel",
    "旅行": "travel",
    "旅游": "travel",
}

# fits, as catalogues tag garments (the demo's "oversized", "slim", ...): they rank like the other tags
FIT_WORDS = {
    "slim": "slim",
    "slim fit": "slim",
    "slim-fit": "slim",
    "fitted": "slim",
    "修身": "slim",
    "regular fit": "regular",
    "regular-fit": "regular",
    "常规": "regular",
    "relaxed": "relaxed",
    "loose": "relaxed",
    "baggy": "relaxed",
    "宽松": "relaxed",
    "looser": "relaxed",
    "宽一点": "relaxed",
    "tighter": "slim",
    "紧一点": "slim",
    "oversized": "oversized",
    "oversize": "oversized",
    "廓形": "oversized",
    "straight": "straight",
    "straight-leg": "straight",
    "straight leg": "straight",
    "直筒": "straight",
    "wide-leg": "wide-leg",
    "wide leg": "wide-leg",
    "阔腿": "wide-leg",
    "skinny": "skinny",
    "紧身": "skinny",
}
FITS = frozenset(FIT_WORDS.values())

# materials, as catalogues name them: a stated one ranks the items made of it first, never filters (a
# catalogue's material column is sparse, and "a cotton or linen shirt" is a wish, not a rule); the first
# Chinese word of each is the one replies use
MATERIAL_WORDS = {
    "cotton": "cotton",
    "纯棉": "cotton",
    "全棉": "cotton",
    "棉质": "cotton",
    "棉": "cotton",
    "linen": "linen",
    "亚麻": "linen",
    "麻质": "linen",
    "denim": "denim",
    "牛仔": "denim",
    "丹宁": "denim",
    "wool": "wool",
    "woollen": "wool",
    "woolen": "wool",
    "羊毛": "wool",
    "毛呢": "wool",
    "polyester": "polyester",
    "涤纶": "polyester",
    "聚酯纤维": "polyester",
    "leather": "leather",
    "皮革": "leather",
    "真皮": "leather",
    "皮质": "leather",
    "silk": "silk",
    "真丝": "silk",
    "丝绸": "silk",
    "桑蚕丝": "silk",
    "cashmere": "cashmere",
    "羊绒": "cashmere",
    "canvas": "canvas",
    "帆布": "canvas",
    "suede": "suede",
    "麂皮": "suede",
    "绒面革": "suede",
    "fleece": "fleece",
    "抓绒": "fleece",
    "摇粒绒": "fleece",
    "corduroy": "corduroy",
    "灯芯绒": "corduroy",
    "chiffon": "chiffon",
    "雪纺": "chiffon",
    "nylon": "nylon",
    "尼龙": "nylon",
    "straw": "straw",
    "草编": "straw",
    "velvet": "velvet",
    "丝绒": "velvet",
    "satin": "satin",
    "缎面": "satin",
    "lace": "lace",
    "蕾丝": "lace",
}

# a step along a measure other than the price ("a bit shorter"), which the catalogue holds no figure of
OTHER_STEP_WORDS = frozenset(
    (  # noqa: SIM905 (a word list reads best as words)
        "shorter longer thinner thicker lighter heavier looser tighter bigger smaller larger warmer cooler "
        "softer darker brighter shortest longest thinnest thickest lightest heaviest loosest warmest softest"
    ).split()
)
SIZE_STEP_WORDS = ("bigger", "smaller", "larger")

# the words of English requests: Latin letters in a Chinese conversation with one of these are English
# ("I'll take number 2" got a Chinese reply; "XL", "ok" or a brand keep the conversation's language)
REQUEST_WORDS = frozenset(
    (  # noqa: SIM905 (a word list reads best as words)
        "the this that these those with for and you your what which how have want need like love take buy "
        "show more please thanks thank number first second third last another other outfit wear look find "
        "i'll i'd i'm hello hey"
    ).split()
)

# words that turn a wish around ("no linen", "not too oversized", "不要宽松的"): a short message with one
# is not read as the wish its other words name
NEGATION_WORDS = frozenset(
    (  # noqa: SIM905 (a word list reads best as words)
        "not no never don't dont doesn't without hate except nothing instead 不 没 别 除了 讨厌 不要"
    ).split()
)

# words of a message about photos ("can I send you a picture of a red dress?"), not a search for its wishes
# the same search in other colours ("换个颜色": card details to NLU; "in another colour": another style)
ANOTHER_COLOUR_WORDS = (
    "another colour",
    "another color",
    "other colour",
    "other color",
    "other colours",
    "other colors",
    "different colour",
    "different color",
    "different colours",
    "different colors",
    "换个颜色",
    "换一个颜色",
    "换种颜色",
    "换一种颜色",
    "别的颜色",
    "其他颜色",
    "其它颜色",
    "别的色",
    "不同颜色",
)

# the matching garments ordered by price ("the cheapest ones" was a step cheaper than the cards shown)
PRICE_ORDER_WORDS = {
    "cheapest": "cheapest",
    "lowest price": "cheapest",
    "least expensive": "cheapest",
    "sort by price": "cheapest",
    "sorted by price": "cheapest",
    "最便宜": "cheapest",
    "价格最低": "cheapest",
    "按价格排序": "cheapest",
    "从便宜到贵": "cheapest",
    "most expensive": "dearest",
    "priciest": "dearest",
    "highest price": "dearest",
    "最贵": "dearest",
    "价格最高": "dearest",
    "从贵到便宜": "dearest",
}

# a card chosen ("I'll take this one" was "not this one" to NLU, "就要这件了" a photo search)
CHOICE_WORDS = (
    "i'll take it",
    "i'll take this",
    "i'll take that",
    "i'll take the",
    "i'll take number",
    "i will take it",
    "i will take this",
    "i will take that",
    "i will take the",
    "i'll buy",
    "i will buy",
    "i'll go with",
    "i will go with",
    "i'll get this",
    "i'll get that",
    "i'll get it",
    "that's the one",
    "buy this one",
    "buy that one",
    "就要这",
    "就要它",
    "就要第",
    "就买这",
    "就买第",
    "就买它",
    "就它了",
    "就这件了",
    "就这个了",
    "就这双了",
    "买这件",
    "买这个",
    "买这双",
    # the shop's own words for it: the cart is the retailer's site, which the chosen card's link opens
    "add to cart",
    "add it to cart",
    "add it to my cart",
    "add to my cart",
    "add to basket",
    "add it to my basket",
    "加入购物车",
    "加购物车",
    "放进购物车",
    "加购",
)

# what asks for an outfit around a card; without them "something with flowers" (an outfit to NLU) is a wish
OUTFIT_WORDS = (
    "outfit",
    "go with",
    "goes with",
    "go well",
    "goes well",
    "wear with",
    "wear it with",
    "pair",
    "match",
    "matches",
    "complete the look",
    "put together",
    "style it",
    "how do i style",
    "help me style",
    "complete look",
    "full look",
    "whole look",
    "what should i wear",
    "what to wear",
    "what do i wear",
    "what can i wear",
    "搭",
    "一套",
    "一身",
    "穿什么好",
    "该穿什么",
    "穿什么衣服",
    "配",
)

# questions for the shop's staff, not about garments ("how long is shipping?" was a card's details to NLU)
SERVICE_WORDS = (
    "shipping", "ship to", "delivery", "deliver", "refund", "return policy", "returns", "return it",
    "return this", "return an item", "can i return", "exchange it", "warranty", "payment", "pay with",
    "paypal", "credit card", "order status", "my order", "track my", "tracking number", "store hours",
    "opening hours", "coupon", "promo code", "discount code",
    "运费", "快递", "发货", "退货", "退款", "换货", "包邮", "多久能到", "几天能到", "几天到", "付款", "支付",
    "信用卡", "订单", "物流", "优惠券", "营业时间",
)  # fmt: skip

PHOTO_WORDS = ("photo", "picture", "pic", "image", "selfie", "camera", "照片", "图片", "相片", "拍")

# everyday words that are also some retailer's brand ("the next one", "only in black", "show me more"):
# such a brand counts as named only when written with a capital ("Next", "ONLY"), as are brands that are
# one of the words above or a catalogue value ("Mango", "Coach")
EVERYDAY_WORDS = frozenset(
    (  # noqa: SIM905 (a word list reads best as words)
        "a about again all also an and any another as at basic be best big boss both but by can classic clean "
        "coach cool daily easy every express first for forever fresh from fun gap get give go good great guess "
        "hello hi how i in it just last less like little look love may me more most my new next nice no not now "
        "of off on one only or other our out people please plus pure real same see show simple smart so some "
        "sport style than thanks that the then these this those to too top true under up us very want we what "
        "when which wild with without yes you your"
    ).split()
)
