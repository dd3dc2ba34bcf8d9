"""The catalogue every start needs (`shopguide run`, the cluster, container config): the demo one or
the configured one, the multimodal model trained on it when asked, ingested (a no-op for unchanged
items), and its vocabulary written where the Rasa NLU reads it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
from collections.abc import Callable
from pathlib import Path

from shopguide.runner.catalogue_stamp import CatalogueStamp, start_inputs
from shopguide.runner.rasa_project import write_catalogue_vocabulary
from shopguide.settings import Settings


def demo_catalogue(settings: Settings) -> Path:
    """The demo catalogue, generated again only when its size, seed or generator changed."""
    from data import demo_catalogue as generator

    sources = sorted(Path(generator.__file__).parent.glob("*.py"))
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:12]
    stamp = f"{settings.demo_items}-{settings.demo_seed}-{digest}"
    path = settings.demo_dir / "catalogue.jsonl"
    stamp_file = settings.demo_dir / ".stamp"
    if not path.exists() or not stamp_file.exists() or stamp_file.read_text() != stamp:
        generator.generate(settings.demo_dir, n_items=settings.demo_items, seed=settings.demo_seed)
        stamp_file.write_text(stamp)
    return path


def prepare_catalogue(
    settings: Settings, path: Path, inputs: str, report: Callable[[str], None] = print
) -> CatalogueStamp:
    """Train (if asked) and ingest; the stamp says what the store holds after it, for the next start, whose
    `inputs` (`start_inputs`) these are."""
    from models.encoder import load_encoder
    from shopguide.catalogue.ingest import CatalogueIngester, IngestOptions
    from shopguide.catalogue.readers import parse_mapping
    from shopguide.runner.joint_model import ensure_joint_model
    from shopguide.store.client import make_chroma_client
    from shopguide.store.garment_store import GarmentStore

    mapping = parse_mapping(settings.catalogue_map)
    if settings.train_on_start and ensure_joint_model(settings, path, mapping):
        report("trained the multimodal model on this catalogue")
        inputs = start_inputs(settings, path)  # the model's files are new
    encoder = load_encoder(settings.text_tower, settings.num_threads, settings.joint_model_path)
    store = GarmentStore(make_chroma_client(settings), settings.collection_prefix, encoder.spaces, encoder.name)
    ingest = CatalogueIngester(store, encoder, settings).ingest(path, IngestOptions(mapping=mapping, sync=True))
    ingest.write(settings.reports_dir / f"ingest-{path.stem}.json")
    report(f"catalogue: {ingest.summary()}")
    generation = store.generation() or ""
    return CatalogueStamp(
        inputs=inputs, collection=store.primary.name, generation=generation, vocabulary=store.vocabulary()
    )


def ready_catalogue(settings: Settings, report: Callable[[str], None] = print) -> None:
    """The catalogue ingested (or found as the last start left it) and its vocabulary written for the NLU."""
    path = settings.catalogue_path or demo_catalogue(settings)
    stamp, inputs = CatalogueStamp.load(settings), start_inputs(settings, path)
    if stamp is not None and stamp.holds(settings, inputs):
        report("catalogue: unchanged since the last start")
    else:
        stamp = prepare_catalogue(settings, path, inputs, report)
        stamp.save(settings)
        release_freed_memory()
    write_catalogue_vocabulary(settings, stamp.vocabulary)


def release_freed_memory() -> None:
    """Give the memory of the encoder used for ingest back to the system: the process that goes on to
    supervise the servers never needs it again, and glibc keeps freed heap unless asked (~100 MB)."""
    gc.collect()
    libc = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if trim is not None:
        trim(0)
