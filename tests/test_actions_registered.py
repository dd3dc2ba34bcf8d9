"""Every custom action the domain names is served by the action server, and nothing else is."""

from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor

from shopguide.settings import PROJECT_ROOT


def test_domain_actions_are_registered():
    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((PROJECT_ROOT / "bot" / "domain.yml").read_text())
    assert set(executor.actions) == set(domain["actions"])
