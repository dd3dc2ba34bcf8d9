"""The shopping conversation's moves, as the custom actions call them.

Each method takes the conversation's slots and returns a :class:`Turn`: the replies to send and
the slot updates to make. Nothing here knows about Rasa; the actions translate.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from models.neighbour_votes import NEIGHBOURS
from shopguide.catalogue.schema import CatalogueItem
from shopguide.conversation.body_size import BodyMeasures, letter_sized
from shopguide.conversation.catalogue_range import (
    FACET_SLOT,
    RANGE_SAMPLE,
    asked_facet,
    catalogue_range,
    closest_sizes,
    range_buttons,
    range_reply,
    size_order,
)
from shopguide.conversation.messages import button, listed, name_of, say
from shopguide.conversation.money import StatedBudget, catalogue_currency, stated_budget
from shopguide.conversation.not_carried import NotCarried
from shopguide.conversation.outfits import complementary_categories
from shopguide.conversation.photo_description import (
    describe_from_neighbours,
    from_attribute_heads,
    look_of,
    photo_category,
)
from shopguide.conversation.preferences import ANY, Preferences, new_garment_resets, normalise
from shopguide.conversation.questions import QuestionPlanner
from shopguide.conversation.relaxation import RELAXABLE_SLOTS, best_relaxation, label_of
from shopguide.conversation.whole_outfit import Outfit, OutfitRequest, put_together
from shopguide.errors import ImageError, ShopguideError
from shopguide.images import decode_image
from shopguide.personalisation.profile import Profile
from shopguide.personalisation.profile_store import ProfileStore
from shopguide.personalisation.rerank import PersonalWeights, personalise_from_store
from shopguide.privacy import FORGOTTEN, forget_shopper
from shopguide.redis_client import PhotoMemory, RememberedPhoto
from shopguide.replies.product_cards import Reply, cards_reply, price_text
from shopguide.search.query_parser import is_bare_wish, mentions_photo
from shopguide.search.ranking import RankedItem
from shopguide.search.service import SearchRequest, SearchResult, SearchService
from shopguide.settings import Settings
from shopguide.store.filters import Constraints
from shopguide.store.garment_store import metadata_values
from shopguide.uploads import UploadStore

log = logging.getLogger(__name__)
CATALOGUE_SAMPLE = 500  # items whose prices stand for their kind's when none was shown
QUESTION_SAMPLE = 500  # items whose kinds, colours or prices a question's buttons offer (asked every turn)
QUESTION_FACETS = {FACET_SLOT[facet]: facet for facet in ("category", "colours", "price")}  # slot -> field
QUESTION_BUTTONS = 3
LIKED_SHOWN = 10  # cards of a "what did I like?" answer
COMPARED = 4  # items compared at most ("compare 1, 2, 3 and 4")
SOFT_WISHES = ("style", "occasion", "material")  # rank as tags, never filter
UNPLACED_WISHES = (*SOFT_WISHES, "pattern")  # read by `wishes_in`
OFFERED = "offered_relaxation"  # the slot of the wish a "nothing matches" offered to drop; "yes" drops it


@dataclass
class Turn:
    replies: list[Reply] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def text(cls, text: str, **slots: Any) -> Turn:
        return cls([Reply(text)], slots)

    @property
    def shows_products(self) -> bool:
        return any(reply.payload and reply.payload.get("type") == "products" for reply in self.replies)


def price_step(prices: list[float], cheaper: bool) -> dict[str, float | None]:
    """The budget for "cheaper" / "more expensive" than these prices: across their middle one."""
    middle = statistics.median(prices)
    if cheaper:
        return {"budget_max": round(middle - 0.01, 2), "budget_min": None}
    return {"budget_min": round(middle + 0.01, 2), "budget_max": None}


def by_price(items: list[RankedItem], cheapest_first: bool, colours: Collection[str] = ()) -> list[RankedItem]:
    """Ordered by price; items without one last. With colours wished, the items of that main colour come
    first ("black jackets, cheapest first" led with an orange one trimmed in black)."""
    priced = sorted((i for i in items if i.item.price is not None), key=lambda i: i.item.price or 0.0)
    priced = priced if cheapest_first else priced[::-1]
    if colours:
        priced.sort(key=lambda i: i.item.colours[:1] != [] and i.item.colours[0] not in colours)  # stable
    return [*priced, *(i for i in items if i.item.price is None)]


def _size_advice(item: CatalogueItem, size: str | None, language: str) -> str:
    """Whether the shopper's size of the item is in stock, or the closest that are; or a request for it."""
    in_stock = item.sizes_in_stock
    if not size or size == ANY:
        return say("size_unknown", language)
    if size in in_stock:
        return say("size_known", language, size=size)
    return say("size_missing", language, size=size, closest=", ".join(closest_sizes(size, in_stock)) or "-")


def _guide_says(guide: str, item: CatalogueItem | None, language: str, size: str) -> Turn:
    """A size guide's answer: with whether the card asked about has the size, else the size kept."""
    advice = _size_advice(item, size, language) if item else say("body_size_kept", language, size=size)
    return Turn.text(say("sentences", language, first=guide, second=advice), size=size)


def _sized_otherwise(
    item: CatalogueItem | None, asked_of: bool, size: str | None, measures: str, language: str
) -> Turn:
    """A height and weight asked of shoes ("39-46"), or a foot length of a shirt: the sizes, and the stock
    of the card asked about (`asked_of`; else `item` is the first card on screen, standing for its kind)."""
    if item is None:
        return Turn.text(say("size_unknown", language))
    named = item.shown_title(language) if asked_of else name_of(item.category or "", language)
    sizes = ", ".join(s.size for s in item.sizes) or "-"
    advice = _size_advice(item, size, language) if asked_of else say("size_unknown", language)
    text = say("body_size_not_letters", language, title=named, sizes=sizes, measures=measures, advice=advice)
    return Turn.text(text)


def shown_number(shown: list[str], number: int | None) -> int:
    """The card number meant: -1 ("the last one") is the last card; none said, the first."""
    return len(shown) if number == -1 else (number or 1)


