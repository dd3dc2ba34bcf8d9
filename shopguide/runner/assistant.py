"""`shopguide run`: build what is missing, start every process, print the URL, stop cleanly.

Order: catalogue (runner/catalogue.py: no-ops when nothing changed) -> Rasa model
(trained only when its inputs changed) -> Redis (embedded unless REDIS_URL) -> action server ->
Rasa server with the web channel. Ctrl-C or SIGTERM stops them in reverse order.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

from rich.console import Console

from shopguide.errors import ShopguideError
from shopguide.redis_server import EmbeddedRedis
from shopguide.runner.catalogue import ready_catalogue
from shopguide.runner.processes import ManagedProcess
from shopguide.runner.rasa_project import rasa_environment, trained_model, write_runtime_config
from shopguide.runner.servers import action_server, rasa_server
from shopguide.settings import Settings

console = Console(soft_wrap=True)


class _Stop(Exception):
    """Raised from the SIGTERM handler so that clean-up runs."""


def settings_environment(settings: Settings, redis_url: str) -> dict[str, str]:
    """The settings as environment variables, so that child processes see exactly these values."""
    env = {
        f"SHOPGUIDE_{name.upper()}": json.dumps(value) if isinstance(value, list | dict) else str(value)
        for name, value in settings.model_dump().items()
        if value is not None
    }
    env["REDIS_URL"] = redis_url
    if settings.chroma_url:
        env["CHROMA_URL"] = settings.chroma_url
    return env


def _services(
    settings: Settings, env: dict[str, str], model: Path, endpoints: Path, credentials: Path, logs: Path
) -> list[ManagedProcess]:
    env = {**rasa_environment(settings), **env}
    return [
        action_server(settings, env, settings.action_port, "actions", logs),
        rasa_server(settings, env, settings.rasa_port, "rasa", (model, endpoints, credentials), logs),
    ]


def _step(message: str) -> float:
    console.print(f"[bold]·[/bold] {message}")
    return time.monotonic()


def run_assistant(settings: Settings, stop_when_ready: bool = False) -> int:
    """Start everything; with `stop_when_ready`, stop again once ready (used by tests). Exit code."""
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(_Stop()))
    # a shell starts background jobs with SIGINT ignored, and Python then keeps it ignored: take it back
    signal.signal(signal.SIGINT, signal.default_int_handler)
    logs = settings.var_dir / "logs"
    started = time.monotonic()
    running: list[ManagedProcess] = []
    redis: EmbeddedRedis | None = None
    try:
        _step("catalogue")
        ready_catalogue(settings, lambda line: console.print(f"  {line}", markup=False))
        _step("dialogue model (trained only when bot/ or the catalogue's vocabulary changed)")
        model = trained_model(settings, logs / "rasa-train.log")
        redis_url = settings.redis_url
        if not redis_url:
            redis = EmbeddedRedis(settings.redis_port, settings.var_dir / "redis", settings.host)
            redis_url = redis.start()
        _step(f"redis at {redis_url}")
        endpoints, credentials = write_runtime_config(settings, redis_url)
        running = _services(settings, settings_environment(settings, redis_url), model, endpoints, credentials, logs)
        _step("starting the action server and the Rasa server")
        for service in running:
            service.start()
        deadline = time.monotonic() + settings.startup_timeout_s
        for service in running:
            service.wait_ready(deadline)
        base = f"http://{settings.host}:{settings.rasa_port}/webhooks/web"
        console.print(f"[green]ready[/green] in {time.monotonic() - started:.0f} s")
        console.print(f"  demo shop with the chat widget: {base}/shop")
        console.print(f"  in-store kiosk:                 {base}/kiosk")
        console.print(f"  full-page chat:                 {base}/chat")
        if stop_when_ready:
            return 0
        while all(service.alive() for service in running):
            time.sleep(0.5)
        dead = [s.name for s in running if not s.alive()]
        console.print(f"[red]{', '.join(dead)} stopped[/red]; see {logs}")
        return 1
    except (KeyboardInterrupt, _Stop):
        console.print("stopping")
        return 0
    except ShopguideError as error:
        console.print(f"[red]cannot start:[/red] {error}", markup=True)
        return 1
    finally:
        for service in reversed(running):
            service.stop()
        if redis is not None:
            redis.stop()
