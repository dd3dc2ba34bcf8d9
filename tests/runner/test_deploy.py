"""`shopguide rasa-config`: Rasa's files for containers and the cluster, actions behind a load balancer."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from shopguide.cli import app
from shopguide.errors import SetupError
from shopguide.runner.deploy import MODEL_NAME_FILE, write_rasa_config
from shopguide.runner.rasa_project import training_fingerprint


def test_files_point_at_the_shared_redis_and_the_balanced_actions(settings):
    settings.redis_url = "redis://redis:6379/2"
    written = write_rasa_config(settings, action_url="http://web:5055/webhook")
    endpoints = yaml.safe_load(written.endpoints.read_text())
    assert endpoints["action_endpoint"]["url"] == "http://web:5055/webhook"
    for store in ("tracker_store", "lock_store"):
        assert endpoints[store] | {"url": "redis", "port": 6379, "db": 2} == endpoints[store]
    credentials = yaml.safe_load(written.credentials.read_text())
    assert credentials["bot.channels.web_chat.WebChatInput"]["redis_url"] == "redis://redis:6379/2"
    assert (settings.rasa_dir / MODEL_NAME_FILE).read_text().strip() == written.model_name
    assert written.model_name == f"bot-{training_fingerprint(settings)}"


def test_without_an_action_url_the_settings_address_is_used(settings):
    settings.redis_url = "redis://127.0.0.1:6379/0"
    endpoints = yaml.safe_load(write_rasa_config(settings).endpoints.read_text())
    assert endpoints["action_endpoint"]["url"] == f"http://127.0.0.1:{settings.action_port}/webhook"


def test_redis_is_required(settings):
    with pytest.raises(SetupError, match="REDIS_URL"):
        write_rasa_config(settings)


def test_cli_says_what_is_missing(tmp_path, monkeypatch):
    from shopguide.settings import get_settings

    monkeypatch.setenv("SHOPGUIDE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["rasa-config"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1 and "REDIS_URL" in result.output
