"""The Rasa server's cached response validator: Rasa's verdicts and Rasa's error, in Rasa's own environment."""

from __future__ import annotations

import json
import subprocess

import pytest

from shopguide.runner.rasa_project import rasa_environment, rasa_executable
from shopguide.settings import PROJECT_ROOT, Settings

CHECK = """
import json
import bot.channels  # what Rasa imports to load our channels
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

action = RemoteAction("action_recommend", None)
valid = {"events": [{"event": "slot", "name": "colour", "value": "red"}], "responses": [{"text": "Here you go"}]}
out = {"patched": getattr(RemoteAction._validate_action_result, "cached_validator", False),
       "valid": action._validate_action_result(valid)}
for name, bad in (("events_not_a_list", {"events": "nope"}), ("event_without_kind", {"events": [{"name": "x"}]})):
    try:
        action._validate_action_result(bad)
        out[name] = "accepted"
    except ValidationError as error:
        out[name] = error.message
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict:
    settings = Settings(var_dir=tmp_path_factory.mktemp("var"))
    python = rasa_executable().parent / "python"
    done = subprocess.run(
        [str(python), "-c", CHECK],
        cwd=PROJECT_ROOT,
        env=rasa_environment(settings),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_loading_our_channels_installs_the_cached_validator(verdicts):
    assert verdicts["patched"] is True


def test_a_valid_response_passes(verdicts):
    assert verdicts["valid"] is True


@pytest.mark.parametrize("case", ["events_not_a_list", "event_without_kind"])
def test_an_invalid_response_gets_rasas_own_error(verdicts, case):
    assert "Failed to validate Action server response" in verdicts[case]
