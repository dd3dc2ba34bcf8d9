"""Small trained modules on top of the frozen towers: projections into the joint space and attribute heads.

Each module declares its config; ``save(folder)`` writes ``config.json`` and ``model.safetensors``,
``load(folder)`` rebuilds it with ``cls(**config)`` (the sentence-transformers convention).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn


@contextmanager
def small_inference() -> Iterator[None]:
    """Inference mode on one thread, for the heads' small matrices. On two threads, a projection right
    after the text tower's numpy call waited for a busy core (~3 ms instead of ~0.2 ms); the thread count
    is restored afterwards, so the image tower keeps both cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.inference_mode():
            yield
    finally:
        torch.set_num_threads(threads)


class SavedModule(nn.Module):
    """A module whose constructor arguments are its config."""

    config_keys: ClassVar[tuple[str, ...]] = ()

    def get_config(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self.config_keys}

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.json").write_text(json.dumps(self.get_config(), indent=2, ensure_ascii=False))
        save_file({k: v.detach().contiguous() for k, v in self.state_dict().items()}, str(folder / "model.safetensors"))

    @classmethod
    def load(cls, folder: str | Path) -> SavedModule:
        """Raises FileNotFoundError naming the missing file."""
        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text())
        module = cls(**config)
        module.load_state_dict(load_file(str(folder / "model.safetensors")))
        return module.eval()


class ProjectionHead(SavedModule):
    """Frozen-tower features -> unit vectors in the joint space: a linear map plus a residual MLP."""

    config_keys = ("in_dim", "out_dim", "hidden_dim", "dropout")

    def __init__(self, in_dim: int, out_dim: int = 256, hidden_dim: int = 1024, dropout: float = 0.1) -> None:
        super().__init__()
        self.in_dim, self.out_dim, self.hidden_dim, self.dropout = in_dim, out_dim, hidden_dim, dropout
        self.norm = nn.LayerNorm(in_dim)
        self.linear = nn.Linear(in_dim, out_dim)
        self.mlp = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(in_dim, hidden_dim), nn.GELU(), nn.Linear(hidden_dim, out_dim)
        )

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """Reads the first `in_dim` columns: image features carry a colour layout after them."""
        x = self.norm(features[..., : self.in_dim])
        return nn.functional.normalize(self.linear(x) + self.mlp(x), dim=-1)


class AttributeHeads(SavedModule):
    """One classifier per attribute (category, colour, gender, pattern...) over image features.

    ``labels`` maps each attribute to its class names; ``temperatures`` (fitted on a validation split
    after training, see :func:`fit_temperature`) make the softmax confidences calibrated. The heads
    share a trunk over the first `in_dim` feature columns; an attribute in ``wide`` is answered by its
    own trunk over that many columns instead (colour reads the colour layout too). Only the attributes in
    ``shared`` (all by default) have a head on the shared trunk."""

    config_keys = ("in_dim", "labels", "hidden_dim", "temperatures", "wide", "shared")

    def __init__(
        self,
        in_dim: int,
        labels: dict[str, list[str]],
        hidden_dim: int = 512,
        temperatures: dict[str, float] | None = None,
        wide: dict[str, int] | None = None,
        shared: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.in_dim, self.labels, self.hidden_dim = in_dim, labels, hidden_dim
        self.temperatures = dict(temperatures or dict.fromkeys(labels, 1.0))
        self.shared = list(labels) if shared is None else list(shared)
        self.trunk = self._trunk(in_dim)
        self.heads = nn.ModuleDict({name: nn.Linear(hidden_dim, len(labels[name])) for name in self.shared})
        self.wide: dict[str, int] = {}
        self.wide_trunks, self.wide_heads = nn.ModuleDict(), nn.ModuleDict()
        for name, width in (wide or {}).items():
            self.widen(name, width)

    def _trunk(self, width: int) -> nn.Module:
        return nn.Sequential(nn.LayerNorm(width), nn.Dropout(0.2), nn.Linear(width, self.hidden_dim), nn.GELU())

    def widen(self, name: str, width: int) -> None:
        """From now on `name` is answered by its own trunk over the first `width` feature columns (its
        shared-trunk head, if any, stays, trained as it was)."""
        if name in self.labels:
            self.wide[name] = width
            self.wide_trunks[name] = self._trunk(width)
            self.wide_heads[name] = nn.Linear(self.hidden_dim, len(self.labels[name]))

    def wide_parameters(self, name: str) -> list[nn.Parameter]:
        return [*self.wide_trunks[name].parameters(), *self.wide_heads[name].parameters()]

    def forward(self, features: torch.Tensor) -> dict[str, torch.Tensor]:
        """Raw logits per attribute (no temperature)."""
        hidden = self.trunk(features[..., : self.in_dim])
        logits = {name: head(hidden) for name, head in self.heads.items()}
        for name, width in self.wide.items():
            logits[name] = self.wide_heads[name](self.wide_trunks[name](features[..., :width]))
        return logits

    def probabilities(self, features: torch.Tensor) -> dict[str, torch.Tensor]:
        with small_inference():
            logits = self(features)
        return {name: (value / self.temperatures[name]).softmax(-1) for name, value in logits.items()}

    def predict(self, features: np.ndarray) -> list[dict[str, tuple[str, float]]]:
        """Per row: attribute -> (label, calibrated confidence)."""
        return self.readings(self.probabilities(torch.as_tensor(features, dtype=torch.float32)))

    def readings(self, probabilities: dict[str, torch.Tensor]) -> list[dict[str, tuple[str, float]]]:
        """`probabilities` (from `probabilities`) as, per row, attribute -> (label, confidence)."""
        rows: list[dict[str, tuple[str, float]]] = [{} for _ in range(len(next(iter(probabilities.values()))))]
        for name, values in probabilities.items():
            confidence, index = values.max(-1)
            for row, (c, i) in enumerate(zip(confidence.tolist(), index.tolist(), strict=True)):
                rows[row][name] = (self.labels[name][i], float(c))
        return rows


def fit_temperature(logits: torch.Tensor, targets: torch.Tensor, steps: int = 200) -> float:
    """The softmax temperature that minimises validation NLL (Guo et al. 2017, temperature scaling)."""
    log_t = torch.zeros(1, requires_grad=True)
    optimiser = torch.optim.LBFGS([log_t], lr=0.1, max_iter=steps)
    logits, targets = logits.detach(), targets.detach()

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        loss = nn.functional.cross_entropy(logits / log_t.exp(), targets)
        loss.backward()
        return loss

    optimiser.step(closure)
    return float(log_t.detach().exp().clamp(0.05, 20.0))


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total)
