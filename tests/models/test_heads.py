"""Trained modules: save -> load -> allclose, calibration, fusion shapes."""

from __future__ import annotations

import numpy as np
import torch

from models.fusion import LearnedFusion, WeightedFusion
from models.heads import AttributeHeads, ProjectionHead, expected_calibration_error, fit_temperature
from models.joint import JointModel, checkpoint_exists, checkpoint_text_tower


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


def test_joint_model_round_trip(tmp_path):
    model = JointModel(
        ProjectionHead(20, 8, 16).eval(),
        ProjectionHead(10, 8, 16).eval(),
        AttributeHeads(20, {"gender": ["men", "women"]}, 8).eval(),
        LearnedFusion(8, 16).eval(),
        image_tower="img@1",
        text_tower="txt@1",
        text_tower_key="use",
        fusion_mode="weighted",
        fusion_image_weight=0.35,
        record={"note": "test"},
    )
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
