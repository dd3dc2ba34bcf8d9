"""Slot filling: language and budget from every message, entity values normalised to the catalogue,
and the shopping form's questions chosen by the core (category first, then what splits the catalogue).
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker, ValidationAction
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.services import shopping_assistant
from actions.shopping import (
    item_number,
    kindly,
    lacking_kind,
    move_in_words,
    offer_answer,
    recommendation,
    restyled_card,
    service_question,
    size_step_answer,
    stated_turn,
    step_answer,
    whole_outfit_answer,
)
from actions.turns import (
    answered_already,
    end_questions,
    entity,
    language_of,
    loop_before_message,
    outfit_requested,
    said_in_message,
    send,
    size_asked_of_card,
    slot_before_message,
    slots_of,
)
from shopguide.conversation import money
from shopguide.conversation.assistant import OFFERED, SOFT_WISHES, Turn
from shopguide.conversation.body_size import body_measures, states_body
from shopguide.conversation.catalogue_range import catalogue_range, closest_sizes
from shopguide.conversation.item_numbers import card_named, names_a_card
from shopguide.conversation.messages import say
from shopguide.conversation.money import StatedBudget
from shopguide.conversation.preferences import ANY, PREFERENCE_SLOTS, new_garment_resets, normalise, sensible_budget
from shopguide.errors import ShopguideError
from shopguide.search.lexicon import OTHER_STEP_WORDS
from shopguide.search.query_parser import (
    ParsedQuery,
    QueryParser,
    avoided_clauses,
    names_a_fit,
    names_phrase,
    negates,
    price_order,
    read_price,
)
from shopguide.store.filters import Constraints


class SlotsNeedingNoCheck(logging.Filter):
    """rasa_sdk warns at every message about each slot it extracted that has no validate_<slot>: the
    language, a style's words, a lower budget need none, and the warning filled the log at every turn."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Skipping validation for `")


log = logging.getLogger(__name__)
logging.getLogger("rasa_sdk.forms").addFilter(SlotsNeedingNoCheck())


def stated_budget(tracker: Tracker) -> StatedBudget:
    """The message's budget ("under 80", "80块以内", "between 50 and 100") in the catalogue's currency;
    without the store (down), as stated."""
    text = tracker.latest_message.get("text") or ""
    try:
        return shopping_assistant().stated_budget(text)
    except ShopguideError:
        return money.stated_budget(text, None, {})


def budget_from(tracker: Tracker) -> dict[str, Any]:
    """Budget slots from the message's words: both, the one not stated None; none without a budget. A
    comparison's numbers are cards ("the difference between 1 and 2"), not a price range."""
    if tracker.get_intent_of_latest_message() == "compare_items":
        return {}
    budget = stated_budget(tracker).budget
    return {"budget_min": budget.get("budget_min"), "budget_max": budget.get("budget_max")} if budget else {}


