"""Garments in Chroma: one collection per embedding space, the same ids and metadata in each.

Metadata carries what hard constraints filter on (category, gender, colours, price, sizes in
stock...), the item's content hash (so an unchanged item is never embedded twice) and the whole
item as JSON (so a search answer needs no second database).
"""

from __future__ import annotations

import atexit
import functools
import json
import logging
import math
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import httpx
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from shopguide.catalogue.schema import CatalogueItem
from shopguide.errors import ShopguideError, StoreUnavailable
from shopguide.recent import Recent
from shopguide.store.filter_columns import FilterColumns
from shopguide.store.filters import Constraints, satisfies, to_where
from shopguide.store.item_cache import ItemCache
from shopguide.store.similarity import cosine

log = logging.getLogger(__name__)
_EXITING = threading.Event()
_BUILDS: set[threading.Thread] = set()  # column builds in flight


class _Exiting(Exception):
    """Raised into a column build when the interpreter exits."""


@atexit.register
def _stop_column_builds() -> None:
    """A build still reading Chroma when the interpreter exits crashed the process (a daemon thread inside
    Chroma's bindings during finalisation: a one-shot `shopguide search` segfaulted one time in three):
    each build stops after the page it is reading, and nothing half-built is kept."""
    _EXITING.set()
    for build in list(_BUILDS):
        build.join(timeout=10)


P = ParamSpec("P")
R = TypeVar("R")

_PAGE = 2000
PROBE_FACTOR = 10  # unfiltered results checked per result wanted before a filter goes to Chroma
PROBE_MAX = 1000
PROBE_WIDEST = 4000  # a second, wider probe when the first one's pass rate promises n within this many
PROBE_FROM_ITEMS = 200_000  # below: Chroma's filter scan costs less than a probe that reads metadata
LISTED_FIRST_BELOW = 50_000  # below: the columns list the passing items first (~0.4 ms at 10k items)
EXACT_AMONG_MAX = 500  # the filter's items compared here, exactly, when no more than this pass
EXACT_LISTED_MAX = 50  # ... in a catalogue listed first, where Chroma's id-list search is cheap (1-5 ms)
AMONG_IDS_MAX = 50_000  # more pass: Chroma's own filter (such a filter is broad, the probe nearly always answers)
CATALOGUE_FRESH_S = 10.0  # vocabulary, size and generation are read again after this long
METADATA_CACHE_ITEMS = 10_000  # ~4.8 KB each (the demo catalogue): at most ~50 MB a process
VECTOR_CACHE_ITEMS = 2_000  # a space's vectors: 1-5 KB each (256 to 1,314 dimensions)
METADATA_LAYOUT = 2  # raised when `item_metadata` stores another field: every item is written again
VOCABULARY_FIELDS = (
    "category", "gender", "colours", "pattern", "brand", "material", "tags", "sizes_in_stock", "currency"
)  # fmt: skip


def metadata_values(metadata: dict[str, Any], name: str) -> list[str]:
    """A metadata field's values: a list field's items, a scalar as one, nothing for none."""
    value = metadata.get(name)
    return [str(v) for v in value if v] if isinstance(value, list) else [str(value)] if value else []


@dataclass
class StoredItem:
    item: CatalogueItem
    metadata: dict[str, Any]

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any]) -> StoredItem:
        return cls(CatalogueItem.model_validate_json(metadata["item"]), metadata)


@dataclass
class Hit:
    """One nearest-neighbour answer: id, cosine similarity and the stored metadata."""

    id: str
    similarity: float
    metadata: dict[str, Any]


def item_metadata(
    item: CatalogueItem, content_hash: str, thumbnail: str | None, hubness: float | None = None
) -> dict[str, Any]:
    """Scalar and list metadata for filtering; Chroma refuses None values and empty lists. `hubness`: what
    words' joint similarity to the item's photo loses in the rank (models.hubness)."""
    metadata: dict[str, Any] = {
        "item_id": item.id,
        "content_hash": content_hash,
        "item": item.model_dump_json(exclude_defaults=True),
        "category": item.category,
        "gender": item.gender,
        "colours": item.colours,
        "pattern": item.pattern,
        "brand": item.brand,
        "material": item.material,
        "tags": item.tags,
        "price": item.price,
        "currency": item.currency,
        "sizes_in_stock": item.sizes_in_stock,
        "thumbnail": thumbnail,
        "hubness": round(hubness, 5) if hubness is not None else None,
    }
    return {key: value for key, value in metadata.items() if value not in (None, [], "")}


