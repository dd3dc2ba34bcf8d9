"""What the last start's catalogue step left, so that a start with nothing changed can skip it.

The step loads the encoder (torch and both towers, ~3 s of a ~25 s start on two cores) only to find
every item unchanged. When the catalogue file, the settings, the multimodal model, the code that
embeds and stores items and the installed packages are all as they were, and the store still holds
the generation that step left (every ingest that changes anything, here or from another process,
writes a new one), the step's vocabulary is reused instead.
"""

from __future__ import annotations

import hashlib
import sysconfig
from pathlib import Path

from pydantic import BaseModel, ValidationError

from shopguide.settings import PROJECT_ROOT, Settings

# code whose change can change what ingest stores
_CODE = ("models", "shopguide/catalogue", "shopguide/store", "data")


class CatalogueStamp(BaseModel):
    inputs: str
    collection: str
    generation: str
    vocabulary: dict[str, list[str]]

    @staticmethod
    def path(settings: Settings) -> Path:
        return settings.var_dir / "catalogue-stamp.json"

    @classmethod
    def load(cls, settings: Settings) -> CatalogueStamp | None:
        try:
            return cls.model_validate_json(cls.path(settings).read_bytes())
        except (OSError, ValidationError):
            return None

    def save(self, settings: Settings) -> None:
        self.path(settings).write_text(self.model_dump_json())

    def holds(self, settings: Settings, inputs: str) -> bool:
        """Same inputs, and the store still at the generation this stamp saw (a missing store is not)."""
        return inputs == self.inputs and stored_generation(settings, self.collection) == self.generation


def start_inputs(settings: Settings, catalogue: Path) -> str:
    """A digest of what the catalogue step reads: the catalogue, the settings, the model's files (by
    size and time), our code, and the packages' folder, whose time moves when a package is installed."""
    digest = hashlib.sha256(catalogue.read_bytes())
    digest.update(settings.model_dump_json().encode())
    model = settings.joint_model_path
    watched = sorted(model.iterdir()) if model.is_dir() else []
    watched += sorted(file for folder in _CODE for file in (PROJECT_ROOT / folder).rglob("*.py"))
    watched.append(Path(sysconfig.get_paths()["purelib"]))
    for path in watched:
        stat = path.stat()
        digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def stored_generation(settings: Settings, collection: str) -> str | None:
    """The generation in the collection's metadata, or None where the store or the collection is gone."""
    import httpx
    from chromadb.errors import ChromaError

    from shopguide.errors import ShopguideError
    from shopguide.store.client import make_chroma_client

    try:
        metadata = make_chroma_client(settings).get_collection(collection).metadata or {}
    except (ShopguideError, ChromaError, ValueError, httpx.HTTPError):
        return None
    generation = metadata.get("generation")
    return generation if isinstance(generation, str) else None
