"""The search the CLI and the custom actions call: words and/or a photo in, ranked garments out."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from models.encoder import GarmentEncoder, load_encoder
from shopguide.search.query_parser import QueryParser
from shopguide.search.ranking import TAG_AGREEMENT, RankedItem, rank, tag_agreement
from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.filters import Constraints, to_where
from shopguide.store.garment_store import GarmentStore, StoredItem
from shopguide.store.similarity import cosine

log = logging.getLogger(__name__)


@dataclass
class SearchRequest:
    text: str | None = None
    image: Image.Image | None = None
    constraints: Constraints | None = None
    k: int | None = None
    vectors: dict[str, np.ndarray] | None = None  # precomputed query vectors (a remembered photo, an item)
    soft_words: str | None = None  # embedded before the text, never read as filters (what a photo showed)


@dataclass
class SearchResult:
    items: list[RankedItem]
    constraints: Constraints
    where: dict | None
    query_text: str | None
    matched: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    tags: list[str] = field(default_factory=list)  # the occasions, styles and materials that ranked (tag_agreement)


def merge(parsed: Constraints, given: Constraints | None) -> Constraints:
    """Constraints stated explicitly (by the conversation) win over those parsed from the words."""
    if given is None:
        return parsed
    explicit = given.model_dump(exclude_defaults=True)
    return parsed.model_copy(update=explicit)


class SearchService:
    def __init__(self, store: GarmentStore, encoder: GarmentEncoder, settings: Settings) -> None:
        self.store = store
        self.encoder = encoder
        self.settings = settings
        self.weights = {
            "text": settings.text_weight,
            "image": settings.image_weight,
            "joint": settings.joint_weight,
            TAG_AGREEMENT: settings.tag_weight,
        }
        self._parser: QueryParser | None = None
        self._parser_vocabulary: dict[str, list[str]] | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, encoder: GarmentEncoder | None = None, filter_columns: bool = True
    ) -> SearchService:
        encoder = encoder or load_encoder(settings.text_tower, settings.num_threads, settings.joint_model_path)
        client = make_chroma_client(settings)
        store = GarmentStore(
            client, settings.collection_prefix, encoder.spaces, encoder.name, filter_columns=filter_columns
        )
        store.check_encoder()
        return cls(store, encoder, settings)

    def warm_up(self) -> float:
        """Load what a first search would load (the towers: ~1.1 s), build the filter columns and run one
        search of words and a photo, so that the first shopper waits no longer than the next. Seconds taken."""
        started = time.perf_counter()
        self.store.columns(wait=True)
        self.search(SearchRequest(text="a shirt", image=Image.new("RGB", (64, 64), "grey"), k=1))
        return time.perf_counter() - started

    def parser(self) -> QueryParser:
        """The parser of the catalogue's current words, built again only when the store reads a new
        vocabulary (building one compiles its phrases: ~0.2 ms, and a turn asks a few dozen times)."""
        vocabulary = self.store.vocabulary()
        if self._parser is None or self._parser_vocabulary is not vocabulary:
            self._parser, self._parser_vocabulary = QueryParser(vocabulary), vocabulary
        return self._parser

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        parsed = self.parser().parse(request.text or "")
        constraints = merge(parsed.constraints, request.constraints)
        where = to_where(constraints)
        query_text = " ".join(w for w in (request.soft_words, parsed.text if request.text else None) if w) or None
        vectors = {**(request.vectors or {}), **self.encoder.query_vectors(query_text, request.image)}
        k = request.k or self.settings.search_k
        words_alone = bool(query_text) and request.image is None
        tags = [*parsed.tags, *parsed.materials]
        items = self._ranked(vectors, constraints, k, words_alone, tags)
        seconds = time.perf_counter() - started
        log.debug("search.done results=%d filters=%s ms=%.1f", len(items), constraints.describe(), seconds * 1000)
        return SearchResult(items, constraints, where, query_text, parsed.matched, seconds, tags)

    def _ranked(
        self,
        vectors: dict[str, np.ndarray],
        constraints: Constraints,
        k: int,
        words_alone: bool = False,
        tags: list[str] | None = None,
    ) -> list[RankedItem]:
        if not vectors:
            return rank(self.store.fetch(self.store.filtered_ids(constraints, k)), {}, self.weights, k)
        pool = max(self.settings.candidate_pool, k)
        hits = {space: self.store.nearest(space, vector, constraints, pool) for space, vector in vectors.items()}
        metadata = {hit.id: hit.metadata for found in hits.values() for hit in found}
        if not metadata:
            return []
        similarities = {space: {hit.id: hit.similarity for hit in found} for space, found in hits.items()}
        for space, vector in vectors.items():  # exact similarity of candidates that another space found
            missing = [i for i in metadata if i not in similarities[space]]
            if missing:
                similarities[space].update(self._similarities(missing, space, vector))
        # the joint space's query is the words alone: photos that are near every text lose their head start
        hubs = {i: m["hubness"] for i, m in metadata.items() if "hubness" in m} if words_alone else {}
        candidates = [StoredItem.from_metadata(m) for m in metadata.values()]
        if tags:
            similarities[TAG_AGREEMENT] = tag_agreement(candidates, tags)
        return rank(candidates, similarities, self.weights, k, {"joint": hubs})

    def _similarities(self, ids: list[str], space: str, query: np.ndarray) -> dict[str, float]:
        """Exact cosine of every candidate in `space`, also for those another space found."""
        stored = self.store.vectors(ids, space)
        if not stored:
            return {}
        return dict(zip(stored, cosine(np.stack(list(stored.values())), query).tolist()))
