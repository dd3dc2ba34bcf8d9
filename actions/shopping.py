"""The shopping actions: each reads the tracker, calls one move of the core, sends its replies."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import shopping_assistant
from actions.turns import (
    discussed_number,
    end_questions,
    entity,
    language_of,
    named_number,
    said_in_message,
    send,
    size_asked_of_card,
    slot_before_message,
    slots_of,
    whole_outfit_requested,
)
from shopguide.conversation.assistant import OFFERED, ShoppingAssistant, Turn
from shopguide.conversation.body_size import body_measures
from shopguide.conversation.item_numbers import (
    card_named,
    item_numbers,
    names_a_card,
    parse_item_number,
    price_step_from_card,
)
from shopguide.conversation.messages import say
from shopguide.conversation.not_carried import not_carried
from shopguide.conversation.preferences import PREFERENCE_SLOTS, normalise
from shopguide.conversation.relaxation import declines
from shopguide.errors import ShopguideError
from shopguide.search.query_parser import (
    asks_another_colour,
    asks_outfit,
    asks_service,
    other_step,
    price_order,
    takes_one,
)

log = logging.getLogger(__name__)
MoveResult = TypeVar("MoveResult", bound=Turn | None)


def item_number(tracker: Tracker) -> int | None:
    """The card the message names; none named, the card asked about last ("what is it made of?")."""
    number = named_number(tracker)
    return number if number is not None else discussed_number(tracker)


# what "#2 in green" or "the second one with stripes" changes of a card's look
LOOK_SLOTS = frozenset({"colour", "pattern", "material"})


def restyled_card(tracker: Tracker) -> int | None:
    """The card a message asks to see in another look ("show me the second one in green": item_details or
    search_products to NLU, which told #2's details or searched green dresses unlike it): more like it."""
    number = parse_item_number(entity(tracker, "item_number"))
    number = card_named(tracker.latest_message.get("text")) if number is None else number
    if number is None or not tracker.get_slot("shown_items"):
        return None
    return number if said_in_message(tracker) & LOOK_SLOTS else None


def compared_numbers(tracker: Tracker) -> list[int]:
    """The card numbers a comparison names: its item_number entities, else every number in its words; one
    number alone ("compare it with the first one") is compared with the card asked about last."""
    named = [number for value in tracker.get_latest_entity_values("item_number") for number in item_numbers(value)]
    named = list(dict.fromkeys(named))
    numbers = named if len(named) > 1 else item_numbers(tracker.latest_message.get("text"))
    discussed = discussed_number(tracker)
    return [discussed, *numbers] if len(numbers) == 1 and discussed not in (None, *numbers) else numbers


def catalogue_wishes(tracker: Tracker) -> dict[str, str]:
    """The catalogue's styles, occasions, materials or patterns the words name, which NLU may place nowhere
    ("oversized", "linen"); none while the store is down (its words are unknown then)."""
    try:
        return shopping_assistant().wishes_in(tracker.latest_message.get("text") or "")
    except ShopguideError:
        return {}


def stated_turn(tracker: Tracker, language: str) -> Turn | None:
    """What the message states, noted while the form asks, else searched with ("有43码吗" after a card's
    details: that card's sizes), or, before any card and any kind wished for, the kind asked; None when it
    states nothing."""
    wishes = catalogue_wishes(tracker)
    said = said_in_message(tracker) | set(wishes)
    if not said:
        return None
    slots, assistant = {**slots_of(tracker), **wishes}, shopping_assistant()
    if tracker.active_loop_name:
        return Turn.text(assistant.noted(slots, said, language), **wishes)
    if not wishes and (number := size_asked_of_card(tracker)):
        return assistant.size_advice(slots, language, number)
    if not slots.get("shown_items") and slots.get("category") is None:
        # "hi, I'm going to a wedding next month" (more cards, to NLU) before any card: the kind asked, as the
        # form asks it, not every kind of wedding garment shown at once
        turn = assistant.question("category", slots, language)
    else:
        turn = assistant.recommend(tracker.sender_id, slots, language, just_said=said)
    return Turn(turn.replies, {**wishes, **turn.slots})


def lacking_kind(tracker: Tracker, language: str) -> Turn | None:
    """ "do you sell socks?", "show me suits", "I want a swimsuit", "shirts for boys": what the shop does not
    carry, said so, with the kinds it does (the words were no wish to the catalogue: a list of kinds, a
    "didn't get that", a photo asked for, three questions and nothing found). None for what it carries."""
    assistant = shopping_assistant()
    lacking = not_carried(tracker.latest_message.get("text") or "", assistant.search.parser())
    return assistant.not_carried(slots_of(tracker), language, lacking) if lacking else None


def size_step_answer(tracker: Tracker, language: str) -> Turn | None:
    """ "大一点的", "a size smaller": a size up or down from the shopper's, else their size asked; None for
    any other message."""
    step = other_step(tracker.latest_message.get("text") or "")
    if step not in ("bigger", "smaller"):
        return None
    return shopping_assistant().size_step(tracker.sender_id, slots_of(tracker), language, step == "bigger")


def step_answer(tracker: Tracker, language: str) -> Turn | None:
    """ "短一点的" (shorter), "大一点的" (bigger), "something thinner": a step along a measure other than the
    price, which NLU took for one or placed nowhere. A size step (`size_step_answer`); the wish the words
    name ("厚一点": warm, a winter tag), else the measures the catalogue has."""
    if other_step(tracker.latest_message.get("text") or "") is None:
        return None
    return (
        size_step_answer(tracker, language)
        or stated_turn(tracker, language)
        or Turn.text(say("no_such_step", language))
    )


def whole_outfit_answer(tracker: Tracker, language: str) -> Turn | None:
    """An outfit no card anchors ("an outfit for a job interview": a search, an outfit or an inform to NLU),
    put together; None for any other message."""
    if not whole_outfit_requested(tracker):
        return None
    text = tracker.latest_message.get("text") or ""
    return shopping_assistant().whole_outfit(tracker.sender_id, slots_of(tracker), language, text)


def service_question(tracker: Tracker, language: str) -> Turn | None:
    """ "how long is shipping?" (a card's details to NLU: "I haven't shown you anything yet"), "运费多少",
    "can I pay with paypal" (a skip): to the shop's staff."""
    if not asks_service(tracker.latest_message.get("text") or ""):
        return None
    return shopping_assistant().handoff(slots_of(tracker), language, service=True)


def stated_not_moved(tracker: Tracker, language: str) -> Turn | None:
    """A wish in a message that NLU read as a move on the cards: none shown yet ("something with flowers"
    while the form asks was answered "I haven't shown you anything yet"), or an outfit in words that ask
    for none ("with stripes please" after the cards showed what goes with the first)."""
    text = tracker.latest_message.get("text") or ""
    moved = tracker.get_intent_of_latest_message() != "outfit" or asks_outfit(text)
    return None if tracker.get_slot("shown_items") and moved else stated_turn(tracker, language)


def move_in_words(tracker: Tracker, language: str) -> Turn | None:
    """A move on the cards on screen that the words make, whatever NLU made of them: a card chosen ("I'll
    take this one" was "not this one", "就要这件了" a photo search, "加入购物车" out of scope), the garments by
    price ("the cheapest" was a step cheaper than the cards, "最贵的" not understood), a step cheaper than a
    card ("cheaper than the second one?" was its details), or the same in other
    colours ("in another colour" was another style, "换个颜色" a card's details, a retrain made it neither)."""
    slots, text = slots_of(tracker), tracker.latest_message.get("text") or ""
    if not slots.get("shown_items") or (tracker.latest_message.get("metadata") or {}).get("image_id"):
        return None
    assistant, sender = shopping_assistant(), tracker.sender_id
    if takes_one(text):
        return assistant.choose(sender, slots, language, item_number(tracker))
    if order := price_order(text):
        return assistant.by_price(sender, slots, language, order)
    if step := price_step_from_card(text):  # "cheaper than the second one?" was that card's details
        return assistant.change_price(sender, slots, language, *step)
    if asks_another_colour(text):
        return assistant.other_colours(sender, slots, language, item_number(tracker))
    return None


class ShoppingAction(Action, ABC):
    """Runs `turn()`; a failure of the store or the model becomes a friendly sentence."""

    @abstractmethod
    def turn(self, tracker: Tracker, sender: str, slots: dict[str, Any], language: str) -> Turn:
        """The core's move for this action."""

    def answers_the_form(self, turn: Turn, tracker: Tracker) -> bool:
        """Whether the shopping form's questions are over after this turn: once products are shown,
        the shopper refines from them, and a question after them ("Any colour in mind?") is noise."""
        return turn.shows_products

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        language = language_of(tracker)
        turn = kindly(self.name(), language, lambda: self._move(tracker, language))
        return send(dispatcher, turn) + (end_questions(tracker) if self.answers_the_form(turn, tracker) else [])

    def _move(self, tracker: Tracker, language: str) -> Turn:
        return move_in_words(tracker, language) or self.turn(tracker, tracker.sender_id, slots_of(tracker), language)


def kindly(name: str, language: str, move: Callable[[], MoveResult]) -> MoveResult | Turn:
    """The core's move; a failure of the store or the model becomes a friendly sentence."""
    try:
        return move()
    except ShopguideError:
        log.exception("action.failed name=%s", name)
        return Turn.text(say("unavailable", language))


def recommendation(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Cards for the conversation's wishes, sent; the slots they set, as events. The shopping form's last
    validation answers with them (`ValidateShoppingForm`), not an action of its own."""
    language, slots, said = language_of(tracker), slots_of(tracker), said_in_message(tracker)

    def recommend() -> Turn:
        return shopping_assistant().recommend(tracker.sender_id, slots, language, just_said=said)

    return send(dispatcher, kindly("recommendation", language, recommend))


def offer_answer(tracker: Tracker, language: str) -> Turn | None:
    """The answer to "Shall I drop it?" (offered by the turn before only) when the message gives one,
    whatever NLU made of it: a plain no ("no": skip, "nope": not_this, "保留吧": affirm, "不用了":
    nlu_fallback) keeps the search; a yes, or "doesn't matter" (skip), drops the condition. The slot is
    cleared by every message (`ValidateSlotMappings`): a "yes" later, to another question, is no answer."""
    offered = slot_before_message(tracker, OFFERED)
    if not offered:
        return None
    if declines(tracker.latest_message.get("text") or ""):
        return ShoppingAssistant.keep_offered(language, offered)
    if tracker.get_intent_of_latest_message() in ("affirm", "skip", "relax"):  # a condition named goes instead
        slots = {**slots_of(tracker), OFFERED: offered}
        return shopping_assistant().relax(tracker.sender_id, slots, language, entity(tracker, "condition"))
    return None


def complaint_about_price(tracker: Tracker) -> str | None:
    """ "cheaper" for a "yes" whose words complain of the price ("好贵啊": 好啊 made it a yes to NLU)."""
    if tracker.get_intent_of_latest_message() != "affirm":
        return None
    move = shopping_assistant().search.parser().parse(tracker.latest_message.get("text") or "").price_move
    return {"cheaper": "cheaper", "pricier": "more_expensive"}.get(move or "")


class ActionRefine(ShoppingAction):
    """cheaper, more expensive, show more, more like #n, not #n, like #n, other style, my size, relax, and
    "yes" to an offer to relax."""

    def name(self) -> str:
        return "action_refine"

    def turn(self, tracker: Tracker, sender: str, slots: dict[str, Any], language: str) -> Turn:
        if answer := offer_answer(tracker, language):
            return answer
        if stated := stated_not_moved(tracker, language):
            return stated
        assistant = shopping_assistant()
        intent = complaint_about_price(tracker) or tracker.get_intent_of_latest_message()
        if intent in ("cheaper", "more_expensive") and (answer := step_answer(tracker, language)):
            return answer  # "短一点的" (shorter) was "more expensive" to NLU
        number = item_number(tracker)
        moves = {
            "cheaper": lambda: assistant.change_price(sender, slots, language, True, named_number(tracker)),
            "more_expensive": lambda: assistant.change_price(sender, slots, language, False, named_number(tracker)),
            "show_more": lambda: assistant.show_more(sender, slots, language),
            "more_like": lambda: assistant.more_like(sender, slots, language, number),
            "not_this": lambda: assistant.feedback(sender, slots, language, number, liked=False),
            "like_item": lambda: assistant.feedback(sender, slots, language, number, liked=True),
            "different_style": lambda: assistant.different_style(sender, slots, language),
            "only_my_size": lambda: assistant.only_my_size(sender, slots, language),
            "relax": lambda: assistant.relax(sender, slots, language, entity(tracker, "condition")),
            "affirm": lambda: assistant.relax(sender, slots, language, None),  # "yes" with nothing offered
        }
        return moves.get(intent, moves["show_more"])()


class ActionAboutItem(ShoppingAction):
    def name(self) -> str:
        return "action_about_item"

    def answers_the_form(self, turn: Turn, tracker: Tracker) -> bool:
        """About a shown item, the shopper is past the form's questions; with none shown yet ("how much
        is the first one?" while the form asks), the questions go on after the reply; not after a
        hand-off to the staff ("how long is shipping?")."""
        text = tracker.latest_message.get("text") or ""
        return bool(tracker.get_slot("shown_items")) or asks_service(text) or whole_outfit_requested(tracker)

    def turn(self, tracker: Tracker, sender: str, slots: dict[str, Any], language: str) -> Turn:
        assistant, intent = shopping_assistant(), tracker.get_intent_of_latest_message()
        text = tracker.latest_message.get("text") or ""
        if service := service_question(tracker, language):
            return service
        if intent in ("size_advice", "item_details") and (body := body_measures(text)):
            # "身高170体重60穿什么码": no card 170, no search in a size
            return assistant.size_for_body(slots, language, body, card_named(text) or discussed_number(tracker))
        if whole := whole_outfit_answer(tracker, language):
            return whole
        if card_named(text) is None and (step := step_answer(tracker, language)):
            return step  # "小一号" (a size smaller), "which one is the warmest?": a card's question to NLU
        if stated := stated_not_moved(tracker, language):
            return stated
        if (restyled := restyled_card(tracker)) is not None:
            return assistant.more_like(sender, slots, language, restyled)
        named = named_number(tracker)
        if named is None and "brand" in (said := said_in_message(tracker)):
            # "do you have Kinfolk ones?" names a brand, not a card: NLU read it as a question about #1
            return assistant.recommend(sender, slots, language, just_said=said)
        discussed = discussed_number(tracker)
        number = named if named is not None else discussed
        if named and named > len(slots.get("shown_items") or []) and discussed and not names_a_card(text, named):
            # "is it available in 43?" after "tell me about #2": no card 43, a size of the card discussed
            return assistant.size_advice({**slots, "size": str(named)}, language, discussed)
        stated_size = assistant.search.parser().slot_value("size", text)
        if intent == "size_advice" or (intent == "item_details" and stated_size):
            # "does it come in L?" asks about a size, which the details would only list
            return assistant.size_advice({**slots, "size": stated_size or slots.get("size")}, language, number)
        if intent == "outfit":
            return assistant.outfit(sender, slots, language, number, text)
        if intent == "compare_items":
            return assistant.compare(slots, language, compared_numbers(tracker))
        return assistant.details(slots, language, number)


class ActionShowLiked(ShoppingAction):
    """'What did I like?': the liked items as cards. Asked while the form asks, its questions go on."""

    def name(self) -> str:
        return "action_show_liked"

    def answers_the_form(self, turn: Turn, tracker: Tracker) -> bool:
        return False

    def turn(self, tracker: Tracker, sender: str, slots: dict[str, Any], language: str) -> Turn:
        # "哪件最暖和" (which is the warmest?) was what the shopper liked to NLU
        return step_answer(tracker, language) or shopping_assistant().liked(sender, slots, language)


class ActionCatalogueRange(ShoppingAction):
    """'Which brands do you have?', 'what colours do hoodies come in?'. While the form asks, it ignores
    this intent (domain.yml): the wishes the question names are read from its entities here."""

    def name(self) -> str:
        return "action_catalogue_range"

    def turn(self, tracker: Tracker, sender: str, slots: dict[str, Any], language: str) -> Turn:
        assistant = shopping_assistant()
        # an entity's words as the catalogue spells them: "xl" matched no item's XL
        named = {
            name: normalise(name, value, assistant.search.parser()) or value
            for name in PREFERENCE_SLOTS
            if (value := entity(tracker, name))
        }
        said = said_in_message(tracker) | set(named)
        text = tracker.latest_message.get("text") or ""
        if lacking := lacking_kind(tracker, language):
            return lacking
        if number := size_asked_of_card(tracker):  # "do you have it in XL?" of the card asked about
            return assistant.size_advice(slots, language, number)
        return assistant.describe_range(sender, {**slots, **named}, language, text, said)


class ActionPhotoSearch(ShoppingAction):
    """The channel stored the photo in Redis and put only its id in the message metadata."""

    def name(self) -> str:
        return "action_photo_search"

    def turn(self, tracker: Tracker, sender: str, slots: dict[str, Any], language: str) -> Turn:
        metadata = tracker.latest_message.get("metadata") or {}
        image_id = metadata.get("image_id")
        if not image_id and (lacking := lacking_kind(tracker, language)):
            return lacking  # "I want a swimsuit" asked for a photo
        if not image_id and tracker.active_loop_name and (stated := stated_turn(tracker, language)):
            return stated  # "something warm" while the form asks the colour: noted, and the questions go on
        # without a photo, the message's own words ("like this but in red", typed after one was sent)
        words = metadata.get("words") if image_id else tracker.latest_message.get("text")
        words = words if isinstance(words, str) else ""
        return shopping_assistant().photo_search(sender, slots, language, image_id, words, item_number(tracker))


class ActionStartOver(Action):
    def name(self) -> str:
        return "action_start_over"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        language = language_of(tracker)
        send(dispatcher, shopping_assistant().start_over(tracker.sender_id, language))
        return [AllSlotsReset(), SlotSet("language", language), *end_questions(tracker)]


class ActionForgetMe(Action):
    def name(self) -> str:
        return "action_forget_me"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        send(dispatcher, shopping_assistant().forget(tracker.sender_id, language_of(tracker)))
        return [Restarted()]


class ActionHandoff(ShoppingAction):
    def name(self) -> str:
        return "action_handoff"

    def turn(self, tracker: Tracker, sender: str, slots: dict[str, Any], language: str) -> Turn:
        service = asks_service(tracker.latest_message.get("text") or "")
        return shopping_assistant().handoff(slots, language, service)
