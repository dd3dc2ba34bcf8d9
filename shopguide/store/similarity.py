"""Cosine similarity of stored vectors to a query, as the store's cosine space measures it."""

from __future__ import annotations

import numpy as np


def cosine(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
    return (vectors @ query) / np.maximum(norms, 1e-12)
