"""The networks, each loaded once per device and precision and kept: the engine's one way to a network.

A test (or another front end) can hand in its own loaders, e.g. a network that runs out of
memory on large inputs, to exercise the engine's retries through its public ``render``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from .devices import DeviceChoice
from .networks import FEATURE_NETWORK, LOSS_NETWORK, STYLE_PREDICTOR
from .weights import load_feature_network, load_network

NetworkLoader = Callable[[str, torch.device, torch.dtype], nn.Module]
FeatureLoader = Callable[[torch.device], nn.Module]


class LoadedNetworks:
    def __init__(self, load: NetworkLoader = load_network, load_features: FeatureLoader = load_feature_network):
        self._load, self._load_features = load, load_features
        self._kept: dict[tuple[str, torch.device, torch.dtype], nn.Module] = {}

    def get(self, name: str, device: DeviceChoice) -> nn.Module:
        # The predictor runs once per painting: float32 gives the most faithful vector; the loss
        # network's gradients lead a style's learning.
        dtype = torch.float32 if name in (STYLE_PREDICTOR, FEATURE_NETWORK, LOSS_NETWORK) else device.dtype
        key = (name, device.torch_device, dtype)
        if key not in self._kept:
            self._kept[key] = self._loaded(name, device, dtype)
        return self._kept[key]

    def _loaded(self, name: str, device: DeviceChoice, dtype: torch.dtype) -> nn.Module:
        if name == FEATURE_NETWORK:
            return self._load_features(device.torch_device)
        network = self._load(name, device.torch_device, dtype)
        if channels_last(device):
            network = network.to(memory_format=torch.channels_last)
        return network


def channels_last(device: DeviceChoice) -> bool:
    """Whether the feed-forward networks run in channels-last layout: their convolutions are much
    faster so on the CPU (docs/benchmarks.md); on CUDA it is still to be measured."""
    return device.kind == "cpu"
