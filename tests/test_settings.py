"""Settings come from the environment, then a YAML file, then defaults."""

from __future__ import annotations

from shopguide.settings import Settings
from shopguide.settings_table import settings_rows


def test_environment_then_yaml_then_defaults(tmp_path, monkeypatch):
    config = tmp_path / "shopguide.yaml"
    config.write_text("rasa_port: 6001\nsearch_k: 4\ntext_weight: 0.5\n")
    monkeypatch.setenv("SHOPGUIDE_CONFIG", str(config))
    monkeypatch.setenv("SHOPGUIDE_SEARCH_K", "7")
    monkeypatch.setenv("REDIS_URL", "redis://redis.internal:6379/2")
    monkeypatch.delenv("CHROMA_URL", raising=False)
    settings = Settings()
    assert (settings.rasa_port, settings.search_k, settings.text_weight) == (6001, 7, 0.5)
    assert settings.redis_url == "redis://redis.internal:6379/2" and settings.chroma_url is None
    assert settings.action_port == 5055


def test_every_setting_is_documented():
    rows = settings_rows(Settings())
    assert all(meaning for *_, meaning in rows)
    variables = {variable for variable, *_ in rows}
    assert {"REDIS_URL", "CHROMA_URL", "SHOPGUIDE_RASA_PORT"} <= variables
