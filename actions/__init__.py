"""The rasa-sdk action server's actions: thin translators between the tracker and the core."""

import logging
import os

from rasa_sdk.utils import configure_colored_logging

from actions.services import warm_up_in_background
from shopguide.settings import get_settings

WORKER_LOG_LEVEL = "SHOPGUIDE_ACTIONS_LOG_LEVEL"

# The server worker that Sanic spawns (named in SANIC_WORKER_NAME) answers the calls. It starts without
# the logging rasa_sdk's main process set up from its --verbose/--debug/--quiet, so its lines were lost;
# the main process, which imports the actions to list them after setting up its logging, passes its level
# on in the environment the worker inherits. Only the worker warms up: the main process would hold a
# second copy of the models (~250 MB).
if os.environ.get("SANIC_WORKER_NAME"):
    configure_colored_logging(os.environ.get(WORKER_LOG_LEVEL, "INFO"))
    if get_settings().warm_up:
        warm_up_in_background()
else:
    os.environ[WORKER_LOG_LEVEL] = logging.getLevelName(logging.getLogger().getEffectiveLevel())
