"""Everything the assistant says from its actions, in English and Chinese.

Plain responses (greetings, form questions) live in bot/domain.yml with a Chinese variation
chosen by the `language` slot; these are the sentences that carry values.
"""

from __future__ import annotations

from shopguide.search.lexicon import (
    CATEGORY_WORDS,
    COLOUR_WORDS,
    FIT_WORDS,
    MATERIAL_WORDS,
    PATTERN_WORDS,
    TAG_WORDS,
)

TEMPLATES: dict[str, dict[str, str]] = {
    "found": {"en": "Here is what I found{wanted}:", "zh": "为你找到这些{wanted}："},
    "found_cheapest": {"en": "Cheapest first{wanted}:", "zh": "价格从低到高{wanted}："},
    "found_dearest": {"en": "Most expensive first{wanted}:", "zh": "价格从高到低{wanted}："},
    "wishes_missing": {"en": "no {wishes} ones", "zh": "没有{wishes}的"},
    "turned_down": {"en": "not {values}", "zh": "不要{values}"},
    "or_separator": {"en": " or ", "zh": "或"},
    "and_separator": {"en": " and ", "zh": "和"},
    "colour_secondary": {"en": "{colour} only as a second colour", "zh": "{colour}只是配色"},
    "found_photo": {
        "en": "Your photo looks like {description}. Similar items{wanted}:",
        "zh": "你的照片看起来是{description}。相似的商品{wanted}：",
    },
    "nothing": {"en": "Sorry, nothing in the catalogue matches {wanted}.", "zh": "抱歉，没有符合{wanted}的商品。"},
    "noted": {"en": "Noted: {wanted}.", "zh": "好的，记下了：{wanted}。"},
    "ask_category": {"en": "What kind of item are you looking for?", "zh": "你想找哪一类？"},
    "ask_colour": {"en": "Any colour in mind?", "zh": "喜欢什么颜色？"},
    "ask_budget_max": {"en": "What's your budget?", "zh": "预算大概多少？"},
    "skip_category": {"en": "Anything", "zh": "随便"},
    "skip_colour": {"en": "Any colour", "zh": "随便"},
    "skip_budget_max": {"en": "Any", "zh": "随便"},
    "range_all": {"en": "We have {count} {facet}: {values}.", "zh": "我们有{count}{facet}：{values}。"},
    "range_of": {"en": "For {wanted} we have {count} {facet}: {values}.", "zh": "{wanted}有{count}{facet}：{values}。"},
    "range_count": {"en": "{value} ({count})", "zh": "{value}（{count}件）"},
    "range_list_separator": {"en": ", ", "zh": "、"},
    "range_more": {"en": " and {count} more", "zh": "等（另有{count}个）"},
    "range_price": {
        "en": "Prices run from {low} to {high}; half of them between {quarter} and {three_quarters}.",
        "zh": "价格从{low}到{high}，一半在{quarter}到{three_quarters}之间。",
    },
    "range_price_of": {
        "en": "For {wanted} prices run from {low} to {high}; half of them between {quarter} and {three_quarters}.",
        "zh": "{wanted}的价格从{low}到{high}，一半在{quarter}到{three_quarters}之间。",
    },
    "range_budget": {"en": "under {cap}", "zh": "{cap}以内"},
    "range_brand": {"en": "brands", "zh": "个品牌"},
    "range_colours": {"en": "colours", "zh": "种颜色"},
    "range_sizes_in_stock": {"en": "sizes in stock", "zh": "个有货尺码"},
    "range_material": {"en": "materials", "zh": "种材质"},
    "range_pattern": {"en": "patterns", "zh": "种图案"},
    "range_category": {"en": "kinds of garment", "zh": "个品类"},
    "noted_plain": {"en": "Noted.", "zh": "好的，记下了。"},
    "not_carried": {"en": "Sorry, we don't carry {kind}.", "zh": "抱歉，我们没有{kind}。"},
    "not_carried_children": {
        "en": "Sorry, we don't carry children's clothing: everything here is for {whom}.",
        "zh": "抱歉，我们没有童装，这里的衣服都是{whom}的。",
    },
    "no_more": {"en": "That's everything I have for {wanted}.", "zh": "符合{wanted}的商品都给你看过了。"},
    "relax": {
        "en": " Without “{condition}” there would be {count}. Shall I drop it?",
        "zh": "如果去掉“{condition}”，有{count}件。要去掉吗？",
    },
    "no_such_item": {
        "en": "I showed {count} items; pick a number from 1 to {count}.",
        "zh": "我展示了{count}件商品，请选1到{count}之间的编号。",
    },
    "no_such_item_one": {
        "en": "I showed one item; it is number 1.",
        "zh": "我只展示了1件商品，它是1号。",
    },
    "nothing_shown": {
        "en": "I haven't shown you anything yet. Tell me what you're looking for.",
        "zh": "我还没有给你推荐商品，告诉我你想找什么吧。",
    },
    "details": {
        "en": "#{number} {title}: {price}. {description} Material: {material}. Sizes in stock: {sizes}.",
        "zh": "{number}号 {title}：{price}。材质：{material}。有货尺码：{sizes}。",
    },
    "compared_item": {
        "en": "#{number} {title}: {price} · {looks} · sizes in stock: {sizes}",
        "zh": "{number}号 {title}：{price} · {looks} · 有货尺码：{sizes}",
    },
    "compared_cheapest": {
        "en": "#{cheap} is the least expensive: {difference} less than #{dear}.",
        "zh": "{cheap}号最便宜，比{dear}号便宜{difference}。",
    },
    "size_advice": {"en": "{title} comes in {sizes}. {advice}", "zh": "{title}有这些尺码：{sizes}。{advice}"},
    "size_known": {"en": "Your size {size} is in stock.", "zh": "你的{size}码有货。"},
    "size_missing": {
        "en": "Your size {size} is sold out; closest in stock: {closest}.",
        "zh": "你的{size}码缺货，最接近的有货尺码：{closest}。",
    },
    "size_unknown": {
        "en": "Tell me your usual size and I'll check stock.",
        "zh": "告诉我你平时穿的尺码，我帮你查库存。",
    },
    "body_size": {
        "en": "By a general size guide (not this shop's own chart), {measures} is usually {size} in {whom} sizes.",
        "zh": "按通用尺码表（不是本店的尺码表），{measures}一般穿{whom}{size}码。",
    },
    "body_size_both": {
        "en": "By a general size guide (not this shop's own chart), {measures} is usually {women} in women's sizes"
        " and {men} in men's.",
        "zh": "按通用尺码表（不是本店的尺码表），{measures}一般穿女款{women}码、男款{men}码。",
    },
    "sizes_of_women": {"en": "women's", "zh": "女款"},
    "sizes_of_men": {"en": "men's", "zh": "男款"},
    "sentences": {"en": "{first} {second}", "zh": "{first}{second}"},
    "foot_size": {
        "en": "By a general shoe size guide, a foot {foot} cm long is usually a European {size}.",
        "zh": "按通用鞋码换算，脚长{foot}厘米一般穿{size}码（欧码）。",
    },
    "body_size_kept": {"en": "I'll look for {size} from now on.", "zh": "之后按{size}码帮你找。"},
    "body_size_not_letters": {
        "en": "For {title} the sizes are {sizes}: {measures} can't tell which. {advice}",
        "zh": "{title}的尺码是{sizes}，从{measures}看不出该穿哪个。{advice}",
    },
    "measures_body": {"en": "height and weight", "zh": "身高体重"},
    "measures_foot": {"en": "a foot length", "zh": "脚长"},
    "height_and_weight": {"en": "{height} cm and {weight} kg", "zh": "身高{height}cm、体重{weight}kg"},
    "height_only": {"en": "a height of {height} cm", "zh": "身高{height}cm"},
    "weight_only": {"en": "a weight of {weight} kg", "zh": "体重{weight}kg"},
    "outfit": {"en": "To go with {title}:", "zh": "可以搭配{title}："},
    "outfit_whole": {
        "en": "{look} for {whom}: {pieces}, {total} together.",
        "zh": "为{whom}搭配了一套{look}：{pieces}，共{total}。",
    },
    "outfit_whole_over": {
        "en": "{look} for {whom}: {pieces}, {total} together, over your {budget}: the least I could put together.",
        "zh": "为{whom}搭配了一套{look}：{pieces}，共{total}，超出了你的预算{budget}，这已经是最省的搭配。",
    },
    "outfit_look": {"en": "{tags} wear", "zh": "{tags}的穿搭"},
    "outfit_look_plain": {"en": "An outfit", "zh": "穿搭"},
    "outfit_whom": {"en": "Who is the outfit for?", "zh": "这套穿搭是给谁的？"},
    "outfit_none": {
        "en": "Sorry, I can't put a whole outfit together from what the catalogue has for that.",
        "zh": "抱歉，目录里的商品凑不出这样一整套。",
    },
    "chosen": {
        "en": "Good choice: {title}, {price}. {advice}",
        "zh": "好眼光：{title}，{price}。{advice}",
    },
    "chosen_link": {"en": "It's in the shop here: {url}", "zh": "商品链接：{url}"},
    "liked": {
        "en": "Noted, you like {title}. I'll show more in that direction.",
        "zh": "记下了，你喜欢{title}，之后会多推荐类似的。",
    },
    "liked_list": {"en": "What you liked, latest first:", "zh": "你喜欢过的（最近的在前）："},
    "liked_none": {
        "en": 'You haven\'t liked anything yet. When you see something you like, say "I like number 2".',
        "zh": "你还没有喜欢的商品。看到喜欢的，跟我说“我喜欢2号”就好。",
    },
    "disliked": {"en": "Got it, I won't show {title} again.", "zh": "好的，不再给你推荐{title}。"},
    "no_such_step": {
        "en": "I can't compare garments by that: the catalogue doesn't say. I can narrow them by colour, price, "
        "size, fit, style or occasion.",
        "zh": "这个我没法比较，商品信息里没有写。我可以按颜色、价格、尺码、版型、风格或场合帮你筛选。",
    },
    "size_largest": {"en": "Size {size} is the largest these come in.", "zh": "{size}码已经是最大的了。"},
    "size_smallest": {"en": "Size {size} is the smallest these come in.", "zh": "{size}码已经是最小的了。"},
    "need_size": {
        "en": "What's your size? Then I'll only show items in stock in it.",
        "zh": "你穿什么尺码？我只给你看有货的。",
    },
    "budget_converted": {
        "en": "{stated} is about {value}, the currency of prices here.",
        "zh": "{stated} 约合 {value}（这里的价格以此计）。",
    },
    "budget_other_currency": {
        "en": "Prices here are in {currency}: I took {stated} as {currency}.",
        "zh": "这里的价格以 {currency} 计，{stated} 我先按 {currency} 理解。",
    },
    "bad_budget": {
        "en": "That budget doesn't look right ({value}).",
        "zh": "这个预算好像不对（{value}）。",
    },
    "offer_declined": {
        "en": "OK, I'll keep “{condition}”. Tell me what else to change, or send a photo.",
        "zh": "好的，保留“{condition}”。想改别的条件就告诉我，也可以发一张照片。",
    },
    "nothing_offered": {
        "en": "OK. Tell me what you're looking for, or send a photo.",
        "zh": "好的。告诉我你想找什么，也可以发一张照片。",
    },
    "unknown_size": {
        "en": "I don't know the size “{value}”. Sizes here look like {examples}.",
        "zh": "我不认识尺码“{value}”。这里的尺码是这样的：{examples}。",
    },
    "photo_how": {
        "en": "Send me a photo of a garment you like, or of what you wear, and I'll find similar items.",
        "zh": "发一张你喜欢的衣服或你身上穿搭的照片，我来帮你找相似的款式。",
    },
    "photo_missing": {
        "en": "I couldn't find that photo any more (uploads expire after a few minutes). Please send it again.",
        "zh": "找不到这张照片了（上传的照片几分钟后会过期），请再发一次。",
    },
    "photo_bad": {
        "en": "I couldn't read that picture ({reason}). Please send a JPEG or PNG photo.",
        "zh": "这张图片无法读取（{reason}），请发送JPEG或PNG照片。",
    },
    "unavailable": {
        "en": "Sorry, search is unavailable right now. Please try again in a minute.",
        "zh": "抱歉，搜索暂时不可用，请稍后再试。",
    },
    "handoff": {
        "en": "I'll pass you to a colleague. What I know so far: {summary}.",
        "zh": "我会请同事来帮你。目前了解到：{summary}。",
    },
    "handoff_service": {
        "en": "Delivery, returns, payment and orders are my colleagues' part: I'll pass you to one. "
        "What I know so far: {summary}.",
        "zh": "配送、退换货、付款和订单的问题由我的同事解答，我帮你转接。目前了解到：{summary}。",
    },
    "forgot": {
        "en": "Done: I've forgotten you, your preferences and this conversation.",
        "zh": "好的，我已经删除了你的偏好和这段对话。",
    },
    "start_over": {"en": "Let's start over. What are you looking for?", "zh": "我们重新开始吧，你想找什么？"},
    "any": {"en": "anything", "zh": "随便"},
    "nothing_yet": {"en": "nothing yet", "zh": "暂无"},
}

