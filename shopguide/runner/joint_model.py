"""Training the multimodal model on a catalogue, and doing it again only when the catalogue changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from shopguide.settings import Settings

STAMP = "trained-on.txt"


def train_on_catalogue(
    settings: Settings,
    catalogue: Path,
    mapping: dict[str, str],
    images: Path | None,
    out: Path,
    epochs: int = 40,
    seed: int = 0,
    report: Callable[[str], None] = print,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Train projection, attribute and fusion heads on the catalogue's train split; save to `out`."""
    from models.features import FeatureStore
    from models.image_tower import ImageTower
    from models.text_tower import load_text_tower
    from models.training import TrainConfig, train_joint_model
    from shopguide.evaluation.dataset import load_garments

    garments = load_garments(catalogue, mapping, images)
    features = FeatureStore(
        settings.var_dir, ImageTower(num_threads=settings.num_threads), load_text_tower(settings.text_tower)
    )
    model = train_joint_model(
        garments,
        features,
        settings.text_tower,
        TrainConfig(epochs=epochs, seed=seed),
        report=report,
        progress=progress or (lambda n: None),
    )
    model.save(out)
    return out


def catalogue_fingerprint(catalogue: Path, mapping: dict[str, str], settings: Settings) -> str:
    digest = hashlib.sha256(catalogue.read_bytes())
    digest.update(repr(sorted(mapping.items())).encode() + settings.text_tower.encode())
    return digest.hexdigest()[:16]


def ensure_joint_model(settings: Settings, catalogue: Path, mapping: dict[str, str]) -> bool:
    """Train when the checkpoint is missing or was trained on another catalogue; True if it trained."""
    out = settings.joint_model_path
    stamp = out / STAMP
    fingerprint = catalogue_fingerprint(catalogue, mapping, settings)
    if stamp.exists() and stamp.read_text() == fingerprint:
        return False
    train_on_catalogue(settings, catalogue, mapping, None, out, report=lambda line: None)
    stamp.write_text(fingerprint)
    return True
