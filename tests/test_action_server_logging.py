"""The action server's worker logs at the level rasa_sdk's main process was started with."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from actions import WORKER_LOG_LEVEL
from shopguide.settings import PROJECT_ROOT

# What rasa_sdk's main process does: set up its logging from --verbose/--debug/--quiet, then import the actions.
MAIN = """
import logging, os
from rasa_sdk.utils import configure_colored_logging
configure_colored_logging(logging.{level})
import actions
print(os.environ[{name!r}])
"""
WORKER = "import logging, actions; print(logging.getLevelName(logging.getLogger().getEffectiveLevel()))"


def _python(code: str, **environment: str) -> str:
    env = {key: value for key, value in os.environ.items() if key != "SANIC_WORKER_NAME"}
    env.update(SHOPGUIDE_WARM_UP="false", **environment)
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING"])
def test_the_worker_logs_at_the_main_process_level(level):
    handed_on = _python(MAIN.format(level=level, name=WORKER_LOG_LEVEL))
    assert handed_on == level
    assert _python(WORKER, SANIC_WORKER_NAME="Sanic-Server-0-0", **{WORKER_LOG_LEVEL: handed_on}) == level
