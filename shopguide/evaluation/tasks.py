"""The evaluation tasks, each a function of test-split features and a trained model -> figures.

Every task scores several methods in the same run, so baselines and the model share one split.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from models.captions import english_words
from models.colour import PALETTE
from models.features import FeatureStore, Garment
from models.joint import JointModel
from models.neighbour_votes import mix
from models.training import make_triplets, triplet_texts
from shopguide.evaluation.metrics import hit_at_k, precision_at_k, rank_metrics
from shopguide.evaluation.queries import AttributeQuery, parse_attributes

AGREEMENT_WEIGHT = 0.05  # fixed a priori (log-probabilities next to cosines), not tuned on any split
# the assistant's way with words alone: projected, expanded through training items, attributes checked,
# photos that are near every text (hubs) lowered
ASSISTANT_METHOD = "joint + item neighbours + attribute agreement + hubness correction"
# the assistant's way with a photo: its category (head and nearest catalogue photos) becomes a filter
METADATA_PHOTO_METHOD = "image cosine + photo's category (head + neighbours' votes) vs catalogue labels (metadata)"


@dataclass
class TestSet:
    garments: list[Garment]
    features: np.ndarray  # image tower + colour descriptor
    image_dim: int
    joint: np.ndarray
    probabilities: dict[str, np.ndarray]
    titles: np.ndarray  # frozen text tower over titles (passage)
    hubness: np.ndarray  # (N,) what words' joint similarity to each photo loses (models.hubness)

    @property
    def pooled(self) -> np.ndarray:
        return self.features[:, : self.image_dim]

    @property
    def colour(self) -> np.ndarray:
        return self.features[:, self.image_dim : self.image_dim + len(PALETTE)]

    def labels(self, attribute: str) -> np.ndarray:
        return np.array([g.label(attribute) or "" for g in self.garments], dtype=object)


def build_test_set(garments: list[Garment], model: JointModel, store: FeatureStore) -> TestSet:
    features, ok = store.images([g.image for g in garments])
    garments = [g for g, good in zip(garments, ok, strict=True) if good]
    features = features[ok]
    probabilities = {k: v.numpy() for k, v in model.attributes.probabilities(torch.from_numpy(features)).items()}
    titles = store.texts([g.title for g in garments], kind="passage")
    joint = model.project_images(features)
    return TestSet(
        garments, features, store.image_tower.dim, joint, probabilities, titles, model.hubness_penalty(joint)
    )


def agreement(test: TestSet, model: JointModel, wanted: list[dict[str, str]]) -> np.ndarray:
    """(Q, N): sum over the attributes each query names of log P(item has that value | its photo)."""
    scores = np.zeros((len(wanted), len(test.garments)), np.float32)
    for row, attributes in enumerate(wanted):
        for attribute, value in attributes.items():
            classes = model.attributes.labels.get(attribute, [])
            if value in classes:
                scores[row] += np.log(test.probabilities[attribute][:, classes.index(value)] + 1e-6)
    return scores


def colour_scores(test: TestSet, wanted: list[dict[str, str]]) -> np.ndarray:
    """(Q, N): the share of the item's foreground in the query's colour (0 when no colour is named)."""
    names = [c.en for c in PALETTE]
    scores = np.zeros((len(wanted), len(test.garments)), np.float32)
    for row, attributes in enumerate(wanted):
        if attributes.get("colour") in names:
            scores[row] = test.colour[:, names.index(attributes["colour"])]
    return scores


def text_to_image(test: TestSet, model: JointModel, store: FeatureStore, rng: np.random.Generator) -> dict:
    """Each test title as a query against the test images; the item itself is the one relevant answer."""
    titles = [g.title for g in test.garments]
    words = store.texts(titles, kind="query")
    target = np.arange(len(titles))
    wanted = [parse_attributes(t, model.attributes.labels) for t in titles]
    joint, expanded = (model.project_texts(words) @ test.joint.T, model.project_queries(words) @ test.joint.T)
    heads = agreement(test, model, wanted)
    return {
        "random": rank_metrics(rng.random(joint.shape).astype(np.float32), target),
        "colour descriptor": rank_metrics(colour_scores(test, wanted), target),
        "attribute heads": rank_metrics(heads, target),
        "joint (trained)": rank_metrics(joint, target),
        "joint + attribute agreement": rank_metrics(joint + AGREEMENT_WEIGHT * heads, target),
        "joint + item neighbours": rank_metrics(expanded, target),
        "joint + item neighbours + attribute agreement": rank_metrics(expanded + AGREEMENT_WEIGHT * heads, target),
        "joint + hubness correction": rank_metrics(joint - test.hubness, target),
        ASSISTANT_METHOD: rank_metrics(expanded + AGREEMENT_WEIGHT * heads - test.hubness, target),
        "frozen text tower vs titles (metadata)": rank_metrics(store.texts(titles, "query") @ test.titles.T, target),
    }


def _metadata_mask(test: TestSet, attributes: dict[str, str]) -> np.ndarray:
    mask = np.ones(len(test.garments), dtype=bool)
    for attribute, value in attributes.items():
        mask &= test.labels(attribute) == value
    return mask


def attribute_precision(
    test: TestSet, model: JointModel, store: FeatureStore, queries: list[AttributeQuery], rng: np.random.Generator
) -> dict:
    """precision@10 of items whose colour, type and gender all match, per wording and method."""
    if not queries:
        raise ValueError("no colour + type + gender combination has enough test items for attribute queries")
    relevant = np.stack(
        [_metadata_mask(test, {"category": q.category, "colour": q.colour, "gender": q.gender}) for q in queries]
    )
    out: dict[str, dict[str, float]] = {}
    for language in ("en", "zh"):
        texts = [q.english() if language == "en" else q.chinese() for q in queries]
        wanted = [parse_attributes(t, model.attributes.labels) for t in texts]
        words = store.texts(texts, kind="query")
        joint, expanded = model.project_texts(words) @ test.joint.T, model.project_queries(words) @ test.joint.T
        heads = agreement(test, model, wanted)
        filtered = np.stack([_metadata_mask(test, w) for w in wanted])
        methods = {
            "random": rng.random(joint.shape),
            "colour descriptor": colour_scores(test, wanted),
            "attribute heads": heads,
            "frozen text tower vs titles (metadata)": words @ test.titles.T,
            "joint (trained)": joint,
            "joint + attribute agreement": joint + AGREEMENT_WEIGHT * heads,
            "joint + item neighbours": expanded,
            "joint + item neighbours + attribute agreement": expanded + AGREEMENT_WEIGHT * heads,
            "joint + hubness correction": joint - test.hubness,
            ASSISTANT_METHOD: expanded + AGREEMENT_WEIGHT * heads - test.hubness,
            "metadata filter + joint": np.where(filtered, 0.0, -10.0) + expanded - test.hubness,
        }
        out[language] = {name: float(precision_at_k(s, relevant).mean()) for name, s in methods.items()}
        out[language]["parsed all three"] = float(np.mean([len(w) == 3 for w in wanted]))
    return out


def _label_one_hot(test: TestSet, model: JointModel, attribute: str) -> np.ndarray:
    """(N, classes): each item's labelled value of `attribute` (a zero row when unlabelled or unknown)."""
    classes = model.attributes.labels.get(attribute, [])
    labels = test.labels(attribute)
    return np.stack([np.array(classes, dtype=object) == value for value in labels]).astype(np.float32)