def reachable(method: Callable[P, R]) -> Callable[P, R]:
    """A Chroma server that is down, restarting or too slow raises StoreUnavailable (a ShopguideError,
    which the actions turn into "search is unavailable") instead of httpx's transport errors."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except httpx.TransportError as error:
            log.warning("store.unreachable operation=%s error=%s", method.__name__, type(error).__name__)
            raise StoreUnavailable(f"the vector store cannot be reached ({method.__name__}: {error})") from None

    return call


class GarmentStore:
    def __init__(
        self,
        client: ClientAPI,
        prefix: str,
        spaces: dict[str, int],
        encoder_name: str,
        fresh_s: float = CATALOGUE_FRESH_S,
        filter_columns: bool = True,
    ) -> None:
        """Filter columns are built for every catalogue (0.5 s at 10k items, in the background);
        `filter_columns=False` for a process that asks a query or two and exits (a one-shot CLI search),
        where the build would go unused."""
        self.client = client
        self.prefix = prefix
        self.spaces = spaces
        self.encoder_name = encoder_name
        self._collections: dict[str, Collection] = {}
        self._vocabulary = Recent(self._read_vocabulary, fresh_s)
        self._size = Recent(self.count, fresh_s)
        self._generation = Recent(self._read_generation, fresh_s)
        self._known = ItemCache[dict[str, Any]](self._generation.get, METADATA_CACHE_ITEMS, copy=dict)
        self._vectors = {space: ItemCache[np.ndarray](self._generation.get, VECTOR_CACHE_ITEMS) for space in spaces}
        self._columns: FilterColumns | None = None
        self._columns_lock = threading.Lock()
        self._columns_build: threading.Thread | None = None
        self.probe_from_items = PROBE_FROM_ITEMS
        self.filter_columns = filter_columns
        self.listed_first_below = LISTED_FIRST_BELOW
        self.answers: Counter[str] = Counter()  # filtered queries answered by the probe or by Chroma's filter

    def collection_name(self, space: str) -> str:
        return f"{self.prefix}-{space}"

    @reachable
    def collection(self, space: str) -> Collection:
        if space not in self._collections:
            self._collections[space] = self.client.get_or_create_collection(
                self.collection_name(space),
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"encoder": self.encoder_name, "dim": self.spaces[space]},
                embedding_function=None,
            )
        return self._collections[space]

    @property
    def primary(self) -> Collection:
        """The collection that holds every item (the text space): counts, hashes and vocabulary."""
        return self.collection(next(iter(self.spaces)))

    @reachable
    def check_encoder(self, reset: bool = False) -> None:
        """Raise (or, with `reset`, drop the collections) when they were built by another encoder."""
        for space in self.spaces:
            name = self.collection_name(space)
            existing = {c.name for c in self.client.list_collections()}
            if name not in existing:
                continue
            built_by = (self.client.get_collection(name).metadata or {}).get("encoder")
            if built_by == self.encoder_name:
                continue
            if not reset:
                raise ShopguideError(f"collection {name} was built by {built_by}; re-run ingest to rebuild it")
            log.warning("store.reset collection=%s built_by=%s now=%s", name, built_by, self.encoder_name)
            self.client.delete_collection(name)
            self._collections.pop(space, None)

    @reachable
    def count(self) -> int:
        return self.primary.count()

    @reachable
    def stored_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        hashes: dict[str, str] = {}
        for start in range(0, len(ids), _PAGE):
            got = self.primary.get(ids=list(ids[start : start + _PAGE]), include=["metadatas"])
            hashes.update({i: (m or {}).get("content_hash", "") for i, m in zip(got["ids"], got["metadatas"] or [])})
        return hashes

    @reachable
    def all_ids(self) -> set[str]:
        return {i for page in self._pages(include=[]) for i in page["ids"]}

    def _pages(self, include: list[str]) -> Iterable[dict[str, Any]]:
        offset = 0
        while True:
            page = self.primary.get(include=include, limit=_PAGE, offset=offset)  # type: ignore[arg-type]
            if not page["ids"]:
                return
            yield page
            offset += len(page["ids"])

    @reachable
    def upsert(self, metadatas: Sequence[dict[str, Any]], vectors: dict[str, np.ndarray]) -> None:
        """Write the same items into every space that has vectors for them."""
        ids = [m["item_id"] for m in metadatas]
        self._forget(ids)
        for space, matrix in vectors.items():
            self.collection(space).upsert(ids=ids, embeddings=matrix.astype(np.float32), metadatas=list(metadatas))

    @reachable
    def delete(self, ids: Sequence[str]) -> None:
        self._forget(ids)
        for start in range(0, len(ids), _PAGE):
            chunk = list(ids[start : start + _PAGE])
            for space in self.spaces:
                self.collection(space).delete(ids=chunk)

    @reachable
    def query(self, space: str, vector: np.ndarray, constraints: Constraints | None, n: int) -> dict[str, float]:
        """Ids of the `n` nearest items that satisfy `constraints`, with cosine similarity."""
        return {hit.id: hit.similarity for hit in self.nearest(space, vector, constraints, n, with_metadata=False)}

    @reachable
    def nearest(
        self, space: str, vector: np.ndarray, constraints: Constraints | None, n: int, with_metadata: bool = True
    ) -> list[Hit]:
        """The `n` nearest items that satisfy `constraints`, with their metadata from the same call.

        Chroma answers a `where` clause by scanning every item its clauses touch: 4 ms for a three-clause
        filter on the 600-item demo, 11 ms at 10k items, seconds for a broad filter ("for men") at 1M.
        The in-memory filter columns avoid that scan. Below `LISTED_FIRST_BELOW` items they name every item
        that passes, and only those are searched (`_among`). Above, where listing costs more, the nearest
        `PROBE_FACTOR * n` items are fetched unfiltered and checked first: when at least `n` of them pass,
        they are the answer (nothing nearer can pass, as nothing nearer exists); a selective filter then
        falls back to the listed items. Before the columns are built (or without them, from
        `PROBE_FROM_ITEMS`), probes are checked with the items' metadata, and the filter goes to Chroma."""
        where = to_where(constraints) if constraints is not None else None
        if where is None or constraints is None:
            return self._nearest(space, vector, None, n, with_metadata)
        size = self._size.get()
        columns = self._columns_if_enabled()
        complete = columns if columns is not None and len(columns) == size else None
        listed_first = complete is not None and size < self.listed_first_below
        if not listed_first and (columns is not None or size >= self.probe_from_items):
            found = self._probed(space, vector, constraints, n, columns)
            if found is not None:
                self.answers["probe"] += 1
                return found
        if complete is not None:
            exact_max = EXACT_LISTED_MAX if listed_first else EXACT_AMONG_MAX
            found = self._among(space, vector, complete.matching_ids(constraints), n, constraints, exact_max)
            if found is not None:
                self.answers["columns"] += 1
                return found
        self.answers["chroma"] += 1
        return self._nearest(space, vector, where, n, with_metadata)

    def _probed(
        self, space: str, vector: np.ndarray, constraints: Constraints, n: int, columns: FilterColumns | None
    ) -> list[Hit] | None:
        """The filtered top `n` from unfiltered probes, or None when a probe cannot give it: the first looks
        at `PROBE_FACTOR * n` items; when too few pass but their share promises n within `PROBE_WIDEST`
        items, a second probe that wide follows (a Chroma scan of a broad filter costs more). With the
        filter columns, a probe reads no metadata (only the answer's rows are read, and re-checked), and
        below `PROBE_FROM_ITEMS` items there is no second probe: searching the items the columns name
        costs less there (at 1M items, listing them takes 16-46 ms, and a wider probe is cheaper)."""
        size = min(n * PROBE_FACTOR, PROBE_MAX)
        widen = columns is None or len(columns) >= PROBE_FROM_ITEMS
        while size > n:
            seen = self._nearest(space, vector, None, size, with_metadata=columns is None)
            passed = self._passing(seen, constraints, columns)
            if len(passed) >= n or len(seen) < size:  # enough, or the probe saw the whole collection
                return passed[:n] if columns is None else self._checked(passed[:n], constraints)
            wider = math.ceil(1.25 * n * size / len(passed)) if passed and widen else PROBE_WIDEST + 1
            size = wider if size < wider <= PROBE_WIDEST else 0
        return None

    def _among(
        self, space: str, vector: np.ndarray, ids: list[str], n: int, constraints: Constraints, exact_max: int
    ) -> list[Hit] | None:
        """The `n` nearest of `ids` (every item that passes, named by the columns). Up to `exact_max` are
        compared here, exactly, from their stored vectors (~14 us each to read, several times that from a
        Chroma server): Chroma's HNSW search restricted to a few hundred ids costs 60 ms at 100k items and
        can miss some of them. More go to Chroma as an id list, which skips its metadata scan."""
        if not ids:
            return []
        if len(ids) > AMONG_IDS_MAX:
            return None
        if len(ids) <= exact_max:
            stored = self.vectors(ids, space)
            similarity = cosine(np.stack(list(stored.values())), vector)
            found = sorted(
                (Hit(i, float(s), {}) for i, s in zip(stored, similarity, strict=True)), key=lambda h: -h.similarity
            )[:n]
        else:
            result = self.collection(space).query(
                query_embeddings=[vector.astype(np.float32)], n_results=n, ids=ids, include=["distances"]
            )
            found = [Hit(i, 1.0 - float(d), {}) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]
        return self._checked(found, constraints)

    def _passing(self, hits: list[Hit], constraints: Constraints, columns: FilterColumns | None) -> list[Hit]:
        """Hits that satisfy the constraints, by their metadata or by the columns; an item newer than the
        columns has its metadata read."""
        if columns is None:
            return [hit for hit in hits if satisfies(hit.metadata, constraints)]
        ids = [hit.id for hit in hits]
        rows = columns.rows_of(ids)
        ok = np.zeros(len(hits), dtype=bool)
        known = np.flatnonzero(rows >= 0)
        ok[known] = columns.satisfied(rows[known], constraints)
        unknown = np.flatnonzero(rows < 0)
        newer = dict(zip(*self._metadata([ids[i] for i in unknown]), strict=True))
        ok[unknown] = [ids[i] in newer and satisfies(newer[ids[i]], constraints) for i in unknown]
        return [hit for hit, good in zip(hits, ok, strict=True) if good]

    def _checked(self, hits: list[Hit], constraints: Constraints) -> list[Hit] | None:
        """The answer's metadata, read now: a row changed since the columns were built fails here, and the
        filter then goes to Chroma."""
        metadata = dict(zip(*self._metadata([hit.id for hit in hits]), strict=True))
        if not all(satisfies(metadata.get(hit.id, {}), constraints) for hit in hits):
            return None
        return [Hit(hit.id, hit.similarity, metadata[hit.id]) for hit in hits]

    def _metadata(self, ids: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
        """(ids found, their metadata), from the cache where it holds them."""
        known = self._known.read_through(ids, self._read_metadata)
        found = [i for i in ids if i in known]
        return found, [known[i] for i in found]

    def _read_metadata(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        got = self.primary.get(ids=ids, include=["metadatas"])
        return {i: dict(m or {}) for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)}

    def _forget(self, ids: Sequence[str]) -> None:
        """What this process is about to change (its own writes need no new generation to show)."""
        for cache in (self._known, *self._vectors.values()):
            cache.forget(ids)

    def columns(self, wait: bool = False) -> FilterColumns | None:
        """The filter columns of the catalogue as it is now, or None while they are (re)built in the
        background: the first probe of a big catalogue, or the first after an ingest (here or elsewhere:
        each ingest writes a new generation into the collection's metadata) or after the item count moved
        by more than a few percent, starts a build."""
        generation = self._generation.get()
        if self._columns is not None and self._columns.fits(generation, self._size.get()):
            return self._columns
        with self._columns_lock:
            if self._columns_build is None or not self._columns_build.is_alive():
                self._columns_build = threading.Thread(target=self._build_columns, args=(generation,), daemon=True)
                _BUILDS.add(self._columns_build)
                self._columns_build.start()
            build = self._columns_build
        if wait:
            build.join()
            return self._columns
        return None

    def _build_columns(self, generation: str | None) -> None:
        try:
            metadatas = (m for page in self._pages_until_exit() for m in page["metadatas"])
            columns = FilterColumns.build(metadatas, generation)
        except _Exiting:
            return
        except Exception:  # the store went away mid-build: probes read metadata until the next try
            log.exception("store.columns_failed")
            return
        finally:
            _BUILDS.discard(threading.current_thread())
        self._columns = columns
        log.info("store.columns items=%d generation=%s", len(columns), generation)

    def _pages_until_exit(self) -> Iterable[dict[str, Any]]:
        pages = iter(self._pages(["metadatas"]))
        while not _EXITING.is_set():  # checked before each read
            page = next(pages, None)
            if page is None:
                return
            yield page
        raise _Exiting

    def _nearest(
        self, space: str, vector: np.ndarray, where: dict[str, Any] | None, n: int, with_metadata: bool
    ) -> list[Hit]:
        """Metadata, when wanted, comes from the cache or one read of the ids Chroma named."""
        result = self.collection(space).query(
            query_embeddings=[vector.astype(np.float32)], n_results=n, where=where, include=["distances"]
        )
        hits = [Hit(i, 1.0 - float(d), {}) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]
        if not with_metadata:
            return hits
        metadata = dict(zip(*self._metadata([hit.id for hit in hits]), strict=True))
        return [Hit(hit.id, hit.similarity, metadata[hit.id]) for hit in hits if hit.id in metadata]

    def _columns_if_enabled(self) -> FilterColumns | None:
        return self.columns() if self.filter_columns else None

    @reachable
    def filtered_ids(self, constraints: Constraints, limit: int) -> list[str]:
        """Items matching the constraints with no vector to rank by (a query of constraints only)."""
        columns = self._columns_if_enabled()
        if columns is not None:
            return columns.matching_ids(constraints)[:limit]
        return self.primary.get(where=to_where(constraints), limit=limit, include=[])["ids"]

    @reachable
    def count_matching(self, constraints: Constraints, limit: int) -> int:
        """How many items satisfy the constraints, counted up to `limit` (the columns count them all)."""
        columns = self._columns_if_enabled()
        if columns is not None:
            return min(columns.count(constraints), limit)
        return len(self.filtered_ids(constraints, limit))

    @reachable
    def filtered_metadata(self, constraints: Constraints, limit: int) -> list[dict[str, Any]]:
        """Metadata of up to `limit` items matching the constraints (for statistics): with the columns,
        the matching ids are read by id, which skips Chroma's filter scan (about 1 s at 1M items)."""
        columns = self._columns_if_enabled()
        if columns is not None:
            return self._metadata(columns.matching_ids(constraints)[:limit])[1]
        return list(
            self.primary.get(where=to_where(constraints), limit=limit, include=["metadatas"])["metadatas"] or []
        )

    @reachable
    def fetch(self, ids: Sequence[str]) -> list[StoredItem]:
        """Stored items in the order of `ids`; ids not in the store are left out."""
        by_id = dict(zip(*self._metadata(list(ids)), strict=True))
        return [StoredItem.from_metadata(by_id[i]) for i in ids if i in by_id]

    @reachable
    def vectors(self, ids: Sequence[str], space: str) -> dict[str, np.ndarray]:
        """Stored vectors of `ids` in `space` (items without a vector there are absent), read-only arrays
        from the cache where it holds them."""
        if not ids:
            return {}
        known = self._vectors[space].read_through(list(ids), functools.partial(self._read_vectors, space))
        return {i: known[i] for i in ids if i in known}

    def _read_vectors(self, space: str, ids: list[str]) -> dict[str, np.ndarray]:
        got = self.collection(space).get(ids=ids, include=["embeddings"])
        matrix = np.asarray(got["embeddings"], dtype=np.float32)
        matrix.setflags(write=False)  # shared by every caller until the next generation
        return dict(zip(got["ids"], matrix))

    @reachable
    def rebuild_vocabulary(self) -> dict[str, list[str]]:
        """Distinct values of the filterable fields, kept in the primary collection's metadata."""
        values: dict[str, set[str]] = {name: set() for name in VOCABULARY_FIELDS}
        for page in self._pages(include=["metadatas"]):
            for metadata in page["metadatas"]:
                for name in VOCABULARY_FIELDS:
                    values[name].update(metadata_values(metadata, name))
        vocabulary = {name: sorted(found) for name, found in values.items()}
        metadata = dict(self.primary.metadata or {})
        metadata["vocabulary"] = json.dumps(vocabulary, ensure_ascii=False)
        metadata["generation"] = uuid.uuid4().hex  # every process's filter columns are rebuilt from it
        self.primary.modify(metadata=metadata)
        self._vocabulary.set(vocabulary)
        self._generation.set(metadata["generation"])
        return vocabulary

    @reachable
    def vocabulary(self) -> dict[str, list[str]]:
        """The catalogue's values, read again at most every few seconds: every turn parses words with
        it, and only a re-ingest (maybe by another process) changes it."""
        return self._vocabulary.get()

    @reachable
    def generation(self) -> str | None:
        """The generation the last ingest that changed anything wrote, as the store holds it now."""
        return self._read_generation()

    def _read_generation(self) -> str | None:
        return (self.client.get_collection(self.primary.name).metadata or {}).get("generation")

    def _read_vocabulary(self) -> dict[str, list[str]]:
        fresh = self.client.get_collection(self.primary.name)
        raw = (fresh.metadata or {}).get("vocabulary")
        return json.loads(raw) if raw else {name: [] for name in VOCABULARY_FIELDS}
