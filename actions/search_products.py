"""action_search_products: the shopper's words -> the core's search -> product cards."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from shopguide.errors import ShopguideError
from shopguide.replies.product_cards import recommendation_reply
from shopguide.search.service import SearchRequest, SearchService
from shopguide.settings import get_settings

log = logging.getLogger(__name__)
SEARCH_UNAVAILABLE = "Sorry, search is unavailable right now. Please try again in a minute."


@lru_cache(maxsize=1)
def search_service() -> SearchService:
    return SearchService.from_settings(get_settings())


class ActionSearchProducts(Action):
    def name(self) -> str:
        return "action_search_products"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        try:
            result = search_service().search(SearchRequest(text=text))
        except ShopguideError:
            log.exception("recommend.failed")
            dispatcher.utter_message(text=SEARCH_UNAVAILABLE)
            return []
        reply = recommendation_reply(result, get_settings().image_base_url)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        if reply.payload:
            dispatcher.utter_message(json_message=reply.payload)
        return []
