"""The two server processes of a deployment, as `shopguide run` and `shopguide cluster` start them."""

from __future__ import annotations

import sys
from pathlib import Path

from shopguide.runner.processes import ManagedProcess
from shopguide.runner.rasa_project import BOT_DIR, rasa_executable
from shopguide.settings import PROJECT_ROOT, Settings


def action_server(settings: Settings, env: dict[str, str], port: int, name: str, logs: Path) -> ManagedProcess:
    command = [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]
    health = f"http://{settings.host}:{port}/health"
    return ManagedProcess(name, command, health, logs / f"{name}.log", env=env, cwd=PROJECT_ROOT)


def rasa_server(
    settings: Settings,
    env: dict[str, str],
    port: int,
    name: str,
    files: tuple[Path, Path, Path],
    logs: Path,
    behind_proxy: bool = False,
) -> ManagedProcess:
    """`rasa run` with our channels; `--cors` lets Rasa's CORS extension answer allowed origins
    (preflights included); behind a proxy, the client's address is X-Forwarded-For's."""
    model, endpoints, credentials = files
    command = [str(rasa_executable()), "run", "--model", str(model), "--endpoints", str(endpoints)]
    command += ["--credentials", str(credentials), "--interface", settings.host, "--port", str(port)]
    command += ["--logging-config-file", str(BOT_DIR / "logging.yml")]
    if settings.cors_origins:
        command += ["--cors", *settings.cors_origins]
    health = f"http://{settings.host}:{port}/webhooks/web/"
    env = {**env, "SANIC_PROXIES_COUNT": "1"} if behind_proxy else env
    return ManagedProcess(name, command, health, logs / f"{name}.log", env=env, cwd=PROJECT_ROOT)
