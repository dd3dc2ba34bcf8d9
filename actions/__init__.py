"""The rasa-sdk action server's actions: thin translators between the tracker and the core."""

import os

from rasa_sdk.utils import configure_colored_logging

from actions.services import warm_up_in_background
from shopguide.settings import get_settings

# The server worker that Sanic spawns (named in SANIC_WORKER_NAME) answers the calls. It starts without
# the logging rasa_sdk's main process set up, so its INFO lines were lost; and only it warms up: the main
# process imports the actions only to list them, and would hold a second copy of the models (~250 MB).
if os.environ.get("SANIC_WORKER_NAME"):
    configure_colored_logging("INFO")
    if get_settings().warm_up:
        warm_up_in_background()
