"""`shopguide eval-personalisation`: does feedback make the next results fit a shopper's taste better?

Simulated shoppers (:mod:`shopguide.evaluation.shoppers`) browse the TEST split of a catalogue
(split by the id hash the model evaluation uses), with and without personalisation, in the same
run. Relevance is the text space's similarity of the request to the titles, item vectors are the
image space's (frozen image tower, cached under ``var/features/``), as the assistant stores them.
Weights come from the settings; ``tune`` searches a small grid on TRAIN-split shoppers first.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from models.features import FeatureStore, Garment, split_of
from models.image_tower import ImageTower
from models.text_tower import load_text_tower
from shopguide.catalogue.readers import read_rows
from shopguide.catalogue.rows import to_item
from shopguide.catalogue.schema import CatalogueItem
from shopguide.errors import RowRejected
from shopguide.evaluation.dataset import load_garments
from shopguide.evaluation.personalisation_report import write_personalisation_report
from shopguide.evaluation.queries import attribute_queries
from shopguide.evaluation.shoppers import Arm, Session, Taste, simulate
from shopguide.personalisation.rerank import PersonalWeights
from shopguide.search.ranking import RankedItem
from shopguide.store.similarity import cosine

# mmr_lambda is not tuned: diversity costs some precision by design, and a precision-only objective
# would always switch it off. Price and availability cannot be tuned on a catalogue without them.
GRID = {"like": (0.5, 1.0, 2.0), "dislike": (0.0, 0.5), "attributes": (0.3, 0.6, 1.2)}


@dataclass
class PersonalEvalOptions:
    catalogue: Path
    mapping: dict[str, str]
    weights: PersonalWeights
    images_dir: Path | None = None
    request_column: str = "subCategory"  # the broad group a shopper asks for (an extra column or a field)
    shoppers: int = 200
    turns: int = 5
    k: int = 10
    pool: int = 100
    min_taste_items: int = 10
    seed: int = 0
    tune: bool = False
    tune_rows: int = 3000  # tuning reads the train-split items among the catalogue's first rows
    limit: int | None = None  # only the catalogue's first rows (quick runs)
    text_tower: str = "use"
    num_threads: int = 2
    var_dir: Path = Path("var")
    out_dir: Path = Path("reports/eval/personalisation")
    plots: bool = True


@dataclass
class Split:
    """One split's items, their image-space vectors and each item's relevance to its group's request."""

    name: str
    items: list[CatalogueItem]
    vectors: dict[str, np.ndarray]
    groups: dict[str, list[RankedItem]] = field(default_factory=dict)

    def garments(self) -> list[Garment]:
        """Just enough of a Garment for `attribute_queries` to count tastes."""
        colour = [i.colours[0] if i.colours else None for i in self.items]
        return [Garment(i.id, i.title, None, i.category, c, i.gender) for i, c in zip(self.items, colour, strict=True)]


def _catalogue_items(options: PersonalEvalOptions) -> list[CatalogueItem]:
    """The catalogue as ingest would store it (same column mapping and validation)."""
    items = []
    for source in read_rows(options.catalogue, "auto", options.mapping):
        try:
            items.append(to_item(source, "USD"))
        except RowRejected:
            continue
    return items[: options.limit]


def request_of(item: CatalogueItem, column: str) -> str | None:
    """The item's broad group: an unmapped column (kept in `extra`) or a schema field."""
    value = item.extra.get(column) or (getattr(item, column) if column in CatalogueItem.model_fields else None)
    return str(value) if value else None


def _split(
    name: str,
    items: list[CatalogueItem],
    images: dict[str, Path | None],
    store: FeatureStore,
    options: PersonalEvalOptions,
) -> Split:
    """Items with a readable image and a request group, their vectors, and relevance per group."""
    items = [i for i in items if images.get(i.id) is not None and request_of(i, options.request_column)]
    features, ok = store.images([images[i.id] for i in items])
    pooled = features[:, : store.image_tower.dim]
    items = [i for i, good in zip(items, ok, strict=True) if good]
    vectors = dict(zip([i.id for i in items], pooled[ok], strict=True))
    split = Split(name, items, vectors)
    titles = store.texts([i.title for i in items], kind="passage")
    requests = sorted({request_of(i, options.request_column) for i in items})
    queries = dict(zip(requests, store.texts([r.lower() for r in requests], kind="query"), strict=True))
    for request in requests:
        rows = [n for n, i in enumerate(items) if request_of(i, options.request_column) == request]
        relevance = cosine(titles[rows], queries[request])
        ranked = [RankedItem(items[n], float(s), {"text": float(s)}) for n, s in zip(rows, relevance, strict=True)]
        split.groups[request] = sorted(ranked, key=lambda r: (-r.score, r.item.id))
    return split


