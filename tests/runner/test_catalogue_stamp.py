"""A start whose catalogue, settings, model and store are as the last start left them skips the ingest."""

from __future__ import annotations

from shopguide.runner.catalogue import ready_catalogue
from shopguide.runner.catalogue_stamp import CatalogueStamp
from shopguide.runner.rasa_project import catalogue_nlu_path
from shopguide.settings import Settings


def started(settings: Settings) -> str:
    """What the catalogue step of a start reports, as one text."""
    lines: list[str] = []
    ready_catalogue(settings, lines.append)
    return "\n".join(lines)


def test_second_start_reuses_the_stamp_and_any_change_ingests_again(settings: Settings):
    settings = settings.model_copy(update={"demo_items": 40, "train_on_start": False})
    assert "40 new" in started(settings)
    vocabulary = catalogue_nlu_path(settings).read_text()
    catalogue_nlu_path(settings).unlink()

    assert started(settings) == "catalogue: unchanged since the last start"
    assert catalogue_nlu_path(settings).read_text() == vocabulary  # written again from the stamp

    catalogue = settings.demo_dir / "catalogue.jsonl"
    rows = catalogue.read_text().splitlines()
    catalogue.write_text("\n".join(rows[:-1]) + "\n")  # the retailer took an item off
    assert "1 removed" in started(settings)
    assert started(settings) == "catalogue: unchanged since the last start"


def test_an_ingest_elsewhere_or_a_lost_store_is_noticed(settings: Settings):
    from shopguide.store.client import make_chroma_client

    settings = settings.model_copy(update={"demo_items": 40, "train_on_start": False})
    started(settings)
    stamp = CatalogueStamp.load(settings)
    assert stamp is not None and stamp.generation
    collection = make_chroma_client(settings).get_collection(stamp.collection)
    collection.modify(metadata={**(collection.metadata or {}), "generation": "another process's ingest"})
    assert "40 unchanged" in started(settings)  # checked item by item, not trusted

    client = make_chroma_client(settings)
    for lost in client.list_collections():  # the store emptied (an operator reset it)
        client.delete_collection(lost.name)
    assert "40 new" in started(settings)
