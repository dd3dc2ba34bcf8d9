"""A hub CLIP behind GarmentEncoder, tested with a tiny random CLIP built and saved here (no download)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

transformers = pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory):
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer

    folder = tmp_path_factory.mktemp("tiny-clip")
    letters = [chr(c) for c in range(33, 127)]
    vocab = {token: i for i, token in enumerate([*letters, *(f"{c}</w>" for c in letters)])}
    vocab.update({"<|startoftext|>": len(vocab), "<|endoftext|>": len(vocab) + 1})
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    tokenizer = CLIPTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"))
    processor = CLIPProcessor(CLIPImageProcessor(size={"shortest_edge": 32}, crop_size=32), tokenizer)
    config = CLIPConfig(
        text_config={
            "vocab_size": len(vocab),
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": 64,
        },
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": 32,
            "patch_size": 8,
        },
        projection_dim=16,
    )
    CLIPModel(config).save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def test_hub_clip_encoder_gives_unit_vectors_in_one_joint_space(tiny_clip):
    from models.hub_clip import HubClipEncoder

    encoder = HubClipEncoder(tiny_clip, local_only=True)
    assert encoder.spaces == {"joint": 16}
    photos = [Image.new("RGB", (40, 60), colour) for colour in ("red", "navy")]
    items = encoder.item_vectors(["red dress", "navy shirt"], photos)
    assert items["joint"].shape == (2, 16)
    assert np.allclose(np.linalg.norm(items["joint"], axis=1), 1.0, atol=1e-5)
    assert encoder.item_vectors(["red dress"], None)["joint"].shape == (1, 16)
    query = encoder.query_vectors("like this but blue", photos[0])
    assert query["joint"].shape == (16,) and abs(np.linalg.norm(query["joint"]) - 1) < 1e-5
    assert encoder.query_vectors(None, None) == {}


def test_missing_hub_model_fails_without_downloading(tmp_path):
    from models.hub_clip import HubClipEncoder

    with pytest.raises(OSError):
        HubClipEncoder(tmp_path / "not-there", local_only=True)
