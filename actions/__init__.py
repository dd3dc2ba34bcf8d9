"""The rasa-sdk action server's actions: thin translators between the tracker and the core."""

from actions.services import warm_up_in_background
from shopguide.settings import get_settings

if get_settings().warm_up:  # set for the action servers `shopguide run` and `shopguide cluster` start
    warm_up_in_background()
