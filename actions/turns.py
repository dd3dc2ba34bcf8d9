"""Turning the core's Turn into Rasa messages and events, and the tracker into the core's inputs."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from shopguide.conversation.assistant import Turn
from shopguide.conversation.item_numbers import card_named, parse_item_number
from shopguide.conversation.language import detect_language
from shopguide.conversation.preferences import PREFERENCE_SLOTS
from shopguide.search.query_parser import asks_outfit

CONVERSATION_SLOTS = (
    *PREFERENCE_SLOTS,
    "budget_min",
    "price_order",
    "shown_items",
    "seen_items",
    "excluded_items",
    "liked_items",
    "reference_item",
    "discussed_item",
    "offered_relaxation",
    "avoided_colours",
    "avoided_patterns",
    "colour_choices",
    "category_choices",
)


def language_of(tracker: Tracker) -> str:
    """The latest message's language; a button or photo payload ("/cheaper") carries no words of its own."""
    text = tracker.latest_message.get("text") or ""
    metadata = tracker.latest_message.get("metadata") or {}
    previous = metadata.get("language") or tracker.get_slot("language")
    if text.startswith("/"):
        text = metadata.get("words") or ""
    return detect_language(text, previous)


def slots_of(tracker: Tracker) -> dict[str, Any]:
    return {name: tracker.get_slot(name) for name in CONVERSATION_SLOTS}


def entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


def discussed_number(tracker: Tracker) -> int | None:
    """The number of the card asked about last ("tell me more about #2"), while it is on screen."""
    shown, discussed = tracker.get_slot("shown_items") or [], tracker.get_slot("discussed_item")
    return shown.index(discussed) + 1 if discussed in shown else None


def named_number(tracker: Tracker) -> int | None:
    """The card number the message names, if any."""
    return parse_item_number(entity(tracker, "item_number"), tracker.latest_message.get("text"))


def size_asked_of_card(tracker: Tracker) -> int | None:
    """The card the message names with cards on screen ("第二件有XL吗", an inform to NLU), else the one asked
    about last ("有L码吗" after its details), when the message states a size and nothing else: a question
    whether that card comes in the size, not a search in it."""
    if said_in_message(tracker) != {"size"}:
        return None
    # a card NLU tagged, or one the words call a card: the size's own digits are none ("我穿42码", "42码的有吗")
    tagged = parse_item_number(entity(tracker, "item_number"))
    tagged = None if str(tagged) == str(tracker.get_slot("size")) else tagged
    named = tagged or card_named(tracker.latest_message.get("text"))
    return named if named is not None and tracker.get_slot("shown_items") else discussed_number(tracker)


def slot_before_message(tracker: Tracker, name: str) -> Any:
    """The slot's value before the latest message filled it (the tracker already holds the new one)."""
    return slots_before_message(tracker).get(name)


def latest_user_event(tracker: Tracker) -> int:
    return max((i for i, e in enumerate(tracker.events) if e.get("event") == "user"), default=0)


def slots_before_message(tracker: Tracker) -> dict[str, Any]:
    """Every slot's value before the latest message (those never set are absent)."""
    return {e["name"]: e["value"] for e in tracker.events[: latest_user_event(tracker)] if e.get("event") == "slot"}


def loop_before_message(tracker: Tracker) -> str | None:
    """The form that was asking when the latest message came (None: none was)."""
    loops = [e.get("name") for e in tracker.events[: latest_user_event(tracker)] if e.get("event") == "active_loop"]
    return loops[-1] if loops else None


def answered_already(tracker: Tracker) -> bool:
    """Whether the bot has replied to the latest message already (the slot validation refused a size)."""
    return any(e.get("event") == "bot" for e in tracker.events[latest_user_event(tracker) :])


def said_in_message(tracker: Tracker) -> set[str]:
    """The preference slots the latest message gave a new value ("in green": colour)."""
    before = slots_before_message(tracker)
    return {name for name in PREFERENCE_SLOTS if tracker.get_slot(name) not in (None, before.get(name))}


def outfit_requested(tracker: Tracker) -> bool:
    """ "do you have a matching pair of pants?", "show me a bag that goes with the dress" with cards on
    screen: a new search to NLU (the form asked the trousers' colour), an outfit around a card in words."""
    return (
        tracker.get_intent_of_latest_message() == "search_products"
        and bool(slot_before_message(tracker, "shown_items"))
        and asks_outfit(tracker.latest_message.get("text") or "")
    )


# words that point at a card on screen ("what goes with it?", "这件怎么搭")
_CARD_POINTED = re.compile(r"\b(?:it|this|these|them|this one)\b|这件|这条|这双|这个|那件|那条|它", re.I)
# "what goes with black jeans?", "...with my grey coat": a kind of one's own, not a card ("with the hoodie")
_WITH_A_KIND = re.compile(
    r"\b(?:go|goes|wear|pair|style)\s+(?:well\s+)?with\s+(?!the\b|it\b|this\b|that\b|these\b|those\b|them\b|#|number\b)",
    re.I,
)
# "another outfit", "换一套": a whole outfit other than the one on screen
_ANOTHER = re.compile(r"\b(?:another|different|other|new) (?:outfit|look)\b|[换另]一?[套身]|(?:别的|其他)搭配", re.I)


def whole_outfit_requested(tracker: Tracker) -> bool:
    """ "an outfit for a job interview", "what should I wear to a wedding?", "帮我搭配一套约会穿的": an outfit
    asked for that no card on screen anchors: none is shown, or the words say what for (an occasion, a
    style, whom), name a kind of their own ("what goes with black jeans?") or ask for another one, and
    point at no card. The "who is it for?" buttons
    ("/outfit{"gender":"men"}") too."""
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/"):
        return text.startswith("/outfit") and named_number(tracker) is None
    if said_in_message(tracker) == {"gender"} and _asked_whom_outfit_for(tracker):
        return True  # "men", typed instead of a tap on the buttons
    if not asks_outfit(text) or card_named(text) is not None:  # "一套" and "budget 300" name no card
        return False
    if not slot_before_message(tracker, "shown_items"):
        return True
    says_what_for = any(entity(tracker, name) for name in ("occasion", "style", "gender"))
    with_a_kind = bool(_WITH_A_KIND.search(text)) and entity(tracker, "category") is not None
    return (says_what_for or with_a_kind or bool(_ANOTHER.search(text))) and not _CARD_POINTED.search(text)


def _asked_whom_outfit_for(tracker: Tracker) -> bool:
    """Whether the bot's last reply before the message asked whom an outfit is for (its buttons' payloads)."""
    replies = [e for e in tracker.events[: latest_user_event(tracker)] if e.get("event") == "bot"]
    buttons = (replies[-1].get("data") or {}).get("buttons") or [] if replies else []
    return any(str(b.get("payload", "")).startswith("/outfit") for b in buttons)


def send(dispatcher: CollectingDispatcher, turn: Turn) -> list[dict[str, Any]]:
    for reply in turn.replies:
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        if reply.payload:
            dispatcher.utter_message(json_message=reply.payload)
    return [SlotSet(name, value) for name, value in turn.slots.items()]


def end_questions(tracker: Tracker) -> list[dict[str, Any]]:
    """Closes the shopping form when a turn has answered the shopper in its stead (products shown, a
    question about one answered, a fresh start): its next question would ask what is already settled."""
    if not tracker.active_loop_name:
        return []
    return [ActiveLoop(None), SlotSet("requested_slot", None)]
