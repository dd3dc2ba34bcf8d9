"""`rasa data validate` is clean and `rasa test` passes the test stories, on the model `run` trained."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from shopguide.runner.rasa_project import BOT_DIR, rasa_environment, rasa_executable, training_fingerprint
from shopguide.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow


def rasa(settings, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(rasa_executable()), *args],
        cwd=PROJECT_ROOT,
        env=rasa_environment(settings),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_data_validates(assistant):
    done = rasa(
        assistant.settings,
        "data",
        "validate",
        "--config",
        str(BOT_DIR / "config.yml"),
        "--domain",
        str(BOT_DIR / "domain.yml"),
        "--data",
        str(BOT_DIR / "data"),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_story_tests_pass(assistant, tmp_path):
    settings = assistant.settings
    model = settings.trained_models_dir / f"bot-{training_fingerprint(settings)}.tar.gz"
    assert model.exists()
    done = rasa(
        settings, "test", "core", "--model", str(model), "--stories", str(BOT_DIR / "tests"), "--out", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = (
        yaml.safe_load((tmp_path / "story_report.json").read_text())
        if (tmp_path / "story_report.json").exists()
        else {}
    )
    failed = (
        (tmp_path / "failed_test_stories.yml").read_text() if (tmp_path / "failed_test_stories.yml").exists() else ""
    )
    assert "story:" not in failed, failed
    assert report.get("conversation_accuracy", {}).get("accuracy", 1.0) == 1.0