def photo_to_catalogue(
    test: TestSet, model: JointModel, photo_features: np.ndarray, photo_categories: list[list[str]], votes: np.ndarray
) -> dict:
    """Shoppers' phone photos against the test catalogue: precision@10 of a matching category.
    `votes`: each photo's category votes from its nearest training photos (models.neighbour_votes)."""
    categories = test.labels("category")
    relevant = np.stack([np.isin(categories, wanted) for wanted in photo_categories])
    keep = relevant.any(1)
    relevant, photo_features = relevant[keep], photo_features[keep]
    pooled = photo_features[:, : test.image_dim]
    raw = pooled @ test.pooled.T
    joint = model.project_images(photo_features) @ test.joint.T
    probabilities = model.attributes.probabilities(torch.from_numpy(photo_features))
    photo_category = probabilities["category"].numpy()
    voted = mix(photo_category, votes[keep])
    labelled = _label_one_hot(test, model, "category").T
    agrees = test.probabilities["category"].T
    methods = {
        "image tower cosine (photo space)": raw,
        "joint projection": joint,
        "category heads agreement": photo_category @ agrees,
        "image cosine + category agreement": raw + 0.5 * photo_category @ agrees,
        "image cosine + category agreement, head + neighbours' votes": raw + 0.5 * voted @ agrees,
        "image cosine + photo's category (head) vs catalogue labels (metadata)": raw + 0.5 * photo_category @ labelled,
        METADATA_PHOTO_METHOD: raw + 0.5 * voted @ labelled,
    }
    result = {name: float(precision_at_k(s, relevant).mean()) for name, s in methods.items()}
    result["photos"] = int(keep.sum())
    return result


def photo_category_read(
    model: JointModel, photo_features: np.ndarray, photo_categories: list[list[str]], votes: np.ndarray
) -> dict[str, float]:
    """Share of phone photos whose most likely category is one their label maps to: in a conversation
    that category becomes the search's filter."""
    classes = np.array(model.attributes.labels["category"], dtype=object)
    head = model.attributes.probabilities(torch.from_numpy(photo_features))["category"].numpy()
    readings = {"head": head, "head + neighbours' votes": mix(head, votes)}
    return {
        name: float(np.mean([c in wanted for c, wanted in zip(classes[p.argmax(1)], photo_categories, strict=True)]))
        for name, p in readings.items()
    }


