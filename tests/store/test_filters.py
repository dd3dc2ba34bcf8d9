"""Hard constraints are applied inside the vector query: no shown item ever violates one."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from PIL import Image

from shopguide.catalogue.ingest import IngestOptions
from shopguide.search.service import SearchRequest, SearchService
from shopguide.store.filters import Constraints, satisfies, to_where


@pytest.fixture
def service(demo_catalogue, ingester, store, encoder, settings) -> SearchService:
    ingester.ingest(demo_catalogue, IngestOptions(show_progress=False))
    return SearchService(store, encoder, settings)


def constraint_cases(vocabulary: dict[str, list[str]], count: int) -> list[Constraints]:
    rng = random.Random(11)
    cases = []
    for _ in range(count):
        low = rng.choice([None, 10.0, 30.0, 60.0])
        cases.append(
            Constraints(
                categories=rng.sample(vocabulary["category"], rng.choice([0, 1, 2])),
                colours=rng.sample(vocabulary["colours"], rng.choice([0, 1, 2])),
                gender=rng.choice([None, "men", "women"]),
                price_min=low,
                price_max=rng.choice([None, 40.0, 80.0, 200.0]),
                size=rng.choice([None, "M", "L", "42"]),
                brand=rng.choice([None, None, None, None, *vocabulary["brand"][:2]]),
                exclude_colours=rng.sample(vocabulary["colours"], rng.choice([0, 0, 1, 2])),  # "not red"
                exclude_patterns=rng.sample(vocabulary["pattern"], rng.choice([0, 0, 1])),  # "not striped"
            )
        )
    return cases


def test_filters_are_never_violated(service, store):
    vocabulary = store.vocabulary()
    assert len(vocabulary["category"]) >= 12
    queries = ["something nice", "a warm coat", "red", "casual summer outfit"]
    checked = 0
    for constraints, text in zip(constraint_cases(vocabulary, 60), itertools.cycle(queries)):
        result = service.search(SearchRequest(text=text, constraints=constraints, k=10))
        for ranked in result.items:
            stored = store.fetch([ranked.item.id])[0]
            assert satisfies(stored.metadata, constraints), (constraints.describe(), ranked.item)
            checked += 1
    assert checked > 100


def test_filter_only_search_returns_every_match(service, store):
    constraints = Constraints(categories=[store.vocabulary()["category"][0]])
    result = service.search(SearchRequest(constraints=constraints, k=500))
    everything = store.fetch(sorted(store.all_ids()))
    expected = {s.item.id for s in everything if satisfies(s.metadata, constraints)}
    assert {r.item.id for r in result.items} == expected and expected


def test_parsed_query_filters_and_ranks(service):
    result = service.search(SearchRequest(text="red dress under 100", k=5))
    assert result.constraints.categories == ["dress"] and result.constraints.price_max == 100
    assert result.items, "the demo catalogue has red dresses under 100"
    for ranked in result.items:
        assert ranked.item.category == "dress" and "red" in ranked.item.colours and ranked.item.price <= 100
    assert [r.score for r in result.items] == sorted((r.score for r in result.items), reverse=True)


def test_where_clause_shape():
    assert to_where(Constraints()) is None
    assert to_where(Constraints(size="M")) == {"sizes_in_stock": {"$contains": "M"}}
    both = to_where(Constraints(colours=["red", "blue"], price_max=50))
    assert both == {
        "$and": [
            {"$or": [{"colours": {"$contains": "red"}}, {"colours": {"$contains": "blue"}}]},
            {"price": {"$lte": 50}},
        ]
    }


def test_nothing_matches_is_an_empty_answer_not_an_error(service):
    impossible = Constraints(categories=["dress"], price_max=0.5)
    assert service.search(SearchRequest(text="red dress", constraints=impossible)).items == []


def test_every_shown_score_is_the_exact_cosine_in_each_space(service, store, encoder, demo_catalogue):
    """Neighbours come with their metadata from one call per space; an item that only one space found
    still gets its exact similarity in the other (read from its stored vector), never a default."""
    photo = next((demo_catalogue.parent / "images").glob("*.jpg"))
    vectors = encoder.query_vectors("blue striped shirt", Image.open(photo))
    result = service.search(SearchRequest(vectors=vectors, k=20))
    assert len(result.items) == 20
    for space, query in vectors.items():
        stored = store.vectors([r.item.id for r in result.items], space)
        for ranked in result.items:
            vector = stored[ranked.item.id]
            cosine = float(vector @ query / np.linalg.norm(vector) / np.linalg.norm(query))
            assert ranked.scores[space] == pytest.approx(cosine, abs=1e-4)


PATHS = {  # name: (probe from items, filter columns, listed first below items), answers expected
    "columns-list-first": ((10**9, True, 10**9), {"columns": 2}),
    "probe-checks-columns": ((0, True, 0), {"probe": 1, "columns": 1}),
    "probe-reads-metadata": ((0, False, 0), {"probe": 1, "chroma": 1}),
}


@pytest.mark.parametrize("path", PATHS)
def test_nearest_with_constraints_is_the_exact_filtered_top_n_on_every_path(service, store, encoder, path):
    """A small catalogue's filter columns name the passing items, which alone are searched. A large one's
    broad constraints are answered from an unfiltered probe, selective ones by the items the columns name
    (or, without columns, by Chroma's filter). Every way, the answer is the n items nearest to the query
    among those that satisfy the constraints."""
    (store.probe_from_items, store.filter_columns, store.listed_first_below), expected_answers = PATHS[path]
    if store.filter_columns:
        store.columns(wait=True)
    everything = store.fetch(sorted(store.all_ids()))
    vectors = store.vectors([s.item.id for s in everything], "text")
    by_id = {s.item.id: s.metadata for s in everything}
    query = encoder.query_vectors("a comfortable everyday piece", None)["text"]
    category = store.vocabulary()["category"][0]
    store.answers.clear()
    for constraints in (Constraints(gender="women"), Constraints(categories=[category], colours=["black"])):
        passing = [s.item.id for s in everything if satisfies(s.metadata, constraints)]
        similarity = {i: float(vectors[i] @ query / np.linalg.norm(query)) for i in passing}
        exact = sorted(similarity.values(), reverse=True)[:5]  # similarities: items may tie
        found = store.nearest("text", query, constraints, 5)
        assert all(hit.metadata == by_id[hit.id] for hit in found)
        assert [hit.similarity for hit in found] == pytest.approx(exact, abs=1e-5)
        assert all(hit.similarity == pytest.approx(similarity[hit.id], abs=1e-5) for hit in found)
    assert store.answers == expected_answers


def test_filter_columns_agree_with_the_filter_rules(service, store):
    """The columns' vectorised check gives `satisfies`'s verdict for every item under many constraints,
    exclusions and values the catalogue does not have included."""
    everything = store.fetch(sorted(store.all_ids()))
    columns = store.columns(wait=True)
    ids = [s.item.id for s in everything]
    rows = columns.rows_of(ids)
    vocabulary = store.vocabulary()
    cases = [
        *constraint_cases(vocabulary, 150),
        Constraints(categories=["no-such-thing"]),
        Constraints(colours=["ultraviolet"], gender="robots"),
        Constraints(pattern=vocabulary["pattern"][0], exclude_categories=vocabulary["category"][:2]),
        Constraints(exclude_ids=ids[::3], price_min=20.0),
    ]
    for constraints in cases:
        expected = [satisfies(s.metadata, constraints) for s in everything]
        assert columns.satisfied(rows, constraints).tolist() == expected, constraints
        assert columns.matching_ids(constraints) == sorted(i for i, good in zip(ids, expected, strict=True) if good)
    assert columns.rows_of(["not-an-item", ids[0]]).tolist() == [-1, rows[0]]


@pytest.mark.parametrize("columns", [True, False], ids=["columns-list", "chroma-lists"])
def test_matching_items_are_listed_and_counted_alike_by_the_columns_and_by_chroma(service, store, columns):
    store.filter_columns = columns
    everything = store.fetch(sorted(store.all_ids()))
    for constraints in constraint_cases(store.vocabulary(), 20):
        expected = {s.item.id for s in everything if satisfies(s.metadata, constraints)}
        assert set(store.filtered_ids(constraints, 1000)) == expected, constraints
        assert {m["item_id"] for m in store.filtered_metadata(constraints, 1000)} == expected
        assert store.count_matching(constraints, 1000) == len(expected)
        assert store.count_matching(constraints, 3) == len(store.filtered_ids(constraints, 3)) == min(len(expected), 3)


def test_empty_id_lists_read_nothing(store):
    """Chroma refuses `get(ids=[])`; a search that found nothing passes empty lists along."""
    assert store.fetch([]) == []
    assert store.vectors([], "text") == {}


def test_a_store_without_filter_columns_never_builds_them(service, settings, encoder):
    """A one-shot CLI search asks one query and exits: the columns' background build would go unused."""
    from shopguide.store.client import make_chroma_client
    from shopguide.store.garment_store import GarmentStore

    once = GarmentStore(
        make_chroma_client(settings), settings.collection_prefix, encoder.spaces, encoder.name, filter_columns=False
    )
    constraints = Constraints(categories=[once.vocabulary()["category"][0]], price_max=80.0)
    expected = {r.item.id for r in service.search(SearchRequest(text="a shirt", constraints=constraints)).items}
    answer = SearchService(once, encoder, settings).search(SearchRequest(text="a shirt", constraints=constraints))
    assert {r.item.id for r in answer.items} == expected and expected
    assert set(once.answers) == {"chroma"} and once._columns_build is None