def _tastes(split: Split, options: PersonalEvalOptions, rng: np.random.Generator) -> list[tuple[Taste, str]]:
    """`options.shoppers` tastes (with the group each asks for), drawn among the colour + type +
    gender combinations that have at least `min_taste_items` items in the split."""
    combos = attribute_queries(split.garments(), options.min_taste_items)
    if not combos:
        raise ValueError(f"no colour + type + gender combination has {options.min_taste_items} items in {split.name}")
    tastes = []
    for combo in combos:
        taste = Taste(combo.category, combo.colour, combo.gender)
        groups = Counter(request_of(i, options.request_column) for i in split.items if taste.fits(i))
        tastes.append((taste, groups.most_common(1)[0][0]))
    return [tastes[n] for n in rng.integers(0, len(tastes), options.shoppers)]


def _arms(weights: PersonalWeights) -> list[Arm]:
    return [
        Arm("without personalisation, next page each turn", None, next_pages=True),
        Arm("without personalisation, same order minus reacted items", None),
        Arm("personalised, no diversity step", replace(weights, mmr_lambda=1.0)),
        Arm("personalised + MMR (the assistant's setting)", weights),
    ]


def _run_arms(split: Split, arms: list[Arm], options: PersonalEvalOptions) -> dict[str, dict]:
    tastes = _tastes(split, options, np.random.default_rng(options.seed))
    by_taste = dict(tastes)

    def session(taste: Taste) -> Session:
        return Session(taste, split.groups[by_taste[taste]], split.vectors)

    shoppers = [taste for taste, _ in tastes]
    return {arm.name: simulate(shoppers, session, arm, options.turns, options.k, options.pool) for arm in arms}


def tune(split: Split, options: PersonalEvalOptions, report: Callable[[str], None]) -> tuple[PersonalWeights, list]:
    """The grid point with the best mean precision after 3 and `turns` feedback turns (train split)."""
    trials = []
    for values in itertools.product(*GRID.values()):
        point = dict(zip(GRID, values, strict=True))
        result = _run_arms(split, [Arm("tuning", replace(options.weights, **point))], options)["tuning"]["precision"]
        trials.append({**point, "objective": round((result[min(3, options.turns)] + result[options.turns]) / 2, 4)})
        report(f"tune {point}: {trials[-1]['objective']:.3f}")
    best = max(trials, key=lambda t: t["objective"])
    return replace(options.weights, **{name: best[name] for name in GRID}), trials


def run_personalisation_eval(options: PersonalEvalOptions, report: Callable[[str], None] = print) -> Path:
    started, timings = time.perf_counter(), {}
    towers = ImageTower(num_threads=options.num_threads), load_text_tower(options.text_tower, options.num_threads)
    store = FeatureStore(options.var_dir, *towers)
    items = _catalogue_items(options)
    images = {g.id: g.image for g in load_garments(options.catalogue, options.mapping, options.images_dir)}
    test = _split("test", [i for i in items if split_of(i.id) == "test"], images, store, options)
    timings["load + features"] = time.perf_counter() - started
    weights, trials, tune_items = options.weights, [], 0
    if options.tune:
        started = time.perf_counter()
        in_train = [i for i in items[: options.tune_rows] if split_of(i.id) == "train"]
        train = _split("train", in_train, images, store, options)
        weights, trials = tune(train, options, report)
        tune_items = len(train.items)
        timings["tuning (train split)"] = time.perf_counter() - started
    started = time.perf_counter()
    arms = _run_arms(test, _arms(weights), options)
    timings["simulation (test split)"] = time.perf_counter() - started
    run = {
        "catalogue": str(options.catalogue),
        "split": "sha1(id) % 100 < 20 -> test (the model evaluation's split); every figure is on the test split",
        "test_items": len(test.items),
        "shoppers": options.shoppers,
        "turns": options.turns,
        "k": options.k,
        "pool": options.pool,
        "request_column": options.request_column,
        "weights": asdict(weights),
        "tuned": options.tune,
        "tune_items": tune_items,
        "image_tower": store.image_tower.name,
        "text_tower": store.text_tower.name,
        "timings_s": timings,
    }
    metrics = {"run": run, "arms": arms, "tuning": trials}
    return write_personalisation_report(metrics, options.out_dir, plots=options.plots)
