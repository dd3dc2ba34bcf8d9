"""A small untrained JointModel for save/load and projection tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from models.fusion import LearnedFusion
from models.heads import AttributeHeads, ProjectionHead
from models.joint import JointModel


@pytest.fixture
def tiny_joint_model() -> Callable[..., JointModel]:
    """Builds a JointModel over 20-d image and 10-d text features into an 8-d joint space; keyword
    arguments (fusion_mode, record, expansion...) pass through."""

    def build(**options) -> JointModel:
        return JointModel(
            ProjectionHead(20, 8, 16).eval(),
            ProjectionHead(10, 8, 16).eval(),
            AttributeHeads(20, {"gender": ["men", "women"]}, 8).eval(),
            LearnedFusion(8, 16).eval(),
            image_tower="img@1",
            text_tower="txt@1",
            text_tower_key="use",
            **options,
        )

    return build