BUTTONS: dict[str, dict[str, str]] = {
    "cheaper": {"en": "Cheaper", "zh": "便宜一点"},
    "show_more": {"en": "Show more", "zh": "再来几个"},
    "more_like_1": {"en": "More like #1", "zh": "像1号的"},
    "start_over": {"en": "Start over", "zh": "重新开始"},
}

_ZH_WORDS = {**CATEGORY_WORDS, **COLOUR_WORDS, **PATTERN_WORDS, **TAG_WORDS, **FIT_WORDS, **MATERIAL_WORDS}
ZH_NAMES: dict[str, str] = {}
for _word, _value in _ZH_WORDS.items():
    if not _word.isascii():
        ZH_NAMES.setdefault(_value, _word)
ZH_NAMES |= {
    "men": "男士",
    "women": "女士",
    "unisex": "男女同款",
    "plain": "纯色",
    "colour": "颜色",
    "size": "尺码",
    "budget": "预算",
    "pattern": "图案",
    "gender": "性别",
    "brand": "品牌",
}


def say(key: str, language: str, **values: object) -> str:
    template = TEMPLATES[key]
    return template.get(language, template["en"]).format(**values)


def button(key: str, language: str) -> str:
    return BUTTONS[key].get(language, BUTTONS[key]["en"])


def listed(names: list[str], language: str) -> str:
    """ "shirt, trousers and boots" / "衬衫、长裤和靴子"."""
    head = say("range_list_separator", language).join(names[:-1])
    return say("and_separator", language).join([head, names[-1]] if head else names)


def name_of(value: str, language: str) -> str:
    """A catalogue value in the shopper's language (the catalogue's own word when no translation)."""
    return ZH_NAMES.get(value, value) if language == "zh" else value
