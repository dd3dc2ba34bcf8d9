"""The Rasa side of a deployment: endpoints and credentials written from the settings, and a
trained model cached by the fingerprint of its inputs (training takes minutes; loading a cached
model does not).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import yaml

from shopguide.errors import SetupError
from shopguide.settings import PROJECT_ROOT, Settings

BOT_DIR = PROJECT_ROOT / "bot"
RASA_VENV = PROJECT_ROOT / ".venv-rasa"


def rasa_executable() -> Path:
    path = RASA_VENV / "bin" / "rasa"
    if not path.exists():
        raise SetupError(f"Rasa is not installed in {RASA_VENV}: run `make setup`")
    return path


def rasa_environment(settings: Settings) -> dict[str, str]:
    """Environment of Rasa processes: our channels importable, caches inside var/, no telemetry."""
    tmp = settings.var_dir / "tmp"  # jieba keeps its dictionary cache in the temp folder
    tmp.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "TMPDIR": str(tmp),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "MPLCONFIGDIR": str(tmp / "matplotlib"),
        "RASA_CACHE_DIRECTORY": str(settings.rasa_dir / "cache"),
    }


def redis_endpoint(redis_url: str, db: int, settings: Settings) -> dict[str, object]:
    """Rasa's redis tracker/lock store settings from a redis:// URL."""
    url = urlparse(redis_url)
    endpoint: dict[str, object] = {
        "type": "redis",
        "url": url.hostname or "localhost",
        "port": url.port or 6379,
        "db": db,
        "key_prefix": settings.collection_prefix,
        "use_ssl": url.scheme == "rediss",
    }
    if url.password:
        endpoint["password"] = url.password
    return endpoint


def channel_credentials(settings: Settings, redis_url: str) -> dict[str, object]:
    """What every channel of ours needs (bot/channels/services.py reads it): Redis and the limits."""
    return {
        "redis_url": redis_url,
        "upload_ttl_s": settings.upload_ttl_s,
        "max_upload_bytes": settings.max_upload_bytes,
        "max_image_pixels": settings.max_image_pixels,
        "uploads_per_minute": settings.uploads_per_minute,
        "uploads_per_minute_per_address": settings.uploads_per_minute_per_address,
        "messages_per_minute": settings.messages_per_minute,
        "tracker_prefix": settings.collection_prefix,
        "tracker_expiry_s": settings.tracker_expiry_s,
        "shortlist_ttl_s": settings.shortlist_ttl_s,
    }


def web_channel_credentials(settings: Settings, redis_url: str) -> dict[str, object]:
    return {
        **channel_credentials(settings, redis_url),
        "web_dir": str(PROJECT_ROOT / "web"),
        "thumbnails_dir": str(settings.thumbnails_dir),
        "kiosk_idle_s": settings.kiosk_idle_s,
        "public_url": settings.public_url,
        "admin_token": settings.admin_token,
    }


def telegram_channel_credentials(settings: Settings, redis_url: str) -> dict[str, object]:
    """The Telegram channel's (bot/channels/telegram.py); a bot without a webhook secret is refused."""
    if not settings.telegram_secret_token:
        raise SetupError(
            "SHOPGUIDE_TELEGRAM_TOKEN is set but SHOPGUIDE_TELEGRAM_SECRET_TOKEN is not: choose a secret "
            "(1-256 of A-Z a-z 0-9 _ -), so that only Telegram can post updates to the bot's webhook"
        )
    return {
        **channel_credentials(settings, redis_url),
        "token": settings.telegram_token,
        "secret_token": settings.telegram_secret_token,
        "api_base": settings.telegram_api_base,
        "public_url": settings.public_url,
        "thumbnails_dir": str(settings.thumbnails_dir),
    }


