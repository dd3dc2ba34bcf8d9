"""Trained modules: save -> load -> allclose, calibration, fusion shapes."""

from __future__ import annotations

import numpy as np
import torch

from models.colour import LAYOUT_DIM
from models.features import Garment
from models.fusion import LearnedFusion, WeightedFusion
from models.heads import AttributeHeads, ProjectionHead, expected_calibration_error, fit_temperature
from models.joint import JointModel, checkpoint_exists, checkpoint_text_tower
from models.training import TrainConfig, TrainingData, train_attributes


def test_projection_head_round_trip(tmp_path):
    head = ProjectionHead(40, 8, 16).eval()
    head.save(tmp_path / "head")
    loaded = ProjectionHead.load(tmp_path / "head")
    x = torch.randn(5, 40)
    assert loaded.get_config() == head.get_config()
    assert torch.allclose(head(x), loaded(x)) and torch.allclose(loaded(x).norm(dim=1), torch.ones(5))


def test_attribute_heads_round_trip_keeps_labels_and_temperatures(tmp_path):
    heads = AttributeHeads(12, {"colour": ["red", "blue"], "category": ["shirts", "dresses", "jeans"]}, 8)
    heads.temperatures["colour"] = 1.7
    heads.eval().save(tmp_path / "attributes")
    loaded = AttributeHeads.load(tmp_path / "attributes")
    features = np.random.default_rng(0).normal(size=(4, 12)).astype(np.float32)
    assert loaded.temperatures == {"colour": 1.7, "category": 1.0}
    assert loaded.predict(features) == heads.predict(features)
    assert set(loaded.predict(features)[0]) == {"colour", "category"}


def test_a_wide_attribute_reads_the_columns_after_in_dim_and_the_others_do_not(tmp_path):
    """Colour reads the colour layout after the first `in_dim` columns; the shared trunk and the
    projection ignore those columns, so a checkpoint from before the layout reads wider features too."""
    labels = {"colour": ["red", "blue"], "category": ["shirts", "jeans"]}
    heads = AttributeHeads(12, labels, 8, wide={"colour": 20}).eval()
    heads.save(tmp_path / "attributes")
    loaded = AttributeHeads.load(tmp_path / "attributes")
    features = torch.randn(4, 20)
    changed = features.clone()
    changed[:, 12:] += 1.0
    assert torch.allclose(loaded(features)["colour"], heads(features)["colour"])
    assert not torch.allclose(heads(changed)["colour"], heads(features)["colour"])
    assert torch.allclose(heads(changed)["category"], heads(features)["category"])
    older = AttributeHeads(12, labels, 8).eval()
    assert torch.allclose(older(changed)["colour"], older(features)["colour"])
    projection = ProjectionHead(12, 8, 16).eval()
    assert torch.allclose(projection(changed), projection(features))


def test_temperature_scaling_tames_overconfident_logits():
    generator = torch.Generator().manual_seed(0)
    targets = torch.randint(0, 3, (600,), generator=generator)
    logits = torch.randn(600, 3, generator=generator) * 0.5
    logits[torch.arange(600), targets] += 1.0
    logits *= 8  # right 70-80% of the time but nearly always ~100% sure
    temperature = fit_temperature(logits, targets)
    assert temperature > 1.3
    confidence, predicted = (logits / temperature).softmax(1).max(1)
    correct = (predicted == targets).numpy()
    raw_confidence = logits.softmax(1).max(1).values.numpy()
    assert expected_calibration_error(confidence.numpy(), correct) < expected_calibration_error(raw_confidence, correct)


def test_fusions_give_unit_vectors_and_the_learned_one_round_trips(tmp_path):
    image, text = torch.randn(3, 8), torch.randn(3, 8)
    assert torch.allclose(WeightedFusion(0.3)(image, text).norm(dim=1), torch.ones(3))
    fusion = LearnedFusion(8, 16).eval()
    fusion.save(tmp_path / "fusion")
    assert torch.allclose(fusion(image, text), LearnedFusion.load(tmp_path / "fusion")(image, text))


