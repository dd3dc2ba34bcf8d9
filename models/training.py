"""Training of the heads on a catalogue's own (photo, text, labels), on 2 CPU cores, from cached features.

1. alignment: image and text projections with a symmetric contrastive loss; each item is paired with
   its title or one of its bilingual attribute captions; texts shared by several items in a batch
   count as positives of all of them (no false negatives from "black t-shirt" repeats);
2. attribute heads with temperature scaling on the validation split;
3. a bank of the training items (title's text vector, photo's joint vector) that expands shoppers' words
   through the items whose titles read like them (models/expansion.py);
4. fusion: a learned combiner on generated triplets (reference photo + modifier text -> items that
   differ in that one attribute), and the weight of the weighted fusion chosen on validation triplets.
Early stopping and every choice use the validation split (inside the train split), never the test split.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn

from models.captions import modifier_text, training_captions
from models.colour import LAYOUT_DIM
from models.expansion import NeighbourExpansion
from models.features import FeatureStore, Garment, split_of
from models.fusion import LearnedFusion, WeightedFusion
from models.heads import AttributeHeads, ProjectionHead, fit_temperature
from models.hubness import HubnessCorrection
from models.joint import JointModel

log = logging.getLogger(__name__)
ATTRIBUTES = ("category", "colour", "gender", "pattern", "brand")
MODIFIED = ("colour", "gender", "pattern")
# learnt on their own trunk only, after the shared heads, which come out as they would without them:
# a brand is read off a photo's whole style (setting, colours), and its ~130 classes would steer the trunk
OWN_TRUNK = ("brand",)


@dataclass
class TrainConfig:
    dim: int = 256
    hidden_dim: int = 1024
    epochs: int = 40
    batch_size: int = 512
    lr: float = 2e-3
    weight_decay: float = 1e-4
    patience: int = 5
    seed: int = 0
    title_share: float = 0.55  # chosen on validation, see the evaluation report's choices
    min_class_count: int = 5
    attribute_epochs: int = 40
    fusion_epochs: int = 12
    fusion_triplets_per_item: int = 2
    # words expanded through the nearest training titles' photos; chosen on validation (report's choices)
    neighbours: int = 50
    neighbour_temperature: float = 0.02
    neighbour_weight: float = 0.3  # 0: no expansion
    # photos near every text (hubs) lowered by their mean similarity to the nearest training texts (report's choices)
    hubness_neighbours: int = 20
    hubness_weight: float = 1.0  # 0: no correction
    threads: int = 1  # the heads are small: one thread ran 7x faster than two on a shared 2-core machine


@dataclass
class TrainingData:
    garments: list[Garment]
    image_features: np.ndarray
    captions: list[list[int]]
    texts: list[str]
    text_features: np.ndarray
    split: np.ndarray
    record: dict = field(default_factory=dict)

    def indices(self, name: str) -> np.ndarray:
        return np.flatnonzero(self.split == name)

    @property
    def base_width(self) -> int:
        """The feature columns before the colour layout: what the projection and most heads read."""
        return self.image_features.shape[1] - LAYOUT_DIM


def build_training_data(garments: list[Garment], store: FeatureStore, progress=None) -> TrainingData:
    """Features of every garment with a readable photo; the test split is left out of it entirely."""
    garments = [g for g in garments if g.image is not None and split_of(g.id) != "test"]
    features, ok = store.images([g.image for g in garments], progress=progress)
    garments = [g for g, good in zip(garments, ok, strict=True) if good]
    features = features[ok]
    text_index: dict[str, int] = {}
    captions = []
    for g in garments:
        texts = training_captions(g.title, g.category, g.colour, g.gender, g.pattern)
        captions.append([text_index.setdefault(t, len(text_index)) for t in texts])
    texts = list(text_index)
    split = np.array([split_of(g.id) for g in garments])
    return TrainingData(garments, features, captions, texts, store.texts(texts, kind="query"), split)


def _contrastive(image: torch.Tensor, text: torch.Tensor, text_ids: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    logits = scale.exp().clamp(max=100) * image @ text.T
    same = (text_ids[:, None] == text_ids[None, :]).float()
    targets = same / same.sum(1, keepdim=True)
    loss_i = -(targets * logits.log_softmax(1)).sum(1).mean()
    loss_t = -(targets * logits.T.log_softmax(1)).sum(1).mean()
    return (loss_i + loss_t) / 2


def train_alignment(
    data: TrainingData, config: TrainConfig, report: Callable[[str], None] = print
) -> tuple[ProjectionHead, ProjectionHead, list[dict]]:
    rng = np.random.default_rng(config.seed)
    torch.manual_seed(config.seed)
    image_head = ProjectionHead(data.base_width, config.dim, config.hidden_dim)
    text_head = ProjectionHead(data.text_features.shape[1], config.dim, config.hidden_dim)
    scale = nn.Parameter(torch.tensor(np.log(1 / 0.07), dtype=torch.float32))
    params = [*image_head.parameters(), *text_head.parameters(), scale]
    optimiser = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    images = torch.from_numpy(data.image_features)
    texts = torch.from_numpy(data.text_features)
    train, val = data.indices("train"), data.indices("validation")
    val_text = torch.tensor([data.captions[i][0] for i in val])
    history, best, best_state, waited = [], float("inf"), None, 0
    for epoch in range(config.epochs):
        image_head.train(), text_head.train()
        order = rng.permutation(train)
        chosen = np.array([_pick_caption(data.captions[i], rng, config.title_share) for i in order])
        total = 0.0
        for start in range(0, len(order), config.batch_size):
            batch, ids = (
                order[start : start + config.batch_size],
                torch.from_numpy(chosen[start : start + config.batch_size]),
            )
            loss = _contrastive(image_head(images[batch]), text_head(texts[ids]), ids, scale)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(batch)
        image_head.eval(), text_head.eval()
        with torch.no_grad():
            val_loss = float(_contrastive(image_head(images[val]), text_head(texts[val_text]), val_text, scale))
        history.append({"epoch": epoch + 1, "train_loss": total / max(len(order), 1), "val_loss": val_loss})
        report(f"alignment epoch {epoch + 1}: train {history[-1]['train_loss']:.3f} val {val_loss:.3f}")
        if val_loss < best - 1e-4:
            best, waited = val_loss, 0
            best_state = ({k: v.clone() for k, v in image_head.state_dict().items()}, text_head.state_dict())
            best_state = (best_state[0], {k: v.clone() for k, v in best_state[1].items()})
        else:
            waited += 1
            if waited >= config.patience:
                break
    if best_state is not None:
        image_head.load_state_dict(best_state[0])
        text_head.load_state_dict(best_state[1])
    return image_head.eval(), text_head.eval(), history


def _pick_caption(captions: list[int], rng: np.random.Generator, title_share: float) -> int:
    if len(captions) == 1 or rng.random() < title_share:
        return captions[0]
    return captions[int(rng.integers(1, len(captions)))]


def attribute_labels(garments: list[Garment], min_count: int) -> dict[str, list[str]]:
    """Classes per attribute with at least `min_count` training examples (rarer ones are not learned)."""
    labels = {}
    for attribute in ATTRIBUTES:
        values = [g.label(attribute) for g in garments if g.label(attribute)]
        counts = {v: values.count(v) for v in set(values)}
        classes = sorted(v for v, c in counts.items() if c >= min_count)
        if len(classes) >= 2:
            labels[attribute] = classes
    return labels


def _targets(garments: list[Garment], labels: dict[str, list[str]]) -> dict[str, torch.Tensor]:
    out = {}
    for attribute, classes in labels.items():
        index = {c: i for i, c in enumerate(classes)}
        out[attribute] = torch.tensor([index.get(g.label(attribute) or "", -100) for g in garments])
    return out


def _fit(
    parameters: list[nn.Parameter],
    loss_of: Callable[[np.ndarray], torch.Tensor],
    modules: nn.Module,
    data: TrainingData,
    config: TrainConfig,
) -> int:
    """AdamW on `parameters` with early stopping on the validation loss; the best state is kept.
    Returns the epochs run."""
    train, val = data.indices("train"), data.indices("validation")
    optimiser = torch.optim.AdamW(parameters, lr=config.lr, weight_decay=1e-3)
    rng = np.random.default_rng(config.seed)
    best, best_state, waited = float("inf"), None, 0
    epochs_run = 0
    for epochs_run in range(1, config.attribute_epochs + 1):  # noqa: B007 (returned after the loop)
        modules.train()
        for batch in np.array_split(rng.permutation(train), max(1, len(train) // 256)):
            loss = loss_of(batch)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        modules.eval()
        with torch.no_grad():
            val_loss = float(loss_of(val))
        if val_loss < best - 1e-4:
            best, waited, best_state = val_loss, 0, {k: v.clone() for k, v in modules.state_dict().items()}
        else:
            waited += 1
            if waited >= config.patience:
                break
    modules.load_state_dict(best_state or modules.state_dict())
    return epochs_run


def train_attributes(
    data: TrainingData, config: TrainConfig, report: Callable[[str], None] = print
) -> tuple[AttributeHeads, dict]:
    """The heads on the shared trunk first, then colour's own trunk over the colour layout as well, then
    those of OWN_TRUNK: trained apart, the shared heads come out as they would without them."""
    torch.manual_seed(config.seed)
    train, val = data.indices("train"), data.indices("validation")
    labels = attribute_labels([data.garments[i] for i in train], config.min_class_count)
    shared = [a for a in labels if a not in OWN_TRUNK]
    heads = AttributeHeads(data.base_width, labels, shared=shared)
    targets = _targets(data.garments, labels)
    features = torch.from_numpy(data.image_features)

    def shared_loss(rows: np.ndarray) -> torch.Tensor:
        logits = heads(features[rows])
        return sum(nn.functional.cross_entropy(logits[a], targets[a][rows]) for a in shared)

    epochs_run = _fit([*heads.trunk.parameters(), *heads.heads.parameters()], shared_loss, heads, data, config)
    for attribute in [a for a in ("colour", *OWN_TRUNK) if a in labels]:
        heads.widen(attribute, data.image_features.shape[1])

        def own_loss(rows: np.ndarray, attribute: str = attribute) -> torch.Tensor:
            return nn.functional.cross_entropy(heads(features[rows])[attribute], targets[attribute][rows])

        _fit(heads.wide_parameters(attribute), own_loss, heads, data, config)
    heads.eval()
    with torch.no_grad():
        logits = heads(features[val])
    accuracy = {}
    for attribute in labels:
        known = targets[attribute][val] >= 0
        heads.temperatures[attribute] = fit_temperature(logits[attribute][known], targets[attribute][val][known])
        accuracy[attribute] = float(
            (logits[attribute][known].argmax(1) == targets[attribute][val][known]).float().mean()
        )
    report(f"attribute heads after {epochs_run} epochs, validation accuracy {accuracy}")
    return heads, {"validation_accuracy": accuracy, "epochs": epochs_run}


def make_triplets(
    garments: list[Garment], indices: np.ndarray, per_item: int, seed: int
) -> list[tuple[int, str, str, tuple]]:
    """(reference index, attribute, new value, target key) where the target key is the reference's
    (category, gender, colour, pattern) with one attribute changed to a value some item has."""
    rng = random.Random(seed)
    keys = {i: (garments[i].category, garments[i].gender, garments[i].colour, garments[i].pattern) for i in indices}
    slot = {"gender": 1, "colour": 2, "pattern": 3}
    by_rest: dict[tuple, set[tuple]] = {}
    for key in set(keys.values()):
        for attribute, position in slot.items():
            by_rest.setdefault((attribute, key[:position] + key[position + 1 :]), set()).add(key)
    triplets = []
    for i in indices:
        key, options = keys[i], []
        for attribute, position in slot.items():
            for other in sorted(by_rest[(attribute, key[:position] + key[position + 1 :])], key=str):
                if other != key and other[position]:
                    options.append((attribute, other[position], other))
        for attribute, value, target in rng.sample(options, min(per_item, len(options))):
            triplets.append((int(i), attribute, value, target))
    return triplets


def triplet_texts(triplets: list, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [modifier_text(a, v, "zh" if rng.random() < 0.5 else "en", rng) for _, a, v, _ in triplets]


def _group_ids(garments: list[Garment]) -> tuple[np.ndarray, dict[tuple, int]]:
    groups: dict[tuple, int] = {}
    ids = [groups.setdefault((g.category, g.gender, g.colour, g.pattern), len(groups)) for g in garments]
    return np.array(ids), groups


def fusion_recall(
    fused: torch.Tensor, gallery: torch.Tensor, gallery_groups: torch.Tensor, targets: torch.Tensor, k=10
):
    """Share of composed queries with an item of the target group in the top k (the reference excluded
    is not needed: it is never in the target group)."""
    top = (fused @ gallery.T).topk(k, dim=1).indices
    return float((gallery_groups[top] == targets[:, None]).any(1).float().mean())


def train_fusion(
    data: TrainingData,
    image_head: ProjectionHead,
    text_head: ProjectionHead,
    store: FeatureStore,
    config: TrainConfig,
    report: Callable[[str], None] = print,
) -> tuple[LearnedFusion, float, dict]:
    """Learned fusion trained on train triplets; both fusions compared on validation triplets."""
    torch.manual_seed(config.seed)
    groups, group_index = _group_ids(data.garments)
    with torch.no_grad():
        gallery = image_head(torch.from_numpy(data.image_features))
    gallery_groups = torch.from_numpy(groups)
    sets = {}
    for name in ("train", "validation"):
        triplets = make_triplets(data.garments, data.indices(name), config.fusion_triplets_per_item, config.seed)
        texts = triplet_texts(triplets, config.seed)
        with torch.no_grad():
            modifiers = text_head(torch.from_numpy(store.texts(texts, kind="query")))
        references = torch.tensor([t[0] for t in triplets])
        targets = torch.tensor([group_index.get(t[3], -1) for t in triplets])
        sets[name] = (gallery[references], modifiers, targets)
    fusion = LearnedFusion(config.dim)
    optimiser = torch.optim.AdamW(fusion.parameters(), lr=1e-3, weight_decay=1e-4)
    train_mask = torch.from_numpy(data.split == "train")
    rng = np.random.default_rng(config.seed)
    reference, modifier, target = sets["train"]
    best, best_state, waited = -1.0, None, 0
    for _epoch in range(config.fusion_epochs):
        fusion.train()
        for batch in np.array_split(rng.permutation(len(target)), max(1, len(target) // 256)):
            logits = 20.0 * fusion(reference[batch], modifier[batch]) @ gallery[train_mask].T
            positive = gallery_groups[train_mask][None, :] == target[batch][:, None]
            loss = (logits.logsumexp(1) - logits.masked_fill(~positive, -1e4).logsumexp(1)).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        fusion.eval()
        with torch.no_grad():
            recall = fusion_recall(fusion(*sets["validation"][:2]), gallery, gallery_groups, sets["validation"][2])
        if recall > best + 1e-4:
            best, waited, best_state = recall, 0, {k: v.clone() for k, v in fusion.state_dict().items()}
        else:
            waited += 1
            if waited >= config.patience:
                break
    fusion.load_state_dict(best_state or fusion.state_dict())
    fusion.eval()
    weighted = {}
    for weight in (0.2, 0.35, 0.5, 0.65, 0.8):
        fused = WeightedFusion(weight)(*sets["validation"][:2])
        weighted[weight] = fusion_recall(fused, gallery, gallery_groups, sets["validation"][2])
    best_weight = max(weighted, key=weighted.get)
    record = {
        "validation_recall_at_10": {"learned": best, "weighted": weighted[best_weight]},
        "weighted_grid": {str(k): v for k, v in weighted.items()},
        "image_weight": best_weight,
        "triplets": {name: len(s[2]) for name, s in sets.items()},
    }
    report(
        f"fusion on validation triplets: learned R@10 {best:.3f}, weighted({best_weight}) {weighted[best_weight]:.3f}"
    )
    return fusion, best_weight, record


def build_expansion(data: TrainingData, image_head: ProjectionHead, config: TrainConfig) -> NeighbourExpansion | None:
    """The training items only (not validation): their titles' tower vectors and their photos' joint vectors."""
    if config.neighbour_weight <= 0:
        return None
    train = data.indices("train")
    with torch.no_grad():
        photos = image_head(torch.from_numpy(data.image_features[train])).numpy()
    titles = data.text_features[[data.captions[i][0] for i in train]]
    return NeighbourExpansion.from_pairs(
        titles,
        photos,
        neighbours=config.neighbours,
        temperature=config.neighbour_temperature,
        weight=config.neighbour_weight,
    )


def build_hubness(data: TrainingData, text_head: ProjectionHead, config: TrainConfig) -> HubnessCorrection | None:
    """The training items' texts only (not validation), projected as a query's words are."""
    if config.hubness_weight <= 0:
        return None
    texts = sorted({t for i in data.indices("train") for t in data.captions[i]})
    with torch.no_grad():
        projected = text_head(torch.from_numpy(data.text_features[texts])).numpy()
    return HubnessCorrection.from_texts(projected, neighbours=config.hubness_neighbours, weight=config.hubness_weight)


def train_joint_model(
    garments: list[Garment],
    store: FeatureStore,
    text_tower_key: str,
    config: TrainConfig | None = None,
    report: Callable[[str], None] = print,
    progress=None,
) -> JointModel:
    """Everything `model train` does after loading the catalogue; the test split is never read."""
    config = config or TrainConfig()
    data = build_training_data(garments, store, progress=progress)
    report(f"training on {len(data.indices('train'))} items, validating on {len(data.indices('validation'))}")
    threads = torch.get_num_threads()
    torch.set_num_threads(config.threads)
    try:
        image_head, text_head, history = train_alignment(data, config, report)
        attributes, attribute_record = train_attributes(data, config, report)
        fusion, weight, fusion_record = train_fusion(data, image_head, text_head, store, config, report)
        expansion = build_expansion(data, image_head, config)
        hubness = build_hubness(data, text_head, config)
    finally:
        torch.set_num_threads(threads)
    learned_better = (
        fusion_record["validation_recall_at_10"]["learned"] > fusion_record["validation_recall_at_10"]["weighted"]
    )
    record = {
        "config": asdict(config),
        "items": {"train": len(data.indices("train")), "validation": len(data.indices("validation"))},
        "alignment_history": history,
        "attributes": attribute_record,
        "fusion": fusion_record,
    }
    return JointModel(
        image_head,
        text_head,
        attributes,
        fusion,
        image_tower=store.image_tower.name,
        text_tower=store.text_tower.name,
        text_tower_key=text_tower_key,
        fusion_mode="learned" if learned_better else "weighted",
        fusion_image_weight=weight,
        record=record,
        expansion=expansion,
        hubness=hubness,
    )
