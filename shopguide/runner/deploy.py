"""Rasa's runtime files for processes that `shopguide run` does not start: containers, the cluster.

`shopguide rasa-config` writes, from the settings, what a Rasa server needs: endpoints.yml
(tracker and lock store in ``REDIS_URL``, actions at the load balancer's URL), credentials.yml
(our channels) and ``model-name``, the name of the dialogue model for the current bot/ and
catalogue vocabulary. The Rasa image's entrypoint trains that model when no cached one matches
and serves it. With ``ingest`` the catalogue is first ingested into the configured Chroma, so
that the vocabulary (and with it the model's fingerprint) is the catalogue's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shopguide.errors import SetupError
from shopguide.runner.rasa_project import training_fingerprint, write_runtime_config
from shopguide.settings import Settings

MODEL_NAME_FILE = "model-name"


@dataclass(frozen=True)
class RasaConfig:
    endpoints: Path
    credentials: Path
    model_name: str
    model: Path  # where the trained model is (or will be) cached


def require_redis(settings: Settings) -> str:
    """The shared Redis; raises SetupError naming REDIS_URL when it is not set."""
    if not settings.redis_url:
        raise SetupError("REDIS_URL is not set: every Rasa server and action server must share one Redis")
    return settings.redis_url


def write_rasa_config(
    settings: Settings,
    action_url: str | None = None,
    ingest: bool = False,
    report: Callable[[str], None] = print,
) -> RasaConfig:
    """Write endpoints.yml, credentials.yml and model-name under `settings.rasa_dir`.

    Raises SetupError without REDIS_URL; with `ingest`, StoreUnavailable when Chroma cannot be reached.
    """
    redis_url = require_redis(settings)
    if ingest:
        from shopguide.runner.catalogue import ready_catalogue

        ready_catalogue(settings, report)
    endpoints, credentials = write_runtime_config(settings, redis_url, action_url=action_url)
    name = f"bot-{training_fingerprint(settings)}"
    (settings.rasa_dir / MODEL_NAME_FILE).write_text(name + "\n")
    return RasaConfig(endpoints, credentials, name, settings.trained_models_dir / f"{name}.tar.gz")