def test_joint_model_round_trip(tmp_path, tiny_joint_model):
    model = tiny_joint_model(fusion_mode="weighted", fusion_image_weight=0.35, record={"note": "test"})
    model.save(tmp_path / "joint")
    assert checkpoint_exists(tmp_path / "joint") and checkpoint_text_tower(tmp_path / "joint") == "use"
    loaded = JointModel.load(tmp_path / "joint", "img@1", "txt@1")
    images, texts = np.ones((2, 20), np.float32), np.ones((2, 10), np.float32)
    assert np.allclose(model.project_images(images), loaded.project_images(images))
    assert np.allclose(model.project_texts(texts), loaded.project_texts(texts))
    assert np.allclose(
        model.fuse(model.project_images(images), model.project_texts(texts)),
        loaded.fuse(loaded.project_images(images), loaded.project_texts(texts)),
    )
    assert loaded.fusion_mode == "weighted" and loaded.record == {"note": "test"}


def test_training_colour_on_the_layout_leaves_the_shared_heads_as_they_were():
    """The shared heads train first and alone: other layout columns, the same category head."""
    rng = np.random.default_rng(0)
    garments = [
        Garment(f"g{i}", "t", category=["shirts", "jeans"][i % 2], colour=["red", "blue"][i // 2 % 2])
        for i in range(80)
    ]
    base = rng.normal(size=(80, 16)).astype(np.float32)
    split = np.array(["validation" if i % 5 == 0 else "train" for i in range(80)])
    config = TrainConfig(attribute_epochs=3, min_class_count=1)

    def trained(layout: np.ndarray) -> AttributeHeads:
        features = np.concatenate([base, layout], axis=1)
        data = TrainingData(garments, features, [[0]] * 80, ["t"], np.zeros((1, 4), np.float32), split)
        return train_attributes(data, config, report=lambda _: None)[0]

    one = trained(rng.normal(size=(80, LAYOUT_DIM)).astype(np.float32))
    other = trained(rng.normal(size=(80, LAYOUT_DIM)).astype(np.float32))
    assert one.wide == {"colour": 16 + LAYOUT_DIM}
    probe = torch.from_numpy(np.concatenate([base, np.zeros((80, LAYOUT_DIM), np.float32)], axis=1))
    assert torch.equal(one(probe)["category"], other(probe)["category"])
    assert not torch.equal(one(probe)["colour"], other(probe)["colour"])


def test_brands_learnt_on_their_own_trunk_leave_the_other_heads_as_they_were(tmp_path):
    """A brand head reads a photo's whole style on its own trunk; the other heads come out as they
    would in a catalogue without brands, and a checkpoint with one loads with it."""
    rng = np.random.default_rng(1)
    features = rng.normal(size=(80, 16 + LAYOUT_DIM)).astype(np.float32)
    split = np.array(["validation" if i % 5 == 0 else "train" for i in range(80)])
    config = TrainConfig(attribute_epochs=3, min_class_count=1)

    def trained(brands: list[str | None]) -> AttributeHeads:
        garments = [
            Garment(f"g{i}", "t", category=["shirts", "jeans"][i % 2], colour=["red", "blue"][i // 2 % 2], brand=b)
            for i, b in enumerate(brands)
        ]
        data = TrainingData(garments, features, [[0]] * 80, ["t"], np.zeros((1, 4), np.float32), split)
        return train_attributes(data, config, report=lambda _: None)[0]

    without = trained([None] * 80)
    branded = trained([["Acme", "Zenith", "Orbit"][i % 3] for i in range(80)])
    assert "brand" not in without.labels and branded.shared == ["category", "colour"]
    assert branded.wide == {"colour": 16 + LAYOUT_DIM, "brand": 16 + LAYOUT_DIM}
    probe = torch.from_numpy(features)
    for attribute in ("category", "colour"):
        assert torch.equal(without(probe)[attribute], branded(probe)[attribute])
    branded.save(tmp_path / "attributes")
    loaded = AttributeHeads.load(tmp_path / "attributes")
    assert torch.equal(loaded(probe)["brand"], branded(probe)["brand"])
    assert set(loaded.predict(features)[0]) == {"category", "colour", "brand"}
