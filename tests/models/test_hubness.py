"""Hubness correction: a photo near every text loses more than one near a single text; the bank round-trips;
the rank lowers a hub while the scores an explanation names stay the similarities."""

from __future__ import annotations

import numpy as np

from models.hubness import HubnessCorrection
from models.joint import JointModel
from shopguide.catalogue.schema import CatalogueItem
from shopguide.search.ranking import rank
from shopguide.store.garment_store import StoredItem, item_metadata


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_a_photo_near_every_text_loses_more_than_one_near_a_single_text():
    rng = np.random.default_rng(0)
    centre = _unit(rng.normal(size=(1, 8)))
    texts = _unit(centre + 0.4 * rng.normal(size=(40, 8)))  # texts around one centre
    hub, loner = centre, _unit(texts[:1] - 1.5 * centre)  # the centre itself; a photo off to one side
    correction = HubnessCorrection.from_texts(texts * 5.0, neighbours=10, weight=0.5)  # lengths do not matter
    penalties = correction.penalty(np.concatenate([hub, loner]))
    assert penalties.shape == (2,) and penalties.dtype == np.float32
    assert penalties[0] > penalties[1]
    nearest = np.sort(texts @ hub[0])[-10:]
    assert np.isclose(penalties[0], 0.5 * nearest.mean(), atol=1e-5)


def test_joint_model_with_hubness_round_trips(tmp_path, tiny_joint_model):
    rng = np.random.default_rng(1)
    texts, photos = _unit(rng.normal(size=(30, 8))), _unit(rng.normal(size=(5, 8)))
    model = tiny_joint_model(hubness=HubnessCorrection.from_texts(texts, neighbours=4, weight=1.0))
    model.save(tmp_path / "joint")
    loaded = JointModel.load(tmp_path / "joint")
    assert np.allclose(model.hubness_penalty(photos), loaded.hubness_penalty(photos), atol=1e-6)
    assert (loaded.hubness_penalty(photos) != 0).all()
    loaded.hubness = None  # a checkpoint trained without it: nothing subtracted
    assert (loaded.hubness_penalty(photos) == 0).all()


def test_the_rank_lowers_a_hub_but_explanations_keep_its_similarity():
    items = [CatalogueItem(id=i, title=f"Shirt {i}", price=10.0) for i in ("hub", "match")]
    stored = [StoredItem.from_metadata(item_metadata(item, "hash", None, 0.3)) for item in items]
    joint = {"hub": 0.80, "match": 0.70}
    weights = {"joint": 1.0, "text": 1.0}
    plain = rank(stored, {"joint": joint}, weights, 2)
    assert [r.item.id for r in plain] == ["hub", "match"]
    corrected = rank(stored, {"joint": joint}, weights, 2, {"joint": {"hub": 0.25, "match": 0.05}})
    assert [r.item.id for r in corrected] == ["match", "hub"]
    assert {r.item.id: r.scores["joint"] for r in corrected} == joint
    assert stored[0].metadata["hubness"] == 0.3