def write_runtime_config(settings: Settings, redis_url: str, action_url: str | None = None) -> tuple[Path, Path]:
    """Write var/rasa/endpoints.yml and credentials.yml; returns their paths.

    `action_url` replaces the action server's own address: a load balancer's (cluster, containers).
    """
    settings.rasa_dir.mkdir(parents=True, exist_ok=True)
    base_db = int((urlparse(redis_url).path or "/0").strip("/") or 0)
    tracker = redis_endpoint(redis_url, base_db, settings) | {"record_exp": settings.tracker_expiry_s}
    endpoints = {
        "action_endpoint": {"url": action_url or f"http://{settings.host}:{settings.action_port}/webhook"},
        "tracker_store": tracker,
        "lock_store": redis_endpoint(redis_url, base_db, settings),
    }
    credentials = {"rest": None, "bot.channels.web_chat.WebChatInput": web_channel_credentials(settings, redis_url)}
    if settings.telegram_token:
        credentials["bot.channels.telegram.TelegramInput"] = telegram_channel_credentials(settings, redis_url)
    endpoints_path = settings.rasa_dir / "endpoints.yml"
    credentials_path = settings.rasa_dir / "credentials.yml"
    endpoints_path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    credentials_path.write_text(yaml.safe_dump(credentials, sort_keys=False))
    return endpoints_path, credentials_path


def catalogue_nlu_path(settings: Settings) -> Path:
    return settings.rasa_dir / "generated" / "catalogue_vocabulary.yml"


def write_catalogue_vocabulary(settings: Settings, vocabulary: dict[str, list[str]]) -> Path:
    """Lookup tables and synonyms from the catalogue's own values, so that its words are understood."""
    fields = (("category", "category"), ("colour", "colours"), ("pattern", "pattern"), ("material", "material"))
    lookups = [
        {"lookup": entity, "examples": _examples(vocabulary[field])}
        for entity, field in fields
        if vocabulary.get(field)
    ]
    synonyms = [{"synonym": value, "examples": _examples(words)} for value, words in _translations(vocabulary).items()]
    path = catalogue_nlu_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"version": "3.1", "nlu": lookups + synonyms}, allow_unicode=True, sort_keys=False)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def _examples(values: list[str]) -> str:
    return "".join(f"- {value}\n" for value in sorted(set(values)))


def _translations(vocabulary: dict[str, list[str]]) -> dict[str, list[str]]:
    """Catalogue value -> the shopper's other words for it (Chinese, English variants), from the lexicon."""
    from shopguide.search.lexicon import CATEGORY_WORDS, COLOUR_WORDS, MATERIAL_WORDS, PATTERN_WORDS
    from shopguide.search.query_parser import resolve

    words: dict[str, list[str]] = {}
    lexicons = (
        (CATEGORY_WORDS, "category"),
        (COLOUR_WORDS, "colours"),
        (PATTERN_WORDS, "pattern"),
        (MATERIAL_WORDS, "material"),
    )
    for lexicon, field in lexicons:
        for word, canonical in lexicon.items():
            for value in resolve(canonical, vocabulary.get(field, [])):
                if word != value:
                    words.setdefault(value, []).append(word)
    return words


def training_fingerprint(settings: Settings) -> str:
    """Hash of every file that training reads, plus the Rasa and jieba versions pinned for the bot."""
    pins = [
        line for line in (BOT_DIR / "requirements.txt").read_text().splitlines() if line.startswith(("rasa", "jieba"))
    ]
    digest = hashlib.sha256("\n".join(pins).encode())
    files = [BOT_DIR / "config.yml", BOT_DIR / "domain.yml", *sorted((BOT_DIR / "data").rglob("*.yml"))]
    generated = catalogue_nlu_path(settings)
    for file in [*files, *([generated] if generated.exists() else [])]:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def trained_model(settings: Settings, log_path: Path) -> Path:
    """The model for the current inputs, training it only when no cached one matches."""
    model = settings.trained_models_dir / f"bot-{training_fingerprint(settings)}.tar.gz"
    if not model.exists():
        train_model(settings, BOT_DIR / "config.yml", model, log_path)
    return model


def train_model(settings: Settings, config: Path, model: Path, log_path: Path) -> Path:
    """`rasa train` on the bot's domain and data (and the catalogue's words) with `config`, into `model`."""
    data = [str(BOT_DIR / "data")]
    if catalogue_nlu_path(settings).exists():
        data.append(str(catalogue_nlu_path(settings).parent))
    command = [
        str(rasa_executable()),
        "train",
        "--config",
        str(config),
        "--domain",
        str(BOT_DIR / "domain.yml"),
        "--data",
        *data,
        "--out",
        str(model.parent),
        "--fixed-model-name",
        model.name.removesuffix(".tar.gz"),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        done = subprocess.run(command, cwd=PROJECT_ROOT, env=rasa_environment(settings), stdout=log, stderr=log)
    if done.returncode != 0 or not model.exists():
        raise SetupError(f"rasa train failed (exit {done.returncode}); see {log_path}")
    return model
