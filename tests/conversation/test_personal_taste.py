"""Personal taste across turns and conversations: dislikes never return, likes pull and are named."""

from __future__ import annotations

import uuid

import pytest

from tests.running_assistant import cards, texts, until_cards

pytestmark = pytest.mark.slow


def test_a_disliked_item_never_comes_back_even_after_starting_over(assistant):
    shopper = f"taste-{uuid.uuid4().hex[:10]}"
    shown = cards(until_cards(assistant, shopper, "t-shirts"))
    disliked = shown[1]["id"]
    assistant.say(shopper, "not number 2")
    assistant.say(shopper, "start over")
    again = cards(until_cards(assistant, shopper, "t-shirts"))
    more = cards(assistant.say(shopper, "show me more"))
    assert again and disliked not in {i["id"] for i in again + more}


def test_a_liked_item_pulls_the_next_results_and_says_why(assistant):
    shopper = f"taste-{uuid.uuid4().hex[:10]}"
    shown = cards(until_cards(assistant, shopper, "dresses"))
    assert "you like" in texts(assistant.say(shopper, "I love number 3"))
    following = cards(assistant.say(shopper, "show me more"))
    assert following and shown[2]["id"] not in {i["id"] for i in following}
    reasons = " ".join(i["explanation"] for i in following)
    assert "you liked" in reasons, reasons


def test_a_shopper_with_a_size_asking_for_what_is_not_there_gets_a_kind_answer(assistant):
    """A stated size makes a profile; with nothing found for it to rerank, the action once crashed on
    Chroma's refusal of an empty id list (the load test found it)."""
    shopper = f"taste-{uuid.uuid4().hex[:10]}"
    nothing = "nothing in the catalogue matches"
    reply = until_cards(
        assistant, shopper, "a green jacket for men in size L under 1", done=lambda r: nothing in texts(r)
    )
    assert not cards(reply) and nothing in texts(reply), reply
    assert texts(reply).strip()
