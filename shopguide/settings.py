"""One settings object for the whole assistant: environment variables, then an optional YAML file.

Every path, URL, port, weight and threshold the code uses comes from here. Variables are read
with the ``SHOPGUIDE_`` prefix (``SHOPGUIDE_RASA_PORT=5006``); ``REDIS_URL`` and ``CHROMA_URL``
are also read without it, as deployments usually name them. A YAML file named by
``SHOPGUIDE_CONFIG`` (default ``shopguide.yaml`` in the project root, if present) fills in what the
environment does not set.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, YamlConfigSettingsSource

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """The real data used by tests, benchmarks and evaluation (never shipped): SHOPGUIDE_SHARED_DATA or
    ../shared/data next to the project."""
    return Path(os.environ.get("SHOPGUIDE_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


def _config_file() -> Path:
    return Path(os.environ.get("SHOPGUIDE_CONFIG", PROJECT_ROOT / "shopguide.yaml"))


class Settings(BaseSettings):
    """Documented field by field in the README's settings table (``shopguide settings`` prints it)."""

    model_config = SettingsConfigDict(env_prefix="SHOPGUIDE_", extra="ignore", populate_by_name=True)

    # where things live
    var_dir: Path = Field(PROJECT_ROOT / "var", description="Folder for everything generated")
    catalogue_path: Path | None = Field(None, description="Catalogue run by `make run`; default: the demo")
    catalogue_map: str | None = Field(None, description="Column mapping of that catalogue (field=column,...)")
    rasa_models_dir: Path | None = Field(None, description="Cache of trained dialogue models; default var/rasa/models")
    demo_items: int = Field(600, description="Garments in the generated demo catalogue")
    demo_seed: int = Field(7, description="Seed of the demo catalogue generator")

    # services
    host: str = Field("127.0.0.1", description="Address the servers listen on")
    rasa_port: int = Field(5005, description="Rasa server port (web page and channels)")
    action_port: int = Field(5055, description="Action server port")
    redis_url: str | None = Field(
        None,
        validation_alias=AliasChoices("REDIS_URL", "SHOPGUIDE_REDIS_URL"),
        description="Redis server; unset: start the embedded one",
    )
    redis_port: int = Field(6390, description="Port of the embedded Redis server")
    chroma_url: str | None = Field(
        None,
        validation_alias=AliasChoices("CHROMA_URL", "SHOPGUIDE_CHROMA_URL"),
        description="Chroma server (http://host:port); unset: embedded PersistentClient",
    )
    collection_prefix: str = Field("garments", description="Prefix of the Chroma collection names")
    tracker_expiry_s: int = Field(7 * 24 * 3600, description="Conversations expire after this many seconds")
    startup_timeout_s: int = Field(300, description="How long `run` waits for the servers to be ready")

    # models
    train_on_start: bool = Field(True, description="`run` trains the multimodal model when the catalogue changed")
    text_tower: Literal["use", "e5", "minilm"] = Field("use", description="Frozen text encoder")
    num_threads: int = Field(2, description="CPU threads for the encoders")
    joint_model_dir: Path | None = Field(
        None, description="Trained multimodal checkpoint (`shopguide model train`); default var/models/joint"
    )
    hub_model: str | None = Field(
        None, description="A hub CLIP (e.g. patrickjohncyh/fashion-clip) or its local folder instead of our model"
    )
    hub_download: bool = Field(False, description="Allow downloading `hub_model` (the default never downloads)")
    fusion: Literal["checkpoint", "learned", "weighted"] = Field(
        "checkpoint", description="Photo + words fusion; `checkpoint`: the one training found better"
    )

    # ingest and search
    ingest_batch_size: int = Field(32, description="Items embedded and upserted per batch")
    thumbnail_size: int = Field(320, description="Longest side of stored product thumbnails (px)")
    max_image_pixels: int = Field(40_000_000, description="Larger images are refused (decompression bombs)")
    infer_min_confidence: float = Field(
        0.7, description="Attributes missing from a catalogue row are read off its photo at this confidence"
    )
    image_fetch_timeout_s: float = Field(10.0, description="Timeout for catalogue images given as URLs")
    warm_up: bool = Field(
        True, description="Action server: load the models and search once at start, not at the first shopper's turn"
    )
    search_k: int = Field(10, description="Results shown per search")
    candidate_pool: int = Field(100, description="Candidates fetched from each collection before ranking")
    text_weight: float = Field(1.0, description="Weight of text similarity in the ranking")
    image_weight: float = Field(1.0, description="Weight of photo similarity in the ranking")
    joint_weight: float = Field(1.0, description="Weight of joint-space (trained model) similarity in the ranking")
    tag_weight: float = Field(
        1.0,
        description="Weight in the ranking of the items' tags and material agreeing with an occasion, style or "
        "material asked for",
    )
    image_base_url: str = Field("/webhooks/web/images/", description="URL prefix of product thumbnails")
    upload_ttl_s: int = Field(300, description="Uploaded photos are deleted from Redis after this long if unused")
    photo_memory_ttl_s: int = Field(1800, description="How long a shopper's photo embedding is kept")
    max_questions: int = Field(2, description="Questions asked after the category before showing results")
    default_currency: str = Field("USD", description="Currency of prices that name none")
    exchange_rates: dict[str, float] = Field(
        default_factory=dict,
        description="What one unit of a shopper's currency is worth in the catalogue's, e.g. {\"CNY\": 0.14}: "
        "a budget stated in it is converted. A currency without a rate is taken as the catalogue's, and the "
        "shopper is told so",
    )

    # personalisation (shopguide/personalisation): score = relevance + affinity + availability, then MMR;
    # like/dislike/attribute weights chosen on the train split (`shopguide eval-personalisation --tune`);
    # price, availability and mmr_lambda a priori (myntra has no prices or sizes; diversity is a choice)
    personal_enabled: bool = Field(True, description="Rerank results by the shopper's profile (likes, purchases, size)")
    personal_space: str = Field("image", description="Embedding space that measures closeness to liked items")
    personal_like_weight: float = Field(2.0, description="Weight of closeness to the look of items the shopper liked")
    personal_dislike_weight: float = Field(0.5, description="Weight of distance from the look of disliked items")
    personal_attribute_weight: float = Field(
        1.2, description="Weight of learned colour, category, pattern, style and gender preferences"
    )
    personal_price_weight: float = Field(0.2, description="Weight of the shopper's usual price range")
    personal_availability_weight: float = Field(
        0.2, description="Weight of the shopper's size (else many sizes) being in stock"
    )
    personal_profile_ttl_s: int = Field(365 * 24 * 3600, description="A profile unused this long is deleted (0: kept)")
    personal_requires_consent: bool = Field(False, description="Learn a profile only once the shopper consented")
    mmr_lambda: float = Field(0.8, description="Relevance against diversity of shown results (1: no diversity step)")

    # channels: web widget, kiosk, Telegram
    public_url: str | None = Field(None, description="Public address of the Rasa server (links, QR codes, Telegram)")
    cors_origins: list[str] = Field([], description="Web pages on other origins allowed to embed the widget")
    max_upload_bytes: int = Field(10_000_000, description="Largest photo upload accepted (bytes)")
    uploads_per_minute: int = Field(10, description="Photo uploads allowed per conversation and minute")
    uploads_per_minute_per_address: int = Field(60, description="Photo uploads allowed per client address and minute")
    messages_per_minute: int = Field(60, description="Messages allowed per conversation and minute")
    kiosk_idle_s: int = Field(90, description="The kiosk clears the screen and forgets after this many idle seconds")
    shortlist_ttl_s: int = Field(24 * 3600, description="How long a shortlist link (kiosk QR code) stays valid")
    telegram_token: str | None = Field(None, description="Telegram bot token; unset: no Telegram channel")
    telegram_secret_token: str | None = Field(None, description="Secret Telegram sends with each webhook call")
    telegram_api_base: str = Field("https://api.telegram.org", description="Telegram Bot API base URL")
    admin_token: str | None = Field(None, description="Bearer token of the admin API; unset: admin API off")

    @property
    def chroma_path(self) -> Path:
        return self.var_dir / "chroma"

    @property
    def thumbnails_dir(self) -> Path:
        return self.var_dir / "thumbnails"

    @property
    def demo_dir(self) -> Path:
        return self.var_dir / "demo"

    @property
    def reports_dir(self) -> Path:
        return self.var_dir / "reports"

    @property
    def joint_model_path(self) -> Path:
        return self.joint_model_dir or self.var_dir / "models" / "joint"

    @property
    def rasa_dir(self) -> Path:
        return self.var_dir / "rasa"

    @property
    def trained_models_dir(self) -> Path:
        return self.rasa_models_dir or self.rasa_dir / "models"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_source = YamlConfigSettingsSource(settings_cls, yaml_file=_config_file())
        return init_settings, env_settings, yaml_source


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own ``Settings(...)`` instead."""
    return Settings()
