"""Custom Rasa input channels (run inside the Rasa server, Python 3.10).

Rasa imports this package when it loads our channels, so it is where the Rasa server's speedups apply.
The Telegram API client here also serves the `shopguide` CLI, whose environment has no Rasa.
"""

from importlib.util import find_spec

from bot.rasa_speedups import (
    cache_action_response_validator,
    extract_slots_once_per_message,
    index_event_types,
    keep_endpoint_sessions,
    save_trackers_without_rereading,
    settle_after_loading_the_model,
)

if find_spec("rasa") is not None:
    cache_action_response_validator()
    extract_slots_once_per_message()
    settle_after_loading_the_model()
    index_event_types()
    keep_endpoint_sessions()
    save_trackers_without_rereading()