def _cheapest(compared: list[tuple[int, CatalogueItem]], language: str) -> str | None:
    """'#2 is the least expensive: 32.00 USD less than #1.', None when the prices do not differ."""
    priced = sorted((pair for pair in compared if pair[1].price is not None), key=lambda pair: pair[1].price or 0.0)
    if len(priced) < 2 or priced[0][1].price == priced[-1][1].price:
        return None
    (cheap, least), (dear, most) = priced[0], priced[-1]
    difference = price_text((most.price or 0.0) - (least.price or 0.0), least.currency)
    return say("compared_cheapest", language, cheap=cheap, dear=dear, difference=difference)


class ShoppingAssistant:
    def __init__(
        self,
        search: SearchService,
        uploads: UploadStore,
        photos: PhotoMemory,
        profiles: ProfileStore,
        settings: Settings,
    ) -> None:
        self.search = search
        self.uploads = uploads
        self.photos = photos
        self.profiles = profiles
        self.settings = settings
        self.weights = PersonalWeights.from_settings(settings)
        self.planner = QuestionPlanner(search.store, settings.max_questions)

    # -- recommendations ---------------------------------------------------------------------
    def normalised(self, slots: dict[str, Any]) -> dict[str, Any]:
        """The preference slots whose words ("shirts", "蓝色") differ from the catalogue's values."""
        parser = self.search.parser()
        updates = {}
        for name in ("category", "colour", "gender", "pattern"):
            value = slots.get(name)
            if value:
                canonical = normalise(name, value, parser)
                if canonical and canonical != value:
                    updates[name] = canonical
        return updates

    def stated_budget(self, text: str) -> StatedBudget:
        """The budget the words state, in the catalogue's currency (see shopguide.conversation.money)."""
        currency = catalogue_currency(self.search.store.vocabulary(), self.settings.default_currency)
        return stated_budget(text, currency, self.settings.exchange_rates)

    def questions(self, slots: dict[str, Any]) -> list[str]:
        """The shopping form's questions still to ask. None once this kind of garment is on screen: the
        shopper refines from the cards ("in black"), and a question then ("What's your budget?") is noise."""
        preferences = self._preferences(slots)
        questions, category = self.planner.questions(preferences), preferences.value("category")
        if questions and category and any(shown.item.category == category for shown in self._shown(slots)):
            return []  # (the store is read only when there is a question to hold back)
        return questions

    def _preferences(self, slots: dict[str, Any]) -> Preferences:
        """The slots' preferences in the catalogue's values ("shirts" -> "shirt")."""
        return Preferences.from_slots({**slots, **self.normalised(slots)})

    def recommend(
        self,
        sender: str,
        slots: dict[str, Any],
        language: str,
        extra_exclude: list[str] | None = None,
        intro_key: str = "found",
        just_said: Collection[str] = (),
        order: str | None = None,
        **intro_values: Any,
    ) -> Turn:
        """Cards for the slots' wishes; `just_said`: the slots the latest message stated, which a "nothing
        matches" answer keeps if it can (`best_relaxation`); `order`: "cheapest" or "dearest" first, from
        the whole candidate pool, instead of the best matches; none given, the order the conversation asked
        for (the `price_order` slot: "show me the cheapest dresses")."""
        updates = self.normalised(slots)
        turn = self._recommend(
            {**slots, **updates}, sender, language, extra_exclude, intro_key, just_said, order, **intro_values
        )
        return Turn(turn.replies, {**updates, **turn.slots})

    def by_price(self, sender: str, slots: dict[str, Any], language: str, order: str) -> Turn:
        """ "the cheapest ones", "sort by price", "最贵的": the garments the search matches, by price."""
        return self.recommend(sender, slots, language, intro_key=f"found_{order}", order=order)

    def _recommend(
        self,
        slots: dict[str, Any],
        sender: str,
        language: str,
        extra_exclude: list[str] | None,
        intro_key: str,
        just_said: Collection[str],
        order: str | None,
        **intro_values: Any,
    ) -> Turn:
        preferences = Preferences.from_slots(slots)
        if not order and (order := preferences.price_order) and intro_key == "found":
            intro_key = f"found_{order}"  # "the cheapest dresses", asked before the form's questions
        constraints = preferences.constraints()
        constraints.exclude_ids = [*constraints.exclude_ids, *(extra_exclude or [])]
        photo = self.photos.load(sender)
        if photo.look.get("category") not in (None, preferences.category):
            photo = RememberedPhoto()  # "now some jeans" after a photo of a dress: the photo is not of those
        vectors, look = photo.vectors, photo.look
        reference = slots.get("reference_item")
        if reference:  # "more like #2": the item's vectors replace the photo's, and its look with them
            look = self._look_of(reference)
            vectors |= {
                space: v
                for space in self.search.encoder.spaces
                if (v := self.search.store.vectors([reference], space).get(reference)) is not None
            }
        look_wishes = preferences.look_wishes(look)
        profile = self._profile(sender, preferences)
        constraints.exclude_ids = [*constraints.exclude_ids, *(profile.disliked if profile else [])]
        # a wider pool for the profile to rerank, or to order by price
        pool = self.settings.candidate_pool if profile or order else None
        result = self.search.search(
            SearchRequest(
                text=preferences.query_text() or None,
                soft_words=" ".join(look_wishes.values()) or None,
                constraints=constraints,
                vectors=vectors or None,
                k=pool,
            )
        )
        if profile and not order:
            space, k = self.settings.personal_space, self.settings.search_k
            result.items = personalise_from_store(result.items, profile, self.search.store, space, self.weights, k)
        if order:
            ordered = by_price(result.items, order == "cheapest", constraints.colours)
            result.items = ordered[: self.settings.search_k]
        if not result.items:
            key = "no_more" if self._all_held_back(constraints, extra_exclude) else "nothing"
            return self._nothing_found(preferences, constraints, language, key, just_said)
        intro = say(
            intro_key, language, wanted=self._wanted(preferences, constraints, result, language), **intro_values
        )
        buttons = [
            {"title": button(k, language), "payload": p}
            for k, p in (
                ("cheaper", "/cheaper"),
                ("show_more", "/show_more"),
                ("more_like_1", '/more_like{"item_number":"1"}'),
            )
        ]
        reply = cards_reply(
            intro,
            result.items,
            result.constraints,
            self.settings.image_base_url,
            language,
            buttons,
            bool(reference),
            look_wishes,
            result.tags,
        )
        shown = [r.item.id for r in result.items]
        seen = list(dict.fromkeys([*(slots.get("seen_items") or []), *shown]))
        return Turn([reply], {"shown_items": shown, "seen_items": seen, OFFERED: None})

    def _all_held_back(self, constraints: Constraints, held_back: list[str] | None) -> bool:
        """Whether the catalogue matches only items held back (those seen, on "show more"): "That's everything
        I have", not "nothing matches". "#1 in green" holds #1 back too, and no green dress is no more of them."""
        if not held_back:
            return False
        kept = [item for item in constraints.exclude_ids if item not in set(held_back)]
        return self.search.store.count_matching(constraints.model_copy(update={"exclude_ids": kept}), 1) > 0

    def _look_of(self, item_id: str) -> dict[str, str]:
        """A catalogue item's category, main colour and pattern, as a photo's reading gives them."""
        found = self.search.store.fetch([item_id])
        if not found:
            return {}
        item = found[0].item
        return look_of(item.category, item.colours[0] if item.colours else None, item.pattern)

    def _profile(self, sender: str, preferences: Preferences) -> Profile | None:
        """The shopper's profile when it has anything to say (personalisation on); remembers a stated size."""
        if not self.settings.personal_enabled:
            return None
        profile = self.profiles.load(sender)
        size, category = preferences.value("size"), preferences.value("category")
        if size and profile.size_for(category) != size:  # written only when it is news
            profile = self.profiles.record_size(sender, size, category)
        return None if profile.is_empty() else profile

    def _wanted(self, preferences: Preferences, constraints: Constraints, result: SearchResult, language: str) -> str:
        """The intro's " (dress · women)"; a wish no card carries is said so (" (dress · women; no oversized
        ones)"): the soft wishes rank, never filter, and the intro named them as if every card were one."""
        missing = [tag for tag in result.tags if not any(tag in {*r.item.tags, r.item.material} for r in result.items)]
        colours = preferences.either("colour")
        secondary = bool(colours) and not any(r.item.colours[:1] in ([c] for c in colours) for r in result.items)
        colour = say("or_separator", language).join(name_of(c, language) for c in colours)
        left_out = [*missing, *colours] if secondary else missing
        parts = [] if constraints.is_empty() else [self._describe(preferences, language, leave_out=left_out)]
        if missing:
            parts.append(say("wishes_missing", language, wishes=" · ".join(name_of(tag, language) for tag in missing)))
        if secondary:  # a beige jacket with a blue lining, the only "blue" jacket: the intro says so
            parts.append(say("colour_secondary", language, colour=colour))
        return f" ({'; '.join(part for part in parts if part)})" if any(parts) else ""

    def _describe(self, preferences: Preferences, language: str, leave_out: Collection[str] = ()) -> str:
        parts = []
        for name in ("brand", "colour", "pattern", "material", "category", "style", "occasion"):
            value = preferences.value(name)
            if name in ("colour", "category"):  # "green or blue", "sneakers or boots"
                wanted = [name_of(v, language) for v in preferences.either(name) if v not in leave_out]
                parts += [say("or_separator", language).join(wanted)] if wanted else []
            elif value and not self._left_out(name, str(value), leave_out):
                parts.append(name_of(value, language))
        for avoided in (preferences.avoided_colours, preferences.avoided_patterns):
            if avoided:
                names = ("、" if language == "zh" else " / ").join(name_of(v, language) for v in avoided)
                parts.append(say("turned_down", language, values=names))
        if preferences.value("gender"):
            parts.append(name_of(preferences.value("gender"), language))
        if preferences.budget_min is not None:
            parts.append(f"≥ {preferences.budget_min:g}")
        if preferences.budget_max is not None:
            parts.append(f"≤ {preferences.budget_max:g}")
        if preferences.value("size"):
            parts.append(f"{preferences.value('size')}码" if language == "zh" else f"size {preferences.value('size')}")
        return " · ".join(parts)

    def _left_out(self, name: str, value: str, leave_out: Collection[str]) -> bool:
        """Whether the intro's wishes leave this one out: a soft wish no card carries."""
        return name in SOFT_WISHES and self._names_only(value, leave_out)

    def _names_only(self, words: str, tags: Collection[str]) -> bool:
        """Whether the tags and materials these words name ("宽松的": relaxed) are all among `tags`."""
        if not tags:
            return False
        parsed = self.search.parser().parse(words)
        return ({*parsed.tags, *parsed.materials} or {words}) <= set(tags)

    def noted(self, slots: dict[str, Any], said: Collection[str], language: str) -> str:
        """What a message stated while the form asked about something else ("Noted: women · ≤ 120."), so
        that the question asked again does not read as if it had been ignored."""
        named = {*said, *(f"{name}_choices" for name in ("colour", "category") if name in said)}  # "green or blue"
        wanted = self._describe(Preferences.from_slots({name: slots.get(name) for name in named}), language)
        return say("noted", language, wanted=wanted) if wanted else say("noted_plain", language)

    def wishes_in(self, text: str) -> dict[str, str]:
        """The catalogue's styles, occasions, materials and patterns a bare message names ("oversized",
        "linen please", "宽松的"), for messages NLU placed nowhere: its examples never held the tags of
        this shop, and examples of bare tags cost it other messages (stop 29). None in longer messages or
        with a "not" ("no linen"), whose sense the catalogue's words alone do not give."""
        if not is_bare_wish(text):
            return {}
        values = self.search.parser().parse(text).slot_values()
        return {slot: values[slot] for slot in UNPLACED_WISHES if slot in values}

    def _nothing_found(
        self, preferences: Preferences, constraints: Constraints, language: str, key: str, just_said: Collection[str]
    ) -> Turn:
        relaxation = best_relaxation(self.search.store, constraints, just_said)
        text = say(key, language, wanted=self._describe(preferences, language) or constraints.describe())
        if relaxation is None:
            return Turn([Reply(text)], {OFFERED: None})
        slot, label, count = relaxation
        label = name_of(label, language)
        text += say("relax", language, condition=label, count=count)
        payload = f'/relax{{"condition":"{slot}"}}'
        return Turn([Reply(text, buttons=[{"title": f"− {label}", "payload": payload}])], {OFFERED: slot})

    def relax(self, sender: str, slots: dict[str, Any], language: str, condition: str | None) -> Turn:
        """Drops the condition named, else the one the last "nothing matches" offered to drop ("yes")."""
        condition = condition if condition in RELAXABLE_SLOTS else slots.get(OFFERED)
        if condition not in RELAXABLE_SLOTS:
            return Turn.text(say("nothing_offered", language))
        turn = self.recommend(sender, {**slots, condition: None}, language)
        return Turn(turn.replies, {condition: None, **turn.slots})

    @staticmethod
    def keep_offered(language: str, condition: str) -> Turn:
        """ "no" to "Shall I drop it?": the search stays as it is, and is not run again to say so."""
        return Turn.text(say("offer_declined", language, condition=name_of(label_of(condition), language)))

    def show_more(self, sender: str, slots: dict[str, Any], language: str) -> Turn:
        return self.recommend(sender, slots, language, extra_exclude=list(slots.get("seen_items") or []))

    def change_price(
        self, sender: str, slots: dict[str, Any], language: str, cheaper: bool, number: int | None = None
    ) -> Turn:
        """ "cheaper", "more expensive": across the middle price of the cards on screen (`_reference_prices`),
        or of the card the words name ("cheaper than the first one")."""
        named, _problem = self.pick(slots, number, language) if number is not None else (None, None)
        prices = [named.item.price] if named and named.item.price is not None else self._reference_prices(slots)
        if not prices:
            return Turn.text(say("nothing_shown", language))
        updates = price_step(prices, cheaper)
        turn = self.recommend(sender, {**slots, **updates}, language, just_said=updates)
        return Turn(turn.replies, {**updates, **turn.slots})

    def _reference_prices(self, slots: dict[str, Any]) -> list[float]:
        """What "cheaper" is cheaper than: the cards on screen of the kind searched for; with an outfit's
        bag and hat on screen, the dresses seen before (a dress cheaper than the hat is no answer); with
        no dress seen yet ("now some dresses", "cheaper"), the catalogue's dresses the shopper would be
        shown (their budget, colour, ...), else all of them."""
        preferences = self._preferences(slots)
        category = preferences.value("category")
        of_kind = [s.item for s in self._shown(slots) if not category or s.item.category == category]
        if not of_kind and category:
            seen = self.search.store.fetch(list(slots.get("seen_items") or []))
            of_kind = [s.item for s in seen if s.item.category == category]
        prices = [item.price for item in of_kind if item.price is not None]
        for constraints in (preferences.constraints(), Constraints(categories=[category])):
            if prices or not category:
                break
            catalogue = self.search.store.filtered_metadata(constraints, CATALOGUE_SAMPLE)
            prices = [m["price"] for m in catalogue if m.get("price") is not None]
        return prices

    def different_style(self, sender: str, slots: dict[str, Any], language: str) -> Turn:
        updates = {"style": None, "occasion": None, "reference_item": None}
        turn = self.recommend(sender, {**slots, **updates}, language, extra_exclude=list(slots.get("seen_items") or []))
        return Turn(turn.replies, {**updates, **turn.slots})

    def only_my_size(self, sender: str, slots: dict[str, Any], language: str) -> Turn:
        if not slots.get("size") or slots.get("size") == ANY:
            return Turn.text(say("need_size", language))
        return self.recommend(sender, slots, language)

    # -- the range ---------------------------------------------------------------------------
    def describe_range(
        self, sender: str, slots: dict[str, Any], language: str, text: str, said: Collection[str]
    ) -> Turn:
        """What the catalogue holds of the field the words ask about ("which brands?"), among the garments
        of the kind and for whom the shopper is looking, and what the question itself names ("... for
        hoodies in black?"). Naming no field but a kind or a brand ("what jackets do you have?", "any
        Kinfolk ones?"), or any wish once a kind is wished for or cards are on screen ("do they come in
        red?", "do you have them in XL?"), asks for those garments: they are shown; naming nothing, for
        the kinds there are."""
        facet = asked_facet(text)
        searched = slots.get("shown_items") or slots.get("category") not in (None, ANY)
        if facet is None and ({"category", "brand"} & set(said) or (said and searched)):
            # "do you have them in XL?" with cards on screen, "do they come in red?" of jackets: a search
            return self.recommend(sender, slots, language, just_said=said)
        facet = facet or "category"
        wishes = {name: slots.get(name) for name in ("category", "gender", *said) if name != FACET_SLOT[facet]}
        preferences = self._preferences(wishes)
        constraints = preferences.constraints()
        found = catalogue_range(self.search.store, constraints, facet)
        if found.is_empty():
            return self._nothing_found(preferences, constraints, language, "nothing", said)
        return Turn([range_reply(found, self._describe(preferences, language), language)])

    def not_carried(self, slots: dict[str, Any], language: str, lacking: NotCarried) -> Turn:
        """ "Sorry, we don't carry socks." and the kinds there are (for whom the shopper wishes), as buttons;
        for children's clothing, whom the clothes here are for."""
        if lacking.children:
            found = catalogue_range(self.search.store, Constraints(), "gender")
            whom = listed([name_of(value, language) for value in found.values], language)
            return Turn.text(say("not_carried_children", language, whom=whom))
        preferences = self._preferences({"gender": slots.get("gender")})
        found = catalogue_range(self.search.store, preferences.constraints(), "category")
        kinds = range_reply(found, self._describe(preferences, language), language)
        sorry = say("not_carried", language, kind=lacking.named(language))
        return Turn([Reply(say("sentences", language, first=sorry, second=kinds.text), buttons=kinds.buttons)])

    def question(self, slot: str, slots: dict[str, Any], language: str) -> Turn:
        """The form's question for `slot`, its buttons the commonest answers among the garments the other
        wishes allow (this catalogue's kinds, the colours a brand's jeans come in, price levels in its
        currency), among those of the occasion, style or material wished for when some are, then one that
        leaves it open."""
        buttons = []
        if slot in QUESTION_FACETS:
            others = self._preferences({name: value for name, value in slots.items() if name != slot})
            soft = " ".join(str(others.value(name) or "") for name in ("occasion", "style", "material"))
            try:
                wished = self.search.parser().parse(soft)  # the catalogue's tags and materials they name
                facet, prefer = QUESTION_FACETS[slot], [*wished.tags, *wished.materials]
                found = catalogue_range(self.search.store, others.constraints(), facet, QUESTION_SAMPLE, prefer)
                buttons = range_buttons(found, language, QUESTION_BUTTONS)
            except ShopguideError:  # the store is down: the question still goes, with its open answer
                log.warning("question.buttons_unavailable slot=%s", slot)
        buttons.append({"title": say(f"skip_{slot}", language), "payload": "/skip"})
        return Turn([Reply(say(f"ask_{slot}", language), buttons=buttons)])

    # -- one shown item ----------------------------------------------------------------------
    def _shown(self, slots: dict[str, Any], count: int | None = None) -> list:
        """The cards on screen, as stored; the first `count` of them."""
        return self.search.store.fetch(list(slots.get("shown_items") or [])[:count])

    def pick(self, slots: dict[str, Any], number: int | None, language: str) -> tuple[Any, Turn | None]:
        """The shown item with this 1-based number, or the reply that explains why there is none."""
        shown = list(slots.get("shown_items") or [])
        if not shown:
            return None, Turn.text(say("nothing_shown", language))
        number = shown_number(shown, number)
        if not 1 <= number <= len(shown):
            key = "no_such_item_one" if len(shown) == 1 else "no_such_item"
            return None, Turn.text(say(key, language, count=len(shown)))
        found = self.search.store.fetch([shown[number - 1]])
        return (found[0], None) if found else (None, Turn.text(say("nothing_shown", language)))

    def more_like(self, sender: str, slots: dict[str, Any], language: str, number: int | None) -> Turn:
        """Items like a shown one, of its kind: trousers like the outfit's trousers, not shirts like them."""
        stored, problem = self.pick(slots, number, language)
        if problem:
            return problem
        updates: dict[str, Any] = {"reference_item": stored.item.id}
        category, wanted = stored.item.category, self._preferences(slots).value("category")
        if category and category != wanted:
            updates |= {"category": category, **new_garment_resets(wanted, category, set())}
        turn = self.recommend(sender, {**slots, **updates}, language, extra_exclude=[stored.item.id])
        return Turn(turn.replies, {**updates, **turn.slots})

    def other_colours(self, sender: str, slots: dict[str, Any], language: str, number: int | None) -> Turn:
        """ "换个颜色", "in another colour": the search again with the colours it showed turned down: a card
        asked about ("does #2 come in other colours?") brings ones like it in other colours; else the
        colours wished for go, or, none wished for, those of the cards on screen."""
        if number is not None:
            stored, problem = self.pick(slots, number, language)
            if problem:
                return problem
            avoid = list(stored.item.colours)
        else:
            avoid = self._preferences(slots).either("colour") or [c for s in self._shown(slots) for c in s.item.colours]
        avoided = list(dict.fromkeys([*(slots.get("avoided_colours") or []), *avoid]))
        updates: dict[str, Any] = {"colour": None, "colour_choices": None, "avoided_colours": avoided}
        if number is not None:
            turn = self.more_like(sender, {**slots, **updates}, language, number)
        else:
            turn = self.recommend(sender, {**slots, **updates}, language)
        return Turn(turn.replies, {**updates, **turn.slots})

    def feedback(self, sender: str, slots: dict[str, Any], language: str, number: int | None, liked: bool) -> Turn:
        stored, problem = self.pick(slots, number, language)
        if problem:
            return problem
        title = stored.item.shown_title(language)
        self.profiles.record_feedback(sender, stored.item, liked)
        if liked:
            liked_items = list(dict.fromkeys([*(slots.get("liked_items") or []), stored.item.id]))
            # "more like this" next means this card, not the first on screen
            return Turn.text(
                say("liked", language, title=title), liked_items=liked_items, discussed_item=stored.item.id
            )
        excluded = list(dict.fromkeys([*(slots.get("excluded_items") or []), stored.item.id]))
        turn = self.recommend(sender, {**slots, "excluded_items": excluded}, language)
        return Turn(
            [Reply(say("disliked", language, title=title)), *turn.replies], {"excluded_items": excluded, **turn.slots}
        )

    def liked(self, sender: str, slots: dict[str, Any], language: str) -> Turn:
        """What the shopper liked ("what did I like?"), latest first: this conversation's, then what their
        profile remembers from earlier ones. They become the cards on screen ("more like #2")."""
        remembered = self.profiles.load(sender).liked if self.settings.personal_enabled else []
        ids = list(dict.fromkeys([*reversed(slots.get("liked_items") or []), *reversed(remembered)]))
        found = self.search.store.fetch(ids[:LIKED_SHOWN])
        if not found:
            return Turn.text(say("liked_none", language))
        items = [RankedItem(s.item, 0.0, {}, s.metadata.get("thumbnail")) for s in found]
        intro = say("liked_list", language)
        reply = cards_reply(intro, items, Constraints(), self.settings.image_base_url, language)
        return Turn([reply], {"shown_items": [s.item.id for s in found]})

    def details(self, slots: dict[str, Any], language: str, number: int | None) -> Turn:
        stored, problem = self.pick(slots, number, language)
        if problem:
            return problem
        item = stored.item
        text = say(
            "details",
            language,
            number=shown_number(slots["shown_items"], number),
            title=item.shown_title(language),
            price=price_text(item.price, item.currency),
            description=item.description,
            material=name_of(item.material or "-", language),
            sizes=", ".join(item.sizes_in_stock) or "-",
        )
        return Turn.text(text, discussed_item=item.id)

    def compare(self, slots: dict[str, Any], language: str, numbers: list[int]) -> Turn:
        """Shown items side by side ("compare 1 and 3", "1号和2号有什么区别"): each one's price, colour,
        pattern, material and sizes, and which costs least. One number: its details."""
        if len(numbers) < 2:
            return self.details(slots, language, numbers[0] if numbers else None)
        compared = []
        for number in numbers[:COMPARED]:
            stored, problem = self.pick(slots, number, language)
            if problem:
                return problem
            compared.append((shown_number(slots["shown_items"], number), stored.item))
        lines = [self._compared_line(number, item, language) for number, item in compared]
        cheapest = _cheapest(compared, language)
        return Turn.text("\n".join([*lines, *([cheapest] if cheapest else [])]))

    @staticmethod
    def _compared_line(number: int, item: CatalogueItem, language: str) -> str:
        looks = [name_of(word, language) for word in (*item.colours[:1], item.pattern, item.material) if word]
        return say(
            "compared_item",
            language,
            number=number,
            title=item.shown_title(language),
            price=price_text(item.price, item.currency),
            looks=" · ".join(looks) or "-",
            sizes=", ".join(item.sizes_in_stock) or "-",
        )

    def size_advice(self, slots: dict[str, Any], language: str, number: int | None) -> Turn:
        stored, problem = self.pick(slots, number, language)
        if problem:
            return problem
        item = stored.item
        advice = _size_advice(item, slots.get("size"), language)
        title = item.shown_title(language)
        text = say("size_advice", language, title=title, sizes=", ".join(item.sizes_in_stock) or "-", advice=advice)
        return Turn.text(text, discussed_item=item.id)

    def size_for_body(self, slots: dict[str, Any], language: str, body: BodyMeasures, number: int | None) -> Turn:
        """ "我身高170体重60穿什么码" (170 was card 170 to the card numbers), "脚长25厘米穿几码": a general guide's size
        for the card asked about, else for the kind on screen (the gender theirs, else the conversation's),
        remembered as the shopper's size when one size answers."""
        item = None
        if number is not None:
            stored, problem = self.pick(slots, number, language)
            if problem:
                return problem
            item = stored.item
        kind = item or next((shown.item for shown in self._shown(slots, 1)), None)
        shoes = kind is not None and not letter_sized([s.size for s in kind.sizes])
        if body.shoe_size and (shoes or kind is None):
            guide = say("foot_size", language, foot=f"{body.foot_cm:g}", size=body.shoe_size)
            return _guide_says(guide, item, language, body.shoe_size)
        if shoes or not (body.height_cm or body.weight_kg):
            measures = say("measures_body" if shoes else "measures_foot", language)
            return _sized_otherwise(kind, item is not None, slots.get("size"), measures, language)
        gender = next((g for g in (kind and kind.gender, slots.get("gender")) if g in ("men", "women")), None)
        measures = body.described(language)
        if gender is None:
            guess = {whom: body.letter_size(whom) for whom in ("women", "men")}
            return Turn.text(say("body_size_both", language, measures=measures, **guess))
        size = body.letter_size(gender) or ""
        whom = say(f"sizes_of_{gender}", language)
        return _guide_says(say("body_size", language, measures=measures, size=size, whom=whom), item, language, size)

    def size_for_kind(self, category: str, gender: str | None, body: BodyMeasures) -> str | None:
        """The size a height and weight (or a foot length, for shoes) stated with a request give for that kind
        of garment ("身高170体重60，想买条裙子"), when the kind comes in it; whom for: the gender wished for,
        else the one the kind is made for here (dresses: women), else none."""
        found = self.search.store.filtered_metadata(Constraints(categories=[category]), RANGE_SAMPLE)
        sizes = {size for metadata in found for size in metadata_values(metadata, "sizes_in_stock")}
        if not letter_sized(sizes):
            return body.shoe_size if body.shoe_size in sizes else None
        if gender not in ("men", "women"):
            made_for = {metadata.get("gender") for metadata in found}
            gender = next(iter({"men", "women"} & made_for), None) if len(made_for) == 1 else None
        size = body.letter_size(gender) if gender else None
        return size if size in sizes else None

    def size_step(self, sender: str, slots: dict[str, Any], language: str, bigger: bool) -> Turn:
        """ "大一点的", "a size smaller": the next size in stock for this kind of garment up or down from the
        shopper's, searched in; without a size held, theirs asked."""
        size = slots.get("size")
        if not size or size == ANY:
            return Turn.text(say("need_size", language))
        kinds = Constraints(categories=self._preferences(slots).either("category"))
        sizes = catalogue_range(self.search.store, kinds, "sizes_in_stock").values
        # sizes of the same sort as the shopper's: letters with letters, shoe numbers with numbers
        ordered = sorted({s for s in {*sizes, size} if size_order(s)[0] == size_order(size)[0]}, key=size_order)
        step = ordered.index(size) + (1 if bigger else -1)
        if not 0 <= step < len(ordered):
            return Turn.text(say("size_largest" if bigger else "size_smallest", language, size=size))
        turn = self.recommend(sender, {**slots, "size": ordered[step]}, language, just_said={"size"})
        return Turn(turn.replies, {"size": ordered[step], **turn.slots})

    def choose(self, sender: str, slots: dict[str, Any], language: str, number: int | None) -> Turn:
        """ "I'll take this one" / "就要这件了" / "add to cart": the card chosen, remembered as a choice (a softer
        signal than a like), with its price, whether the shopper's size is in stock and its page in the shop."""
        stored, problem = self.pick(slots, number, language)
        if problem:
            return problem
        item = stored.item
        self.profiles.record_choice(sender, item)
        advice = _size_advice(item, slots.get("size"), language)
        price = price_text(item.price, item.currency)
        chosen = say("chosen", language, title=item.shown_title(language), price=price, advice=advice)
        link = say("chosen_link", language, url=item.url) if item.url else ""
        return Turn.text(say("sentences", language, first=chosen, second=link).strip(), discussed_item=item.id)

    def outfit(self, sender: str, slots: dict[str, Any], language: str, number: int | None, words: str = "") -> Turn:
        """What goes with a shown card: the kinds the words name ("what shoes go with #2?"), else those that
        complete an outfit with it."""
        stored, problem = self.pick(slots, number, language)
        if problem:
            return problem
        item = stored.item
        vocabulary = self.search.store.vocabulary().get("category", [])
        named = [kind for kind in self.search.parser().parse(words).constraints.categories if kind != item.category]
        constraints = Constraints(
            categories=named or complementary_categories(item.category, vocabulary),
            exclude_categories=[item.category] if item.category else [],
            gender=item.gender if item.gender in ("men", "women") else None,
        )
        # its colour and title rank, never filter: read as words, a striped khaki dress's wanted striped
        # khaki shoes, and found none
        words = " ".join(w for w in (*item.colours[:1], item.title) if w)
        result = self.search.search(SearchRequest(soft_words=words, constraints=constraints, k=4))
        intro = say("outfit", language, title=item.shown_title(language))
        reply = cards_reply(intro, result.items, constraints, self.settings.image_base_url, language)
        # the numbers the shopper says next ("I like number 2") are those of the cards on screen
        return Turn([reply], {"shown_items": [r.item.id for r in result.items]} if result.items else {})

    def whole_outfit(self, sender: str, slots: dict[str, Any], language: str, words: str) -> Turn:
        """ "an outfit for a job interview", "what goes with black jeans?" (no card on screen): one garment
        of each kind a look needs (`whole_outfit.put_together`), none of those seen while the catalogue has
        others ("换一套", another one). Whom for is asked first where the catalogue dresses both women and men."""
        vocabulary = self.search.store.vocabulary()
        request = self._outfit_request(slots, words, vocabulary.get("gender", []))
        if request is None:
            buttons = [
                {"title": name_of(g, language).capitalize(), "payload": f'/outfit{{"gender":"{g}"}}'}
                for g in ("women", "men")
            ]
            return Turn([Reply(say("outfit_whom", language), buttons=buttons)])
        kinds = vocabulary.get("category", [])
        seen = list(dict.fromkeys([*(slots.get("seen_items") or []), *(slots.get("shown_items") or [])]))
        outfit = put_together(self.search, kinds, request.excluding(seen)) or put_together(self.search, kinds, request)
        if outfit is None:
            return Turn.text(say("outfit_none", language))
        pieces = [piece.item.id for piece in outfit.pieces]
        reply = self._outfit_reply(outfit, request, language)
        return Turn([reply], {"shown_items": pieces, "seen_items": list(dict.fromkeys([*seen, *pieces]))})

    def _outfit_request(self, slots: dict[str, Any], words: str, genders: list[str]) -> OutfitRequest | None:
        """What the outfit is for: whom (None where the catalogue dresses both and nobody said), the occasion
        and style held; the kind, colour and budget of this message alone (a budget for jeans is none for a
        whole outfit)."""
        parser, preferences = self.search.parser(), self._preferences(slots)
        parsed = parser.parse(words)
        gender = parsed.constraints.gender or preferences.gender
        asked = "gender" in preferences.skipped  # "anything" to whom for: unisex pieces
        if gender is None and not asked and {"women", "men"} <= set(genders):
            return None
        soft = " ".join(w for w in (preferences.style, preferences.occasion) if w and w != ANY)
        tags = parsed.tags or parser.parse(soft).tags
        kinds, colours = parsed.constraints.categories, parsed.constraints.colours
        return OutfitRequest(
            gender=gender if gender in ("women", "men") else "unisex",
            words=" ".join(tags) or soft or None,  # "约会" (a date) names no tag here: its words rank
            soft_words=None if kinds else " ".join(colours) or None,
            tags=tags,
            budget=self.stated_budget(words).budget.get("budget_max"),
            anchor=Constraints(categories=kinds, colours=colours) if kinds else None,
            exclude_ids=preferences.excluded,
        )

    def _outfit_reply(self, outfit: Outfit, request: OutfitRequest, language: str) -> Reply:
        kinds = [piece.item.category for piece in outfit.pieces]
        currency = outfit.pieces[0].item.currency
        tags = listed([name_of(tag, language) for tag in request.tags], language)
        look = say("outfit_look", language, tags=tags) if tags else say("outfit_look_plain", language)
        look = look[:1].upper() + look[1:]
        over = request.budget is not None and outfit.total > request.budget
        intro = say(
            "outfit_whole_over" if over else "outfit_whole",
            language,
            look=look,
            whom=name_of(request.gender, language),
            pieces=listed([name_of(kind, language) for kind in kinds], language),
            total=price_text(outfit.total, currency),
            budget=price_text(request.budget, currency),
        )
        shown = Constraints(categories=kinds, gender=request.gender)
        return cards_reply(intro, outfit.pieces, shown, self.settings.image_base_url, language, tags=request.tags)

    # -- photos ------------------------------------------------------------------------------
    def photo_search(
        self,
        sender: str,
        slots: dict[str, Any],
        language: str,
        image_id: str | None,
        words: str = "",
        number: int | None = None,
    ) -> Turn:
        """A photo, maybe with words ("like this but in blue"): the words' preferences join the slots.
        Without a photo, see `_photo_words_alone`; `number`: the card the words name, or the one asked about."""
        if not image_id:
            return self._photo_words_alone(sender, slots, language, words, number)
        data = self.uploads.take(image_id)
        if data is None:
            return Turn.text(say("photo_missing", language))
        try:
            image = decode_image(data, self.settings.max_image_pixels)
        except ImageError as error:
            return Turn.text(say("photo_bad", language, reason=str(error)))
        stated, price_move, notice = self._photo_words(words, language)
        # the photo shows the look: an earlier colour or pattern gives way unless the words restate it
        updates = {name: None for name in ("colour", "pattern") if name not in stated} | stated
        turn = self._search_with_photo(sender, {**slots, **updates}, language, image, set(stated), price_move)
        return Turn([*notice, *turn.replies], {**updates, **turn.slots})

    def _photo_words(self, words: str, language: str) -> tuple[dict[str, Any], str | None, list[Reply]]:
        """What words said with (or about) a photo state, their price move ("but cheaper"), and the notices
        their budget needs (another currency, a budget refused)."""
        parsed, budget = self.search.parser().parse(words), self.stated_budget(words)
        stated = {**Preferences.from_parsed(parsed), **budget.budget}
        refused = Preferences.refused_budget(stated)
        notice = [Reply(told)] if (told := budget.told(language)) else []
        notice += [] if refused is None else [Reply(say("bad_budget", language, value=f"{refused:g}"))]
        return stated, parsed.price_move, notice

    def _photo_words_alone(
        self, sender: str, slots: dict[str, Any], language: str, words: str, number: int | None
    ) -> Turn:
        """Words about the photo sent before ("like this but in red", typed after it) change that photo's
        search. With none remembered, the words asked about photos ("can I send a picture?"), or, naming no
        photo, are a search NLU mistook for one ("do you have it in M?"), or with cards on screen ask for
        ones like a card ("给我看看类似的", show me similar ones)."""
        stated, price_move, notice = self._photo_words(words, language)
        if not (stated or price_move or mentions_photo(words)) and slots.get("shown_items"):
            return self.more_like(sender, slots, language, number)
        photo = self.photos.load(sender)
        if not photo.vectors and stated and not mentions_photo(words):
            turn = self.recommend(sender, {**slots, **stated}, language, just_said=stated)
            return Turn([*notice, *turn.replies], {**stated, **turn.slots})
        if not (stated or price_move) or not photo.vectors:
            return Turn.text(say("photo_how", language))
        turn = self._photo_again(sender, photo, {**slots, **stated}, language, stated, price_move)
        return Turn([*notice, *turn.replies], {**stated, **turn.slots})

    def _photo_again(
        self,
        sender: str,
        photo: RememberedPhoto,
        slots: dict[str, Any],
        language: str,
        stated: dict[str, Any],
        price_move: str | None,
    ) -> Turn:
        """The remembered photo searched again with what the words `stated`: "like this but a skirt" takes
        its look to skirts; "but cheaper" is cheaper than the cards it found (a budget stated wins)."""
        searched = self._preferences(slots).category
        if searched and photo.look.get("category") not in (None, searched):
            self.photos.save(sender, photo.vectors, {**photo.look, "category": searched})
        if price_move and not stated.keys() & {"budget_min", "budget_max"}:
            return self.change_price(sender, slots, language, cheaper=price_move == "cheaper")
        return self.recommend(sender, slots, language, just_said=stated)

    def _search_with_photo(
        self,
        sender: str,
        slots: dict[str, Any],
        language: str,
        image: Image.Image,
        stated: set[str],
        price_move: str | None = None,
    ) -> Turn:
        """`price_move` ("like this but cheaper"): across the middle price of what the photo finds without
        a budget (an earlier one would set the middle instead), unless the words also state one."""
        vectors, attributes = self.search.encoder.read_photo(image)
        neighbours = self._neighbours(vectors)  # the most similar catalogue photos and their labels
        if attributes is not None:
            description = from_attribute_heads(attributes, language, neighbours)
        else:  # a model without attribute heads: the photo's nearest catalogue items describe it
            description = describe_from_neighbours(neighbours, language)
        updates: dict[str, Any] = {"reference_item": None, "shown_items": []}
        updates |= photo_category(slots, description, stated, self.photos.what_it_showed(sender, "category"))
        # the photo stands for the garment searched now: its reading's, or the one the words or an unsure
        # reading kept ("like this but a skirt": a skirt in the photo's colour and pattern)
        searched = self._preferences({**slots, **updates}).category
        self.photos.save(sender, vectors, {**description.look(), "category": searched})
        if price_move and not stated & {"budget_min", "budget_max"}:
            updates |= {"budget_min": None, "budget_max": None}
        else:
            price_move = None
        turn = self.recommend(
            sender, {**slots, **updates}, language, intro_key="found_photo", description=description.phrase
        )
        if price_move and turn.shows_products:
            found = self.search.store.fetch(turn.slots["shown_items"])
            moved = price_step([f.item.price for f in found if f.item.price is not None], price_move == "cheaper")
            updates |= moved
            turn = self.recommend(
                sender,
                {**slots, **updates},
                language,
                intro_key="found_photo",
                just_said=moved,
                description=description.phrase,
            )
        return Turn(turn.replies, {**updates, **turn.slots})

    def _neighbours(self, vectors: dict) -> list[RankedItem]:
        space = "image" if "image" in vectors else next(iter(vectors))
        result = self.search.search(SearchRequest(vectors={space: vectors[space]}, k=NEIGHBOURS))
        return result.items

    # -- the shopper's data ------------------------------------------------------------------
    def forget(self, sender: str, language: str) -> Turn:
        """Delete everything kept about `sender`; the payload tells the channel to drop the conversation."""
        forget_shopper(self.photos.client, sender, tracker_prefix=None)
        return Turn([Reply(say("forgot", language), payload=FORGOTTEN)])

    def start_over(self, sender: str, language: str) -> Turn:
        self.photos.forget(sender)
        return Turn.text(say("start_over", language))

    def handoff(self, slots: dict[str, Any], language: str, service: bool = False) -> Turn:
        """To the shop's staff, with what the shopper wants so far; `service`: a question about delivery,
        returns, payment or an order, which only they can answer."""
        # the wishes as the cards' intros name them ("grey · coat · men"), not "category=coat"
        summary = self._describe(Preferences.from_slots(slots), language) or say("nothing_yet", language)
        return Turn.text(say("handoff_service" if service else "handoff", language, summary=summary))