def photo_categories_breakdown(
    test: TestSet, photo_features: np.ndarray, photo_categories: list[list[str]], labels: list[str], method
) -> dict[str, float]:
    categories = test.labels("category")
    relevant = np.stack([np.isin(categories, wanted) for wanted in photo_categories])
    precision = precision_at_k(method(photo_features), relevant)
    out: dict[str, list[float]] = {}
    for label, value, ok in zip(labels, precision, relevant.any(1), strict=True):
        if ok:
            out.setdefault(label, []).append(float(value))
    return {label: float(np.mean(v)) for label, v in sorted(out.items())}


def composed(test: TestSet, model: JointModel, store: FeatureStore, seed: int) -> dict:
    """ "This item's photo, but in <colour>": hit@10 and precision@10 of same type + gender in that colour."""
    triplets = [t for t in make_triplets(test.garments, np.arange(len(test.garments)), 2, seed) if t[1] == "colour"]
    texts = triplet_texts(triplets, seed)
    modifiers = model.project_texts(store.texts(texts, kind="query"))
    references = test.joint[[t[0] for t in triplets]]
    relevant = np.stack(
        [_metadata_mask(test, {"category": k[0], "gender": k[1], "colour": k[2]}) for _, _, _, k in triplets]
    )
    methods = {
        "photo only": references @ test.joint.T,
        "words only": modifiers @ test.joint.T,
        "weighted fusion": model.fuse(references, modifiers, "weighted") @ test.joint.T,
        "learned fusion": model.fuse(references, modifiers, "learned") @ test.joint.T,
    }
    out = {
        name: {"hit@10": float(hit_at_k(s, relevant).mean()), "P@10": float(precision_at_k(s, relevant).mean())}
        for name, s in methods.items()
    }
    return {"queries": len(triplets), "methods": out, "weighted image weight": model.fusion_image_weight}


def photo_look(test: TestSet, model: JointModel, store: FeatureStore) -> dict:
    """A catalogue photo as a shopper's photo, or as a shown item they picked ("more like #2"), searched
    as the conversation searches it: among items of its category (a photo: the one the heads read, the
    filter a photo turn sets), ranked by its image vector plus words in the text and joint spaces. The
    words are the category alone, or with the colour and pattern (`Preferences.look_wishes`): read off
    the photo, or the picked item's labels. Precision@10 of the photo's own colour and pattern (labels),
    the photo itself left out; queries whose category holds at least 10 other items either way."""
    read = {
        name: np.array(model.attributes.labels[name], dtype=object)[test.probabilities[name].argmax(1)]
        for name in ("category", "colour", "pattern")
        if name in test.probabilities
    }
    labels = {name: test.labels(name) for name in read}
    n = len(test.garments)

    def words(source: dict[str, np.ndarray], look: bool) -> list[str]:
        return [
            english_words(
                source["category"][i], *(_value(source, a, i) if look else None for a in ("colour", "pattern"))
            )
            for i in range(n)
        ]

    searches = {
        "photo: read category as words": (read["category"], words(read, False)),
        "photo: read category, colour and pattern as words": (read["category"], words(read, True)),
        "picked item: its category as words": (labels["category"], words(labels, False)),
        "picked item: its category, colour and pattern as words": (labels["category"], words(labels, True)),
    }
    pooled = test.pooled / np.linalg.norm(test.pooled, axis=1, keepdims=True)
    image = pooled @ pooled.T
    allowed = {
        name: (labels["category"][None, :] == filtered[:, None]) & ~np.eye(n, dtype=bool)
        for name, (filtered, _) in searches.items()
    }
    keep = np.logical_and.reduce([mask.sum(1) >= 10 for mask in allowed.values()])
    out: dict = {"queries": int(keep.sum())}
    if not keep.any():
        return out
    for name, (_, texts) in searches.items():
        vectors = store.texts(texts, kind="query")
        joint = model.project_queries(vectors) @ test.joint.T - test.hubness
        scores = np.where(allowed[name], (vectors @ test.titles.T + image + joint) / 3, -10.0)[keep]
        out[name] = {
            attribute: float(precision_at_k(scores, (values[None, :] == values[keep][:, None])).mean())
            for attribute, values in labels.items()
            if attribute != "category"
        }
    return out


def _value(source: dict[str, np.ndarray], name: str, row: int) -> str | None:
    value = source[name][row] if name in source else None
    return None if value in (None, "", "plain") else str(value)