class CatalogueValues:
    """validate_<slot> for every preference: entity words -> catalogue values, odd values refused."""

    def _parser(self) -> QueryParser:
        """The catalogue's words; without the store (down) only the built-in lexicon."""
        try:
            return shopping_assistant().search.parser()
        except ShopguideError:
            return QueryParser({})

    def _vocabulary(self) -> dict[str, list[str]]:
        try:
            return shopping_assistant().search.store.vocabulary()
        except ShopguideError:
            return {}

    @staticmethod
    def _no_wishes_undone(tracker: Tracker) -> list[EventType]:
        """Slots NLU filled with words that state no wish, as they were before the message: a step along a
        measure ("a bit shorter": a kind of garment "shorter"; "a size smaller": a size "SMALLER"), whom a
        fit is named for ("boyfriend jeans": men). Set on the tracker before any validation sees them, and
        returned (the global validation leaves out the form's slots)."""
        text = tracker.latest_message.get("text") or ""

        def no_wish(slot: str, value: Any) -> bool:
            words = str(value or "").strip().lower()
            return words in OTHER_STEP_WORDS or (slot == "gender" and bool(words) and names_a_fit(words, text))

        undone = [
            SlotSet(slot, slot_before_message(tracker, slot))
            for slot, value in tracker.slots_to_validate().items()
            if no_wish(slot, value)
        ]
        tracker.add_slots(undone)
        return undone

    def _normalised(self, slot: str, value: Any) -> dict[str, Any]:
        return {slot: normalise(slot, value, self._parser()) or (str(value).lower() if value else None)}

    def _entity_value(self, slot: str, value: Any, tracker: Tracker, keep_unknown: bool) -> dict[str, Any]:
        """The catalogue's value for an entity's words; words it does not know kept as said (a colour it
        lacks is worth saying so) or dropped. A brand's words leave the slot as it was (`_brand_words`)."""
        if self._brand_words(value, tracker):
            return {slot: self._instead_of_brand_words(slot, tracker)}
        if words := self._words_instead(slot, value, tracker):
            return {slot: words}
        if keep_unknown:
            return self._normalised(slot, value)
        return {slot: normalise(slot, value, self._parser())}

    def _words_instead(self, slot: str, value: Any, tracker: Tracker) -> str | None:
        """What the message's words name for the slot where NLU's value is a misreading: words the catalogue
        does not know ("a dress but not red": "but" tagged as a kind of garment too), or a kind of garment
        the words do not name ("show me t-shirts": "-shirts" tagged, a shirt); None where NLU's value stands."""
        if value in (None, ANY):
            return None
        words = self._named_in_words(slot, tracker)
        known = normalise(slot, value, self._parser())
        if known is None or (slot == "category" and words and known not in self._kinds_named(tracker)):
            return words
        return None

    def _kinds_named(self, tracker: Tracker) -> list[str]:
        text = tracker.latest_message.get("text") or ""
        return [] if text.startswith("/") else _named(self._parser().parse(text), "category")

    def _named_in_words(self, slot: str, tracker: Tracker) -> str | None:
        """The catalogue's value for the slot that the message's words name, whatever NLU tagged (the size
        they state outright: "size 42", "42码")."""
        text = tracker.latest_message.get("text") or ""
        return None if text.startswith("/") else self._parser().slot_value(slot, text)  # remembered

    def _brand_named(self, tracker: Tracker) -> dict[str, Any]:
        """A brand of the catalogue's the message names ("Levi's jeans"); NLU has no entity for brands,
        which differ from one catalogue to the next: only a button's payload carries one."""
        words = next(tracker.get_latest_entity_values("brand"), None) or tracker.latest_message.get("text") or ""
        brand = self._parser().slot_value("brand", words)  # remembered
        return {"brand": brand} if brand else {}

    def _brand_words(self, value: Any, tracker: Tracker) -> bool:
        """Whether an entity's words are (within) the brand the message names: NLU guesses at words it
        never saw ("Pinecrest的呢" gave a colour 'Pinecrest'), and "Red Tape shoes" asks for no red."""
        brand = self._brand_named(tracker).get("brand")
        if not brand or value in (None, ANY):
            return False
        return names_phrase(brand, str(value))

    def _instead_of_brand_words(self, slot: str, tracker: Tracker) -> Any:
        """The message's last other entity for the slot ("Halden jeans": 'jeans', not 'Halden'), else the
        slot's value before the message."""
        others = [
            e.get("value")
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == slot and not self._brand_words(e.get("value"), tracker)
        ]
        return others[-1] if others else slot_before_message(tracker, slot)

    def validate_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._entity_value("category", value, tracker, keep_unknown=True)

    def validate_colour(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        colour = self._entity_value("colour", value, tracker, keep_unknown=True)
        return self._turned_down(colour["colour"], tracker) or colour

    def _turned_down(self, colour: Any, tracker: Tracker, keep_before: bool = True) -> dict[str, Any]:
        """ "a dress but not red": NLU tags red as the colour wanted. Another colour the message names, else
        the one wanted before (not for another kind of garment), else any other (the colour question is
        answered); {} for a colour wanted."""
        avoided = self._avoided(tracker, "colour")
        if colour not in avoided:
            return {}
        others = [self._normalised("colour", v)["colour"] for v in tracker.get_latest_entity_values("colour")]
        before = [slot_before_message(tracker, "colour")] if keep_before else []
        kept = [c for c in [*others, *before] if c and c not in avoided]
        return {"colour": kept[0] if kept else ANY}

    def _avoided(self, tracker: Tracker, slot: str) -> list[str]:
        """The colours or patterns the message turns down ("not red", "anything but black", "不要条纹的")."""
        text = tracker.latest_message.get("text") or ""
        return [] if text.startswith("/") else self._parser().parse(text).slot_values().get(f"avoided_{slot}s", [])

    def _avoided_update(self, tracker: Tracker, slot: str) -> dict[str, Any]:
        """`avoided_<slot>s` with what the message turns down added and what it asks for again taken out."""
        name = f"avoided_{slot}s"
        before = list(tracker.get_slot(name) or [])
        wanted = {self._normalised(slot, v)[slot] for v in tracker.get_latest_entity_values(slot)}
        avoided = self._avoided(tracker, slot)
        now = [v for v in dict.fromkeys([*before, *avoided]) if v in avoided or v not in wanted]
        return {name: now} if now != before else {}

    def validate_gender(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._entity_value("gender", value, tracker, keep_unknown=False)

    def validate_pattern(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        pattern = self._entity_value("pattern", value, tracker, keep_unknown=False)
        avoided = self._avoided(tracker, "pattern")
        if pattern["pattern"] not in avoided:
            return pattern
        before = slot_before_message(tracker, "pattern")  # "not striped": NLU tags striped as the pattern
        return {"pattern": None if before in avoided else before}

    def validate_size(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        size = str(value or "").strip().upper()
        text = tracker.latest_message.get("text") or ""
        price = read_price(text)
        digits = re.fullmatch(r"\d+(?:\.\d+)?", size)
        if digits and (float(size) in (price.low, price.high) or names_a_card(text, int(float(size)))):
            # NLU took the budget ("under 60") or a card ("#2 in red") for one: the size the words state
            # ("size 42"), else as it was
            return {"size": self._named_in_words("size", tracker) or slot_before_message(tracker, "size")}
        known = self._vocabulary().get("sizes_in_stock", [])
        if size == ANY.upper() or not known or size in known:
            return {"size": size or None}
        examples = closest_sizes(size, self._sizes_of(tracker.get_slot("category")) or known, count=6)
        text = say("unknown_size", language_of(tracker), value=value, examples=", ".join(examples))
        dispatcher.utter_message(text=text)
        return {"size": None}

    def _sizes_of(self, category: Any) -> list[str]:
        """Sizes in stock in the shopper's category, small to large: trousers' sizes for trousers, not
        the shoe sizes that sort first in the whole catalogue."""
        category = normalise("category", category, self._parser()) if category else None
        if not category or category == ANY:
            return []
        try:
            store = shopping_assistant().search.store
            return catalogue_range(store, Constraints(categories=[category]), "sizes_in_stock").values
        except ShopguideError:
            return []

    def validate_budget_max(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value in (None, ANY):
            return {"budget_max": value}
        if not sensible_budget(value):
            # no question in it: the form asks for the budget again next
            dispatcher.utter_message(text=say("bad_budget", language_of(tracker), value=f"{float(value):g}"))
            return {"budget_max": None}
        return {"budget_max": float(value)}


class ValidateSlotMappings(CatalogueValues, ValidationAction):
    """Runs after every message (Rasa's global slot validation)."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events = self._no_wishes_undone(tracker) + await super().run(dispatcher, tracker, domain)
        if outfit_requested(tracker):  # the search it is to NLU kept out of the slots: the outfit answers it
            return events + self._slots_as_before(tracker, events)
        if told := stated_budget(tracker).told(language_of(tracker)):  # "100 CNY is about 13.9 USD, ..."
            dispatcher.utter_message(text=told)
        undone = self._misreadings_undone(tracker) | self._wishes_turned_down(tracker)
        undone |= self._missed(tracker, "category") | self._missed(tracker, "gender")
        resets = self._new_garment_resets(tracker, undone.get("category"))
        self._photo_put_right(tracker, undone.get("category", tracker.get_slot("category")))
        undone |= resets | self._size_of_other_garments(tracker, undone.get("category"))
        if tracker.get_slot(OFFERED):  # "Shall I drop it?" is answered by this message or not at all
            undone[OFFERED] = None
        if "colour" in tracker.slots_to_validate():  # the form validates only the slots it still asks for
            colour = self._normalised("colour", tracker.get_slot("colour"))["colour"]
            undone |= self._turned_down(colour, tracker, keep_before="colour" not in resets)
        return events + [SlotSet(name, value) for name, value in undone.items()]

    @staticmethod
    def _slots_as_before(tracker: Tracker, events: list[EventType]) -> list[EventType]:
        """The preferences the message changed (by NLU's mappings or the events of this action), as before it."""
        changed = {e["name"] for e in events if e.get("event") == "slot"} | set(tracker.slots_to_validate())
        wishes = [*PREFERENCE_SLOTS, "budget_min", "price_order"]
        return [SlotSet(name, slot_before_message(tracker, name)) for name in wishes if name in changed]

    def _misreadings_undone(self, tracker: Tracker) -> dict[str, Any]:
        """Preference slots NLU filled with a brand's words, filled with other words or as they were; or
        misread (`_words_instead`), filled with what the words name. The slots the form asks for are validated by it
        alone (`_entity_value`), and only while it asks for them, not by this action."""
        named = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
        filled = tracker.slots_to_validate()  # not a slot the words leave alone ("what colours do hoodies come in?")
        undone = {}
        for slot in named & filled.keys() & set(PREFERENCE_SLOTS) - {"brand"}:  # a button's brand is no misreading
            value = filled[slot]
            if self._brand_words(value, tracker):
                undone[slot] = self._instead_of_brand_words(slot, tracker)
            elif words := self._words_instead(slot, value, tracker):
                undone[slot] = words
        return undone

    def _wishes_turned_down(self, tracker: Tracker) -> dict[str, Any]:
        """A style, occasion or material NLU tagged in words that turn it down ("not for the office" ranked
        office wear first), as it was before the message."""
        text = tracker.latest_message.get("text") or ""
        turned_down = " ".join(avoided_clauses(text.lower()))
        return {
            slot: slot_before_message(tracker, slot)
            for slot in SOFT_WISHES
            if (value := entity(tracker, slot)) and turned_down and names_phrase(turned_down, str(value))
        }

    def _missed(self, tracker: Tracker, slot: str) -> dict[str, Any]:
        """The kind of garment, or whom it is for, that a request's words name when NLU tagged none ("I want a
        jacket": one retrain's model tagged nothing in it, and the form asked what kind of item; "a gift for
        my wife"), not one they turn down."""
        text = tracker.latest_message.get("text") or ""
        request = tracker.get_intent_of_latest_message() in ("search_products", "inform")
        if not request or text.startswith("/") or any(tracker.get_latest_entity_values(slot)):
            return {}
        parser = self._parser()
        avoided = _named(parser.parse(" ".join(avoided_clauses(text.lower()))), slot)
        wanted = [value for value in _named(parser.parse(text), slot) if value not in avoided]
        before = self._normalised(slot, tracker.get_slot(slot))[slot]
        return {slot: wanted[0]} if wanted and wanted[0] != before else {}

    def _new_garment_resets(self, tracker: Tracker, mended: str | None) -> dict[str, None]:
        """A request for another kind of garment: the old one's colour, budget, ... go unless restated.
        Done here, on every message, because the form validates only the slots it still asks for. Not
        when no mapping took the category: the form ignores a question about the range ("what colours
        do hoodies come in?"), which changes nothing that was asked for. `mended`: the category the words
        name where NLU misread or missed one (`_misreadings_undone`, `_missed`)."""
        entities = {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities") or []}
        named = entities.get("category") if "category" in tracker.slots_to_validate() else None
        if not (mended or named) or self._brand_words(named, tracker):
            return {}
        before = self._normalised("category", slot_before_message(tracker, "category"))["category"]
        if before in self._turned_down_kinds(tracker):
            return {}  # "not a sweater, a hoodie" (a photo's reading, put right): the same wishes, of hoodies
        now = mended or self._normalised("category", named)["category"]
        stated = set(entities) | set(budget_from(tracker)) | set(self._brand_named(tracker))
        stated |= {"price_order"} if price_order(tracker.latest_message.get("text") or "") else set()
        avoided = self._avoided(tracker, "colour")
        if all(self._normalised("colour", v)["colour"] in avoided for v in tracker.get_latest_entity_values("colour")):
            stated.discard("colour")  # "a dress but not red" wants no red, and states no colour wanted
        return new_garment_resets(before, now, stated)

    def _photo_put_right(self, tracker: Tracker, category: Any) -> None:
        """ "it's a hoodie, not a sweater" after a photo read as a sweater: the photo's reading is put right,
        and the photo goes on ranking the hoodies (as of another kind of garment, it was left behind)."""
        turned_down, now = self._turned_down_kinds(tracker), self._normalised("category", category)["category"]
        if not turned_down or now in (None, ANY, *turned_down):
            return
        try:
            photos = shopping_assistant().photos
            if photos.what_it_showed(tracker.sender_id, "category") in turned_down:
                photos.put_right(tracker.sender_id, "category", now)
        except ShopguideError:
            log.warning("photo.put_right_failed sender=%s", tracker.sender_id)

    def _turned_down_kinds(self, tracker: Tracker) -> list[str]:
        text = tracker.latest_message.get("text") or ""
        return [] if text.startswith("/") else self._parser().parse(text).constraints.exclude_categories

    def _size_of_other_garments(self, tracker: Tracker, mended: str | None) -> dict[str, None]:
        """The shopper's size dropped where the kind of garment asked for now comes in none such ("size M"
        for shirts, then sneakers: "nothing matches sneakers in size M"). A size the message states stays.
        `mended`: the category the words name where NLU misread or missed one."""
        size, filled = tracker.get_slot("size"), tracker.slots_to_validate()
        named = mended or filled.get("category")
        if size in (None, ANY) or not named or "size" in filled:
            return {}
        sizes = self._sizes_of(named)
        return {"size": None} if sizes and str(size).upper() not in sizes else {}

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"language": language_of(tracker)}

    async def extract_budget_max(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A stated budget, or "any" when the shopper skips the budget question."""
        skipped = (
            tracker.get_slot("requested_slot") == "budget_max" and tracker.get_intent_of_latest_message() == "skip"
        )
        if skipped:
            return {"budget_max": ANY}
        budget = budget_from(tracker)
        return {"budget_max": budget["budget_max"]} if budget else {}

    async def extract_price_order(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "the cheapest dresses", "最贵的外套": kept for the cards the form's questions lead to, and after
        them, until another kind of garment is asked for."""
        order = price_order(tracker.latest_message.get("text") or "")
        return {"price_order": order} if order else {}

    async def extract_brand(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._brand_named(tracker)

    async def extract_size(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A size the words state outright ("size 42", "42码") that NLU read as something else (a budget:
        "black sneakers size 42 under 80" searched without the size)."""
        if any(e.get("entity") == "size" for e in tracker.latest_message.get("entities") or []):
            return {}
        size = self._named_in_words("size", tracker) or self._size_from_body(tracker)
        return {"size": size} if size else {}

    def _size_from_body(self, tracker: Tracker) -> str | None:
        """The size a height and weight stated with a request give ("身高170体重60，想买条裙子" searched every
        size); a question about sizes ("what size am I?") is `ActionAboutItem`'s."""
        text = tracker.latest_message.get("text") or ""
        category = normalise("category", tracker.get_slot("category"), self._parser())
        if tracker.get_intent_of_latest_message() not in ("search_products", "inform") or category in (None, ANY):
            return None
        if not states_body(text) or (body := body_measures(text)) is None:
            return None
        try:
            return shopping_assistant().size_for_kind(category, tracker.get_slot("gender"), body)
        except ShopguideError:
            return None

    async def extract_avoided_colours(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Colours turned down, kept for the conversation until asked for again ("in red after all")."""
        return self._avoided_update(tracker, "colour")

    async def extract_avoided_patterns(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Patterns turned down ("a shirt, not striped" searched striped shirts only), kept as colours are."""
        return self._avoided_update(tracker, "pattern")

    async def extract_colour_choices(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._choices(tracker, "colour")

    async def extract_category_choices(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._choices(tracker, "category")

    def _choices(self, tracker: Tracker, slot: str) -> dict[str, Any]:
        """The colours of "green or blue", the kinds of "shoes", any of which will do; a message naming one,
        or a button's, ends the choice. Kept while the slot holds one of them (`Preferences.either`)."""
        text = tracker.latest_message.get("text") or ""
        named = {} if text.startswith("/") else self._parser().parse(text).slot_values()
        if slot not in named and not any(tracker.get_latest_entity_values(slot)):
            return {}
        choices = named.get(f"{slot}_choices")
        return {f"{slot}_choices": choices} if choices != tracker.get_slot(f"{slot}_choices") else {}

    async def extract_style(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._wish_in_words(tracker, "style")

    async def extract_occasion(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._wish_in_words(tracker, "occasion")

    async def extract_material(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._wish_in_words(tracker, "material")

    def _wish_in_words(self, tracker: Tracker, slot: str) -> dict[str, Any]:
        """The catalogue's style, occasion or material the words name when NLU tagged none ("something to
        wear to a wedding": its examples hold few of this shop's tags, and the wedding was lost). Not from
        words that turn wishes around ("not for the office"), nor from a button's payload."""
        text = tracker.latest_message.get("text") or ""
        tagged = list(dict.fromkeys(str(value).strip() for value in tracker.get_latest_entity_values(slot)))
        if len(tagged) > 1 and not text.startswith("/"):
            return self._several_wishes(tracker, slot, tagged)
        if tagged or text.startswith("/") or negates(text):
            return {}
        value = self._parser().slot_value(slot, text)  # remembered
        return {slot: value} if value else {}

    @staticmethod
    def _several_wishes(tracker: Tracker, slot: str, tagged: list[str]) -> dict[str, Any]:
        """ "a dress for the office and for parties": every occasion tagged, not the first alone (a text slot
        keeps one entity); those turned down left out ("for the office, not for parties")."""
        turned_down = " ".join(avoided_clauses((tracker.latest_message.get("text") or "").lower()))
        wanted = [value for value in tagged if not (turned_down and names_phrase(turned_down, value))]
        return {slot: " ".join(wanted)} if wanted else {}

    async def extract_budget_min(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        budget = budget_from(tracker)
        return {"budget_min": budget["budget_min"]} if budget else {}


def _named(parsed: ParsedQuery, slot: str) -> list[str]:
    """The kinds of garment, or whom for, that parsed words name."""
    named = parsed.constraints.categories if slot == "category" else [parsed.constraints.gender]
    return [value for value in named if value]


def noted(tracker: Tracker) -> str | None:
    """'Noted: women.' for wishes the message stated while the form asked something else, None when it
    answered the question (or no question was open)."""
    requested, said = tracker.get_slot("requested_slot"), said_in_message(tracker)
    if not requested or not said or requested in said:
        return None
    try:
        return shopping_assistant().noted(slots_of(tracker), said, language_of(tracker))
    except ShopguideError:
        return None


class ValidateShoppingForm(CatalogueValues, FormValidationAction):
    """The form's questions, and its answer once none is left: the cards. Rasa calls this action whenever
    the form runs; an action of its own, run by a rule after the form's end, cost each recommendation
    one more call to the action server, a hand-off between processes that is slow on a virtual machine
    whose idle vCPUs halt (a recommendation turn's p50 went from 25 to 20 ms without it)."""

    def name(self) -> str:
        return "validate_shopping_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """A wish the form asks about too, stated while it asks another ('women' while it asks the colour),
        is taken and the open question asked again, after a 'Noted: women.'. A message that sets none of
        the form's slots is rejected by Rasa, and action_noted says it instead."""
        events = self._no_wishes_undone(tracker) + await super().run(dispatcher, tracker, domain)
        language = language_of(tracker)
        if not answered_already(tracker) and (
            answer := kindly(self.name(), language, lambda: off_form(tracker, language))
        ):
            # "I need a tie for a wedding", "how long is shipping?": answered, and no more questions
            category = slot_before_message(tracker, "category")
            return [*events, *send(dispatcher, answer), SlotSet("category", category), SlotSet(REQUESTED_SLOT, None)]
        if said_in_message(tracker) & set(self.domain_slots(domain)) and (note := noted(tracker)):
            dispatcher.utter_message(text=note)
        if asks_nothing_more(events):
            events += questions_over(dispatcher, tracker)
        return events

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType:
        """The next question, None when all are answered: always this action's, which rasa_sdk leaves to
        Rasa when the questions happen to be the domain's list."""
        questions = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return SlotSet(REQUESTED_SLOT, next((slot for slot in questions if tracker.get_slot(slot) is None), None))

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        try:
            return shopping_assistant().questions(slots_of(tracker))
        except ShopguideError:  # the store is down: ask nothing, the recommendation says so kindly
            return []


def off_form(tracker: Tracker, language: str) -> Turn | None:
    """What the shop does not carry ("I need a tie for a wedding") or a question for its staff ("how long
    is shipping?"), or a whole outfit ("an outfit for a job interview"): an answer that ends the form's
    questions."""
    return (
        lacking_kind(tracker, language) or service_question(tracker, language) or whole_outfit_answer(tracker, language)
    )


def questions_over(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The form's answer once it has nothing to ask: the cards, unless the message asked something else."""
    language = language_of(tracker)
    if answer := kindly("questions_over", language, lambda: answer_instead(tracker, language)):
        return send(dispatcher, answer)
    return recommendation(dispatcher, tracker)


def answer_instead(tracker: Tracker, language: str) -> Turn | None:
    """The answer to "Shall I drop it?" ("no", a skip to NLU, activates the form too); a move on the cards in
    its words ("show me the cheapest", a search to NLU: `move_in_words`); the size of the card
    asked about last ("有L码吗", an inform); cards like one shown, in the look asked for ("the second one
    in red", a search to NLU); the next cards for "anything" after some; what goes with a card ("do you
    have matching pants?", a search to NLU); None for a plain request."""
    if answer := offer_answer(tracker, language) or move_in_words(tracker, language):
        return answer
    if answer := size_step_answer(tracker, language) or whole_outfit_answer(tracker, language):
        return answer  # "a size smaller", "an outfit for a job interview"
    assistant, slots = shopping_assistant(), slots_of(tracker)
    if number := size_asked_of_card(tracker):
        return assistant.size_advice(slots, language, number)
    if (restyled := restyled_card(tracker)) is not None:
        return assistant.more_like(tracker.sender_id, slots, language, restyled)
    if anything_after_cards(tracker):
        return assistant.show_more(tracker.sender_id, slots, language)
    if outfit_requested(tracker):
        text = tracker.latest_message.get("text") or ""
        return assistant.outfit(tracker.sender_id, slots, language, item_number(tracker), text)
    return None


def card_asked_for(tracker: Tracker, language: str) -> Turn | None:
    """ "show me the first one again" (an inform with a card's number, which stated nothing new and was
    answered "Noted."): that card's details, while it is on screen."""
    number = card_named(tracker.latest_message.get("text"))
    if number is None or number > len(tracker.get_slot("shown_items") or []):
        return None
    return shopping_assistant().details(slots_of(tracker), language, number)


def anything_after_cards(tracker: Tracker) -> bool:
    """ "anything" / "随便" with cards on screen and no question open (or an old "Any colour" button
    tapped): the same cards again would answer nothing, the next ones do."""
    return (
        tracker.get_intent_of_latest_message() == "skip"
        and loop_before_message(tracker) is None
        and bool(slot_before_message(tracker, "shown_items"))
        and not said_in_message(tracker)
    )


def asks_nothing_more(events: list[EventType]) -> bool:
    """Whether the form's validation ended its questions (it always names the next one, or None)."""
    requested = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == REQUESTED_SLOT]
    return bool(requested) and requested[-1] is None


# what a message that states nothing gets, by its intent ("qwzx" came as an inform with nothing in it)
NOTHING_STATED = {"chitchat": "utter_chitchat", "out_of_scope": "utter_out_of_scope", "affirm": "utter_say_which"}


class ActionNoted(Action):
    """What a message states that the form does not ask about ('size M' while it asks the colour), or
    that NLU placed nowhere: the catalogue's styles, occasions, materials or patterns said on their own
    ("oversized", "linen", "廓形"; its examples never held this shop's tags). The form rejects such a
    message; a rule runs this, then the form asks its question again. Outside the form, what such a
    message states is searched with ("有43码吗" after a card's details: that card's sizes). A message out of
    scope to NLU runs it too: its words may make a move ("加入购物车", add to cart). A message that states
    nothing gets its intent's answer, or Rasa's "Sorry, I didn't get that"."""

    def name(self) -> str:
        return "action_noted"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        if answer := kindly(self.name(), language, lambda: offer_answer(tracker, language)):  # "不用了"
            return send(dispatcher, answer)
        if whole := kindly(self.name(), language, lambda: whole_outfit_answer(tracker, language)):
            return send(dispatcher, whole) + end_questions(tracker)  # "what should I wear to a wedding?"
        if note := noted(tracker):
            dispatcher.utter_message(text=note)
            return []
        if turn := kindly(
            self.name(),
            language,
            lambda: (
                move_in_words(tracker, language)
                or service_question(tracker, language)
                or lacking_kind(tracker, language)
                or stated_turn(tracker, language)
                or step_answer(tracker, language)
            ),
        ):
            return send(dispatcher, turn)
        if answered_already(tracker):  # "I don't know the size 47" said it
            return []
        if card := kindly(self.name(), language, lambda: card_asked_for(tracker, language)):
            return send(dispatcher, card)
        if tracker.latest_message.get("entities"):  # a wish held already ("size M" again)
            dispatcher.utter_message(text=say("noted_plain", language_of(tracker)))
        else:
            intent = tracker.get_intent_of_latest_message() or ""
            dispatcher.utter_message(response=NOTHING_STATED.get(intent, "utter_default"))
        return []


class AskPreference(Action, ABC):
    """The form's question for a slot (Rasa runs action_ask_<slot> in place of a response): its buttons
    are the catalogue's commonest answers, not the same three for every shop."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot asked for."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return send(dispatcher, shopping_assistant().question(self.slot, slots_of(tracker), language_of(tracker)))


class ActionAskCategory(AskPreference):
    slot = "category"


class ActionAskColour(AskPreference):
    slot = "colour"


class ActionAskBudgetMax(AskPreference):
    slot = "budget_max"
