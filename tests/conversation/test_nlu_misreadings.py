"""The slot validation against readings NLU gave in some retrain of the model: the real action server, sent
the tracker Rasa would send for such a reading. Each retrain moves a few readings (DIET on a small set),
so these pin down what the words decide whatever the model of the day tags."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

pytestmark = pytest.mark.slow
DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "bot" / "domain.yml").read_text())


def validated(assistant, text: str, intent: str, entities: list[tuple[str, str]], slots: dict) -> dict:
    """The slots after Rasa's global slot validation of a message NLU read as `intent` with `entities`, the
    slots Rasa's own mappings filled from them given in `slots`."""
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": [{"entity": name, "value": value} for name, value in entities],
    }
    events = [{"event": "user", "text": text, "parse_data": parse}]
    events += [{"event": "slot", "name": name, "value": value} for name, value in slots.items()]
    tracker = {
        "sender_id": "misreadings",
        "slots": {**{name: None for name in DOMAIN["slots"]}, **slots},
        "latest_message": parse,
        "events": events,
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    body = {"next_action": "action_validate_slot_mappings", "sender_id": "misreadings", "tracker": tracker}
    url = f"http://127.0.0.1:{assistant.settings.action_port}/webhook"
    response = httpx.post(url, json={**body, "domain": DOMAIN}, timeout=60)
    response.raise_for_status()
    set_now = {e["name"]: e["value"] for e in response.json()["events"] if e["event"] == "slot"}
    return {**slots, **set_now}


def test_a_word_taken_for_a_kind_of_garment_gives_way_to_the_one_the_words_name(assistant):
    """ "a dress for women but not red": one model tagged "but" as a category too, and nothing matched."""
    entities = [("category", "dress"), ("gender", "women"), ("category", "but"), ("colour", "red")]
    slots = validated(
        assistant, "a dress for women but not red", "search_products", entities, {"category": "but", "colour": "red"}
    )
    assert (slots["category"], slots["colour"], slots["avoided_colours"]) == ("dress", "any", ["red"])


def test_part_of_a_kind_of_garments_name_gives_way_to_the_whole(assistant):
    """ "show me t-shirts": NLU tagged "-shirts", and shirts were shown."""
    slots = validated(
        assistant, "show me t-shirts", "search_products", [("category", "-shirts")], {"category": "-shirts"}
    )
    assert slots["category"] == "t-shirt"


def test_a_kind_of_garment_nlu_missed_is_read_from_the_words(assistant):
    """ "I want a jacket": one model tagged nothing, and the form asked what kind of item."""
    assert validated(assistant, "I want a jacket", "search_products", [], {}).get("category") == "jacket"


def test_whom_it_is_for_is_read_from_the_words(assistant):
    """ "a birthday gift for my wife": NLU tagged nothing, and "women" was asked about later."""
    slots = validated(assistant, "a birthday gift for my wife", "search_products", [], {})
    assert slots.get("gender") == "women", slots


def test_a_kind_of_garment_turned_down_is_not_the_one_wanted(assistant):
    slots = validated(assistant, "a skirt, but not a dress", "search_products", [], {})
    assert slots.get("category") == "skirt", slots


def test_an_occasion_tagged_in_words_that_turn_it_down_is_not_wished_for(assistant):
    entities = [("category", "dress"), ("occasion", "office")]
    slots = {"category": "dress", "occasion": "office"}
    assert validated(assistant, "a dress, not for the office", "search_products", entities, slots)["occasion"] is None


def test_a_card_number_taken_for_a_size_is_no_size(assistant):
    """ "#2 in red": one model tagged 2 as a size, which got "I don't know the size “2”"."""
    slots = validated(assistant, "#2 in red", "inform", [("size", "2"), ("colour", "red")], {"size": "2"})
    assert slots["size"] is None
